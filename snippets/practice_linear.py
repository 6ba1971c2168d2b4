"""nn.Linear(3, 1) trained with MSE and SGD on synthetic data whose true weights are known."""

import matplotlib.pyplot as plt
import torch
from torch import nn

import sitekit

# %% data
device = sitekit.device()
true_w = torch.tensor([2.0, -3.4, 1.5])
true_b = 4.2
noise = 0.1
X = torch.randn(1000, 3)
y = X @ true_w + true_b + noise * torch.randn(1000)
X, y = X.to(device), y.unsqueeze(1).to(device)  # y has shape (1000, 1), like the model's output
X_val = torch.randn(200, 3)
y_val = (X_val @ true_w + true_b + noise * torch.randn(200)).unsqueeze(1)
X_val, y_val = X_val.to(device), y_val.to(device)

# %% model
model = nn.Linear(3, 1).to(device)
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
batch_size, epochs = 32, 5

# %% train
generator = torch.Generator().manual_seed(0)  # its own seed: the same shuffles on every run and device
train_curve, val_curve, orders = [], [], []
for epoch in range(epochs):
    model.train()  # training mode: matters for dropout and batch norm layers
    order = torch.randperm(len(X), generator=generator)  # a new order every epoch: SGD shuffles
    orders.append(order[:batch_size].tolist())
    order = order.to(device)
    for start in range(0, len(X), batch_size):
        idx = order[start : start + batch_size]
        xb, yb = X[idx], y[idx]
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        train_curve.append(loss.item())
    model.eval()  # evaluation mode
    with torch.no_grad():  # no graph is recorded: less memory, and no update can leak in
        val_curve.append(loss_fn(model(X_val), y_val).item())
    print(f"epoch {epoch}: mất mát kiểm định = {val_curve[-1]:.5f}")

# %% result
w = model.weight.detach().squeeze().cpu()
b = model.bias.item()
print("trọng số học được:", [round(v, 4) for v in w.tolist()], " đúng:", [round(v, 4) for v in true_w.tolist()])
print(f"hệ số điều chỉnh học được: {b:.4f}  đúng: {true_b}")
print(f"sai khác lớn nhất so với tham số thật: {max((w - true_w).abs().max().item(), abs(b - true_b)):.4f}")
sitekit.report("learned_w", w, tol=1e-4)
sitekit.report("learned_b", b, tol=1e-4)
sitekit.report("true_w", true_w)
sitekit.report("true_b", true_b)
sitekit.report("noise", noise)
sitekit.report("noise_variance", noise**2)
sitekit.report("max_error", max((w - true_w).abs().max().item(), abs(b - true_b)), tol=1e-3)
sitekit.report("train_curve", train_curve, tol=1e-3)
sitekit.report("val_curve", val_curve, tol=1e-3)
sitekit.report("steps_per_epoch", len(train_curve) // epochs)
sitekit.report("epochs", epochs)
sitekit.report("first_batches", orders)  # the indices of each epoch's first minibatch

# %% plot
fig, ax = plt.subplots()
steps_per_epoch = len(train_curve) // epochs
ax.plot(train_curve, linewidth=1, label="mất mát huấn luyện (từng minibatch)")
ax.plot([steps_per_epoch * (e + 1) - 1 for e in range(epochs)], val_curve, "o-", label="mất mát kiểm định (cuối epoch)")
ax.axhline(noise**2, linestyle="--", color="C6", label="phương sai của nhiễu")
ax.set(yscale="log", xlabel="bước cập nhật", ylabel="MSE")
ax.legend()
sitekit.show(
    fig,
    "curve",
    alt="Mất mát MSE theo bước cập nhật, thang logarit: giảm nhanh trong epoch đầu "
    "rồi nằm ngang quanh phương sai của nhiễu.",
)
