"""Memory for backprop: the tensors autograd saves for the backward pass grow with depth."""

import matplotlib.pyplot as plt
import torch
from torch import nn

import sitekit

# %% setup
device = sitekit.device()
batch, width = 64, 256
depths = [1, 2, 4, 8, 16, 32]


def make_net(depth):
    layers = []
    for _ in range(depth):
        layers += [nn.Linear(width, width), nn.ReLU()]
    return nn.Sequential(*layers).to(device)


def saved_bytes(net, x):
    """Bytes of the distinct activation tensors autograd keeps for backward (not parameters)."""
    params = {p.data_ptr() for p in net.parameters()}
    seen = {}

    def pack(tensor):
        ptr = tensor.untyped_storage().data_ptr()
        if ptr not in params:
            seen[ptr] = tensor.untyped_storage().nbytes()
        return tensor

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor):
        loss = net(x).square().mean()
    loss.backward()
    return sum(seen.values())


# %% measure
x = torch.randn(batch, width, device=device)
measured = [saved_bytes(make_net(depth), x) for depth in depths]
for depth, size in zip(depths, measured):
    print(f"{depth:2d} tầng: {size / 2**20:7.3f} MiB giữ lại cho lượt truyền ngược")
per_layer = (measured[-1] - measured[0]) / (depths[-1] - depths[0])
print(f"mỗi tầng thêm {per_layer / 2**10:.0f} KiB = {batch} × {width} số float32")

sitekit.report("batch", batch)
sitekit.report("width", width)
sitekit.report("depths", depths)
sitekit.report("saved_bytes", measured)
sitekit.report("per_layer_bytes", per_layer)
sitekit.report("per_layer_kib", per_layer / 2**10)

# %% plot
fig, ax = plt.subplots(figsize=(5, 3.2))
ax.plot(depths, [b / 2**20 for b in measured], "o-")
ax.set(xlabel="số tầng", ylabel="MiB được lưu", title="Bộ nhớ cho lượt truyền ngược theo độ sâu")
sitekit.show(fig, "memory", alt="Đồ thị bộ nhớ lưu cho lượt truyền ngược tăng tuyến tính theo số tầng.")
