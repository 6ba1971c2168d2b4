"""A value used twice (a fork): the gradients from both paths add up."""

import torch

import sitekit

# %% fork
device = sitekit.device()
x = torch.tensor(2.0, device=device, requires_grad=True)
u = x**2  # path 1
v = 3 * x  # path 2
loss = u * v  # = 3x³
loss.backward()
path_u = v.item() * 2 * x.item()  # ∂loss/∂u · ∂u/∂x = v · 2x
path_v = u.item() * 3  # ∂loss/∂v · ∂v/∂x = u · 3
print(f"u = x² = {u.item():g}, v = 3x = {v.item():g}, loss = u·v = {loss.item():g}")
print(f"qua u: ∂loss/∂u · ∂u/∂x = {v.item():g} · {2 * x.item():g} = {path_u:g}")
print(f"qua v: ∂loss/∂v · ∂v/∂x = {u.item():g} · {3:g} = {path_v:g}")
print(f"tổng hai đường = {path_u + path_v:g}, autograd: x.grad = {x.grad.item():g}")
sitekit.report("x", x)
sitekit.report("u", u)
sitekit.report("v", v)
sitekit.report("loss", loss)
sitekit.report("path_u", path_u)
sitekit.report("path_v", path_v)
sitekit.report("x_grad", x.grad)

# %% one-path
x.grad = None
(x**2 * (3 * x).detach()).backward()  # path v cut off: autograd sees only path u
print(f"chỉ giữ đường qua u: x.grad = {x.grad.item():g}")
sitekit.report("only_u", x.grad)
