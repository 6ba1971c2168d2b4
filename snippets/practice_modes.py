"""What model.train(), model.eval() and torch.no_grad() each change."""

import torch
from torch import nn

import sitekit

# %% model
device = sitekit.device()
model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(p=0.5), nn.Linear(16, 1)).to(device)
x = torch.randn(8, 4).to(device)

# %% train-mode
model.train()
first, second = model(x), model(x)
differ = (first - second).abs().max().item()
print(f"model.train(): hai lần gọi trên cùng dữ liệu khác nhau tới {differ:.4f} (dropout đang bật)")
print(f"  đầu ra có grad_fn: {first.grad_fn is not None}")
sitekit.report("train_gap", differ, tol="device")
sitekit.report("train_has_graph", first.grad_fn is not None)

# %% eval-mode
model.eval()
first, second = model(x), model(x)
print(f"model.eval():  hai lần gọi khác nhau {(first - second).abs().max().item():.4f} (dropout tắt)")
print(f"  nhưng đầu ra vẫn có grad_fn: {first.grad_fn is not None} -> vẫn ghi đồ thị, vẫn tốn bộ nhớ")
sitekit.report("eval_gap", (first - second).abs().max().item())
sitekit.report("eval_has_graph", first.grad_fn is not None)

# %% eval-no-grad
with torch.no_grad():
    out = model(x)
print(f"eval() + no_grad(): requires_grad = {out.requires_grad}, grad_fn = {out.grad_fn}")
print(f"  kết quả giống hệt khi không có no_grad: {torch.equal(out, first)}")
sitekit.report("no_grad_requires_grad", out.requires_grad)
sitekit.report("no_grad_same_values", torch.equal(out, first))
