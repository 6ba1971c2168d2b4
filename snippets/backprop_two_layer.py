"""A two-layer network, backward pass written by hand on tensors, against autograd (float64)."""

import torch

from _manual_layers import (
    linear_backward,
    linear_forward,
    relu_backward,
    relu_forward,
    softmax_cross_entropy_backward,
    softmax_cross_entropy_forward,
)
import sitekit

# %% setup
device = sitekit.device()
n, d, h, c = 6, 4, 5, 3  # samples, inputs, hidden units, classes
dt = torch.float64
inputs = torch.randn(n, d, dtype=dt).to(device)  # drawn on the CPU: the same numbers on every device
labels = torch.randint(0, c, (n,)).to(device)
params = {
    "W1": torch.randn(d, h, dtype=dt).to(device) * 0.5,
    "b1": torch.randn(h, dtype=dt).to(device) * 0.1,
    "W2": torch.randn(h, c, dtype=dt).to(device) * 0.5,
    "b2": torch.randn(c, dtype=dt).to(device) * 0.1,
}

# %% forward
# loss = CE(softmax(dot(relu(dot(inputs, W1) + b1), W2) + b2), labels)
z1 = linear_forward(inputs, params["W1"], params["b1"])
a1 = relu_forward(z1)
logits = linear_forward(a1, params["W2"], params["b2"])
loss = softmax_cross_entropy_forward(logits, labels)
print(f"loss = {loss.item():.10f}")

# %% backward
g_logits = softmax_cross_entropy_backward(logits, labels)
g_a1, g_W2, g_b2 = linear_backward(g_logits, a1, params["W2"])
g_z1 = relu_backward(g_a1, z1)
_, g_W1, g_b1 = linear_backward(g_z1, inputs, params["W1"])
manual = {"W1": g_W1, "b1": g_b1, "W2": g_W2, "b2": g_b2}

# %% compare
leaves = {k: v.clone().requires_grad_(True) for k, v in params.items()}
hidden = torch.relu(inputs @ leaves["W1"] + leaves["b1"])
auto_loss = torch.nn.functional.cross_entropy(hidden @ leaves["W2"] + leaves["b2"], labels)
auto_loss.backward()
gaps = {}
for k in params:
    gaps[k] = (manual[k] - leaves[k].grad).abs().max().item()
    print(f"{k}: dạng {tuple(manual[k].shape)}, chênh lệch lớn nhất so với autograd = {gaps[k]:.1e}")
sitekit.report("max_gap", max(gaps.values()), tol=1e-12)  # round-off: its size differs between devices
sitekit.report("loss", loss)
sitekit.report("auto_loss", auto_loss)
sitekit.report("inputs", inputs)
sitekit.report("labels", labels)
for k in params:
    sitekit.report(f"param_{k.lower()}", params[k])
    sitekit.report(f"grad_{k.lower()}", manual[k])
