"""Learning-rate schedules (warmup + cosine) and BatchNorm (train vs eval, running stats, backward)."""

import math

import numpy as np
import pytest
import torch

import _digits
import _manual_layers as layers
from conftest import read_page


def warmup_cosine(t, base, low, start, total, warmup):
    """The page's formula, written again here from its two pieces."""
    if t < warmup:
        return base * start + (base - base * start) * t / warmup
    return low + 0.5 * (base - low) * (1 + math.cos(math.pi * (t - warmup) / (total - warmup)))


def test_warmup_cosine_matches_the_formula_and_lambda_lr(outputs):
    v = outputs("sched_warmup_cosine")
    total, warmup = v["total"], v["warmup"]
    expected = [warmup_cosine(t, v["base_lr"], v["min_lr"], v["start_factor"], total, warmup) for t in range(total)]
    np.testing.assert_allclose(v["hand"], expected, atol=1e-12, rtol=0)
    np.testing.assert_allclose(v["torch"], expected, atol=1e-12, rtol=0)
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=v["base_lr"])
    lam = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: expected[min(t, total - 1)] / v["base_lr"])
    from_lambda = []
    for _ in range(total):
        from_lambda.append(opt.param_groups[0]["lr"])
        opt.step()
        lam.step()
    np.testing.assert_allclose(from_lambda, v["torch"], atol=1e-12, rtol=0)
    assert v["gap"] < 1e-12
    assert expected[warmup] == pytest.approx(v["base_lr"]) and np.all(np.diff(expected[warmup:]) < 0)


def test_schedules_change_training(outputs):
    v = outputs("sched_effect")
    runs, total, warmup = v["runs"], v["total"], v["warmup"]
    expected = [warmup_cosine(t, v["peak_lr"], 0.0, 0.01, total, warmup) for t in range(total)]
    np.testing.assert_allclose(runs["warmup_cosine"]["lr"], expected, atol=1e-12, rtol=0)
    assert set(runs["constant"]["lr"]) == {v["peak_lr"]}
    spikes = {k: max(h["step_loss"][: v["window"]]) for k, h in runs.items()}
    assert spikes["constant"] == pytest.approx(v["spike_constant"]) and spikes["constant"] > 1.2 * v["initial_loss"]
    assert spikes["warmup_cosine"] < 1.05 * v["initial_loss"] < spikes["constant"]
    assert v["train_loss_warmup_cosine"] < v["train_loss_constant"] / 3  # the decay pays off at the end
    assert all(h["val_acc"][-1] > 0.9 for h in runs.values())


def test_batchnorm_running_statistics_and_modes(outputs):
    v = outputs("bn_modes")
    assert v["running_mean_gap"] < 1e-12 and v["running_var_gap"] < 1e-12
    assert v["train_gap"] < 1e-12 and v["eval_gap"] < 1e-12 and v["alone_gap"] < 1e-12
    assert v["train_eval_diff"] > 0.1
    rng = np.random.default_rng(0)  # the update rule again, in numpy, on fresh data
    bn = torch.nn.BatchNorm1d(3, momentum=0.3, dtype=torch.float64)
    mean, var = np.zeros(3), np.ones(3)
    for _ in range(4):
        z = rng.normal(2.0, 3.0, size=(8, 3))
        out = bn(torch.tensor(z)).detach().numpy()
        np.testing.assert_allclose(out, (z - z.mean(0)) / np.sqrt(z.var(0) + bn.eps), atol=1e-12)
        mean = 0.7 * mean + 0.3 * z.mean(0)
        var = 0.7 * var + 0.3 * z.var(0, ddof=1)  # unbiased in the running estimate
    np.testing.assert_allclose(bn.running_mean.numpy(), mean, atol=1e-12)
    np.testing.assert_allclose(bn.running_var.numpy(), var, atol=1e-12)


def bn_forward(z, gamma, beta, eps=1e-5):
    return gamma * (z - z.mean(0)) / np.sqrt(z.var(0) + eps) + beta


def test_batchnorm_backward_formula_by_finite_differences():
    rng = np.random.default_rng(2)
    z, gamma, beta, g = rng.normal(size=(6, 3)), rng.normal(size=3), rng.normal(size=3), rng.normal(size=(6, 3))
    loss = lambda z: (g * bn_forward(z, gamma, beta)).sum()  # noqa: E731  dL/dy = g
    sigma = np.sqrt(z.var(0) + 1e-5)
    z_hat = (z - z.mean(0)) / sigma
    n = len(z)
    formula = gamma / (n * sigma) * (n * g - g.sum(0) - z_hat * (g * z_hat).sum(0))  # the page's formula
    numeric = np.zeros_like(z)
    for i in range(6):
        for j in range(3):
            step = np.zeros_like(z)
            step[i, j] = 1e-6
            numeric[i, j] = (loss(z + step) - loss(z - step)) / 2e-6
    np.testing.assert_allclose(formula, numeric, atol=1e-7)
    assert np.abs(gamma / sigma * g - numeric).max() > 1e-2  # treating μ, σ as constants is wrong


def test_batchnorm_backward_in_the_digits_network(outputs):
    v = outputs("bn_backward")
    assert max(v["gaps"].values()) < 1e-12 and v["max_gap"] < 1e-12 and v["grad_z_colsum"] < 1e-12
    assert v["naive_gap"] > 0.1 * v["grad_z_max"] and v["naive_colsum"] > 1e-3
    data = _digits.load("cpu")  # autograd here, through torch's own batch_norm
    p = {k: v_.clone().requires_grad_(True) for k, v_ in _digits.init_params([64, 64, 10]).items()}
    gamma = torch.tensor(v["gamma"], dtype=torch.float64, requires_grad=True)
    beta = torch.tensor(v["beta"], dtype=torch.float64, requires_grad=True)
    idx = _digits.minibatches(len(data.y_train), 32, torch.Generator().manual_seed(0))[0]
    x, y = data.x_train[idx], data.y_train[idx]
    z = torch.nn.functional.batch_norm(layers.linear_forward(x, p["W1"], p["b1"]), None, None, gamma, beta, True)
    torch.nn.functional.cross_entropy(torch.relu(z) @ p["W2"] + p["b2"], y).backward()
    for name, leaf in (("gamma", gamma), ("beta", beta), ("b1", p["b1"])):
        np.testing.assert_allclose(v["hand_grads"][name], leaf.grad.numpy(), atol=1e-12)
    assert gamma.grad.abs().max() > 1e-3 and p["b1"].grad.abs().max() < 1e-12  # bias before BN: no gradient


def test_page_is_built(outputs, site):
    html = read_page(site, "lich-toc-do-hoc")
    assert "{{" not in html and "katex-error" not in html and "Tóm tắt" in html
    assert "schedule-light.svg" in html and "effect-light.svg" in html
    assert f"{outputs('bn_modes')['train_eval_diff']:.3f}" in html
    interview = read_page(site, "phong-van")
    assert "Huấn luyện trên dữ liệu thật" in interview and "SyncBatchNorm" in interview
