"""Adagrad by hand, checked against torch.optim.Adagrad; its steps shrink because the sum only grows."""

import matplotlib.pyplot as plt
import torch

import sitekit

# %% setup
device = sitekit.device()
# least squares on a small fixed data set, in float64 so that the comparison can be strict
X = torch.tensor([[1.0, 0.2], [2.0, -0.4], [3.0, 0.1], [4.0, 0.5]], dtype=torch.float64).to(device)
y = torch.tensor([1.0, 2.5, 2.9, 4.2], dtype=torch.float64).to(device)
w0, lr, eps, steps = [0.0, 0.0], 0.5, 1e-10, 40  # eps: torch's default for Adagrad


def grad(w):
    return 2 * X.T @ (X @ w - y) / len(y)


# %% by-hand
w = torch.tensor(w0, dtype=torch.float64, device=device)
s = torch.zeros_like(w)  # running sum of squared gradients, one per parameter
hand_path, sums = [], []
for _ in range(steps):
    g = grad(w)
    s = s + g * g  # only ever grows
    step = lr * g / (s.sqrt() + eps)
    w = w - step
    hand_path.append(w.tolist())
    sums.append(s.tolist())

# %% with-torch
p = torch.tensor(w0, dtype=torch.float64, device=device, requires_grad=True)
optimizer = torch.optim.Adagrad([p], lr=lr, eps=eps)
torch_path = []
for _ in range(steps):
    optimizer.zero_grad()
    ((X @ p - y) ** 2).mean().backward()
    optimizer.step()
    torch_path.append(p.tolist())
gap = (torch.tensor(hand_path) - torch.tensor(torch_path)).abs().max().item()
print(f"{steps} bước, lệch lớn nhất giữa bản viết tay và torch.optim.Adagrad: {gap:.1e}")
print(f"tổng bình phương gradient sau bước 1: {sums[0][0]:.4f}, {sums[0][1]:.4f}")
print(f"tổng bình phương gradient sau bước {steps}: {sums[-1][0]:.4f}, {sums[-1][1]:.4f}")
for name, value in [("features", X), ("targets", y), ("w0", w0), ("lr", lr), ("eps", eps), ("steps", steps)]:
    sitekit.report(name, value)
for name, value in [("hand_path", hand_path), ("torch_path", torch_path), ("sums", sums)]:
    sitekit.report(name, value)
sitekit.report("max_gap", gap)

# %% slope
# On a slope that never flattens (f(w) = 2w, gradient always 2), s_t = 4t keeps growing.
long_steps, lengths = 400, {}
for name, make in (("adagrad", torch.optim.Adagrad), ("rmsprop", torch.optim.RMSprop)):
    p = torch.zeros(1, dtype=torch.float64, device=device, requires_grad=True)
    optimizer = make([p], lr=0.1)
    lengths[name] = []
    for _ in range(long_steps):
        before = p.item()
        optimizer.zero_grad()
        (2 * p).sum().backward()
        optimizer.step()
        lengths[name].append(abs(p.item() - before))
for t in (1, 100, 400):
    print(f"bước {t:>3}: Adagrad đi {lengths['adagrad'][t - 1]:.4f}, RMSprop đi {lengths['rmsprop'][t - 1]:.4f}")
sitekit.report("slope_steps", long_steps)
sitekit.report("slope_adagrad", lengths["adagrad"])
sitekit.report("slope_rmsprop", lengths["rmsprop"])

# %% plot
fig, ax = plt.subplots()
ax.plot(range(1, long_steps + 1), lengths["adagrad"], label="Adagrad")
ax.plot(range(1, long_steps + 1), lengths["rmsprop"], label="RMSprop")
ax.set(xscale="log", yscale="log", xlabel="bước", ylabel="độ dài bước", title="Dốc không đổi, f(w) = 2w")
ax.legend()
sitekit.show(
    fig,
    "shrink",
    alt="Trên một con dốc không đổi, bước của Adagrad nhỏ dần như một trên căn bậc hai của số bước, "
    "còn bước của RMSprop giữ nguyên sau vài bước đầu.",
)
