"""Linear warmup then cosine decay, written by hand, checked against torch.optim.lr_scheduler."""

import math

import matplotlib.pyplot as plt
import torch

import sitekit

# %% by-hand
base_lr, min_lr, start_factor = 0.1, 0.001, 0.01
total, warmup = 200, 20  # optimizer steps in all, of which the first `warmup` ramp up


def lr_at(t):
    """Learning rate of step t = 0, 1, ..., total - 1."""
    if t < warmup:  # linear ramp from start_factor·base_lr towards base_lr
        return base_lr * (start_factor + (1 - start_factor) * t / warmup)
    progress = (t - warmup) / (total - warmup)  # 0 at the end of warmup, 1 at the end
    return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * progress)) / 2


hand = [lr_at(t) for t in range(total)]
print(f"bước 0: {hand[0]:.4f}, bước {warmup}: {hand[warmup]:.4f}, bước cuối: {hand[-1]:.6f}")

# %% torch
param = torch.zeros(1, requires_grad=True)
optimizer = torch.optim.SGD([param], lr=base_lr)
warm = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=start_factor, total_iters=warmup)
cosine = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=total - warmup, eta_min=min_lr)
schedule = torch.optim.lr_scheduler.SequentialLR(optimizer, [warm, cosine], milestones=[warmup])
from_torch = []
for _ in range(total):
    from_torch.append(optimizer.param_groups[0]["lr"])  # the rate this step uses
    optimizer.step()
    schedule.step()  # once per optimizer step, after it
gap = max(abs(a - b) for a, b in zip(hand, from_torch))
print(f"SequentialLR(LinearLR, CosineAnnealingLR) so với công thức tay: chênh nhiều nhất {gap:.1e}")
sitekit.report("hand", hand)
sitekit.report("torch", from_torch)
sitekit.report("gap", gap)
setup = {"base_lr": base_lr, "min_lr": min_lr, "start_factor": start_factor, "total": total, "warmup": warmup}
for name, value in setup.items():
    sitekit.report(name, value)

# %% plot
fig, ax = plt.subplots(figsize=(6.4, 3.0))
ax.plot(hand, label="công thức viết tay")
ax.plot(from_torch, "C1:", label="torch SequentialLR")
ax.axvline(warmup, color="C6", ls="--", lw=1.2)
ax.set(xlabel="bước", ylabel="tốc độ học")
ax.legend()
alt = "Tốc độ học tăng thẳng trong 20 bước đầu rồi giảm theo nửa chu kỳ cosin; hai đường trùng nhau."
sitekit.show(fig, "schedule", alt=alt)
