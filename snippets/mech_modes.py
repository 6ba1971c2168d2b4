"""detach(), no_grad() and inference_mode(): what each one allows, and what it refuses."""

import torch

import sitekit

# %% setup
device = sitekit.device()
x = torch.tensor([1.0, 2.0, 3.0], device=device, requires_grad=True)

# %% detach
d = x.detach()  # same memory as x, but outside the graph
print("d.requires_grad =", d.requires_grad, "| chung bộ nhớ với x:", d.data_ptr() == x.data_ptr())
(d * x).sum().backward()  # allowed: d is a constant, the gradient flows only through x
print("x.grad =", x.grad.tolist(), "(= d, không có phần đi qua d)")
sitekit.report("detach_grad", x.grad, tol="device")
with sitekit.expect(RuntimeError, match="does not require grad"):
    d.sum().backward()  # refused: nothing in d's history needs a gradient

# %% no-grad
x.grad = None
with torch.no_grad():
    n = x * 3  # computed without recording a graph
print("n.requires_grad =", n.requires_grad, "| n.grad_fn =", n.grad_fn)
(n * x).sum().backward()  # allowed later: n enters a new graph as a constant
print("x.grad =", x.grad.tolist(), "(= n)")
sitekit.report("no_grad_grad", x.grad, tol="device")
with sitekit.expect(RuntimeError, match="does not require grad"):
    n.sum().backward()  # refused: n has no graph behind it

# %% inference
with torch.inference_mode():
    t = x * 3  # an inference tensor: no graph, and no version counter
print("t.is_inference() =", t.is_inference(), "| t.requires_grad =", t.requires_grad)
print("t + x được:", (t + x).requires_grad)  # allowed: addition saves neither input for backward
with sitekit.expect(RuntimeError, match="Inference tensors cannot be saved for backward"):
    t * x  # refused: x's gradient would need t, and an inference tensor cannot be saved
with sitekit.expect(RuntimeError, match="Inplace update to inference tensor outside InferenceMode"):
    t.add_(1)
u = t.clone()  # the way out: a clone made outside inference mode is a normal tensor
(u * x).sum().backward()
print("sau clone(): u.is_inference() =", u.is_inference())
sitekit.report("t_is_inference", t.is_inference())
sitekit.report("u_is_inference", u.is_inference())
