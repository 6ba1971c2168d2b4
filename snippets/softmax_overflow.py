"""Naive softmax overflows in float32; subtracting the max (log-sum-exp) stays finite."""

import math

import torch

import sitekit

# %% naive
device = sitekit.device()


def naive_softmax(s):
    e = s.exp()
    return e / e.sum()


def stable_softmax(s):
    shifted = s - s.max()  # the same softmax: exp(s - m) / sum exp(s - m)
    return (shifted - shifted.exp().sum().log()).exp()  # exp of log-softmax


def logits_at(t):
    return torch.tensor([t, 0.0, -t], dtype=torch.float32, device=device)


first_bad = next(t for t in range(1, 200) if not naive_softmax(logits_at(t)).isfinite().all())
print(f"softmax thô trên float32 hỏng (nan/inf) đầu tiên ở logit t = {first_bad}")
print(f"exp({first_bad - 1}) = {math.exp(first_bad - 1):.3e}, exp({first_bad}) = {math.exp(first_bad):.3e}")
print(f"số float32 lớn nhất: {torch.finfo(torch.float32).max:.3e}")
sitekit.report("first_bad", first_bad)

# %% compare
rows = []
for t in [10.0, 50.0, float(first_bad - 1), float(first_bad), 100.0, 1000.0]:
    naive, stable = naive_softmax(logits_at(t)), stable_softmax(logits_at(t))
    reference = torch.softmax(logits_at(t).double(), dim=0)  # float64, for comparison
    rows.append([t, f"{naive[0].item():.4g}"] + [f"{p[1].item():.4g}" for p in (naive, stable, reference)])
header = ["t (logit [t, 0, −t])", "p₀ thô", "p₁ thô", "p₁ trừ max", "p₁ float64"]  # p₁: the logit 0
sitekit.table("overflow", header, rows, fmt="g")
errors = [
    (stable_softmax(logits_at(t)).double() - torch.softmax(logits_at(t).double(), dim=0)).abs().max()
    for t in range(1, 1001)
]
print(f"t từ 1 tới 1000: bản trừ max sai lệch lớn nhất {max(errors).item():.1e} so với float64")
sitekit.report("stable_max_error", max(errors), tol=1e-7)

# %% cross-entropy
# log-softmax with log-sum-exp: log p_i = s_i - m - log sum exp(s - m); never log(0)
s = logits_at(1000.0)
naive_ce = -naive_softmax(s)[2].log()
stable_ce = -(s[2] - s.max() - (s - s.max()).exp().sum().log())
torch_ce = torch.nn.functional.cross_entropy(s[None], torch.tensor([2], device=device))
print(f"-log p₂ với logit [1000, 0, -1000]: thô {naive_ce.item()}, log-sum-exp {stable_ce.item():g}")
print(f"F.cross_entropy: {torch_ce.item():g}")
sitekit.report("stable_ce", stable_ce)
sitekit.report("torch_ce", torch_ce)
