"""Dead ReLU units: a pre-activation that is negative for every input gets no gradient, ever."""

import torch
from torch import nn

import sitekit

# %% setup
device = sitekit.device()
width = 64
X = torch.randn(512, 2).to(device)
y = (X[:, :1] * X[:, 1:] + 5).to(device)  # a regression target far from the initial output


def make_net():
    sitekit.seed(0)  # the same starting weights in every case
    return nn.Sequential(nn.Linear(2, width), nn.ReLU(), nn.Linear(width, 1)).to(device)


def dead_units(net):
    """Units whose pre-activation is <= 0 for EVERY input, and the gradient their weights get."""
    net.zero_grad()
    nn.functional.mse_loss(net(X), y).backward()
    with torch.no_grad():
        dead = (net[0](X) <= 0).all(dim=0)
    grad = net[0].weight.grad.norm(dim=1)  # one row of W per hidden unit
    return dead, grad


# %% at-init
net = make_net()
dead, grad = dead_units(net)
print(f"lúc khởi tạo: {dead.sum().item()} / {width} đơn vị chết")
sitekit.report("init_dead", dead.sum().item())

# %% negative-bias
net, shift = make_net(), 3.0
with torch.no_grad():
    net[0].bias -= shift  # a big negative bias pushes most pre-activations below zero
dead, grad = dead_units(net)
print(f"hệ số điều chỉnh bị trừ {shift}: {dead.sum().item()} / {width} đơn vị chết")
print(f"chuẩn gradient lớn nhất của một đơn vị chết: {grad[dead].max().item():.1f}")
sitekit.report("bias_dead", dead.sum().item())
sitekit.report("shift", shift)
sitekit.report("bias_dead_grad", grad[dead].max().item())

# %% big-step
step_lrs, step_dead = [0.1, 1.0], []
for lr in step_lrs:  # one SGD step each, from the same start
    net = make_net()
    dead_units(net)  # leaves the gradient of the first step in .grad
    torch.optim.SGD(net.parameters(), lr=lr).step()
    dead, grad = dead_units(net)
    step_dead.append(dead.sum().item())
    print(f"sau một bước với tốc độ học {lr}: {step_dead[-1]} / {width} đơn vị chết")
sitekit.report("step_lrs", step_lrs)
sitekit.report("step_dead", step_dead)

# %% never-recover
killed, rows_before = dead.clone(), net[0].weight.detach().clone()
optimizer = torch.optim.SGD(net.parameters(), lr=0.01)  # a sensible rate from here on
for _ in range(100):
    dead, grad = dead_units(net)
    optimizer.step()
dead, grad = dead_units(net)
moved = (net[0].weight.detach() - rows_before)[killed].abs().max().item()
print(f"sau 100 bước nữa: {dead[killed].sum().item()} / {killed.sum().item()} đơn vị đã chết vẫn chết,")
print(f"trọng số của chúng dịch đi {moved:.1f}, gradient của chúng {grad[killed].max().item():.1f}")
print(f"tổng số đơn vị chết lúc này: {dead.sum().item()} / {width}")
sitekit.report("still_dead", dead[killed].sum().item())
sitekit.report("dead_after", dead.sum().item())
sitekit.report("killed", killed.sum().item())
sitekit.report("moved", moved)
sitekit.report("pre_max", net[0](X).max(dim=0).values.detach(), tol=1e-4)
sitekit.report("dead_now", dead.tolist())
sitekit.report("grad_now", grad, tol=1e-4)
sitekit.report("width", width)
