"""Reverse mode against forward mode: passes and FLOPs for f: Rⁿ → R, and for g: R → Rᵐ."""

import time

import matplotlib.pyplot as plt
import torch
from torch.func import jvp, vjp
from torch.utils.flop_counter import FlopCounterMode

import sitekit

# %% setup
device = sitekit.device()
h, sizes = 64, [4, 16, 64, 256]
A = torch.randn(max(sizes), h).to(device)  # f(x) = sum(tanh(x A)), x a row of n numbers
B = torch.randn(h, max(sizes)).to(device)  # g(t) = tanh(t a) B, one number in, m numbers out
a = torch.randn(1, h).to(device)


def flops(work):
    with FlopCounterMode(display=False) as counter:
        work()
    return counter.get_total_flops()


def seconds(work, repeats=3):  # the best of a few runs: the least disturbed by other programs
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


# %% many-in-one-out
rows, slower = [], {}
for n in sizes:
    x = torch.randn(1, n).to(device)

    def f(x, n=n):
        return torch.tanh(x @ A[:n]).sum()

    def reverse():  # one forward pass, one backward pass
        return vjp(f, x)[1](torch.ones((), device=device))[0]

    def forward():  # one pass per input direction eᵢ: n passes
        return torch.cat([jvp(f, (x,), (e,))[1].reshape(1) for e in torch.eye(n, device=device)[:, None]])

    assert torch.allclose(reverse().flatten(), forward(), atol=1e-5)
    rows.append([n, 1, n, flops(lambda: f(x)), flops(reverse), flops(forward)])
    slower[n] = seconds(forward) / seconds(reverse)
sitekit.table("gradient", ["n", "lượt ngược", "lượt xuôi", "FLOP của f", "FLOP chế độ ngược", "FLOP chế độ xuôi"], rows)
sitekit.report("gradient_rows", rows)
gradient_rows = rows
big = sizes[-1]
print(f"n = {big}: thời gian đo được, chế độ xuôi chậm hơn chế độ ngược hơn 10 lần: {slower[big] > 10}")
sitekit.report("gradient_time_ratio_above_10", slower[big] > 10)

# %% one-in-many-out
rows = []
for m in sizes:
    t = torch.randn(1, 1).to(device)

    def g(t, m=m):
        return torch.tanh(t @ a) @ B[:, :m]

    def forward():  # one pass along the only input direction
        return jvp(g, (t,), (torch.ones(1, 1, device=device),))[1]

    def reverse():  # one forward pass, then one backward pass per output eᵢ: m passes
        _, pull = vjp(g, t)
        return torch.cat([pull(e)[0] for e in torch.eye(m, device=device)[:, None]])

    assert torch.allclose(forward().flatten(), reverse().flatten(), atol=1e-5)
    rows.append([m, m, 1, flops(lambda: g(t)), flops(reverse), flops(forward)])
sitekit.table("column", ["m", "lượt ngược", "lượt xuôi", "FLOP của g", "FLOP chế độ ngược", "FLOP chế độ xuôi"], rows)
sitekit.report("column_rows", rows)

# %% plot
fig, ax = plt.subplots(figsize=(6, 3.6))
ax.loglog(sizes, [r[4] for r in gradient_rows], "C0o-", label="chế độ ngược: 1 lượt")
ax.loglog(sizes, [r[5] for r in gradient_rows], "C1s-", label="chế độ xuôi: n lượt")
ax.set(xlabel="n (số đầu vào của f)", ylabel="FLOP để có cả gradient")
ax.legend()
sitekit.show(fig, "flops", alt="Số FLOP để có gradient của f theo n: chế độ ngược tăng tuyến tính, chế độ xuôi tăng theo n².")
