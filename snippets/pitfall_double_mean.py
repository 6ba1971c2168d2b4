"""Dividing the loss by the batch size twice: a mean, then a manual division, shrinks every step."""

import matplotlib.pyplot as plt
import torch
from torch import nn

import sitekit

# %% setup
device = sitekit.device()
batch, lr, steps = 32, 0.1, 50
X = torch.randn(batch, 3).to(device)
y = X @ torch.tensor([1.0, -2.0, 0.5], device=device).unsqueeze(1) + 0.3


def train(divide_again, lr):
    sitekit.seed(1)
    model = nn.Linear(3, 1).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    curve, first_grad = [], None
    for _ in range(steps):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(X), y)  # reduction="mean": already divided by batch
        if divide_again:
            loss = loss / batch  # the mistake: a second division by the batch size
        loss.backward()
        if first_grad is None:
            first_grad = model.weight.grad.clone()
        optimizer.step()
        curve.append(nn.functional.mse_loss(model(X), y).item())  # always the true MSE
    return curve, first_grad


# %% wrong
wrong, wrong_grad = train(True, lr)
print(f"chia hai lần: MSE sau {steps} bước = {wrong[-1]:.4f}")

# %% right
right, right_grad = train(False, lr)
print(f"chỉ lấy trung bình: MSE sau {steps} bước = {right[-1]:.6f}")
ratio = (right_grad / wrong_grad).mean().item()
print(f"gradient đúng / gradient sai = {ratio:.4f} (kích thước batch = {batch})")

# %% same-as-smaller-lr
smaller, _ = train(False, lr / batch)
gap = max(abs(a - b) for a, b in zip(wrong, smaller))
print(f"chia hai lần với lr = {lr} giống hệt chỉ lấy trung bình với lr = {lr}/{batch}: sai khác {gap:.1e}")
sitekit.report("wrong_curve", wrong, tol=1e-4)
sitekit.report("right_curve", right, tol=1e-4)
sitekit.report("grad_ratio", ratio, tol=1e-5)
sitekit.report("wrong_grad", wrong_grad, tol=1e-5)
sitekit.report("right_grad", right_grad, tol=1e-5)
sitekit.report("same_as_smaller_lr_gap", gap)
sitekit.report("batch", batch)
sitekit.report("lr", lr)
sitekit.report("steps", steps)

# %% plot
fig, ax = plt.subplots()
ax.plot(range(1, steps + 1), wrong, label="chia cho kích thước batch hai lần")
ax.plot(range(1, steps + 1), right, label="chỉ lấy trung bình")
ax.set(yscale="log", xlabel="bước", ylabel="MSE trên batch")
ax.legend()
sitekit.show(
    fig,
    "curves",
    alt="MSE theo bước, thang logarit: chỉ lấy trung bình thì mất mát giảm rất nhanh; "
    "chia thêm cho kích thước batch thì mất mát gần như nằm ngang.",
)
