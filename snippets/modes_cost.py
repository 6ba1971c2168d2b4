"""Reverse mode against forward mode for the gradient of f: Rⁿ → R: passes and FLOPs."""

import matplotlib.pyplot as plt
import torch
from torch.func import jvp, vjp
from torch.utils.flop_counter import FlopCounterMode

import sitekit

# %% setup
device = sitekit.device()
h, sizes = 64, [4, 16, 64, 256]
A = torch.randn(max(sizes), h).to(device)


def f(x):  # Rⁿ → R, x a row of n numbers
    return torch.tanh(x @ A[: x.shape[1]]).sum()


passes = {"reverse": 0, "forward": 0}  # backward passes and forward-mode passes, counted as they run


def forward_pass(x, e):
    passes["forward"] += 1
    return jvp(f, (x,), (e,))[1]


def reverse(x):  # one forward pass and one backward pass give the whole gradient
    passes["reverse"] += 1
    return vjp(f, x)[1](torch.ones((), device=device))[0].flatten()


def forward(x):  # one pass per input direction eᵢ, one entry of the gradient each
    return torch.cat([forward_pass(x, e).reshape(1) for e in torch.eye(x.shape[1], device=device)[:, None]])


def count(x):  # how many passes each mode takes for one whole gradient
    passes.update(reverse=0, forward=0)
    reverse(x), forward(x)
    return passes["reverse"], passes["forward"]


def flops(work, x):
    with FlopCounterMode(display=False) as counter:
        work(x)
    return counter.get_total_flops()


# %% many-in-one-out
rows = []
for n in sizes:
    x = torch.randn(1, n).to(device)
    assert torch.allclose(reverse(x), forward(x), atol=1e-5)
    rows.append([n, *count(x), flops(f, x), flops(reverse, x), flops(forward, x)])
sitekit.table("gradient", ["n", "lượt ngược", "lượt xuôi", "FLOP của f", "FLOP chế độ ngược", "FLOP chế độ xuôi"], rows)
sitekit.report("gradient_rows", rows)
sitekit.report("h", h)
n, _, _, f_flops, rev, fwd = rows[-1]
print(f"n = {n}: chế độ ngược tốn {rev / f_flops:g} lần FLOP của f, chế độ xuôi {fwd / f_flops:g} lần")
sitekit.report("reverse_over_f", rev / f_flops)
sitekit.report("forward_pass_over_f", fwd / (n * f_flops))  # the cost of one forward-mode pass

# %% plot
fig, ax = plt.subplots(figsize=(6, 3.6))
ax.loglog(sizes, [r[4] for r in rows], "C0o-", label="chế độ ngược: 1 lượt")
ax.loglog(sizes, [r[5] for r in rows], "C1s-", label="chế độ xuôi: n lượt")
ax.set(xlabel="n (số đầu vào của f)", ylabel="FLOP để có cả gradient")
ax.legend()
sitekit.show(fig, "flops", alt="Số FLOP để có gradient của f theo n: chế độ ngược tăng theo n, chế độ xuôi theo n².")
