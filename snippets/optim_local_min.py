"""A 1-D loss with a local and a global minimum: plain gradient descent stops, momentum rolls on."""

import matplotlib.pyplot as plt
import torch

import sitekit

# %% setup
device = sitekit.device()
x0, lr, mu, steps = 2.5, 0.01, 0.9, 300


def f(x):
    return x**4 - 4 * x**2 + x  # local minimum near x = 1.35, global one near x = -1.47


def descend(start, momentum):
    x = torch.tensor([start], dtype=torch.float64, device=device, requires_grad=True)
    optimizer = torch.optim.SGD([x], lr=lr, momentum=momentum)
    path = [x.item()]
    for _ in range(steps):
        optimizer.zero_grad()
        f(x).sum().backward()
        optimizer.step()
        path.append(x.item())
    return path


# %% run
plain, rolling = descend(x0, 0.0), descend(x0, mu)
for name, path in (("không động lượng", plain), (f"động lượng {mu}", rolling)):
    end = torch.tensor(path[-1])
    print(f"{name:17s}: x cuối = {path[-1]:+.4f}, f(x) = {f(end).item():+.4f}")
sitekit.report("plain_path", plain)
sitekit.report("momentum_path", rolling)
sitekit.report("plain_end", plain[-1])
sitekit.report("momentum_end", rolling[-1])
sitekit.report("plain_end_f", f(torch.tensor(plain[-1])).item())
sitekit.report("momentum_end_f", f(torch.tensor(rolling[-1])).item())
for name, value in (("x0", x0), ("lr", lr), ("mu", mu), ("steps", steps)):
    sitekit.report(name, value)

# %% other-start
near = descend(2.0, mu)
print(f"bắt đầu từ x = 2.0, động lượng {mu}: x cuối = {near[-1]:+.4f}")
sitekit.report("near_start", 2.0)
sitekit.report("near_end", near[-1])

# %% plot
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4))
grid = torch.linspace(-2.2, 2.7, 300)
left.plot(grid, f(grid), color="C6", label="f(x)")
left.plot(plain[::5], [f(torch.tensor(p)).item() for p in plain[::5]], "o", markersize=3, label="không động lượng")
left.plot(rolling[::5], [f(torch.tensor(p)).item() for p in rolling[::5]], "o", markersize=3, label="động lượng")
left.set(xlabel="x", ylabel="f(x)", ylim=(-6, 12))
left.legend()
right.plot(plain, label="không động lượng")
right.plot(rolling, label="động lượng")
right.set(xlabel="bước", ylabel="x")
sitekit.show(
    fig,
    "roll",
    alt="Trái: hàm f có hai hố; hạ gradient thường dừng ở hố bên phải (cực tiểu địa phương), "
    "có động lượng thì vượt qua đỉnh sang hố sâu hơn bên trái. Phải: x theo bước của hai cách.",
)
