"""The gradient of a two-variable function, computed three ways, and drawn on its contours."""

import matplotlib.pyplot as plt
import torch

import sitekit


# %% function
device = sitekit.device()


def f(x, y):
    return x**2 + 2 * y**2 + torch.sin(x * y)


def grad_by_formula(x, y):
    return torch.stack([2 * x + y * torch.cos(x * y), 4 * y + x * torch.cos(x * y)])


# %% three-ways
point = torch.tensor([1.0, -0.5], dtype=torch.float64, device=device)
by_formula = grad_by_formula(*point)

p = point.clone().requires_grad_(True)
f(*p).backward()
by_autograd = p.grad

eps = 1e-6
by_difference = torch.stack(
    [
        (f(*(point + eps * e)) - f(*(point - eps * e))) / (2 * eps)
        for e in torch.eye(2, dtype=torch.float64, device=device)  # unit steps along x and along y
    ]
)
for label, g in [("công thức", by_formula), ("autograd", by_autograd), ("sai phân trung tâm", by_difference)]:
    print(f"{label:>19}: ∇f = ({g[0]:+.10f}, {g[1]:+.10f})")
gap = max((by_formula - by_autograd).abs().max(), (by_formula - by_difference).abs().max()).item()
print(f"chênh lệch lớn nhất: {gap:.1e}")
sitekit.report("point", point)
sitekit.report("by_formula", by_formula)
sitekit.report("by_autograd", by_autograd)
sitekit.report("by_difference", by_difference)
sitekit.report("eps", eps)
sitekit.report("max_gap", gap, tol=1e-8)  # round-off of the centred difference: differs between devices

# %% contours
xs = torch.linspace(-2, 2, 201, dtype=torch.float64, device=device)
X, Y = torch.meshgrid(xs, xs, indexing="xy")
coarse = torch.linspace(-1.75, 1.75, 8, dtype=torch.float64, device=device)
AX, AY = torch.meshgrid(coarse, coarse, indexing="xy")
AX.requires_grad_(True), AY.requires_grad_(True)
f(AX, AY).sum().backward()  # each point's value depends only on itself: .grad is ∇f at each point
fig, ax = plt.subplots(figsize=(5.2, 4.6))  # matplotlib draws from CPU memory: .cpu() below
levels = ax.contour(X.cpu(), Y.cpu(), f(X, Y).cpu(), levels=14, colors="C0", linewidths=1)
ax.clabel(levels, fontsize=7)
ax.quiver(AX.detach().cpu(), AY.detach().cpu(), AX.grad.cpu(), AY.grad.cpu(), color="C1", angles="xy", width=0.004)
ax.plot(*point.cpu(), "o", color="C2")
ax.grid(False)
ax.set(xlabel="x", ylabel="y", aspect="equal", title="Đường mức của f và mũi tên ∇f")
sitekit.show(
    fig,
    "contours",
    alt="Đường mức của f(x, y) = x² + 2y² + sin(xy); các mũi tên gradient "
    "vuông góc với đường mức và chỉ ra xa điểm cực tiểu ở gốc toạ độ.",
)
sitekit.report("arrow_points", torch.stack([AX.detach().flatten(), AY.detach().flatten()], dim=1))
sitekit.report("arrow_grads", torch.stack([AX.grad.flatten(), AY.grad.flatten()], dim=1))
