"""torch.no_grad() around the forward pass leaves nothing to differentiate; around the update it is right."""

import torch

import sitekit

# %% setup
device = sitekit.device()
x = torch.tensor([1.0, 2.0, 3.0], device=device)
y = torch.tensor([2.0, 4.0, 6.5], device=device)
w = torch.tensor(0.5, device=device, requires_grad=True)
lr = 0.05

# %% wrong
with torch.no_grad():  # wrong place: the forward pass is not recorded
    loss = ((w * x - y) ** 2).mean()
print(f"loss.requires_grad = {loss.requires_grad}, loss.grad_fn = {loss.grad_fn}")
sitekit.report("wrong_requires_grad", loss.requires_grad)
with sitekit.expect(RuntimeError, match="does not require grad"):
    loss.backward()

# %% right
loss = ((w * x - y) ** 2).mean()  # forward pass recorded
loss.backward()
with torch.no_grad():  # right place 1: the update itself must not be recorded
    w -= lr * w.grad
w.grad = None
print(f"sau một bước: w = {w.item():.4f}, w.requires_grad = {w.requires_grad}")
with torch.no_grad():  # right place 2: evaluation, where no gradient is needed
    val_loss = ((w * x - y) ** 2).mean()
print(f"mất mát đánh giá = {val_loss.item():.4f}, requires_grad = {val_loss.requires_grad}")
sitekit.report("w_after", w.item())
sitekit.report("val_loss", val_loss.item())
sitekit.report("lr", lr)

# %% update-without-no-grad
w = torch.tensor(0.5, device=device, requires_grad=True)
((w * x - y) ** 2).mean().backward()
with sitekit.expect(RuntimeError, match="leaf Variable that requires grad"):
    w -= lr * w.grad  # an in-place change of a leaf that autograd is watching
