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
