"""Per-layer gradient norms ||dL/da_l|| over 50 layers: sigmoid, tanh and ReLU, each under default, Xavier and He init."""

import matplotlib.pyplot as plt
import torch
from torch import nn

import sitekit

# %% setup
device = sitekit.device()
depth, width = 50, 64
x = torch.randn(256, width, dtype=torch.float64).to(device)  # float64: tiny norms must not underflow
target = torch.randn(256, 1, dtype=torch.float64).to(device)
activations = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "ReLU": torch.relu}
inits = {
    "mặc định": lambda W: None,  # nn.Linear's own: U(±1/√fan_in), so Var(W) = 1/(3 fan_in)
    "Xavier": lambda W: nn.init.xavier_normal_(W),  # Var(W) = 2/(fan_in + fan_out)
    "He": lambda W: nn.init.kaiming_normal_(W, nonlinearity="relu"),  # Var(W) = 2/fan_in
}


def run(f, init):
    """||dL/da_l|| per layer, the two factors of each backward step (geometric means), and more."""
    sitekit.seed(0)  # the same draws for every configuration
    layers = [nn.Linear(width, width, dtype=torch.float64) for _ in range(depth)]
    for layer in layers:
        if init(layer.weight) is not None:  # drawn on the CPU, so every device gets the same weights
            nn.init.zeros_(layer.bias)
        layer.to(device)
    a, saved = x, []
    for layer in layers:
        z = layer(a)
        a = f(z)
        z.retain_grad(), a.retain_grad()
        saved.append((z, a))
    nn.functional.mse_loss(a.mean(1, keepdim=True), target).backward()
    # dL/da_{l-1} = (dL/dz_l) W_l and dL/dz_l = f'(z_l) * dL/da_l: split each step into two ratios
    act = [z.grad.norm() / a.grad.norm() for z, a in saved]
    weights = [saved[i - 1][1].grad.norm() / saved[i][0].grad.norm() for i in range(1, depth)]
    norms = [a.grad.norm().item() for _, a in saved]  # ||dL/da_l||, the gradient reaching layer l
    weight_ratio = (layers[0].weight.grad.norm() / layers[-1].weight.grad.norm()).item()
    geo = lambda r: torch.stack(r).log().mean().exp().item()  # noqa: E731
    signal = (saved[-1][1].norm() / x.norm()).item()  # how much of the input's size reaches the top
    return norms, geo(act), geo(weights), weight_ratio, signal


# %% sweep
results, rows, signals = {}, [], []
for f_name, f in activations.items():
    for i_name, init in inits.items():
        norms, act, weights, weight_ratio, signal = run(f, init)
        signals.append(signal)
        results[f_name, i_name] = norms
        ratios = [norms[depth - 20] / norms[-1], norms[0] / norms[-1], weight_ratio]
        rows.append([f"{f_name}, {i_name}", act, weights, act * weights, *ratios])
header = ["kích hoạt, khởi tạo", "thừa số kích hoạt", "thừa số trọng số", "tích"]
header += ["∂L/∂a: 31 / 50", "∂L/∂a: 1 / 50", "∂L/∂W: 1 / 50"]
sitekit.table("factors", header, rows, fmt=".3g")
sitekit.report("rows", rows, tol=1e-3)
sitekit.report("signals", signals, tol=1e-3)  # ||a_50|| / ||x||, same order as rows
sitekit.report("norms", {f"{f} {i}": n for (f, i), n in results.items()}, tol=1e-3)
sitekit.report("depth", depth)

# %% plot
fig, axes = plt.subplots(1, 3, figsize=(12, 3.8), sharey=True)
for ax, f_name in zip(axes, activations):
    for i_name in inits:
        ax.plot(range(1, depth + 1), results[f_name, i_name], label=i_name)
    ax.axvline(depth - 19, color="C6", linestyle=":", linewidth=1)
    ax.set(title=f_name, yscale="log", xlabel="tầng (1 = gần đầu vào nhất)")
axes[0].set_ylabel("‖∂L/∂a‖ ở đầu ra của tầng")
axes[0].legend()
sitekit.show(
    fig,
    "depth",
    alt="Ba ô cho sigmoid, tanh và ReLU, mỗi ô ba đường theo cách khởi tạo, thang logarit. "
    "Sigmoid tiêu biến với cả ba cách; tanh giữ được với Xavier (với He thì lớn dần đôi chút); "
    "ReLU chỉ giữ được với He; khởi tạo mặc định làm cả ba tiêu biến.",
)
