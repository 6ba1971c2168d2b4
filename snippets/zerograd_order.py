"""Where zero_grad() goes: before the forward pass or after step() gives the same plain loop."""

import torch

import sitekit

# %% setup
device = sitekit.device()
X = torch.randn(16, 3, dtype=torch.float64).to(device)
y = (X @ torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64).to(device)).unsqueeze(1)
w0 = torch.zeros(3, 1, dtype=torch.float64, device=device)


def loss_of(w, rows=slice(None)):
    return ((X[rows] @ w - y[rows]) ** 2).mean()


def fresh():
    w = w0.clone().requires_grad_(True)
    return w, torch.optim.SGD([w], lr=0.1)


# %% plain-loop
w_before, opt = fresh()
for _ in range(20):
    opt.zero_grad()  # clear first, then forward, backward, step
    loss_of(w_before).backward()
    opt.step()
w_after, opt = fresh()
for _ in range(20):
    loss_of(w_after).backward()
    opt.step()
    opt.zero_grad()  # forward, backward, step, then clear for the next round
print("zero_grad trước lượt xuôi:", [f"{v:.6f}" for v in w_before.detach().flatten().tolist()])
print("zero_grad sau step():     ", [f"{v:.6f}" for v in w_after.detach().flatten().tolist()])
print("giống hệt nhau:", torch.equal(w_before, w_after))
sitekit.report("same_params", torch.equal(w_before, w_after))
sitekit.report("w_before", w_before)
sitekit.report("w_after", w_after)

# %% accumulate
chunks = [slice(4 * k, 4 * k + 4) for k in range(4)]  # four micro-batches of 4 rows
w, opt = fresh()
for rows in chunks:
    (loss_of(w, rows) / len(chunks)).backward()  # .grad adds up over the micro-batches
accumulated = w.grad.clone()
w, opt = fresh()
for rows in chunks:
    opt.zero_grad()  # the five-step habit, applied to every micro-batch
    (loss_of(w, rows) / len(chunks)).backward()
zeroed_each = w.grad.clone()
w, opt = fresh()
loss_of(w).backward()
full = w.grad.clone()
print("tích luỹ 4 micro-batch, xoá một lần:", [f"{v:+.4f}" for v in accumulated.flatten().tolist()])
print("xoá trước mỗi micro-batch:          ", [f"{v:+.4f}" for v in zeroed_each.flatten().tolist()])
print("gradient của cả batch 16 mẫu:       ", [f"{v:+.4f}" for v in full.flatten().tolist()])
sitekit.report("features", X)
sitekit.report("targets", y)
sitekit.report("rows", len(X))
sitekit.report("micro_batches", len(chunks))
sitekit.report("micro_rows", len(X) // len(chunks))
sitekit.report("accumulated", accumulated)
sitekit.report("full", full)
sitekit.report("zeroed_each", zeroed_each)

# %% logging
for where in ("sau step()", "đầu vòng sau"):
    w, opt = fresh()
    if where == "đầu vòng sau":
        opt.zero_grad()
    loss_of(w).backward()
    opt.step()
    if where == "sau step()":
        opt.zero_grad()
    seen = None if w.grad is None else w.grad.norm().item()
    shown = "None (đã bị xoá)" if seen is None else f"‖w.grad‖ = {seen:.4f}"
    print(f"zero_grad {where}: đọc w.grad sau step() để ghi log -> {shown}")
    sitekit.report("log_after_step" if where == "sau step()" else "log_next_round", seen)
