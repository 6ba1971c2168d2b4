"""Exploding gradients from a too-large initialisation, and gradient clipping with clip_grad_norm_."""

import math

import torch
from torch import nn

import sitekit

# %% setup
device = sitekit.device()
depth, width, lr, steps, max_norm = 6, 32, 0.01, 10, 1.0
x = torch.randn(64, width).to(device)
target = torch.randn(64, 1).to(device)


def make_net():
    sitekit.seed(1)  # both versions start from the same weights
    layers = []
    for _ in range(depth):
        linear = nn.Linear(width, width)
        nn.init.normal_(linear.weight, std=1.0)  # far too large: each layer multiplies the scale by ~4
        nn.init.zeros_(linear.bias)
        layers += [linear, nn.ReLU()]
    return nn.Sequential(*layers, nn.Linear(width, 1)).to(device)


def total_norm(model):
    return torch.cat([p.grad.flatten() for p in model.parameters()]).norm().item()


# %% wrong
model = make_net()
optimizer = torch.optim.SGD(model.parameters(), lr=lr)
wrong = []
for step in range(steps):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(x), target)
    loss.backward()
    print(f"bước {step}: mất mát = {loss.item():.3g}, chuẩn gradient = {total_norm(model):.3g}")
    if not math.isfinite(loss.item()):
        break
    wrong.append(loss.item())
    optimizer.step()
sitekit.report("wrong_losses", wrong, tol=1e-3)
sitekit.report("wrong_broke_at", step)

# %% right
model = make_net()
optimizer = torch.optim.SGD(model.parameters(), lr=lr)
right, before, after = [], [], []
for step in range(steps):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(x), target)
    loss.backward()
    if step == 0:
        sitekit.report("grad_sample_before", model[0].weight.grad[0, :4], tol=1e-3)
    norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm=max_norm)  # returns the norm BEFORE
    before.append(norm.item())
    if step == 0:
        sitekit.report("grad_sample_after", model[0].weight.grad[0, :4], tol=1e-3)
    after.append(total_norm(model))
    optimizer.step()
    right.append(loss.item())
    if step % 3 == 0 or step == steps - 1:
        print(f"bước {step}: mất mát = {loss.item():.3g}, chuẩn {before[-1]:.3g} -> {after[-1]:.3g}")
sitekit.report("right_losses", right, tol=1e-3)
sitekit.report("norm_before", before, tol=1e-3)
sitekit.report("norm_after", after, tol=1e-4)
sitekit.report("max_norm", max_norm)
sitekit.report("lr", lr)
