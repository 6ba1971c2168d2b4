# sitekit: device=cpu
"""In-place changes and the version counter: autograd notices when a saved tensor was modified."""

import torch

import sitekit

# %% version
# on the CPU only: PyTorch's message names the tensor type, which differs on a GPU
a = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
s = torch.sigmoid(a)  # sigmoid saves its output s: ds/da = s(1 − s)
print("s._version sau sigmoid:", s._version)
s.mul_(2)  # in place: same tensor, new content
print("s._version sau mul_:   ", s._version)
sitekit.report("versions", [0, s._version])

# %% error
with sitekit.expect(RuntimeError, match="modified by an inplace operation"):
    s.sum().backward()  # the saved s is at version 1, autograd expected version 0

# %% fix
s = torch.sigmoid(a)
doubled = s * 2  # out of place: s stays as autograd saved it
doubled.sum().backward()
print("a.grad =", [round(g, 6) for g in a.grad.tolist()], "(= 2·s(1 − s))")
sitekit.report("a", a)
sitekit.report("a_grad", a.grad)

# %% not-saved
b = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
c = b * 3  # multiplying by a constant saves nothing that depends on c
c.add_(1)  # so changing c in place is fine
c.sum().backward()
print("c._version =", c._version, "| b.grad =", b.grad.tolist())
sitekit.report("b_grad", b.grad)
