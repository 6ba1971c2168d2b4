"""SGD, momentum, RMSprop and Adam on one long, narrow valley, each with its best learning rate."""

import matplotlib.pyplot as plt
import torch

import sitekit

# %% setup
device = sitekit.device()
start, steps = [-9.0, 2.0], 100
grid = [0.01, 0.03, 0.1, 0.3, 1.0]  # learning rates tried for every optimizer
a, c = 0.05, 2.5  # f = a w1^2 + c w2^2: c / a times steeper across the valley than along it


def f(p):
    return a * p[0] ** 2 + c * p[1] ** 2


makers = {
    "sgd": lambda params, lr: torch.optim.SGD(params, lr=lr),
    "momentum": lambda params, lr: torch.optim.SGD(params, lr=lr, momentum=0.9),
    "rmsprop": lambda params, lr: torch.optim.RMSprop(params, lr=lr),
    "adam": lambda params, lr: torch.optim.Adam(params, lr=lr),
}


def run(make, lr):
    p = torch.tensor(start, dtype=torch.float64, device=device, requires_grad=True)
    optimizer = make([p], lr)
    losses, path = [f(p).item()], [p.tolist()]
    for _ in range(steps):
        optimizer.zero_grad()
        f(p).backward()
        optimizer.step()
        losses.append(f(p).item())
        path.append(p.tolist())
    return losses, path


# %% run
best = {}
for name, make in makers.items():
    lr = min(grid, key=lambda lr: run(make, lr)[0][-1])
    losses, path = run(make, lr)
    best[name] = (losses, path, lr)
    print(f"{name:8s}: tốc độ học tốt nhất {lr:<5}, mất mát sau {steps} bước = {losses[-1]:.2e}")
    sitekit.report(f"{name}_lr", lr)
    sitekit.report(f"{name}_losses", losses)
sitekit.report("start", start)
sitekit.report("steps", steps)
sitekit.report("grid", grid)
sitekit.report("steepness", c / a)
sitekit.report("sgd_lr_limit", 1 / c)  # SGD: w2 <- (1 - 2 c lr) w2, stable only for lr < 1 / c

# %% first-step
grad0 = [2 * a * start[0], 2 * c * start[1]]  # the gradient at the start, one entry per coordinate
print(f"gradient ở điểm xuất phát: {grad0}")
for name in makers:
    losses, path, lr = best[name]
    step = [abs(path[1][i] - path[0][i]) for i in range(2)]
    print(f"{name:8s}: bước đầu dài {step[0]:.3f} theo w1, {step[1]:.3f} theo w2 (η = {lr}); mất mát {losses[1]:.2f}")
    sitekit.report(f"{name}_first_step", step, tol=1e-6)
sitekit.report("first_grad", grad0)

# %% plot
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
xs, ys = torch.meshgrid(torch.linspace(-10, 2, 200), torch.linspace(-2.5, 2.5, 200), indexing="xy")
left.contour(xs, ys, f([xs, ys]), levels=12, colors="C6", linewidths=0.6)
for name, (losses, path, _) in best.items():
    left.plot(*zip(*path), marker=".", markersize=3, linewidth=1, label=name)
    right.plot(losses, label=name)
left.set(xlabel="$w_1$", ylabel="$w_2$", title="Đường đi trên mặt mất mát")
right.set(yscale="log", ylim=(1e-12, 1e2), xlabel="bước", ylabel="mất mát", title="Mất mát theo bước")
right.legend()
sitekit.show(
    fig,
    "compare",
    alt="Trái: đường đi của bốn bộ tối ưu trong một thung lũng hẹp và dài. "
    "Phải: mất mát theo bước, thang logarit, cho SGD, động lượng, RMSprop và Adam.",
)
