"""A deeper digits MLP, Adam at a large learning rate: constant, cosine, and warmup + cosine."""

import math

import matplotlib.pyplot as plt
import torch

import _digits
import sitekit

# %% train
device = sitekit.device()
data = _digits.load(device)
sizes, peak_lr, epochs, batch_size, window = [64, 128, 128, 128, 10], 0.03, 10, 64, 40
total = epochs * math.ceil(len(data.y_train) / batch_size)
warmup = total // 10
sched = torch.optim.lr_scheduler


def schedule(optimizer, kind):
    if kind == "cosine":
        return sched.CosineAnnealingLR(optimizer, T_max=total)
    if kind == "warmup_cosine":
        warm = sched.LinearLR(optimizer, start_factor=0.01, total_iters=warmup)
        cosine = sched.CosineAnnealingLR(optimizer, T_max=total - warmup)
        return sched.SequentialLR(optimizer, [warm, cosine], milestones=[warmup])
    return None  # constant


runs = {}
for kind in ("constant", "cosine", "warmup_cosine"):
    model = _digits.mlp(sizes).to(device)  # the same start for all three
    optimizer = torch.optim.Adam(model.parameters(), lr=peak_lr)
    runs[kind] = _digits.fit(model, data, optimizer, epochs, batch_size, schedule(optimizer, kind))
    h = runs[kind]
    print(
        f"{kind:>13}: mất mát lớn nhất ở {window} bước đầu {max(h['step_loss'][:window]):5.2f}, "
        f"cuối cùng: huấn luyện {h['train_loss'][-1]:.4f}, kiểm định acc {h['val_acc'][-1]:.3f}"
    )
print(f"mất mát lúc khởi tạo (bước 0): {runs['constant']['step_loss'][0]:.2f}, ln 10 = {math.log(10):.2f}")
sitekit.report("runs", runs, tol="device")
for name, value in dict(peak_lr=peak_lr, total=total, warmup=warmup, epochs=epochs, window=window).items():
    sitekit.report(name, value)
for kind, h in runs.items():
    sitekit.report(f"spike_{kind}", max(h["step_loss"][:window]), tol="device")
    sitekit.report(f"train_loss_{kind}", h["train_loss"][-1], tol="device")
    sitekit.report(f"val_acc_{kind}", h["val_acc"][-1], tol="device")
sitekit.report("initial_loss", runs["constant"]["step_loss"][0], tol="device")

# %% plot
fig, (ax_lr, ax_loss) = plt.subplots(1, 2, figsize=(7.2, 3.2), layout="constrained")
names = {"constant": "không đổi", "cosine": "cosin", "warmup_cosine": "khởi động + cosin"}
for (kind, h), color in zip(runs.items(), ("C6", "C0", "C1")):
    ax_lr.plot(h["lr"], color, label=names[kind])
    ax_loss.plot(h["step_loss"][:window], color, label=names[kind])
ax_lr.set(xlabel="bước", ylabel="tốc độ học")
ax_loss.set(xlabel=f"bước ({window} bước đầu)", ylabel="mất mát minibatch", yscale="log")
ax_lr.legend(fontsize=8)
alt = "Trái: ba lịch tốc độ học. Phải: không khởi động thì mất mát vọt lên ở những bước đầu, có khởi động thì không."
sitekit.show(fig, "effect", alt=alt)
