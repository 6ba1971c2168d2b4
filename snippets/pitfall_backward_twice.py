"""Calling backward twice on one graph: PyTorch has freed the tensors it saved; retain_graph keeps them."""

import torch

import sitekit

# %% setup
device = sitekit.device()
x = torch.tensor([1.0, 2.0, 3.0], device=device)
w = torch.tensor(0.5, device=device, requires_grad=True)

# %% wrong
loss = (torch.sigmoid(w * x) ** 2).sum()  # sigmoid saves its output for the backward pass
loss.backward()
first = w.grad.item()
print(f"lần 1: w.grad = {first:.6f}")
with sitekit.expect(RuntimeError, match="backward through the graph a second time"):
    loss.backward()  # the saved tensors were freed by the first call
sitekit.report("first_grad", first)

# %% right
w.grad = None
loss = (torch.sigmoid(w * x) ** 2).sum()
loss.backward(retain_graph=True)  # keep the saved tensors for one more pass
once = w.grad.item()
loss.backward()  # allowed now; and the two gradients ADD UP in w.grad
print(f"sau hai lần backward: w.grad = {w.grad.item():.6f} = 2 × {once:.6f}")
sitekit.report("once", once)
sitekit.report("twice", w.grad.item())

# %% usual-fix
# Usually the fix is not retain_graph but a fresh forward pass for each backward (and, when a tensor
# is carried from one iteration to the next, detach() it: see pitfall_backward_carried.py).
w.grad = None
for _ in range(2):
    loss = (torch.sigmoid(w * x) ** 2).sum()  # new graph each time
    loss.backward()
print(f"hai lượt xuôi, hai lượt ngược: w.grad = {w.grad.item():.6f} (vẫn cộng dồn nếu không xoá)")
sitekit.report("fresh_twice", w.grad.item())
sitekit.report("w", 0.5)
sitekit.report("x", x)

# %% nothing-saved
# The second backward fails only because the graph saved tensors. This one saves none:
# addition and sum need no input values to compute their gradients.
z = torch.tensor([1.0, 2.0, 3.0], device=device, requires_grad=True)
total = (z + 1).sum()
total.backward()
total.backward()  # no error: there was nothing to free
print(f"y = z + 1 rồi sum: backward hai lần không lỗi, z.grad = {z.grad.tolist()}")
sitekit.report("nothing_saved_grad", z.grad)
