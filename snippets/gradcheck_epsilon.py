"""Error of the centred difference against ε: falls as ε² until round-off takes over."""

import matplotlib.pyplot as plt
import numpy as np
import torch

import sitekit


# %% errors
device = sitekit.device()


def f(x):
    return torch.sin(x) * torch.exp(x)


x0 = 1.0
exact = np.exp(x0) * (np.sin(x0) + np.cos(x0))  # f'(x) = eˣ(sin x + cos x)
eps = np.logspace(-1, -13, 49)
errors = {}
for dtype in (torch.float64, torch.float32):
    x = torch.tensor(x0, dtype=dtype, device=device)
    errors[dtype] = np.array([abs(((f(x + e) - f(x - e)) / (2 * e)).item() - exact) for e in eps.tolist()])
e64 = errors[torch.float64]
in_square_law = (eps >= 1e-4) & (eps <= 1e-1)  # where truncation, not round-off, dominates
slope = np.polyfit(np.log10(eps[in_square_law]), np.log10(e64[in_square_law]), 1)[0]
best = int(np.argmin(e64))
print(f"độ dốc trong vùng ε ∈ [1e-4, 1e-1]: {slope:.3f}")
print(f"sai số nhỏ nhất {e64[best]:.1e} tại ε ≈ {eps[best]:.0e}; tại ε = {eps[-1]:.0e} sai số là {e64[-1]:.1e}")
sitekit.report("x0", x0)
sitekit.report("exact", exact)
sitekit.report("eps", eps)
# round-off comes from the device's own sin and exp, so these values move between CPU and GPU:
# their tolerances are loose, yet still tell a float64 floor from a float32 one
sitekit.report("errors64", e64, tol=0.05)
sitekit.report("errors32", errors[torch.float32], tol="device")
sitekit.report("slope", slope, tol=1e-3)
sitekit.report("best_eps", eps[best], tol=1e-4)
sitekit.report("best_error", e64[best], tol=1e-9)
sitekit.report("smallest_eps_error", e64[-1], tol=0.05)
sitekit.report("best_error32", errors[torch.float32].min(), tol=1e-3)
sitekit.report("best_eps32", eps[np.argmin(errors[torch.float32])], tol="device")
sitekit.report("machine_eps64", torch.finfo(torch.float64).eps)
sitekit.report("machine_eps32", torch.finfo(torch.float32).eps)

# %% plot
fig, ax = plt.subplots(figsize=(6.4, 4))
ax.loglog(eps, e64, "o-", markersize=3, color="C0", label="float64")
ax.loglog(eps, errors[torch.float32], "s-", markersize=3, color="C4", label="float32")
ax.loglog(eps, e64[0] * (eps / eps[0]) ** 2, ":", color="C6", label="đường tham chiếu ∝ ε²")
ax.set(
    xlabel="ε", ylabel="|sai phân trung tâm − f'(x)|", ylim=(1e-12, 10), title="Sai số của sai phân trung tâm theo ε"
)
ax.invert_xaxis()
ax.legend(loc="lower left")
sitekit.show(
    fig,
    "error-vs-eps",
    alt="Đồ thị log-log của sai số theo ε (ε giảm dần từ trái sang phải). "
    "Với float64, sai số giảm song song với đường ε² đến khoảng ε = 1e-5, rồi tăng lại khi ε "
    "nhỏ hơn nữa vì sai số làm tròn; với float32, đáy sai số cao hơn nhiều và đến sớm hơn.",
)
