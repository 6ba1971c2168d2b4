"""Hooks: look at (or change) a gradient as it passes, on a tensor or on a whole module."""

import warnings

import torch
from torch import nn

import sitekit

# %% tensor-hook
device = sitekit.device()
x = torch.tensor([1.0, 2.0, 3.0], device=device, requires_grad=True)
h = x**2
seen = []
h.register_hook(lambda grad: seen.append(grad.tolist()))  # called with ∂loss/∂h during backward
x.register_hook(lambda grad: grad * 10)  # a hook may return a new gradient: it replaces the old one
(3 * h).sum().backward()
print("hook trên h thấy ∂loss/∂h =", seen[0])
print("x.grad =", x.grad.tolist(), "(= 10 · 6x, vì hook đã nhân 10)")
sitekit.report("h_grad_seen", seen[0])
sitekit.report("x_grad_hooked", x.grad, tol="device")

# %% module-hooks
warnings.filterwarnings("ignore", message="Full backward hook is firing")  # the data needs no gradient
model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1)).to(device)
inputs = torch.randn(8, 3).to(device)
forward_out, backward_in = {}, {}
for name, layer in model.named_children():
    layer.register_forward_hook(lambda mod, args, out, name=name: forward_out.__setitem__(name, out.detach()))
    layer.register_full_backward_hook(
        lambda mod, grad_in, grad_out, name=name: backward_in.__setitem__(name, grad_out[0].detach())
    )
loss = model(inputs).pow(2).mean()
loss.backward()
for name in forward_out:
    print(
        f"tầng {name} ({type(model[int(name)]).__name__:<6}): đầu ra {tuple(forward_out[name].shape)}, "
        f"chuẩn của ∂loss/∂(đầu ra) = {backward_in[name].norm().item():.4f}"
    )
tanh_out, tanh_grad, lin_grad = forward_out["1"], backward_in["1"], backward_in["0"]
sitekit.report("tanh_rule_gap", (lin_grad - tanh_grad * (1 - tanh_out**2)).abs().max(), tol=1e-6)
sitekit.report("last_grad_gap", (backward_in["2"] - 2 * forward_out["2"] / len(inputs)).abs().max(), tol=1e-6)
