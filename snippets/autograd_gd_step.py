"""One gradient-descent step two ways: hand-derived gradients, and autograd + torch.optim.SGD."""

import torch

import sitekit

# %% data
device = sitekit.device()
x = torch.randn(10, dtype=torch.float64).to(device)  # drawn on the CPU: the same numbers on every device
y = 2.0 * x + 1.0 + 0.1 * torch.randn(10, dtype=torch.float64).to(device)
w0, b0, lr = 0.5, -0.3, 0.1

# %% by-hand
# model y_hat = w·x + b, loss L = mean((y_hat − y)²); gradients derived on paper
y_hat = w0 * x + b0
dw = (2 * (y_hat - y) * x).mean()
db = (2 * (y_hat - y)).mean()
w_hand, b_hand = w0 - lr * dw, b0 - lr * db  # w := w − η ∂L/∂w
print(f"bằng tay : ∂L/∂w = {dw.item():+.15f}, ∂L/∂b = {db.item():+.15f}")
print(f"           w = {w_hand.item():.15f}, b = {b_hand.item():.15f}")

# %% autograd
w = torch.tensor(w0, dtype=torch.float64, device=device, requires_grad=True)
b = torch.tensor(b0, dtype=torch.float64, device=device, requires_grad=True)
optimizer = torch.optim.SGD([w, b], lr=lr)
optimizer.zero_grad()
loss = ((w * x + b - y) ** 2).mean()
loss.backward()  # backpropagation by autograd: fills w.grad and b.grad
print(f"autograd : ∂L/∂w = {w.grad.item():+.15f}, ∂L/∂b = {b.grad.item():+.15f}")
optimizer.step()  # the gradient-descent update, done by the optimizer
print(f"           w = {w.item():.15f}, b = {b.item():.15f}")
grad_gap = max(abs(w.grad - dw).item(), abs(b.grad - db).item())
gap = max(abs(w.item() - w_hand.item()), abs(b.item() - b_hand.item()))
print(f"chênh lệch gradient: {grad_gap:.1e}; chênh lệch tham số sau một bước: {gap:.1e}")
assert grad_gap == 0 and gap <= 2 * torch.finfo(torch.float64).eps, (grad_gap, gap)
sitekit.report("x", x)
sitekit.report("y", y)
sitekit.report("w0", w0)
sitekit.report("b0", b0)
sitekit.report("lr", lr)
sitekit.report("dw_hand", dw)
sitekit.report("db_hand", db)
sitekit.report("dw_autograd", w.grad)
sitekit.report("db_autograd", b.grad)
sitekit.report("grad_gap", grad_gap)
sitekit.report("w_hand", w_hand)
sitekit.report("b_hand", b_hand)
sitekit.report("w_autograd", w)
sitekit.report("b_autograd", b)
sitekit.report("loss", loss)
sitekit.report("gap", gap, tol=1e-15)  # one rounding in the last bit: 0 or 1 ulp, depending on the device
