"""The input gradient of a deep network is a product of per-layer factors Wᵀ·diag(f′(z))."""

import torch

import sitekit

# %% setup
device = sitekit.device()
depth, width = 4, 5
# columns convention, one input x: z_l = W_l a_{l-1} + b_l, a_l = f(z_l), a_0 = x, L = sum(a_depth)
Ws = [torch.randn(width, width, dtype=torch.float64).to(device) for _ in range(depth)]
bs = [torch.randn(width, dtype=torch.float64).to(device) for _ in range(depth)]
x = torch.randn(width, dtype=torch.float64).to(device)
f, f_prime = torch.tanh, lambda z: 1 - torch.tanh(z) ** 2


def forward(x, residual=False):
    a, zs = x, []
    for W, b in zip(Ws, bs):
        z = W @ a + b
        zs.append(z)
        a = a + f(z) if residual else f(z)  # a residual block adds its input back
    return a.sum(), zs


# %% product
x_in = x.clone().requires_grad_()
loss, zs = forward(x_in)
loss.backward()
g = torch.ones(width, dtype=torch.float64, device=device)  # dL/da_depth for L = sum(a_depth)
for W, z in zip(reversed(Ws), reversed(zs)):
    g = W.T @ (f_prime(z) * g)  # dL/da_{l-1} = W_lᵀ diag(f'(z_l)) dL/da_l
print("tích các thừa số:", [round(v, 6) for v in g.tolist()])
print("autograd:        ", [round(v, 6) for v in x_in.grad.tolist()])
print(f"lệch lớn nhất: {(g - x_in.grad).abs().max().item():.1e}")
sitekit.report("by_hand", g, tol=1e-12)
sitekit.report("autograd", x_in.grad, tol=1e-12)

# %% residual
x_in = x.clone().requires_grad_()
loss, zs = forward(x_in, residual=True)
loss.backward()
g = torch.ones(width, dtype=torch.float64, device=device)
for W, z in zip(reversed(Ws), reversed(zs)):
    g = g + W.T @ (f_prime(z) * g)  # (I + W_lᵀ diag(f'(z_l))) dL/da_l
print("kết nối tắt, tích các thừa số:", [round(v, 6) for v in g.tolist()])
print("kết nối tắt, autograd:        ", [round(v, 6) for v in x_in.grad.tolist()])
sitekit.report("residual_by_hand", g, tol=1e-12)
sitekit.report("residual_autograd", x_in.grad, tol=1e-12)
sitekit.report("weights", torch.stack(Ws), tol=1e-12)
sitekit.report("biases", torch.stack(bs), tol=1e-12)
sitekit.report("x", x, tol=1e-12)
sitekit.report("depth", depth)
