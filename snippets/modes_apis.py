"""torch.func.jvp, vjp, jacfwd, jacrev and torch.autograd.forward_ad give one and the same Jacobian."""

import torch
import torch.autograd.forward_ad as fwAD
from torch.func import jacfwd, jacrev, jvp, vjp

import sitekit

# %% function
device = sitekit.device()
dt = torch.float64


def f(x):  # R³ → R²
    return torch.stack([x[0] * x[1] + torch.sin(x[2]), x[0] ** 2 * x[2]])


x = torch.tensor([1.0, 2.0, 0.5], dtype=dt, device=device)
v = torch.tensor([1.0, -1.0, 2.0], dtype=dt, device=device)  # a direction in the input space
u = torch.tensor([3.0, -2.0], dtype=dt, device=device)  # a weighting of the outputs
torch.set_printoptions(precision=4)

# %% jacobians
J_rev = jacrev(f)(x)  # row by row: one VJP per output
J_fwd = jacfwd(f)(x)  # column by column: one JVP per input
print("jacrev(f)(x) =\n", J_rev.cpu())
print(f"jacfwd và jacrev chênh lệch lớn nhất {(J_rev - J_fwd).abs().max().item():.1e}")
sitekit.report("x", x)
sitekit.report("v", v)
sitekit.report("u", u)
sitekit.report("jacrev", J_rev)
sitekit.report("jacfwd", J_fwd)

# %% jvp
_, Jv = jvp(f, (x,), (v,))  # forward mode: J v, in one pass alongside f(x)
with fwAD.dual_level():  # the same with dual numbers: x + ε v
    dual = fwAD.make_dual(x, v)
    Jv_dual = fwAD.unpack_dual(f(dual)).tangent
print("jvp:        J v =", Jv.cpu())
print("forward_ad: J v =", Jv_dual.cpu())
print("J @ v           =", (J_rev @ v).cpu())
sitekit.report("jvp", Jv)
sitekit.report("forward_ad", Jv_dual)

# %% vjp
_, pull = vjp(f, x)  # reverse mode: uᵀ J, one backward pass
(uJ,) = pull(u)
leaf = x.clone().requires_grad_(True)
f(leaf).backward(u)  # what backward(u) computes is the same product
print("vjp:          uᵀJ =", uJ.cpu())
print("backward(u):  uᵀJ =", leaf.grad.cpu())
print("u @ J             =", (u @ J_rev).cpu())
sitekit.report("vjp", uJ)
sitekit.report("backward", leaf.grad)
