"""Mixed precision: float16 gradients underflow to zero; loss scaling brings them back."""

import copy

import torch
import torch.nn.functional as F
from torch import nn

import sitekit

# %% range
device = sitekit.device()
scale = 2.0**16
tiny = torch.tensor([1e-3, 1e-5, 1e-7, 1e-8, 1e-9], device=device)
in_fp16 = tiny.half().float()
rescued = (tiny * scale).half().float() / scale  # scale, round to float16, unscale in float32
print("giá trị fp32 -> lưu bằng fp16 -> nhân 2^16, lưu fp16, chia lại 2^16")
for a, b, c in zip(tiny.tolist(), in_fp16.tolist(), rescued.tolist()):
    print(f"{a:9.1e} -> {b:9.2e} -> {c:9.2e}")
fp16 = torch.finfo(torch.float16)
smallest = fp16.tiny * fp16.eps  # the smallest subnormal number, 2^-14 * 2^-10 = 2^-24
print(f"fp16: nhỏ nhất {smallest:.3e} (dưới chuẩn), {fp16.tiny:.3e} (chuẩn), lớn nhất {fp16.max:.0f}")

# %% setup
n, d_in, d_out = 16384, 32, 64  # about a million outputs, as in a large batch
x = torch.randn(n, d_in).to(device)
model = nn.Linear(d_in, d_out).to(device)
with torch.no_grad():
    for p in model.parameters():
        p.mul_(0.01)  # small outputs, so their rounding to float16 stays small
    target = model(x) + 1e-2 * torch.randn(n, d_out).to(device)  # an almost fitted model


def weight_grad(net, inputs, loss_scale=1.0):
    """The float32 gradient of the weights, and the share of zero entries in dL/d(output)."""
    net.zero_grad()
    out = net(inputs)
    out.retain_grad()
    (F.mse_loss(out.float(), target) * loss_scale).backward()
    zeros = (out.grad == 0).float().mean().item()
    return net.weight.grad.float() / loss_scale, zeros


def rel_error(grad):
    return ((grad - reference).norm() / reference.norm()).item()


reference, _ = weight_grad(model, x)  # everything in float32

# %% half
half = copy.deepcopy(model).half()  # weights, activations and gradients all in float16
rows = []
for name, s in (("fp16, không scale", 1.0), ("fp16, scale 2^16", scale)):
    grad, zeros = weight_grad(half, x.half(), s)
    rows.append([name, zeros, rel_error(grad)])
    print(f"{name:18}: {zeros:6.1%} gradient đầu ra bằng 0, sai số tương đối {rows[-1][2]:.4f}")

# %% autocast
amp_dtype = torch.float16 if device.type == "cuda" else torch.bfloat16
scaler = torch.amp.GradScaler(device.type, init_scale=scale, enabled=amp_dtype == torch.float16)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for use_scaler in (False, True) if scaler.is_enabled() else (False,):
    optimizer.zero_grad()
    with torch.autocast(device.type, dtype=amp_dtype):
        out = model(x)  # the matrix product runs in amp_dtype
    out.retain_grad()
    loss = F.mse_loss(out.float(), target)
    (scaler.scale(loss) if use_scaler else loss).backward()
    if use_scaler:
        scaler.unscale_(optimizer)  # divide the gradients by the scale, in float32
    zeros = (out.grad == 0).float().mean().item()
    label = f"autocast {str(amp_dtype)[6:]}, " + ("GradScaler" if use_scaler else "không scale")
    rows.append([label, zeros, rel_error(model.weight.grad)])
    print(f"{label:30}: {zeros:6.1%} bằng 0, sai số tương đối {rows[-1][2]:.4f}")
scaler.step(optimizer)  # skips the step if a gradient is inf or NaN
scaler.update()

sitekit.report("table-compare", rows, tol="device")  # fp16 on a GPU, bfloat16 on a CPU
sitekit.table("compare", ["cách tính", "tỉ lệ gradient đầu ra bằng 0", "sai số tương đối"], rows, fmt=".4f")
for key, value in {"device": device.type, "amp_dtype": str(amp_dtype)[6:], "rows": rows}.items():
    sitekit.report(key, value, tol="device")
recorded = {"scale": scale, "fp16_smallest": smallest, "fp16_smallest_normal": fp16.tiny, "fp16_max": fp16.max,
            "tiny": tiny, "tiny_fp16": in_fp16, "tiny_rescued": rescued, "n_outputs": n * d_out}
for key, value in recorded.items():
    sitekit.report(key, value)
