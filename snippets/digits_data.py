"""The digits data set: 1,797 real 8x8 images, a fixed train/validation split, standardised."""

import matplotlib.pyplot as plt
import torch

import _digits
import sitekit

# %% load
device = sitekit.device()
data = _digits.load(device)
print(f"huấn luyện: x {tuple(data.x_train.shape)}, y {tuple(data.y_train.shape)}")
print(f"kiểm định:  x {tuple(data.x_val.shape)}, y {tuple(data.y_val.shape)}")
overlap = set(data.train_index.tolist()) & set(data.val_index.tolist())
print(f"ảnh chung giữa hai tập: {len(overlap)}")
counts = torch.bincount(data.y_val.cpu(), minlength=10)
print("số ảnh mỗi chữ số trong tập kiểm định:", counts.tolist())
sitekit.report("n_train", len(data.y_train))
sitekit.report("n_val", len(data.y_val))
sitekit.report("overlap", len(overlap))
sitekit.report("val_counts", counts)

# %% standardise
train_mean = data.x_train.mean(dim=0).abs().max().item()
train_std = data.x_train.std(dim=0)
print(f"sau chuẩn hoá, trên tập huấn luyện: |trung bình| lớn nhất {train_mean:.1e}")
varying = train_std[train_std > 0]
print(f"độ lệch chuẩn của {len(varying)} điểm ảnh còn lại: {varying.min().item():.6f} đến {varying.max().item():.6f}")
print(f"số điểm ảnh luôn bằng 0 trên tập huấn luyện (để nguyên là 0): {(train_std == 0).sum().item()}")
sitekit.report("train_mean_max", train_mean, tol="device")
sitekit.report("constant_pixels", (train_std == 0).sum().item())

# %% samples
fig, axes = plt.subplots(2, 8, figsize=(6.4, 1.9))
for ax, image, label in zip(axes.flat, data.images_val, data.y_val.tolist()):
    _digits.draw_digit(ax, image)
    ax.set_title(str(label), fontsize=10)
alt = "Mười sáu ảnh 8 nhân 8 điểm ảnh đầu tiên của tập kiểm định, mỗi ảnh một chữ số viết tay, nhãn ở trên."
sitekit.show(fig, "samples", alt=alt)
