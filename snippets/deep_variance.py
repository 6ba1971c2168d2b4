"""Variance through one layer z = W a: forward scales by fan_in·Var(W), backward by fan_out·Var(W)."""

import torch
from torch import nn

import sitekit

# %% setup
device = sitekit.device()
fan_in, fan_out, batch = 400, 100, 20000
a = torch.randn(batch, fan_in).to(device)  # inputs with E[a²] = 1
g_z = torch.randn(batch, fan_out).to(device)  # a backward gradient dL/dz with Var = 1


def measure(W):
    """Var(z) / E[a²] forward and Var(dL/da) / Var(dL/dz) backward, for z = W a (rows: samples)."""
    z = a @ W.T
    g_a = g_z @ W  # dL/da = Wᵀ dL/dz
    return (z.var() / a.pow(2).mean()).item(), (g_a.var() / g_z.var()).item()


# %% three-inits
inits = {
    "mặc định (nn.Linear)": nn.Linear(fan_in, fan_out).weight.detach(),
    "Xavier": nn.init.xavier_normal_(torch.empty(fan_out, fan_in)),
    "He (fan_in)": nn.init.kaiming_normal_(torch.empty(fan_out, fan_in), nonlinearity="relu"),
}
rows = []
for name, W in inits.items():
    var_w = W.var().item()
    forward, backward = measure(W.to(device))
    rows.append([name, var_w * fan_in, forward, var_w * fan_out, backward])
    print(
        f"{name:22s} fan_in·Var(W) = {var_w * fan_in:.3f}, đo được {forward:.3f};"
        f" fan_out·Var(W) = {var_w * fan_out:.3f}, đo được {backward:.3f}"
    )
header = ["khởi tạo", "fan_in·Var(W)", "Var(z)/E[a²]", "fan_out·Var(W)", "Var(∂L/∂a)/Var(∂L/∂z)"]
sitekit.table("variance", header, rows, fmt=".3f")
sitekit.report("rows", rows, tol=1e-3)
sitekit.report("fan_in", fan_in)
sitekit.report("fan_out", fan_out)

# %% relu-halves
z = torch.randn(batch, fan_out).to(device)  # a symmetric pre-activation with Var(z) = 1
relu_ratio = (torch.relu(z).pow(2).mean() / z.var()).item()
slope_ratio = (z > 0).float().mean().item()  # E[relu'(z)²]: the backward pass keeps half too
print(f"E[relu(z)²] / Var(z) = {relu_ratio:.3f}, E[relu'(z)²] = {slope_ratio:.3f}")
print(
    "hệ số khuếch đại (gain) PyTorch dùng:",
    {k: round(nn.init.calculate_gain(k), 4) for k in ("relu", "tanh", "sigmoid")},
)
sitekit.report("relu_ratio", relu_ratio, tol=1e-3)
sitekit.report("slope_ratio", slope_ratio, tol=1e-3)
sitekit.report("gain_relu", nn.init.calculate_gain("relu"))
