"""Why the backward pass must run in reverse topological order: a fork, visited too early."""

from collections import deque

import torch

from _engine import Value
import sitekit


# %% graph
def build(x0):
    x = Value(x0)
    a = x * x  # a is used twice: by b and by out (a fork)
    b = a * a
    out = a + b  # out = x² + x⁴, so d out/dx = 2x + 4x³
    return x, out


x0 = 2.0
x, out = build(x0)
out.backward()
print(f"thứ tự tô-pô ngược: x.grad = {x.grad:g}   (2x + 4x³ = {2 * x0 + 4 * x0**3:g})")


# %% wrong-order
def backward_breadth_first(root):
    """Wrong: runs each node's backward as soon as a walk from the output first reaches it."""
    root.grad, seen, queue = 1.0, set(), deque([root])
    while queue:
        node = queue.popleft()  # nearest to the output first: out, then a (one step away), then b
        if node not in seen:
            seen.add(node)
            node._backward()  # a runs while b's share of its gradient is still missing
            queue.extend(node.inputs)


x_bad, out_bad = build(x0)
backward_breadth_first(out_bad)
print(f"thứ tự sai:         x.grad = {x_bad.grad:g}")

# %% torch
device = sitekit.device()
t = torch.tensor(x0, dtype=torch.float64, device=device, requires_grad=True)
a = t * t
(a + a * a).backward()
print(f"PyTorch:            x.grad = {t.grad.item():g}")
sitekit.report("x0", x0)
sitekit.report("right", x.grad)
sitekit.report("wrong", x_bad.grad)
sitekit.report("torch_grad", t.grad)
