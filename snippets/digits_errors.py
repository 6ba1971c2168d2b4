"""Where the digits MLP goes wrong: a confusion matrix and the misclassified images."""

import matplotlib.pyplot as plt
import torch

import _digits
import sitekit

# %% train
device = sitekit.device()
data = _digits.load(device)
model = _digits.mlp([64, 64, 10]).to(device)  # the same start as the two trainings above
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
history = _digits.fit(model, data, optimizer, epochs=20, batch_size=64)  # same shuffles too
print(f"torch.optim.SGD: độ chính xác kiểm định {history['val_acc'][-1]:.4f}")
sitekit.report("val_acc", history["val_acc"][-1], tol="device")
sitekit.report("val_loss", history["val_loss"][-1], tol="device")

# %% confusion
model.eval()
with torch.no_grad():
    predicted = model(data.x_val).argmax(dim=1).cpu()
truth = data.y_val.cpu()
confusion = torch.zeros(10, 10, dtype=torch.long)
confusion.index_put_((truth, predicted), torch.ones_like(truth), accumulate=True)  # row: truth
print("hàng = chữ số thật, cột = chữ số đoán")
print(confusion)
off = confusion - torch.diag(confusion.diag())
worst = divmod(off.argmax().item(), 10)
print(f"nhầm nhiều nhất: {worst[0]} bị đoán là {worst[1]}, {off.max().item()} lần")
sitekit.report("confusion", confusion, tol="device")
sitekit.report("worst_truth", worst[0], tol="device")
sitekit.report("worst_predicted", worst[1], tol="device")
sitekit.report("worst_count", off.max().item(), tol="device")

fig, ax = plt.subplots(figsize=(4.6, 4.2))
for i in range(10):
    for j in range(10):
        share = confusion[i, j].item() / confusion[i].sum().item()
        ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, color="C0", alpha=share, lw=0))
        if confusion[i, j]:
            ax.text(j, i, confusion[i, j].item(), ha="center", va="center", fontsize=8)
ax.set(xlim=(-0.5, 9.5), ylim=(9.5, -0.5), xticks=range(10), yticks=range(10), aspect="equal")
ax.set(xlabel="chữ số đoán", ylabel="chữ số thật")
ax.grid(False)
alt = "Ma trận nhầm lẫn 10 nhân 10: gần như mọi ảnh nằm trên đường chéo, vài ô ngoài đường chéo có 1 đến vài ảnh."
sitekit.show(fig, "confusion", alt=alt)

# %% mistakes
wrong = (predicted != truth).nonzero().flatten()
print(f"{len(wrong)} ảnh kiểm định bị đoán sai trên {len(truth)}")
sitekit.report("n_wrong", len(wrong), tol="device")
fig, axes = plt.subplots(1, 8, figsize=(6.4, 1.3))
for ax, i in zip(axes, wrong[:8].tolist()):
    _digits.draw_digit(ax, data.images_val[i])
    ax.set_title(f"{truth[i].item()} → {predicted[i].item()}", fontsize=9)
alt = "Tám ảnh kiểm định bị đoán sai, mỗi ảnh ghi chữ số thật, mũi tên, rồi chữ số mô hình đoán."
sitekit.show(fig, "mistakes", alt=alt)
