"""Leaf and non-leaf tensors: only leaves get .grad, unless a non-leaf asks with retain_grad()."""

import warnings

import torch

import sitekit

# %% leaves
device = sitekit.device()
w = torch.tensor([1.0, -2.0, 3.0], device=device, requires_grad=True)  # made by us: a leaf
h = w * 2  # made by an operation: not a leaf, it has a grad_fn
loss = (h**2).sum()
for name, t in [("w", w), ("h", h), ("loss", loss)]:
    print(f"{name:<4} is_leaf={t.is_leaf!s:<5} grad_fn={type(t.grad_fn).__name__ if t.grad_fn else None}")

# %% grads
loss.backward()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    print("w.grad =", w.grad.tolist())
    h_grad = h.grad  # None, and PyTorch warns
print("h.grad =", h_grad)
print("cảnh báo:", str(caught[0].message).split(". ")[0])
sitekit.report("w_grad", w.grad, tol="device")
sitekit.report("h_grad_is_none", h_grad is None)

# %% retain-grad
h = w * 2
h.retain_grad()  # ask autograd to keep this intermediate gradient too
w.grad = None
(h**2).sum().backward()
print("h.grad =", h.grad.tolist(), " (= 2h)")
print("w.grad =", w.grad.tolist(), " (= 2 · h.grad)")
sitekit.report("w", w)
sitekit.report("h_grad", h.grad, tol="device")
sitekit.report("w_grad_again", w.grad, tol="device")
