"""Dividing the loss by N again: SGD's step shrinks N times, Adam's and RMSprop's hardly change."""

import torch
from torch import nn

import sitekit

# %% setup
device = sitekit.device()
N, steps = 32, 100
# drawn on the CPU, then moved: the same numbers on every device
inputs = torch.randn(N, 4).to(device)
targets = (inputs @ torch.tensor([1.0, -2.0, 0.5, 3.0]).to(device) + 0.1 * torch.randn(N).to(device)).unsqueeze(1)
start = nn.Linear(4, 1).to(device)


def train(make_optimizer, scale):
    """Train a copy of the same model; the loss (already a mean) is multiplied by `scale`."""
    model = nn.Linear(4, 1).to(device)
    model.load_state_dict(start.state_dict())
    optimizer = make_optimizer(model.parameters())
    for _ in range(steps):
        optimizer.zero_grad()
        (scale * nn.functional.mse_loss(model(inputs), targets)).backward()
        optimizer.step()
    return torch.cat([p.detach().flatten() for p in model.parameters()])


# %% compare
optimizers = {
    "SGD": lambda params: torch.optim.SGD(params, lr=0.05),
    "Adam": lambda params: torch.optim.Adam(params, lr=0.05),
    "RMSprop": lambda params: torch.optim.RMSprop(params, lr=0.01),
}
gaps = {}
for name, make in optimizers.items():
    once, twice = train(make, 1.0), train(make, 1.0 / N)  # mean, then divided by N once more
    gaps[name] = ((once - twice).norm() / once.norm()).item()
    print(f"{name:<8} độ lệch tương đối của tham số sau {steps} bước: {gaps[name]:.1e}")
    sitekit.report(f"gap_{name.lower()}", gaps[name], tol="device")

# %% why
# Adam divides by the root of the squared-gradient average: a factor c in the gradient cancels,
# except against eps. So Adam on (loss / N) is exactly Adam on loss with eps multiplied by N.
adam_small = train(lambda p: torch.optim.Adam(p, lr=0.05, eps=1e-8), 1.0 / N)
adam_eps = train(lambda p: torch.optim.Adam(p, lr=0.05, eps=1e-8 * N), 1.0)
sgd_small = train(lambda p: torch.optim.SGD(p, lr=0.05), 1.0 / N)
sgd_lr = train(lambda p: torch.optim.SGD(p, lr=0.05 / N), 1.0)
print(f"Adam(loss/N, eps) so với Adam(loss, N·eps): lệch {(adam_small - adam_eps).abs().max().item():.1e}")
print(f"SGD(loss/N, lr) so với SGD(loss, lr/N):     lệch {(sgd_small - sgd_lr).abs().max().item():.1e}")
sitekit.report("n", N)
sitekit.report("steps", steps)
sitekit.report("adam_eps_gap", (adam_small - adam_eps).abs().max(), tol="device")
sitekit.report("sgd_lr_gap", (sgd_small - sgd_lr).abs().max(), tol="device")
