"""An L2 penalty (λ/2)‖w‖² has gradient λw; for SGD it is the same as weight decay."""

import torch
import torch.nn.functional as F

import _digits
import sitekit

# %% penalty
device = sitekit.device()
data = _digits.load(device)
lam = 0.01
w = _digits.init_params([64, 64, 10])["W1"].to(device).requires_grad_(True)
penalty = lam / 2 * (w**2).sum()
(grad,) = torch.autograd.grad(penalty, w)
gap = (grad - lam * w).abs().max().item()
print(f"(λ/2)‖W1‖² = {penalty.item():.6f}; autograd so với λ·W1: chênh nhiều nhất {gap:.1e}")
sitekit.report("lam", lam)
sitekit.report("penalty", penalty, tol="device")
sitekit.report("penalty_grad_gap", gap, tol=1e-12)

# %% sgd-step
lr = 0.1
x, y = data.x_train[:64], data.y_train[:64]
models = [_digits.mlp([64, 64, 10]).to(device) for _ in range(3)]
# (a) the penalty added to the loss
loss = F.cross_entropy(models[0](x), y) + lam / 2 * sum((p**2).sum() for p in models[0].parameters())
loss.backward()
torch.optim.SGD(models[0].parameters(), lr=lr).step()
# (b) torch's weight_decay option
F.cross_entropy(models[1](x), y).backward()
torch.optim.SGD(models[1].parameters(), lr=lr, weight_decay=lam).step()
# (c) by hand: shrink every weight by (1 - lr·λ), then the plain gradient step
F.cross_entropy(models[2](x), y).backward()
with torch.no_grad():
    for p in models[2].parameters():
        p.mul_(1 - lr * lam).sub_(lr * p.grad)
flat = [torch.cat([p.detach().flatten() for p in m.parameters()]) for m in models]
gaps = {"b": (flat[1] - flat[0]).abs().max().item(), "c": (flat[2] - flat[0]).abs().max().item()}
print(f"SGD, phạt L2 trong hàm mất mát so với weight_decay={lam}: chênh {gaps['b']:.1e}")
print(f"so với nhân (1 - lr·λ) = {1 - lr * lam:g} rồi trừ lr·gradient: chênh {gaps['c']:.1e}")
sitekit.report("gap_weight_decay", gaps["b"], tol=1e-12)
sitekit.report("gap_shrink", gaps["c"], tol=1e-12)
sitekit.report("shrink", 1 - lr * lam)
sitekit.report("lr", lr)
