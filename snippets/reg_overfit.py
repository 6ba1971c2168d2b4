"""Overfitting on 100 digits with a wide MLP; weight decay and early stopping on the val curve."""

import matplotlib.pyplot as plt
import torch

import _digits
import sitekit

# %% train
device = sitekit.device()
data = _digits.load(device)
n_train, sizes, epochs, lr, lam = 100, [64, 256, 10], 150, 0.01, 1.0
runs = {}
for name, decay in (("none", 0.0), ("decay", lam)):
    model = _digits.mlp(sizes).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=decay)
    runs[name] = _digits.fit(model, data, optimizer, epochs, batch_size=n_train, n_train=n_train)
plain, decay = runs["none"], runs["decay"]
print(f"{n_train} ảnh huấn luyện, MLP {sizes}, AdamW lr={lr}, {epochs} epoch")
for name, h in runs.items():
    print(
        f"weight_decay={0.0 if name == 'none' else lam}: huấn luyện acc {h['train_acc'][-1]:.3f}, "
        f"mất mát {h['train_loss'][-1]:.4f}; kiểm định mất mát {h['val_loss'][-1]:.3f}, acc {h['val_acc'][-1]:.3f}"
    )
sitekit.report("runs", runs, tol="device")
for name, h in runs.items():
    for key in ("train_loss", "val_loss", "val_acc"):
        sitekit.report(f"{name}_{key}_end", h[key][-1], tol="device")
for name, value in {"n_train": n_train, "hidden": sizes[1], "epochs": epochs, "lr": lr, "lam": lam}.items():
    sitekit.report(name, value)

# %% early-stopping
patience, best, best_epoch = 10, float("inf"), 0
for epoch, val_loss in enumerate(plain["val_loss"], start=1):
    if val_loss < best:
        best, best_epoch = val_loss, epoch  # in real training: save the model here
    elif epoch - best_epoch >= patience:
        break  # no improvement for `patience` epochs: stop, go back to the best model
print(f"dừng sớm ở epoch {epoch}, giữ mô hình của epoch {best_epoch}: mất mát kiểm định {best:.3f}")
print(f"nếu chạy tiếp tới epoch {epochs}: mất mát kiểm định {plain['val_loss'][-1]:.3f}")
stop = {"stop_epoch": epoch, "best_epoch": best_epoch, "best_val_loss": best}
for name, value in stop.items():
    sitekit.report(name, value, tol="device")
sitekit.report("patience", patience)
sitekit.report("best_val_acc", plain["val_acc"][best_epoch - 1], tol="device")

# %% plot
fig, ax = plt.subplots()
steps = range(1, epochs + 1)
ax.plot(steps, plain["train_loss"], "C0:", label="huấn luyện, không điều chuẩn")
ax.plot(steps, plain["val_loss"], "C0", label="kiểm định, không điều chuẩn")
ax.plot(steps, decay["val_loss"], "C2", label=f"kiểm định, weight_decay={lam}")
ax.axvline(best_epoch, color="C1", ls="--", lw=1.2, label="dừng sớm giữ epoch này")
ax.set(xlabel="epoch", ylabel="hàm mất mát", yscale="log")
ax.legend(fontsize=9)
alt = "Mất mát huấn luyện về gần 0; mất mát kiểm định không điều chuẩn giảm rồi tăng lại, có weight decay thì thấp hơn."
sitekit.show(fig, "overfit", alt=alt)
