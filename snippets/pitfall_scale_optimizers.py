"""Dividing the loss by the batch size b again: SGD's step shrinks b times, Adam's and RMSprop's hardly change."""

import torch
from torch import nn

import sitekit

# %% setup
device = sitekit.device()
b, steps = 32, 60  # b: the batch size, as on the page
# drawn on the CPU, then moved: the same numbers on every device
inputs = torch.randn(b, 4).to(device)
targets = (inputs @ torch.tensor([1.0, -2.0, 0.5, 3.0]).to(device) + 0.1 * torch.randn(b).to(device)).unsqueeze(1)
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
    once, twice = train(make, 1.0), train(make, 1.0 / b)  # mean, then divided by b once more
    gaps[name] = ((once - twice).norm() / once.norm()).item()
    print(f"{name:<8} độ lệch tương đối của tham số sau {steps} bước: {gaps[name]:.1e}")
    sitekit.report(f"gap_{name.lower()}", gaps[name], tol="device")

# %% why
# Adam divides by the root of the squared-gradient average: a factor c in the gradient cancels,
# except against eps. So Adam on (loss / b) is exactly Adam on loss with eps multiplied by b.
adam_small = train(lambda p: torch.optim.Adam(p, lr=0.05, eps=1e-8), 1.0 / b)
adam_eps = train(lambda p: torch.optim.Adam(p, lr=0.05, eps=1e-8 * b), 1.0)
sgd_small = train(lambda p: torch.optim.SGD(p, lr=0.05), 1.0 / b)
sgd_lr = train(lambda p: torch.optim.SGD(p, lr=0.05 / b), 1.0)
print(f"Adam(loss/b, eps) so với Adam(loss, b·eps): lệch {(adam_small - adam_eps).abs().max().item():.1e}")
print(f"SGD(loss/b, lr) so với SGD(loss, lr/b):     lệch {(sgd_small - sgd_lr).abs().max().item():.1e}")
sitekit.report("batch", b)
sitekit.report("steps", steps)
sitekit.report("adam_eps_gap", (adam_small - adam_eps).abs().max(), tol="device")
sitekit.report("sgd_lr_gap", (sgd_small - sgd_lr).abs().max(), tol="device")
