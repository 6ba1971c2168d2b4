"""Full-batch gradient descent, mini-batch SGD and one-sample SGD on one regression problem."""

import matplotlib.pyplot as plt
import torch

import sitekit

# %% data
device = sitekit.device()
n, epochs, lr = 64, 20, 0.05
x = torch.linspace(-2, 2, n, device=device)
y = 3 * x - 1 + 0.3 * torch.randn(n).to(device)  # noise drawn on the CPU: same data on every device


def full_loss(w, b):
    return ((w * x + b - y) ** 2).mean().item()


# %% train
def train(batch_size):
    """`epochs` passes over the data; one update per batch of `batch_size` shuffled samples."""
    generator = torch.Generator().manual_seed(0)
    w = torch.zeros(1, device=device, requires_grad=True)
    b = torch.zeros(1, device=device, requires_grad=True)
    optimizer = torch.optim.SGD([w, b], lr=lr)
    curve, updates = [full_loss(w, b)], 0
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator).to(device)
        for start in range(0, n, batch_size):
            idx = order[start : start + batch_size]
            optimizer.zero_grad()
            loss = ((w * x[idx] + b - y[idx]) ** 2).mean()
            loss.backward()
            optimizer.step()
            updates += 1
        curve.append(full_loss(w, b))
    return curve, updates, w.item(), b.item()


runs = {"gd": n, "minibatch": 8, "sgd": 1}  # batch sizes: whole data set, 8 samples, 1 sample
for name, batch_size in runs.items():
    curve, updates, w, b = train(batch_size)
    print(
        f"{name:9s} batch={batch_size:2d}: {updates:4d} lần cập nhật, mất mát cuối {curve[-1]:.4f}, "
        f"w = {w:.3f}, b = {b:.3f}"
    )
    sitekit.report(f"{name}_curve", curve, tol=1e-4)
    sitekit.report(f"{name}_updates", updates)
    sitekit.report(f"{name}_batch", batch_size)
    sitekit.report(f"{name}_w", w, tol=1e-4)
    sitekit.report(f"{name}_b", b, tol=1e-4)
A = torch.stack([x, torch.ones_like(x)], dim=1)
best = torch.linalg.lstsq(A.cpu(), y.cpu().unsqueeze(1)).solution.squeeze()
sitekit.report("best_loss", full_loss(best[0].item(), best[1].item()), tol=1e-5)
sitekit.report("x", x)
sitekit.report("y", y, tol=1e-5)
sitekit.report("n", n)
sitekit.report("epochs", epochs)
sitekit.report("lr", lr)
print(f"mất mát nhỏ nhất có thể (bình phương tối thiểu): {sitekit.values['best_loss']:.4f}")

# %% plot
fig, ax = plt.subplots()
labels = {"gd": "hạ gradient toàn bộ dữ liệu", "minibatch": "SGD theo minibatch (8)", "sgd": "SGD từng mẫu (1)"}
for name, label in labels.items():
    ax.plot(range(epochs + 1), sitekit.values[f"{name}_curve"], marker="o", markersize=3, label=label)
ax.axhline(sitekit.values["best_loss"], linestyle="--", color="C6", label="mất mát nhỏ nhất")
ax.set(yscale="log", xlabel="epoch", ylabel="mất mát trên toàn bộ dữ liệu")
ax.legend()
sitekit.show(
    fig,
    "curves",
    alt="Ba đường mất mát theo epoch: hạ gradient toàn bộ dữ liệu giảm chậm nhất, "
    "SGD theo minibatch và SGD từng mẫu giảm nhanh hơn nhiều tính theo epoch.",
)
