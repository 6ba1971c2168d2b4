"""Corrections to the pitfalls and interview pages: loss scale and optimizers, backward twice."""

import numpy as np


def adam_steps(grads, eps, lr=0.1, betas=(0.9, 0.999)):
    """Adam's updates for a given sequence of gradients, written from its definition."""
    m = v = 0.0
    updates = []
    for t, g in enumerate(grads, start=1):
        m = betas[0] * m + (1 - betas[0]) * g
        v = betas[1] * v + (1 - betas[1]) * g * g
        m_hat, v_hat = m / (1 - betas[0] ** t), v / (1 - betas[1] ** t)
        updates.append(lr * m_hat / (np.sqrt(v_hat) + eps))
    return np.array(updates)


def test_adam_is_invariant_to_the_loss_scale_up_to_eps():
    grads = np.random.default_rng(0).normal(size=50)
    c = 1 / 32
    np.testing.assert_allclose(adam_steps(c * grads, 1e-8), adam_steps(grads, 1e-8 / c), rtol=1e-12)
    assert np.abs(adam_steps(c * grads, 1e-8) - adam_steps(grads, 1e-8)).max() < 1e-5  # eps barely matters
    assert np.abs(c * 0.1 * grads - 0.1 * grads).max() > 0.01  # while an SGD step shrinks c times


def test_scaled_loss_moves_sgd_but_not_adam_or_rmsprop(outputs):
    v = outputs("pitfall_scale_optimizers")
    assert v["gap_sgd"] > 0.1
    assert v["gap_adam"] < 1e-5 and v["gap_rmsprop"] < 1e-5
    assert v["adam_eps_gap"] < 1e-6 and v["sgd_lr_gap"] < 1e-6


def rnn_losses(W, sequence, cut):
    """Per-step losses Σ h_t² of h_t = tanh(W h_{t-1} + x_t); with cut, h_{t-1} is fixed at its value."""
    h, fixed, losses = np.zeros(3), np.zeros(3), []
    for x_t in sequence:
        h = np.tanh(W @ (fixed if cut else h) + x_t)
        losses.append((h**2).sum())
        fixed = h.copy()
    return losses


def numeric_grad(f, W, eps=1e-6):
    grad = np.zeros_like(W)
    for i in np.ndindex(W.shape):
        step = np.zeros_like(W)
        step[i] = eps
        grad[i] = (f(W + step) - f(W - step)) / (2 * eps)
    return grad


def test_carried_state_fixes_give_the_right_gradients(outputs):
    v = outputs("pitfall_backward_carried")
    W, seq = np.array(v["weights"]), np.array(v["sequence"])
    assert "backward through the graph a second time" in outputs("pitfall_backward_carried", "carried.out.md")
    whole = numeric_grad(lambda M: sum(rnn_losses(M, seq, cut=False)), W)
    np.testing.assert_allclose(v["sum_once_grad"], whole, atol=1e-5)
    assert abs(v["sum_once_norm"] - np.linalg.norm(whole)) < 1e-5
    # with detach, each step's gradient treats the previous state as a constant
    h_values = [np.zeros(3)]
    for x_t in seq:
        h_values.append(np.tanh(W @ h_values[-1] + x_t))
    per_step = sum(numeric_grad(lambda M, h=h, x=x: (np.tanh(M @ h + x) ** 2).sum(), W) for h, x in zip(h_values, seq))
    assert abs(v["detach_norm"] - np.linalg.norm(per_step)) < 1e-5
    assert abs(np.linalg.norm(whole) - np.linalg.norm(per_step)) > 1e-3  # the two fixes differ


def test_a_graph_without_saved_tensors_backwards_twice(outputs):
    v = outputs("pitfall_backward_twice")
    np.testing.assert_allclose(v["nothing_saved_grad"], [2.0, 2.0, 2.0])  # two backwards of Σ(z + 1)
