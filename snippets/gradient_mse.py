"""The MSE gradient by hand for y_hat = w·x and for y_hat = w·x + b, checked against autograd."""

import torch

import sitekit

# %% data
device = sitekit.device()
n = 8
x = torch.randn(n, dtype=torch.float64).to(device)  # drawn on the CPU: the same numbers on every device
y = 1.5 * x - 0.7 + 0.3 * torch.randn(n, dtype=torch.float64).to(device)
w = torch.tensor(0.4, dtype=torch.float64, device=device, requires_grad=True)
b = torch.tensor(0.2, dtype=torch.float64, device=device, requires_grad=True)
sitekit.report("x", x)
sitekit.report("y", y)
sitekit.report("w", w)
sitekit.report("b", b)
sitekit.report("n", n)

# %% no-bias
y_hat = w * x  # model 1: y_hat = w·x
loss = ((y - y_hat) ** 2).mean()
loss.backward()
by_hand = (2 * (y - y_hat) * (-x)).sum() / n  # (1/N) Σ 2 (y_i − ŷ_i)(−x_i)
print(f"ŷ = w·x     : công thức {by_hand.item():+.12f}, autograd {w.grad.item():+.12f}")
sitekit.report("no_bias_loss", loss)
sitekit.report("no_bias_by_hand", by_hand)
sitekit.report("no_bias_autograd", w.grad.clone())

# %% with-bias
w.grad = None
y_hat = w * x + b  # model 2: y_hat = w·x + b
loss = ((y - y_hat) ** 2).mean()
loss.backward()
dw = (2 * (y - y_hat) * (-x)).sum() / n  # same shape as before, but ŷ now contains b
db = (2 * (y - y_hat) * (-1)).sum() / n
print(f"ŷ = w·x + b : ∂L/∂w công thức {dw.item():+.12f}, autograd {w.grad.item():+.12f}")
print(f"              ∂L/∂b công thức {db.item():+.12f}, autograd {b.grad.item():+.12f}")
sitekit.report("bias_loss", loss)
sitekit.report("bias_dw_by_hand", dw)
sitekit.report("bias_db_by_hand", db)
sitekit.report("bias_dw_autograd", w.grad)
sitekit.report("bias_db_autograd", b.grad)
