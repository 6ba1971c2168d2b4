"""At a kink (ReLU at 0) the centred difference and autograd disagree, and both are 'right'."""

import torch

import sitekit

# %% kink
device = sitekit.device()
eps = 1e-5
rows = []
for x0 in (0.0, 0.4e-5, 1e-3):
    x = torch.tensor(x0, dtype=torch.float64, device=device, requires_grad=True)
    torch.relu(x).backward()
    numeric = ((torch.relu(x + eps) - torch.relu(x - eps)) / (2 * eps)).item()
    rows.append([x0, x.grad.item(), numeric])
    print(f"x = {x0:<8g} autograd: {x.grad.item():.4f}   sai phân trung tâm (ε = {eps:g}): {numeric:.4f}")
sitekit.report("eps", eps)
sitekit.report("points", [r[0] for r in rows])
sitekit.report("autograd", [r[1] for r in rows])
sitekit.report("numeric", [r[2] for r in rows])
