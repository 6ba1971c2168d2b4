"""The opposite shape, g: R → Rᵐ: one forward-mode pass against m reverse-mode passes."""

import torch
from torch.func import jvp, vjp
from torch.utils.flop_counter import FlopCounterMode

import sitekit

# %% setup
device = sitekit.device()
h, sizes = 64, [4, 16, 64, 256]
a = torch.randn(1, h).to(device)
B = torch.randn(h, max(sizes)).to(device)


def make_g(m):  # R → Rᵐ: one number in, m numbers out
    return lambda t: torch.tanh(t @ a) @ B[:, :m]


passes = {"reverse": 0, "forward": 0}  # counted as they run


def forward(g, t):  # one pass along the only input direction gives the whole column
    passes["forward"] += 1
    return jvp(g, (t,), (torch.ones(1, 1, device=device),))[1].flatten()


def backward_pass(pull, e):
    passes["reverse"] += 1
    return pull(e)[0]


def reverse(g, t):  # one forward pass, then one backward pass per output eᵢ
    out, pull = vjp(g, t)
    return torch.cat([backward_pass(pull, e) for e in torch.eye(out.shape[1], device=device)[:, None]]).flatten()


def count(g, t):
    passes.update(reverse=0, forward=0)
    reverse(g, t), forward(g, t)
    return passes["reverse"], passes["forward"]


def flops(work, *args):
    with FlopCounterMode(display=False) as counter:
        work(*args)
    return counter.get_total_flops()


# %% one-in-many-out
rows = []
t = torch.randn(1, 1).to(device)
for m in sizes:
    g = make_g(m)
    assert torch.allclose(forward(g, t), reverse(g, t), atol=1e-5)
    rows.append([m, *count(g, t), flops(g, t), flops(reverse, g, t), flops(forward, g, t)])
sitekit.table("column", ["m", "lượt ngược", "lượt xuôi", "FLOP của g", "FLOP chế độ ngược", "FLOP chế độ xuôi"], rows)
sitekit.report("column_rows", rows)
sitekit.report("h", h)
m, _, _, g_flops, rev, fwd = rows[-1]
print(f"m = {m}: chế độ ngược tốn {rev / g_flops:.1f} lần FLOP của g, chế độ xuôi {fwd / g_flops:.1f} lần")
sitekit.report("reverse_over_g", rev / g_flops)
sitekit.report("forward_over_g", fwd / g_flops)
