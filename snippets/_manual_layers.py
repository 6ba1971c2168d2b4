"""Hand-written forward and backward passes of the layers used on the backprop pages.

Each backward takes the gradient of the loss with respect to the layer's output and returns
the gradients with respect to its inputs, using only the chain rule (no autograd).
They run on any device: every tensor they make lives where their inputs live.
"""

import torch


def linear_forward(x, weight, bias):
    """x: (N, D), weight: (D, H), bias: (H,) -> (N, H)."""
    return x @ weight + bias


def linear_backward(grad_out, x, weight):
    """Gradients of z = x @ weight + bias, given grad_out = dL/dz."""
    grad_x = grad_out @ weight.T
    grad_weight = x.T @ grad_out
    grad_bias = grad_out.sum(dim=0)  # the bias is broadcast over the batch: its gradients add up
    return grad_x, grad_weight, grad_bias


def relu_forward(z):
    return z.clamp(min=0)


def relu_backward(grad_out, z):
    return grad_out * (z > 0).to(grad_out.dtype)


def softmax_cross_entropy_forward(logits, labels):
    """Mean cross-entropy of softmax(logits) against integer labels."""
    shifted = logits - logits.max(dim=1, keepdim=True).values  # same softmax, no overflow
    log_probs = shifted - shifted.exp().sum(dim=1, keepdim=True).log()
    rows = torch.arange(len(labels), device=labels.device)
    return -log_probs[rows, labels].mean()


def softmax_cross_entropy_backward(logits, labels):
    """dL/dlogits = (softmax(logits) - one_hot(labels)) / N."""
    probs = torch.softmax(logits, dim=1)
    one_hot = torch.nn.functional.one_hot(labels, logits.shape[1]).to(logits.dtype)
    return (probs - one_hot) / len(labels)


class LinearReLU(torch.autograd.Function):
    """relu(x @ weight + bias) whose backward is the hand-written one above."""

    @staticmethod
    def forward(ctx, x, weight, bias):
        z = linear_forward(x, weight, bias)
        ctx.save_for_backward(x, weight, z)
        return relu_forward(z)

    @staticmethod
    def backward(ctx, grad_out):
        x, weight, z = ctx.saved_tensors
        return linear_backward(relu_backward(grad_out, z), x, weight)
