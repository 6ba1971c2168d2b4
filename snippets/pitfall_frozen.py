"""Frozen parameters (requires_grad=False) stay frozen, even when they should be fine-tuned."""

import torch
from torch import nn

import sitekit

# %% setup
device = sitekit.device()
X = torch.randn(256, 4).to(device)
y = torch.sin(X.sum(dim=1, keepdim=True))


def pretrained():
    sitekit.seed(1)  # the same "pretrained" weights for both versions
    model = nn.Sequential(nn.Linear(4, 32), nn.Tanh(), nn.Linear(32, 1)).to(device)
    for p in model[0].parameters():  # stage 1 trained only the head: the body was frozen
        p.requires_grad = False
    return model


def fine_tune(model, params, steps=200):
    optimizer = torch.optim.SGD(params, lr=0.1)
    body_before = model[0].weight.detach().clone()
    for _ in range(steps):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(X), y)
        loss.backward()
        optimizer.step()
    moved = (model[0].weight - body_before).abs().max().item()
    return loss.item(), moved, model[0].weight.grad


# %% wrong
model = pretrained()
loss, moved, grad = fine_tune(model, model.parameters())  # "all parameters", yet the body is frozen
print(f"mất mát = {loss:.4f}; thân mạng thay đổi {moved:.1e}; model[0].weight.grad = {grad}")
sitekit.report("wrong_loss", loss, tol=1e-4)
sitekit.report("wrong_moved", moved)
frozen_count = sum(p.numel() for p in model.parameters() if p.requires_grad)
print(f"số tham số được huấn luyện: {frozen_count} / {sum(p.numel() for p in model.parameters())}")
sitekit.report("wrong_trainable", frozen_count)

# %% right
model = pretrained()
for p in model[0].parameters():
    p.requires_grad = True  # unfreeze BEFORE building the optimizer
loss, moved, grad = fine_tune(model, model.parameters())
print(f"mất mát = {loss:.4f}; thân mạng thay đổi {moved:.1e}; chuẩn gradient của thân = {grad.norm():.1e}")
sitekit.report("right_loss", loss, tol=1e-4)
sitekit.report("right_moved", moved, tol=1e-4)
trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
print(f"số tham số được huấn luyện: {trainable} / {sum(p.numel() for p in model.parameters())}")
sitekit.report("right_trainable", trainable)
