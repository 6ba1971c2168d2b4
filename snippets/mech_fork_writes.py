"""A fork sums inside one backward: .grad is written once. Across backward() calls it accumulates."""

import torch

import sitekit

# %% one-backward
device = sitekit.device()
x = torch.tensor(2.0, device=device, requires_grad=True)
writes = []
x.register_post_accumulate_grad_hook(lambda t: writes.append(t.grad.item()))  # runs after each write
u, v = x**2, 3 * x  # x is used twice: a fork
loss = u * v  # d loss/dx = v·2x + u·3 = 9x²
loss.backward()
print(f"một lần backward: x.grad được ghi {len(writes)} lần, giá trị {writes}")
sitekit.report("x", x)
sitekit.report("writes_one", len(writes))
sitekit.report("grad_one", x.grad)

# %% two-backwards
u, v = x**2, 3 * x
(u * v).backward()  # a second backward call, no zero_grad: this one adds to .grad
print(f"backward lần hai:  x.grad được ghi {len(writes)} lần, giá trị {writes}")
sitekit.report("writes_two", len(writes))
sitekit.report("grad_two", x.grad)
