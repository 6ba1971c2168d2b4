"""Vanishing gradients: in a deep sigmoid network the first layers get almost no gradient.

The fix below changes the activation AND the initialisation at once; deep_depth_sweep.py
(docs/tieu-bien-bung-no.md) changes them one at a time.
"""

import matplotlib.pyplot as plt
import torch
from torch import nn

import sitekit

# %% setup
device = sitekit.device()
depth, width = 20, 64
x = torch.randn(256, width).to(device)
target = torch.randn(256, 1).to(device)


def layer_grad_norms(model):
    """Norm of the weight gradient of every Linear layer, first layer first."""
    model.zero_grad()
    nn.functional.mse_loss(model(x), target).backward()
    return [m.weight.grad.norm().item() for m in model if isinstance(m, nn.Linear)]


# %% wrong
layers = []
for _ in range(depth):
    layers += [nn.Linear(width, width), nn.Sigmoid()]
sigmoid_net = nn.Sequential(*layers, nn.Linear(width, 1)).to(device)
sigmoid_norms = layer_grad_norms(sigmoid_net)
print(
    f"sigmoid: tầng ẩn cuối {sigmoid_norms[-2]:.2e}, tầng đầu {sigmoid_norms[0]:.2e}, "
    f"tỉ số {sigmoid_norms[0] / sigmoid_norms[-2]:.1e}"
)
sitekit.report("sigmoid_norms", sigmoid_norms, tol=1e-3)

# %% right
layers = []
for _ in range(depth):
    linear = nn.Linear(width, width)
    nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")  # keeps the signal's scale
    nn.init.zeros_(linear.bias)
    layers += [linear, nn.ReLU()]
relu_net = nn.Sequential(*layers, nn.Linear(width, 1)).to(device)
relu_norms = layer_grad_norms(relu_net)
print(
    f"ReLU + khởi tạo He: tầng ẩn cuối {relu_norms[-2]:.2e}, tầng đầu {relu_norms[0]:.2e}, "
    f"tỉ số {relu_norms[0] / relu_norms[-2]:.1e}"
)
sitekit.report("relu_norms", relu_norms, tol=1e-3)
sitekit.report("depth", depth)
sitekit.report("sigmoid_ratio", sigmoid_norms[0] / sigmoid_norms[-2], tol=1e-3)
sitekit.report("relu_ratio", relu_norms[0] / relu_norms[-2], tol=1e-3)

# %% plot
fig, ax = plt.subplots()
ax.plot(range(1, depth + 1), sigmoid_norms[:-1], "o-", label="sigmoid, khởi tạo mặc định")
ax.plot(range(1, depth + 1), relu_norms[:-1], "s-", label="ReLU, khởi tạo He")
ax.set(yscale="log", xticks=range(1, depth + 1, 2), ylabel="chuẩn gradient của trọng số")
ax.set_xlabel("tầng ẩn (1 = gần đầu vào nhất)")
ax.legend()
sitekit.show(
    fig,
    "norms",
    alt="Chuẩn gradient theo tầng, thang logarit: với sigmoid, chuẩn giảm theo cấp số "
    "nhân khi đi về phía đầu vào; với ReLU và khởi tạo He, chuẩn giữ cùng bậc độ lớn.",
)
