"""zero_grad() sets .grad to None by default (PyTorch ≥ 2.0): code that reads p.grad must expect it."""

import torch
from torch import nn

import sitekit

# %% none
device = sitekit.device()
model = nn.Linear(3, 1).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
inputs = torch.randn(4, 3).to(device)
model(inputs).pow(2).mean().backward()
print("sau backward:  ", type(model.weight.grad).__name__)
optimizer.zero_grad()  # set_to_none=True is the default
print("sau zero_grad():", model.weight.grad)
with sitekit.expect(AttributeError, match="'NoneType' object has no attribute 'norm'"):
    model.weight.grad.norm()  # e.g. logging gradient norms right after zero_grad
sitekit.report("is_none", model.weight.grad is None)

# %% zeros
model(inputs).pow(2).mean().backward()
optimizer.zero_grad(set_to_none=False)  # the old behaviour: a tensor of zeros stays in place
print("zero_grad(set_to_none=False):", model.weight.grad.tolist())
sitekit.report("zeros", model.weight.grad, tol="device")

# %% safe
optimizer.zero_grad()
norms = {name: None if p.grad is None else p.grad.norm().item() for name, p in model.named_parameters()}
print("đọc an toàn:", norms)
sitekit.report("safe_norms_none", all(n is None for n in norms.values()))
