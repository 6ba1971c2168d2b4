"""Plain gradient descent on f(x) = 3x² − 2x + 3 from x = −1, for learning rates from slow to divergent."""

import matplotlib.pyplot as plt
import torch

import sitekit

# %% setup
device = sitekit.device()
x0, steps = -1.0, 40
rates = [0.01, 0.05, 0.1, 0.2, 0.3, 0.32, 0.34]


def f(x):
    return 3 * x**2 - 2 * x + 3


def descend(lr):
    """x_0 .. x_steps and f(x_0) .. f(x_steps) of torch.optim.SGD at this learning rate."""
    x = torch.tensor([x0], device=device, requires_grad=True)
    optimizer = torch.optim.SGD([x], lr=lr)
    xs, losses = [], []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = f(x).sum()
        loss.backward()
        xs.append(x.item())
        losses.append(loss.item())
        optimizer.step()
    xs.append(x.item())
    losses.append(f(x).sum().item())
    return xs, losses


def verdict(factor):
    if abs(factor) >= 1:
        return "phân kỳ: x văng ra xa dần"
    if factor < 0:
        return "hội tụ, nhưng x nhảy qua nhảy lại quanh cực tiểu"
    return "hội tụ, x tiến dần về cực tiểu từ một phía"


# %% runs
runs = [descend(lr) for lr in rates]
for lr, (xs, losses) in zip(rates, runs):
    print(f"η = {lr:<5} 1 − 6η = {1 - 6 * lr:+.2f}   x_{steps} = {xs[-1]:+10.4f}   f(x_{steps}) = {losses[-1]:10.4f}")
sitekit.report("rates", rates)
sitekit.report("steps", steps)
sitekit.report("x0", x0)
sitekit.report("xs", [xs for xs, _ in runs], tol=1e-5)
sitekit.report("losses", [losses for _, losses in runs], tol=1e-5)
sitekit.report("factors", [1 - 6 * lr for lr in rates])
sitekit.report("verdicts", [verdict(1 - 6 * lr) for lr in rates])
# the three verdicts by name, for the page's live explorer (lr-live.js) to say the same words
sitekit.report("regimes", {"monotone": verdict(0.5), "oscillating": verdict(-0.5), "diverging": verdict(-1.5)})
# x jumps to the other side of 1/3 at a step exactly when 1 - 6 lr < 0, i.e. lr > 1/6: half of 1/3
crossings = [sum((a - 1 / 3) * (b - 1 / 3) < 0 for a, b in zip(xs[:10], xs[1:11])) for xs, _ in runs]
print("trong 10 bước đầu, số lần x nhảy sang phía bên kia của 1/3:", dict(zip(rates, crossings)))
sitekit.report("crossings", crossings)
sitekit.report("oscillation_from", 1 / 6)
sitekit.report("divergence_from", 1 / 3)

# %% plots
shown = [0, 1, 2, 5, 10, 20, steps]
for i, (lr, (xs, losses)) in enumerate(zip(rates, runs)):
    # stacked, not side by side: still legible when a phone shrinks the figure to its width
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(6.4, 5.6), sharex=True, layout="constrained")
    top.plot(range(steps + 1), xs, marker=".", label="x")
    top.axhline(1 / 3, linestyle="--", color="C1", label="x* = 1/3")
    top.set(title=f"Giá trị x theo bước (η = {lr})", ylabel="x")
    top.legend()
    bottom.plot(range(steps + 1), losses, marker=".", color="C2", label="f(x)")
    bottom.axhline(f(1 / 3), linestyle="--", color="C1", label="f(x*) = 8/3")
    bottom.set(title="Hàm mất mát f(x) theo bước", xlabel="bước", ylabel="f(x)")
    bottom.legend()
    alt = (
        f"Hạ gradient với tốc độ học η = {lr}: x đi từ −1 đến {xs[-1]:.3f} sau {steps} bước, "
        f"hàm mất mát từ {losses[0]:.2f} đến {losses[-1]:.3f}; {verdict(1 - 6 * lr)}."
    )
    sitekit.show(fig, f"rate-{i}", alt=alt)
    rows = [[k, xs[k], losses[k]] for k in shown]
    sitekit.table(f"rate-{i}", ["bước k", "x_k", "f(x_k)"], rows, fmt=".4f")
