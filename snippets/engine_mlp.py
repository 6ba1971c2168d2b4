"""A 3-4-4-1 tanh network on the small engine, every gradient checked against PyTorch in float64."""

import torch

from _engine import Value
import sitekit

# %% data
sizes = [3, 4, 4, 1]
# drawn on the CPU in float64: the engine and PyTorch start from the very same numbers
weights = [torch.randn(n_out, n_in, dtype=torch.float64) for n_in, n_out in zip(sizes, sizes[1:])]
biases = [torch.randn(n_out, dtype=torch.float64) for n_out in sizes[1:]]
inputs = torch.randn(5, 3, dtype=torch.float64)
targets = torch.randn(5, dtype=torch.float64)


# %% engine
def forward(W, B, rows):
    """Mean squared error of the network on the rows; W, B are nested lists of Values."""
    total = Value(0.0)
    for row, target in zip(rows, targets.tolist()):
        h = [Value(v) for v in row]
        for layer, (Wl, Bl) in enumerate(zip(W, B)):
            h = [sum((wi * hi for wi, hi in zip(w_row, h)), b) for w_row, b in zip(Wl, Bl)]
            h = h if layer == len(W) - 1 else [v.tanh() for v in h]  # no tanh on the output
        err = h[0] - target
        total = total + err * err
    return total * (1 / len(rows))


W = [[[Value(v) for v in row] for row in Wl.tolist()] for Wl in weights]
B = [[Value(v) for v in Bl.tolist()] for Bl in biases]
loss = forward(W, B, inputs.tolist())
loss.backward()
print(f"engine:  loss = {loss.data:.12f}")

# %% torch
device = sitekit.device()
tW = [Wl.to(device).requires_grad_() for Wl in weights]
tB = [Bl.to(device).requires_grad_() for Bl in biases]
h = inputs.to(device)
for layer, (Wl, Bl) in enumerate(zip(tW, tB)):
    h = h @ Wl.T + Bl
    h = h if layer == len(tW) - 1 else torch.tanh(h)
torch_loss = ((h[:, 0] - targets.to(device)) ** 2).mean()
torch_loss.backward()
print(f"PyTorch: loss = {torch_loss.item():.12f}")

# %% compare
engine_grads = torch.tensor([v.grad for Wl, Bl in zip(W, B) for v in [*sum(Wl, []), *Bl]], dtype=torch.float64)
torch_grads = torch.cat([g.grad.cpu().flatten() for Wl, Bl in zip(tW, tB) for g in (Wl, Bl)])
max_gap = (engine_grads - torch_grads).abs().max().item()
print(f"{len(engine_grads)} gradient, chênh lệch lớn nhất với PyTorch: {max_gap:.1e}")
sitekit.report("count", len(engine_grads))
sitekit.report("max_gap", max_gap, tol=1e-12)
sitekit.report("loss", loss.data, tol=1e-12)
sitekit.report("torch_loss", torch_loss, tol=1e-12)
sitekit.report("engine_grads", engine_grads, tol=1e-12)
sitekit.report("torch_grads", torch_grads, tol=1e-12)
sitekit.report("weights", weights)
sitekit.report("biases", biases)
sitekit.report("inputs", inputs)
sitekit.report("targets", targets)
