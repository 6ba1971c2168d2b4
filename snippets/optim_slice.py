"""A 2-D slice through a saddle point in 10 dimensions usually looks like a minimum."""

import matplotlib.pyplot as plt
import torch

import sitekit

# %% slice
# A saddle in 10 dimensions with one way down, seen through random 2-D slices.
device = sitekit.device()
curvatures = torch.tensor([-0.3] + [0.5 + 0.15 * k for k in range(9)], dtype=torch.float64).to(device)
basis = torch.linalg.qr(torch.randn(10, 10, dtype=torch.float64))[0].to(device)
H = basis @ torch.diag(curvatures) @ basis.T  # f(θ) = θᵀHθ / 2, critical point at θ = 0


def random_plane():
    return torch.linalg.qr(torch.randn(10, 2, dtype=torch.float64))[0].to(device)


def looks_like_a_minimum(d):  # the slice g(a, b) = f(a d1 + b d2) has Hessian dᵀHd
    return bool((torch.linalg.eigvalsh(d.T @ H @ d) > 0).all())


planes = 2000
looks_like_min = sum(looks_like_a_minimum(random_plane()) for _ in range(planes))
plane = random_plane()
down = torch.stack([basis[:, 0], basis[:, 1]], 1)  # the way down and one way up
print(f"{looks_like_min} trên {planes} lát cắt ngẫu nhiên trông như một cực tiểu")
sitekit.report("curvatures", curvatures)
sitekit.report("hessian", H)
sitekit.report("plane", plane)
sitekit.report("slice_curvatures", torch.linalg.eigvalsh(plane.T @ H @ plane))
sitekit.report("looks_like_min", looks_like_min)
sitekit.report("planes", planes)
s = torch.linspace(-1, 1, 101, dtype=torch.float64).to(device)
a, b = torch.meshgrid(s, s, indexing="xy")
fig, axes = plt.subplots(1, 2, figsize=(10, 4))
for ax, d, title in zip(axes, (plane, down), ("lát cắt ngẫu nhiên: như một cái bát", "lát cắt chứa hướng đi xuống")):
    points = a.reshape(-1, 1) * d[:, 0] + b.reshape(-1, 1) * d[:, 1]
    values = 0.5 * ((points @ H) * points).sum(1).reshape(a.shape)
    ax.contour(a.cpu(), b.cpu(), values.cpu(), levels=14, colors="C0", linewidths=0.8)  # dashed: below f(0)
    ax.plot(0, 0, "C1o")
    ax.set(title=title, xlabel="hướng 1", ylabel="hướng 2", aspect="equal")
sitekit.show(
    fig,
    "slices",
    alt="Hai lát cắt hai chiều qua cùng một điểm yên ngựa trong 10 chiều: lát cắt ngẫu nhiên có các "
    "đường mức hình elip quanh điểm đó, như một cực tiểu; lát cắt chứa hướng cong âm có dạng yên ngựa.",
)
