"""Residual connections and LayerNorm keep the gradient alive through 50 ReLU layers with default init."""

import matplotlib.pyplot as plt
import torch
from torch import nn

import sitekit

# %% setup
device = sitekit.device()
depth, width = 50, 64
x = torch.randn(256, width).to(device)
target = torch.randn(256, 1).to(device)


class Block(nn.Module):
    """One layer a -> relu(W a + b), optionally with LayerNorm before the ReLU and/or a skip."""

    def __init__(self, residual, norm):
        super().__init__()
        self.linear = nn.Linear(width, width)  # PyTorch's default init in every variant
        self.norm = nn.LayerNorm(width) if norm else nn.Identity()
        self.residual = residual

    def forward(self, a):
        out = torch.relu(self.norm(self.linear(a)))
        return a + out if self.residual else out


def grad_norms(residual, norm):
    """||dL/da_l|| at the output of every block, block 1 first."""
    sitekit.seed(0)  # the same weights in every variant
    blocks = [Block(residual, norm).to(device) for _ in range(depth)]
    a, outputs = x, []
    for block in blocks:
        a = block(a)
        a.retain_grad()
        outputs.append(a)
    nn.functional.mse_loss(a.mean(1, keepdim=True), target).backward()
    return [out.grad.norm().item() for out in outputs]


# %% compare
variants = {"thường": (False, False), "kết nối tắt": (True, False), "LayerNorm": (False, True), "cả hai": (True, True)}
curves = {}
for name, (residual, norm) in variants.items():
    curves[name] = grad_norms(residual, norm)
    ratio = curves[name][0] / curves[name][-1]
    print(f"{name:12s}: ‖∂L/∂a‖ tầng 1 / tầng {depth} = {ratio:.2e}")
for key, name in zip(("plain", "residual", "layernorm", "both"), variants):
    sitekit.report(key, curves[name], tol=1e-3)
    sitekit.report(f"{key}_ratio", curves[name][0] / curves[name][-1], tol=1e-3)
    sitekit.report(f"{key}_per_layer", (curves[name][0] / curves[name][-1]) ** (1 / (depth - 1)), tol=1e-4)
sitekit.report("depth", depth)

# %% plot
fig, ax = plt.subplots()
for name, norms in curves.items():
    ax.plot(range(1, depth + 1), norms, label=name)
ax.set(yscale="log", xlabel="tầng (1 = gần đầu vào nhất)", ylabel="‖∂L/∂a‖ ở đầu ra của tầng")
ax.set_title(f"ReLU, khởi tạo mặc định, {depth} tầng")
ax.legend()
sitekit.show(
    fig,
    "alive",
    alt="Chuẩn gradient theo tầng, thang logarit: mạng thường tiêu biến theo cấp số nhân, "
    "mạng chỉ có kết nối tắt thì gradient lớn dần về phía đầu vào, "
    "còn mạng có LayerNorm, có hoặc không có kết nối tắt, giữ gradient gần như không đổi.",
)
