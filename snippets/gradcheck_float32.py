"""How accurate can a float32 gradient check get? Sweep ε on the two-layer network's W1 gradient."""

import numpy as np
import torch

from _manual_layers import (
    linear_backward,
    linear_forward,
    relu_backward,
    relu_forward,
    softmax_cross_entropy_backward,
    softmax_cross_entropy_forward,
)
import sitekit

# %% sweep
device = sitekit.device()
# the same network and data as on the relative-error example, drawn on the CPU in the same order
inputs, labels = torch.randn(6, 4, dtype=torch.float64), torch.randint(0, 3, (6,)).to(device)
W1, b1 = torch.randn(4, 5, dtype=torch.float64), torch.randn(5, dtype=torch.float64)
W2, b2 = torch.randn(5, 3, dtype=torch.float64), torch.randn(3, dtype=torch.float64)
inputs, W1, b1, W2, b2 = (t.float().to(device) for t in (inputs, W1, b1, W2, b2))


def loss_of(W1):
    return softmax_cross_entropy_forward(linear_forward(relu_forward(linear_forward(inputs, W1, b1)), W2, b2), labels)


def grad_W1(forget_relu=False):
    z1 = linear_forward(inputs, W1, b1)
    a1 = relu_forward(z1)
    g_a1, _, _ = linear_backward(softmax_cross_entropy_backward(linear_forward(a1, W2, b2), labels), a1, W2)
    return linear_backward(g_a1 if forget_relu else relu_backward(g_a1, z1), inputs, W1)[1]


def numeric_grad_W1(eps):
    grad = torch.zeros_like(W1)
    for i in range(W1.numel()):
        step = torch.zeros_like(W1)
        step.view(-1)[i] = eps
        grad.view(-1)[i] = (loss_of(W1 + step) - loss_of(W1 - step)) / (2 * eps)
    return grad


def relative_error(a, b):
    a, b = a.double(), b.double()
    return ((a - b).norm() / torch.max(a.norm(), b.norm())).item()


eps = np.logspace(-4, -1, 13)
correct = [relative_error(grad_W1(), numeric_grad_W1(float(e))) for e in eps]
buggy = [relative_error(grad_W1(forget_relu=True), numeric_grad_W1(float(e))) for e in eps]
for e, c, b in zip(eps, correct, buggy):
    print(f"ε = {e:.1e}: mã đúng {c:.1e}, mã quên mặt nạ ReLU {b:.1e}")
best = int(np.argmin(correct))
print(f"float32, ε tốt nhất {eps[best]:.0e}: sai số tương đối {correct[best]:.0e}")
sitekit.report("eps", eps)
sitekit.report("correct", correct, tol="device")
sitekit.report("buggy", buggy, tol="device")
sitekit.report("best_eps", eps[best], tol="device")
sitekit.report("best_error", correct[best], tol="device")
sitekit.report("buggy_at_best", buggy[best], tol="device")
