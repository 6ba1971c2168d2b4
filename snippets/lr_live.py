"""torch.optim.SGD plain, with momentum and Nesterov, on f(x) = 3x² − 2x + 3 and on a narrow valley
f(x, y) = (x² + κy²)/2: the paths that the pages' sliders redraw in the browser (and its test compares)."""

import matplotlib.pyplot as plt
import numpy as np
import torch

import sitekit

# %% problems
device = sitekit.device()
# f(x) = a x² + b x + c from x = -1; the sliders: [min, max, step, start value]
line = dict(coefficients=[3.0, -2.0, 3.0], start=[-1.0], steps=40, eta=[0.01, 0.4, 0.01, 0.1], mu=[0, 0.95, 0.05, 0.5])
valley = dict(kappa=50.0, start=[-4.0, 1.0], steps=50, eta=[0.001, 0.08, 0.001, 0.025], mu=[0, 0.95, 0.05, 0.8])
valley["box"] = [[-4.5, 3.0], [-1.5, 1.5]]  # what the plots show of the plane


def line_loss(w):
    a, b, c = line["coefficients"]
    return a * w[0] ** 2 + b * w[0] + c


def valley_loss(w):
    return (w[0] ** 2 + valley["kappa"] * w[1] ** 2) / 2


# %% sgd
def path(loss_fn, problem, lr, momentum=0.0, nesterov=False):
    """w_0 .. w_steps of torch.optim.SGD from the problem's start, in float64."""
    w = torch.tensor(problem["start"], dtype=torch.float64, device=device, requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr, momentum=momentum, nesterov=nesterov)
    ws = [w.tolist()]
    for _ in range(problem["steps"]):
        optimizer.zero_grad()
        loss_fn(w).backward()
        optimizer.step()
        ws.append(w.tolist())
    return ws


def three_paths(loss_fn, problem, lr, mu):
    how = {"sgd": (0.0, False), "momentum": (mu, False), "nesterov": (mu, True)}
    return {"eta": lr, "mu": mu} | {method: path(loss_fn, problem, lr, *args) for method, args in how.items()}


# %% record
line_rates = [(0.01, 0.9), (0.05, 0.5), (0.1, 0.5), (0.2, 0.5), (0.3, 0.9), (0.34, 0.5), (0.4, 0.95)]  # (η, μ)
valley_rates = [(0.005, 0.9), (0.025, 0.8), (0.035, 0.7), (0.038, 0.5), (0.045, 0.9), (0.06, 0.3)]
cases = {"line": (line_loss, line, line_rates), "valley": (valley_loss, valley, valley_rates)}
print("f sau bước cuối:           thường    động lượng   Nesterov")
for name, (loss_fn, problem, rates) in cases.items():
    runs = [three_paths(loss_fn, problem, lr, mu) for lr, mu in rates]
    for run in runs:
        ends = [loss_fn(torch.tensor(run[m][-1], dtype=torch.float64)).item() for m in ("sgd", "momentum", "nesterov")]
        ends = "  ".join(f"{end:10.3g}" if end < 1e6 else "   văng ra" for end in ends)
        print(f"{name:6s} η = {run['eta']:<5} μ = {run['mu']:<4} {ends}")
    sitekit.report(name, problem)  # all that the page's script needs, as one JSON value
    for key, value in problem.items():  # and each piece for the prose (valley_kappa, ...)
        sitekit.report(f"{name}_{key}", value)
    sitekit.report(f"{name}_cases", runs, tol=1e-9)
# the largest stable η on the valley at the start μ (tests/content/test_lr_live_paths.py checks them on the runs)
mu, kappa = valley["mu"][3], valley["kappa"]
limits = {"sgd": 2 / kappa, "momentum": 2 * (1 + mu) / kappa, "nesterov": 2 * (1 + mu) / ((1 + 2 * mu) * kappa)}
for method, limit in limits.items():
    sitekit.report(f"valley_limit_{method}", limit)

# %% figure
start = three_paths(valley_loss, valley, valley["eta"][3], mu)
fig, ax = plt.subplots(figsize=(6.4, 3.6), layout="constrained")
(left, right), (bottom, top) = valley["box"]
x, y = np.meshgrid(np.linspace(left, right, 76), np.linspace(bottom, top, 41))
levels = [r * r / 2 for r in (0.5, 1, 1.5, 2, 3, 4, 5, 6)]  # f = r²/2: half-axes r and r/√κ
ax.contour(x, y, (x**2 + kappa * y**2) / 2, levels=levels, colors="0.6", linewidths=0.8)
styles = {"sgd": ("hạ gradient", "-"), "momentum": ("động lượng", "--"), "nesterov": ("Nesterov", ":")}
for method, (label, style) in styles.items():
    ax.plot(*np.array(start[method]).T, style, marker=".", markersize=4, label=label)
ax.plot(0, 0, "k+", markersize=10)
title = f"κ = {kappa:g}, η = {start['eta']}, μ = {mu}, {valley['steps']} bước"
ax.set(xlim=(left, right), ylim=(bottom, top), xlabel="x", ylabel="y", title=title)
ax.legend(loc="upper right")
alt = (
    f"Đường đồng mức hình elip dẹt của f(x, y) = (x² + {kappa:g}y²)/2 và ba quỹ đạo từ (−4, 1): hạ gradient "
    f"thường sau {valley['steps']} bước mới tới x = {start['sgd'][-1][0]:.2f}, động lượng và Nesterov tới gần (0, 0)."
)
sitekit.show(fig, "valley", alt=alt)
