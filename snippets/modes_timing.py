"""Measured times of the two modes, for f: Rⁿ → R and for g: R → Rᵐ. They change on every run."""

import time

import torch
from torch.func import jvp, vjp

import sitekit

# %% setup
device = sitekit.device()
h, sizes, repeats = 64, [4, 16, 64, 256], 5
A = torch.randn(max(sizes), h).to(device)  # f(x) = Σ tanh(xA), as on the page
a, B = torch.randn(1, h).to(device), torch.randn(h, max(sizes)).to(device)  # g(t) = tanh(ta) B


def f(x):  # Rⁿ → R, x a row of n numbers
    return torch.tanh(x @ A[: x.shape[1]]).sum()


def g_with(m):  # R → Rᵐ
    return lambda t: torch.tanh(t @ a) @ B[:, :m]


def rows(fn, x, k):  # the k rows of the Jacobian: one forward pass, then k backward passes
    out, pull = vjp(fn, x)
    return [pull(e)[0] for e in torch.eye(k, device=device).reshape(k, *out.shape)]


def columns(fn, x, k):  # the k columns of the Jacobian: k forward-mode passes
    return [jvp(fn, (x,), (e,))[1] for e in torch.eye(k, device=device).reshape(k, *x.shape)]


def milliseconds(work, *args):  # the fastest of a few runs: the one least disturbed by other programs
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work(*args)
        if device.type == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    return 1000 * min(times)


# %% times
table = []
for n in sizes:  # f: one row, so one backward pass against n forward-mode passes
    x = torch.randn(1, n).to(device)
    reverse, forward = milliseconds(rows, f, x, 1), milliseconds(columns, f, x, n)
    table.append(["f: Rⁿ → R", f"n = {n}", reverse, forward, forward / reverse])
t = torch.randn(1, 1).to(device)
for m in sizes:  # g: one column, so one forward-mode pass against m backward passes
    g = g_with(m)
    reverse, forward = milliseconds(rows, g, t, m), milliseconds(columns, g, t, 1)
    table.append(["g: R → Rᵐ", f"m = {m}", reverse, forward, forward / reverse])
header = ["hàm", "kích thước", "chế độ ngược (ms)", "chế độ xuôi (ms)", "xuôi / ngược"]
sitekit.table("times", header, table, fmt=".3g", volatile=True)
print(f"đo trên {device.type}, torch {torch.__version__.split('+')[0]}, {torch.get_num_threads()} luồng CPU;")
print(f"mỗi ô là lần nhanh nhất trong {repeats} lần chạy")
sitekit.report("sizes", sizes)
sitekit.report("repeats", repeats)
