"""ReLU'(0) depends on how ReLU is written: three formulas, three slopes at the kink."""

import torch

import sitekit

# %% slopes
device = sitekit.device()
ways = {
    "torch.relu(z)": lambda z: torch.relu(z),
    "z.clamp(min=0)": lambda z: z.clamp(min=0),  # the form used in snippets/_manual_layers.py
    "torch.maximum(z, 0)": lambda z: torch.maximum(z, torch.zeros_like(z)),
}
slopes = {}
for name, relu in ways.items():
    z = torch.tensor([-1.0, 0.0, 1.0], device=device, requires_grad=True)
    relu(z).sum().backward()
    slopes[name] = z.grad.tolist()
    print(f"{name:<20} đạo hàm tại z = -1, 0, 1: {slopes[name]}")
sitekit.report("relu_at_zero", slopes["torch.relu(z)"][1])
sitekit.report("clamp_at_zero", slopes["z.clamp(min=0)"][1])
sitekit.report("maximum_at_zero", slopes["torch.maximum(z, 0)"][1])
sitekit.report("away_from_zero", [s[0::2] for s in slopes.values()])
