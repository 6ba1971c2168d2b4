"""create_graph=True: differentiate a gradient again, for a Hessian-vector product."""

import torch

import sitekit

# %% setup
device = sitekit.device()
# drawn on the CPU, then moved: the same numbers on every device
x = torch.randn(4, dtype=torch.float64).to(device).requires_grad_()
v = torch.randn(4, dtype=torch.float64).to(device)


def f(x):
    return (x**2).sum() ** 2 / 4 + torch.sin(x).prod()


# %% hvp
(g,) = torch.autograd.grad(f(x), x, create_graph=True)  # g keeps a graph of its own
print("g.grad_fn =", type(g.grad_fn).__name__)
(hv,) = torch.autograd.grad(g @ v, x)  # ∇(g·v) = H v, without ever building H
print("H v (autograd)      =", [f"{t:+.8f}" for t in hv.tolist()])

# %% check
eps = 1e-5


def grad_at(point):
    point = point.detach().requires_grad_()
    return torch.autograd.grad(f(point), point)[0]


numeric = (grad_at(x + eps * v) - grad_at(x - eps * v)) / (2 * eps)  # centred difference of g along v
print("H v (sai phân)      =", [f"{t:+.8f}" for t in numeric.tolist()])
gap = (hv - numeric).abs().max().item()
print(f"chênh lệch lớn nhất: {gap:.1e}")
with sitekit.expect(RuntimeError, match="does not require grad"):
    (g_plain,) = torch.autograd.grad(f(x), x)  # without create_graph, g is a plain number
    torch.autograd.grad(g_plain @ v, x)
sitekit.report("x", x)
sitekit.report("v", v)
sitekit.report("hv", hv, tol=1e-10)
sitekit.report("numeric", numeric, tol=1e-8)
sitekit.report("gap", gap, tol=1e-8)
