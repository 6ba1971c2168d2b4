"""Relative error between a backward pass and centred differences: correct, float32, buggy."""

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

# %% setup
device = sitekit.device()
dt = torch.float64
# drawn on the CPU, then moved: the same numbers on every device
inputs, labels = torch.randn(6, 4, dtype=dt).to(device), torch.randint(0, 3, (6,)).to(device)
W1, b1 = torch.randn(4, 5, dtype=dt).to(device), torch.randn(5, dtype=dt).to(device)
W2, b2 = torch.randn(5, 3, dtype=dt).to(device), torch.randn(3, dtype=dt).to(device)


def loss_of(W1, inputs, b1, W2, b2):
    a1 = relu_forward(linear_forward(inputs, W1, b1))
    return softmax_cross_entropy_forward(linear_forward(a1, W2, b2), labels)


def grad_W1(W1, inputs, b1, W2, b2, forget_relu=False):
    z1 = linear_forward(inputs, W1, b1)
    a1 = relu_forward(z1)
    g_logits = softmax_cross_entropy_backward(linear_forward(a1, W2, b2), labels)
    g_a1, _, _ = linear_backward(g_logits, a1, W2)
    g_z1 = g_a1 if forget_relu else relu_backward(g_a1, z1)  # the bug: no ReLU mask
    return linear_backward(g_z1, inputs, W1)[1]


def numeric_grad_W1(W1, *rest, eps):
    grad = torch.zeros_like(W1)
    for i in range(W1.numel()):
        step = torch.zeros_like(W1)
        step.view(-1)[i] = eps
        grad.view(-1)[i] = (loss_of(W1 + step, *rest) - loss_of(W1 - step, *rest)) / (2 * eps)
    return grad


def relative_error(a, b):
    return ((a - b).norm() / torch.max(a.norm(), b.norm())).item()


# %% compare
tensors = (W1, inputs, b1, W2, b2)
as32 = tuple(t.float() for t in tensors)
cases = [  # (name, backward, numeric gradient)
    ("đúng, float64", grad_W1(*tensors), numeric_grad_W1(*tensors, eps=1e-6)),
    ("đúng, float32", grad_W1(*as32), numeric_grad_W1(*as32, eps=1e-3)),
    ("quên mặt nạ ReLU, float64", grad_W1(*tensors, forget_relu=True), numeric_grad_W1(*tensors, eps=1e-6)),
]
errors = [relative_error(analytic.double(), numeric.double()) for _, analytic, numeric in cases]
for (name, _, _), error in zip(cases, errors):
    print(f"{name:<27} sai số tương đối = {error:.1e}")
sitekit.report("rel_correct64", errors[0], tol=1e-8)  # round-off sizes: they differ between devices
sitekit.report("rel_correct32", errors[1], tol=1e-3)
sitekit.report("rel_buggy64", errors[2])
