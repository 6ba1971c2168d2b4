"""Forgetting zero_grad: gradients add up, so after k backward calls .grad is k times too big."""

import torch

import sitekit

# %% setup
device = sitekit.device()
x = torch.tensor([1.0, 2.0, 3.0], device=device)
y = torch.tensor([2.0, 4.0, 6.5], device=device)
k = 3


def loss_of(w):
    return ((w * x - y) ** 2).mean()


# %% wrong
w = torch.tensor(0.5, device=device, requires_grad=True)
for step in range(k):
    loss_of(w).backward()  # no zero_grad: each call ADDS to w.grad
    print(f"lần backward thứ {step + 1}: w.grad = {w.grad.item():.4f}")
sitekit.report("wrong_grads", w.grad.item())

# %% right
w = torch.tensor(0.5, device=device, requires_grad=True)
for step in range(k):
    w.grad = None  # what optimizer.zero_grad() does (set_to_none=True by default)
    loss_of(w).backward()
    print(f"lần backward thứ {step + 1}: w.grad = {w.grad.item():.4f}")
sitekit.report("right_grad", w.grad.item())
print(f"tỉ số sai / đúng = {sitekit.values['wrong_grads'] / w.grad.item():.4f} (k = {k})")
sitekit.report("ratio", sitekit.values["wrong_grads"] / w.grad.item())
sitekit.report("k", k)
sitekit.report("w", 0.5)
sitekit.report("x", x)
sitekit.report("y", y)
