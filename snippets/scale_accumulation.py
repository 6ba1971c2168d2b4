r"""Gradient accumulation: K micro-batches, each loss divided by K, give the gradient of one large
batch, $\nabla L = \sum_{k=1}^{K} \nabla (L_k / K)$."""

import torch
from torch import nn

import sitekit

# %% setup
device = sitekit.device()
batch, micro = 32, 8  # one batch of 32 samples = 4 micro-batches of 8
steps = batch // micro
x = torch.randn(batch, 4).to(device)  # drawn on the CPU: the same data on every device
y = torch.randn(batch, 1).to(device)
model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1)).to(device)
loss_fn = nn.MSELoss()  # mean over the samples of one call


def gradients():
    return torch.cat([p.grad.flatten() for p in model.parameters()])


# %% full-batch
model.zero_grad()
loss_fn(model(x), y).backward()
full = gradients().clone()
print(f"gradient của cả batch {batch} mẫu: {full.numel()} số, chuẩn = {full.norm():.6f}")

# %% accumulate
model.zero_grad()
for chunk_x, chunk_y in zip(x.split(micro), y.split(micro)):
    loss = loss_fn(model(chunk_x), chunk_y) / steps  # each micro-batch weighs 1/steps
    loss.backward()  # .grad adds up across the calls
accumulated = gradients().clone()
gap = (accumulated - full).abs().max().item()
print(f"tích luỹ {steps} micro-batch × {micro} mẫu: chuẩn = {accumulated.norm():.6f}")
print(f"sai khác lớn nhất so với cả batch: {gap:.2e}")

# %% forgot-division
model.zero_grad()
for chunk_x, chunk_y in zip(x.split(micro), y.split(micro)):
    loss_fn(model(chunk_x), chunk_y).backward()  # no division by steps
ratio = (gradients().norm() / full.norm()).item()
print(f"quên chia cho {steps}: gradient lớn gấp {ratio:.6f} lần")

sitekit.report("batch", batch)
sitekit.report("micro", micro)
sitekit.report("steps", steps)
sitekit.report("max_gap", gap, tol=1e-6)
sitekit.report("ratio_without_division", ratio, tol=1e-5)
sitekit.report("full_grad", full, tol=1e-5)
sitekit.report("accumulated_grad", accumulated, tol=1e-5)
sitekit.report("x", x)
sitekit.report("y", y)
sitekit.report("params", [p.detach() for p in model.parameters()])
