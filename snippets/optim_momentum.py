"""Plain momentum and Nesterov momentum written by hand, checked against torch.optim.SGD."""

import torch

import sitekit

# %% problem
device = sitekit.device()
# Least squares on a fixed, badly scaled problem: loss(w) = mean((X w - y)^2).
X = torch.tensor([[1.0, 0.2], [1.0, -0.4], [1.0, 1.5], [1.0, 0.7]], dtype=torch.float64, device=device)
X = X * torch.tensor([1.0, 3.0], dtype=torch.float64, device=device)
y = torch.tensor([1.0, -0.5, 3.0, 2.0], dtype=torch.float64, device=device)
w0 = torch.tensor([-2.0, 2.0], dtype=torch.float64, device=device)
lr, mu, steps = 0.02, 0.9, 50


def grad(w):
    return 2 * X.T @ (X @ w - y) / len(y)


# %% by-hand
def momentum_by_hand(nesterov):
    """The velocity form: v = mu*v - lr*g. Plain: w = w + v. Nesterov: w = w + mu*v - lr*g."""
    w, v, path = w0.clone(), torch.zeros_like(w0), []
    for _ in range(steps):
        g = grad(w)
        v = mu * v - lr * g
        w = w + (mu * v - lr * g if nesterov else v)
        path.append(w.clone())
    return torch.stack(path)


# %% with-torch
def momentum_with_torch(nesterov):
    w = w0.clone().requires_grad_(True)
    optimizer = torch.optim.SGD([w], lr=lr, momentum=mu, nesterov=nesterov)
    path = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = ((X @ w - y) ** 2).mean()
        loss.backward()
        optimizer.step()
        path.append(w.detach().clone())
    return torch.stack(path)


# %% compare
for nesterov, name in ((False, "plain"), (True, "nesterov")):
    mine, theirs = momentum_by_hand(nesterov), momentum_with_torch(nesterov)
    gap = (mine - theirs).abs().max().item()
    print(f"{name:8s}: sai khác lớn nhất qua {steps} bước = {gap:.2e}, w cuối = {mine[-1].tolist()}")
    sitekit.report(f"{name}_max_gap", gap)
    sitekit.report(f"{name}_path", mine)
    sitekit.report(f"{name}_torch_path", theirs)
between = (momentum_by_hand(False) - momentum_by_hand(True)).abs().max().item()
print(f"hai kiểu động lượng khác nhau tới {between:.3f}: đây là hai thuật toán khác nhau")
sitekit.report("plain_vs_nesterov", between)
sitekit.report("lr", lr)
sitekit.report("mu", mu)
sitekit.report("steps", steps)
sitekit.report("w0", w0)
sitekit.report("features", X)
sitekit.report("targets", y)
