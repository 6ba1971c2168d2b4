# Directives, if needed, go at the top (before or right after the docstring), one per line:
# `# sitekit: timeout=SECONDS`, `# sitekit: device=cpu`, `# sitekit: page=none`.
"""Template: the gradient of f(x) = x² is 2x, checked with autograd and plotted.

Copy to snippets/PAGE_IDEA.py (prefix the name with the page, e.g. gradient_square.py), keep
one idea per file and under about 80 lines, then replace the body. See docs/dong-gop.md.
"""

import matplotlib.pyplot as plt
import torch

import sitekit  # before any computation: seeds 0, deterministic torch, the site's plot style

# %% setup
device = sitekit.device()  # never hard-code "cuda" or "cpu"
x = torch.linspace(-2.0, 2.0, 41, device=device, requires_grad=True)

# %% gradient
y = (x**2).sum()
y.backward()  # x.grad now holds dy/dx = 2x at every point
at_one = x.grad[30].item()  # x[30] = 1.0
print(f"tại x = 1: x.grad = {at_one:.4f} (công thức 2x cho 2)")
sitekit.report("grad_at_one", at_one)
sitekit.report("max_error", (x.grad - 2 * x.detach()).abs().max())

# %% plot
fig, ax = plt.subplots()
ax.plot(x.detach().cpu(), x.grad.cpu(), label="x.grad (autograd)")
ax.plot(x.detach().cpu(), 2 * x.detach().cpu(), "C1--", label="2x")
ax.set(xlabel="x", ylabel="đạo hàm", title="Gradient của x² là 2x")
ax.legend()
sitekit.show(fig, "grad", alt="Hai đường trùng nhau: x.grad do autograd tính và đường thẳng 2x.")
