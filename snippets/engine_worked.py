"""The worked example (x = 2, y_true = 4, w = 3, b = 1, loss = |y_true − (w·x + b)|) on the small engine."""

import torch

from _engine import Value
import sitekit

# %% engine
x, y_true = Value(2.0), Value(4.0)
w, b = Value(3.0), Value(1.0)
x1 = w * x
y = x1 + b
diff = y_true - y
loss = diff.abs()
loss.backward()
print(f"loss = {loss.data:g}")
print(f"engine:  w.grad = {w.grad:g}, b.grad = {b.grad:g}")

# %% order
minus_y = diff.inputs[1]  # y_true − y is computed as y_true + (−1)·y
named = [(x, "x"), (y_true, "y_true"), (w, "w"), (b, "b"), (x1, "x1"), (y, "y"), (minus_y, "−y"), (diff, "diff")]
names = {id(node): name for node, name in named + [(loss, "loss")]}
order = loss.topological_order()
label = lambda node: names.get(id(node), f"{node.data:g}")  # noqa: E731  (a constant: its value)
print("thứ tự tô-pô: ", " → ".join(label(n) for n in order))
print("lượt ngược đi:", " → ".join(label(n) for n in reversed(order)))

# %% torch
device = sitekit.device()
tx = torch.tensor(2.0, dtype=torch.float64, device=device)
tw = torch.tensor(3.0, dtype=torch.float64, device=device, requires_grad=True)
tb = torch.tensor(1.0, dtype=torch.float64, device=device, requires_grad=True)
(4.0 - (tw * tx + tb)).abs().backward()
print(f"PyTorch: w.grad = {tw.grad.item():g}, b.grad = {tb.grad.item():g}")
sitekit.report("loss", loss.data)
sitekit.report("w_grad", w.grad)
sitekit.report("b_grad", b.grad)
sitekit.report("torch_w_grad", tw.grad)
sitekit.report("torch_b_grad", tb.grad)
sitekit.report("order_size", len(order))
