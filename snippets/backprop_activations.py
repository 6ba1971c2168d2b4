"""Sigmoid, tanh and ReLU beside their derivatives (the derivatives taken by autograd)."""

import matplotlib.pyplot as plt
import torch

import sitekit

# %% derivatives
device = sitekit.device()
z = torch.linspace(-5, 5, 401, dtype=torch.float64, device=device, requires_grad=True)
functions = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}
values, slopes = {}, {}
for name, fn in functions.items():
    out = fn(z)
    (slope,) = torch.autograd.grad(out.sum(), z)  # out[i] depends on z[i] only: this is f'(z[i])
    values[name], slopes[name] = out.detach(), slope
    print(
        f"{name:>7}: f'(0) = {slope[200].item():.4f}, max f' = {slope.max().item():.4f}, f'(−5) = {slope[0].item():.6f}"
    )
sitekit.report("z", z)
for name in functions:
    sitekit.report(f"{name}_value", values[name])
    sitekit.report(f"{name}_slope", slopes[name])
sitekit.report("sigmoid_max_slope", slopes["sigmoid"].max())
sitekit.report("tanh_over_sigmoid_at_zero", slopes["tanh"][200] / slopes["sigmoid"][200])  # z[200] = 0

# %% plot
zs = z.detach().cpu()  # matplotlib draws from CPU memory
fig, axes = plt.subplots(1, 3, figsize=(10, 3.2))
titles = {"sigmoid": "sigmoid σ(z)", "tanh": "tanh(z)", "relu": "ReLU(z) = max(0, z)"}
for ax, name in zip(axes, functions):
    ax.plot(zs, values[name].cpu(), color="C0", label="hàm f(z)")
    ax.plot(zs, slopes[name].cpu(), color="C1", linestyle="--", label="đạo hàm f'(z)")
    ax.set(title=titles[name], xlabel="z", ylim=(-1.1, 1.6) if name != "relu" else (-0.3, 5.2))
axes[0].legend(loc="upper left")
sitekit.show(
    fig,
    "activations",
    alt="Ba đồ thị: sigmoid, tanh và ReLU (nét liền) cùng đạo hàm của "
    "chúng (nét đứt). Đạo hàm sigmoid cao nhất 0,25 tại 0, đạo hàm tanh cao nhất 1 tại 0, "
    "cả hai gần 0 khi |z| lớn; đạo hàm ReLU bằng 0 khi z < 0 và bằng 1 khi z > 0.",
)
