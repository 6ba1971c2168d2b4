"""What y.backward(v) computes when y is a vector: the vector–Jacobian product vᵀJ."""

import torch
from torch.autograd.functional import jacobian

import sitekit


# %% function
def f(x):
    return torch.stack([x[0] * x[1], x[1] ** 2, torch.sin(x[2]) * x[0]])


device = sitekit.device()
x = torch.tensor([1.0, 2.0, 0.5], dtype=torch.float64, device=device, requires_grad=True)
y = f(x)
print("y =", y.detach().cpu().numpy())

# %% scalar-only
with sitekit.expect(RuntimeError, match="scalar outputs"):
    y.backward()  # y has three numbers: backward() alone does not know how to weigh them

# %% vjp
v = torch.tensor([1.0, -2.0, 3.0], dtype=torch.float64, device=device)
y.backward(v)
J = jacobian(f, x.detach())  # J[i, j] = ∂y_i / ∂x_j, the full 3 × 3 matrix
print("J =\n", J.cpu().numpy())
print("vᵀJ        =", (v @ J).cpu().numpy())
print("x.grad     =", x.grad.cpu().numpy())
sitekit.report("x", x)
sitekit.report("v", v)
sitekit.report("jacobian", J)
sitekit.report("vjp", v @ J)
sitekit.report("x_grad", x.grad)

# %% ones
x.grad = None
f(x).sum().backward()  # the same as v = (1, 1, 1): the column sums of J
print("sum().backward():", x.grad.cpu().numpy(), " tổng theo cột của J:", J.sum(dim=0).cpu().numpy())
sitekit.report("sum_grad", x.grad)
