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


# %% in-training
def train(clear, steps=30, lr=0.02):  # same w0, same data, same lr; only zero_grad differs
    w = torch.tensor(0.5, device=device, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr)
    for _ in range(steps):
        if clear:
            optimizer.zero_grad()
        loss_of(w).backward()
        optimizer.step()
    return loss_of(w).item()


best = (x @ y / (x @ x)).item()  # least squares: the w that minimises the loss
print(f"w tốt nhất = {best:.4f}, mất mát nhỏ nhất = {loss_of(torch.tensor(best, device=device)).item():.4f}")
with_clear, without = train(True), train(False)
print(f"30 bước SGD, có zero_grad:   mất mát = {with_clear:.4f}")
print(f"30 bước SGD, quên zero_grad: mất mát = {without:.4f}")
sitekit.report("train_with", with_clear, tol=1e-5)
sitekit.report("train_without", without, tol=1e-5)
sitekit.report("best_loss", loss_of(torch.tensor(best, device=device)).item(), tol=1e-6)
