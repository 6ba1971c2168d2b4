"""Too large a learning rate: on f(x) = 3x² − 2x + 3, gradient descent converges only for 0 < lr < 1/3."""

import matplotlib.pyplot as plt
import torch

import sitekit

# %% setup
device = sitekit.device()
x0, steps = -1.0, 60


def f(x):
    return 3 * x**2 - 2 * x + 3


def descend(lr):
    x = torch.tensor([x0], dtype=torch.float64, device=device, requires_grad=True)
    optimizer = torch.optim.SGD([x], lr=lr)
    path = [x.item()]
    for _ in range(steps):
        optimizer.zero_grad()
        f(x).sum().backward()
        optimizer.step()
        path.append(x.item())
    return path


# %% wrong
too_big = descend(0.34)
print("lr = 0.34, x sau mỗi 10 bước:", [round(x, 3) for x in too_big[::10]])
print(f"|x - 1/3| sau {steps} bước = {abs(too_big[-1] - 1 / 3):.3f} (ban đầu {abs(x0 - 1 / 3):.3f}): phân kỳ")
sitekit.report("path_034", too_big)

# %% right
fine = descend(0.32)
print("lr = 0.32, x sau mỗi 10 bước:", [round(x, 3) for x in fine[::10]])
print(f"|x - 1/3| sau {steps} bước = {abs(fine[-1] - 1 / 3):.4f} (ban đầu {abs(x0 - 1 / 3):.3f}): hội tụ")
sitekit.report("path_032", fine)

# %% sweep
rates = [0.05, 0.15, 0.30, 0.32, 0.34, 0.36]
paths = {lr: descend(lr) for lr in rates}
for lr in rates:
    print(f"lr = {lr:.2f}: hệ số co 1 - 6·lr = {1 - 6 * lr:+.2f}, x sau {steps} bước = {paths[lr][-1]:+.4g}")
sitekit.report("rates", rates)
sitekit.report("x0", x0)
sitekit.report("steps", steps)
sitekit.report("distance_034", abs(too_big[-1] - 1 / 3))
sitekit.report("distance_032", abs(fine[-1] - 1 / 3))

# %% plot
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
for lr, path in ((0.32, fine), (0.34, too_big)):
    left.plot(path[:21], "o-", markersize=3, label=f"lr = {lr:.2f}")
left.axhline(1 / 3, linestyle=":", color="C6", label="x* = 1/3")
left.set(xlabel="bước", ylabel="x", title="20 bước đầu: x nhảy qua lại quanh 1/3")
left.set(ylim=(-3, 4.8))
left.legend(loc="upper center", fontsize=9, ncol=3)
for lr in rates:
    right.plot([abs(x - 1 / 3) for x in paths[lr]], linestyle="-" if lr < 1 / 3 else "--", label=f"lr = {lr:.2f}")
right.set(yscale="log", ylim=(1e-17, 1e5), xlabel="bước", ylabel="|x − 1/3|", title="Khoảng cách tới cực tiểu")
right.legend(ncol=2, fontsize=9)
sitekit.show(
    fig,
    "sweep",
    alt="Trái: x theo bước với lr = 0.32 và 0.34, cả hai nhảy qua lại quanh 1/3; "
    "với 0.32 biên độ nhỏ dần, với 0.34 biên độ lớn dần. Phải: khoảng cách tới cực tiểu theo bước "
    "cho sáu tốc độ học, thang logarit: đường liền (lr < 1/3) đi xuống, đường nét đứt (lr > 1/3) đi lên.",
)
