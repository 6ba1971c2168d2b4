"""Moving a model and its data to the device with .to(device), and the error when they differ."""

import torch
from torch import nn

import sitekit

# %% move
device = sitekit.device()  # cuda when a GPU is asked for and present, cpu otherwise
model = nn.Linear(3, 1).to(device)  # moves every parameter, in place
X = torch.randn(5, 3).to(device)  # a tensor's .to returns a copy: keep the result
y = torch.randn(5, 1).to(device)
loss = nn.functional.mse_loss(model(X), y)
loss.backward()
print(f"thiết bị: {device}; tham số trên {model.weight.device}, dữ liệu trên {X.device}")
print(f"gradient nằm cùng chỗ với tham số: {model.weight.grad.device}")
sitekit.report("same_device", model.weight.grad.device == X.device)

# %% mismatch
# On a GPU machine the model goes to cuda. Without a GPU, the "meta" device (tensors with a
# shape but no data) stands in for it, so this error is real on every machine.
elsewhere = device if device.type == "cuda" else torch.device("meta")
model = nn.Linear(3, 1).to(elsewhere)
X_cpu = torch.randn(5, 3)  # forgot .to(...)
with sitekit.expect(RuntimeError, match="device"):
    model(X_cpu)
