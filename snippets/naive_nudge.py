"""Training without gradients: nudge one coefficient at a time, keep the change if the loss drops."""

import torch

import sitekit

# %% setup
device = sitekit.device()
x = torch.linspace(-2, 2, 40, dtype=torch.float64).unsqueeze(1)
y = torch.sin(1.5 * x) + 0.1 * torch.randn(40, 1, dtype=torch.float64)
x, y = x.to(device), y.to(device)
hidden = 6
init = (0.5 * torch.randn(3 * hidden + 1, dtype=torch.float64)).to(device)  # W1, b1, W2, b2 in one vector
forward_passes = 0


def loss_of(theta):
    """A 1 -> 6 -> 1 tanh network whose coefficients all live in one vector; counts its calls."""
    global forward_passes
    forward_passes += 1
    w1, b1 = theta[:hidden], theta[hidden : 2 * hidden]
    w2, b2 = theta[2 * hidden : 3 * hidden], theta[3 * hidden]
    return ((torch.tanh(x * w1 + b1) @ w2 + b2 - y.squeeze(1)) ** 2).mean()


# %% nudge
theta, delta = init.clone(), 0.05
loss = loss_of(theta)
curve, changed = [loss.item()], True
while changed:  # sweep over all coefficients until a whole sweep improves nothing
    changed = False
    for j in range(len(theta)):  # one coefficient at a time, all others frozen
        for change in (delta, -delta):  # e.g. 0.30 -> 0.35, then 0.30 -> 0.25
            trial = theta.clone()
            trial[j] += change
            trial_loss = loss_of(trial)
            if trial_loss < loss:
                theta, loss, changed = trial, trial_loss, True
                break
    curve.append(loss.item())
naive_passes = forward_passes
print(f"{len(theta)} tham số, {len(curve) - 1} lượt dò: mất mát {curve[0]:.4f} -> {curve[-1]:.4f}")
print(f"lượt dò cuối không đổi được tham số nào: bước {delta} đã quá thô để đi tiếp")
print(f"số lượt truyền xuôi đã dùng: {naive_passes}")

# %% gradient
theta = init.clone().requires_grad_(True)
optimizer = torch.optim.SGD([theta], lr=0.5)
forward_passes, steps = 0, 0
while True:
    optimizer.zero_grad()
    loss = loss_of(theta)
    if loss.item() <= curve[-1]:
        break
    loss.backward()  # one backward pass: all 19 partial derivatives at once
    optimizer.step()
    steps += 1
gd_passes = forward_passes
print(f"hạ gradient: {steps} bước (mỗi bước 1 lượt xuôi + 1 lượt ngược) để xuống dưới {curve[-1]:.4f}")
sitekit.report("x", x)
sitekit.report("y", y)
sitekit.report("init", init)
sitekit.report("hidden", hidden)
sitekit.report("n_params", len(init))
sitekit.report("n_points", len(x))
sitekit.report("delta", delta)
sitekit.report("sweeps", len(curve) - 1)
sitekit.report("curve", curve, tol=1e-9)
sitekit.report("naive_passes", naive_passes)
sitekit.report("gd_steps", steps)
sitekit.report("gd_lr", 0.5)
sitekit.report("gd_passes", gd_passes)
