"""The optimizer page: momentum, Nesterov, the three SGD variants and the optimizer comparison.

Every expected value is recomputed here with numpy from the formulas, never copied from a run.
"""

import math

import numpy as np
import pytest

from conftest import read_page


def torch_momentum(X, y, w0, lr, mu, steps, nesterov):
    """torch.optim.SGD's documented form: b = mu*b + g; w -= lr*(g + mu*b) or lr*b."""
    w, b, path = np.array(w0, float), np.zeros(len(w0)), []
    for _ in range(steps):
        g = 2 * X.T @ (X @ w - y) / len(y)
        b = mu * b + g
        w = w - lr * ((g + mu * b) if nesterov else b)
        path.append(w.copy())
    return np.array(path)


@pytest.mark.parametrize("name, nesterov", [("plain", False), ("nesterov", True)])
def test_momentum_by_hand_matches_torch_for_50_steps(outputs, name, nesterov):
    v = outputs("optim_momentum")
    assert v["steps"] == 50
    X, y = np.array(v["features"]), np.array(v["targets"])
    expected = torch_momentum(X, y, v["w0"], v["lr"], v["mu"], v["steps"], nesterov)
    by_hand, with_torch = np.array(v[f"{name}_path"]), np.array(v[f"{name}_torch_path"])
    assert by_hand.shape == with_torch.shape == (50, 2)
    assert np.abs(by_hand - with_torch).max() < 1e-6
    assert np.abs(by_hand - expected).max() < 1e-6
    assert v[f"{name}_max_gap"] < 1e-6


def test_plain_and_nesterov_really_differ(outputs):
    v = outputs("optim_momentum")
    gap = np.abs(np.array(v["plain_path"]) - np.array(v["nesterov_path"])).max()
    assert gap > 1e-2
    assert math.isclose(v["plain_vs_nesterov"], gap, rel_tol=1e-9)


def test_velocity_form_equals_torch_form_with_constant_lr():
    """The page's claim: v = -lr*b turns one formulation into the other."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(6, 3)), rng.normal(size=6)
    for nesterov in (False, True):
        w, v = np.ones(3), np.zeros(3)
        path = []
        for _ in range(30):
            g = 2 * X.T @ (X @ w - y) / len(y)
            v = 0.8 * v - 0.05 * g
            w = w + (0.8 * v - 0.05 * g if nesterov else v)
            path.append(w.copy())
        expected = torch_momentum(X, y, np.ones(3), 0.05, 0.8, 30, nesterov)
        assert np.abs(np.array(path) - expected).max() < 1e-12


def test_full_batch_curve_is_plain_gradient_descent(outputs):
    v = outputs("optim_variants")
    x, y = np.array(v["x"], float), np.array(v["y"], float)
    w = b = 0.0
    curve = [np.mean((w * x + b - y) ** 2)]
    for _ in range(v["epochs"]):
        r = w * x + b - y
        w, b = w - v["lr"] * np.mean(2 * r * x), b - v["lr"] * np.mean(2 * r)
        curve.append(np.mean((w * x + b - y) ** 2))
    assert np.allclose(v["gd_curve"], curve, rtol=1e-4)
    assert math.isclose(v["gd_w"], w, rel_tol=1e-4)


def test_update_counts_and_the_stochastic_variants(outputs):
    v = outputs("optim_variants")
    x, y = np.array(v["x"], float), np.array(v["y"], float)
    A = np.stack([x, np.ones_like(x)], axis=1)
    best = np.linalg.lstsq(A, y, rcond=None)[0]
    best_loss = np.mean((A @ best - y) ** 2)
    assert math.isclose(v["best_loss"], best_loss, rel_tol=1e-4)
    for name in ("gd", "minibatch", "sgd"):
        assert v[f"{name}_updates"] == v["epochs"] * math.ceil(v["n"] / v[f"{name}_batch"])
        assert min(v[f"{name}_curve"]) >= best_loss - 1e-5
        assert len(v[f"{name}_curve"]) == v["epochs"] + 1
    assert (v["gd_batch"], v["minibatch_batch"], v["sgd_batch"]) == (v["n"], 8, 1)
    # per epoch, the stochastic variants are far ahead; one-sample SGD is noisier than mini-batch
    assert v["minibatch_curve"][3] < v["gd_curve"][3] / 10
    assert v["sgd_curve"][3] < v["gd_curve"][3] / 10
    assert v["minibatch_curve"][-1] < v["sgd_curve"][-1] < v["gd_curve"][-1]


def test_local_minimum_plain_stops_momentum_rolls_through(outputs):
    v = outputs("optim_local_min")
    roots = np.sort(np.roots([4, 0, -8, 1]).real)  # f'(x) = 4x^3 - 8x + 1
    global_min, local_min = roots[0], roots[2]
    f = lambda x: x**4 - 4 * x**2 + x  # noqa: E731
    assert f(global_min) < f(local_min)
    assert abs(v["plain_end"] - local_min) < 1e-4
    assert abs(v["momentum_end"] - global_min) < 1e-4
    assert abs(v["near_end"] - local_min) < 1e-4
    assert math.isclose(v["momentum_end_f"], f(global_min), abs_tol=1e-4)
    x = v["x0"]
    for recorded in v["plain_path"][1:]:
        x = x - v["lr"] * (4 * x**3 - 8 * x + 1)
        assert math.isclose(recorded, x, abs_tol=1e-9)


def numpy_optimizers(start, lr, steps, kind):
    """Losses of the documented update rules of SGD, momentum 0.9, RMSprop and Adam on the valley."""
    scale = np.array([0.1, 5.0])  # gradient of 0.05 w1^2 + 2.5 w2^2 is scale * w
    w = np.array(start, float)
    buf, s, m, u = np.zeros(2), np.zeros(2), np.zeros(2), np.zeros(2)
    losses = [0.05 * w[0] ** 2 + 2.5 * w[1] ** 2]
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, steps + 1):
            g = scale * w
            if kind == "sgd":
                w = w - lr * g
            elif kind == "momentum":
                buf = 0.9 * buf + g
                w = w - lr * buf
            elif kind == "rmsprop":
                s = 0.99 * s + 0.01 * g**2
                w = w - lr * g / (np.sqrt(s) + 1e-8)
            else:
                m = 0.9 * m + 0.1 * g
                u = 0.999 * u + 0.001 * g**2
                w = w - lr * (m / (1 - 0.9**t)) / (np.sqrt(u / (1 - 0.999**t)) + 1e-8)
            losses.append(0.05 * w[0] ** 2 + 2.5 * w[1] ** 2)
    return losses


@pytest.mark.parametrize("kind", ["sgd", "momentum", "rmsprop", "adam"])
def test_optimizer_comparison_follows_the_formulas(outputs, kind):
    v = outputs("optim_compare")
    expected = numpy_optimizers(v["start"], v[f"{kind}_lr"], v["steps"], kind)
    recorded = v[f"{kind}_losses"]
    assert len(recorded) == v["steps"] + 1
    assert np.allclose(recorded, expected, rtol=1e-6, atol=1e-30)
    finals = {lr: numpy_optimizers(v["start"], lr, v["steps"], kind)[-1] for lr in v["grid"]}
    finals = {lr: (f if math.isfinite(f) else math.inf) for lr, f in finals.items()}
    assert v[f"{kind}_lr"] == min(finals, key=finals.get)


def test_comparison_ranking_claimed_on_the_page(outputs):
    v = outputs("optim_compare")
    final = {k: v[f"{k}_losses"][-1] for k in ("sgd", "momentum", "rmsprop", "adam")}
    assert final["rmsprop"] == min(final.values())
    assert final["sgd"] == max(final.values())
    # SGD multiplies w2 by 1 - 5 lr: it diverges past lr = 2/5 on this valley, as the page says
    assert math.isclose(v["sgd_lr_limit"], 2 / 5) and math.isclose(v["steepness"], 2.5 / 0.05)
    assert numpy_optimizers(v["start"], 0.41, v["steps"], "sgd")[-1] > 1e3
    assert numpy_optimizers(v["start"], 0.39, v["steps"], "sgd")[-1] < 1


def test_first_steps_sgd_proportional_adaptive_about_lr_per_coordinate(outputs):
    v = outputs("optim_compare")
    grad0 = np.array([0.1, 5.0]) * np.array(v["start"])  # gradient of 0.05 w1^2 + 2.5 w2^2
    assert np.allclose(v["first_grad"], grad0)
    assert np.allclose(v["sgd_first_step"], v["sgd_lr"] * np.abs(grad0), rtol=1e-9)
    # Adam, bias-corrected: m/sqrt(u) = g/|g| at t = 1, so each coordinate moves lr (up to eps)
    assert np.allclose(v["adam_first_step"], v["adam_lr"], rtol=1e-6)
    # RMSprop: s_1 = (1 - alpha) g^2, so each coordinate moves lr / sqrt(1 - alpha) = 10 lr
    assert np.allclose(v["rmsprop_first_step"], v["rmsprop_lr"] / np.sqrt(0.01), rtol=1e-6)
    # ... and with its best rate that first step overshoots: the loss rises before it falls
    w1 = np.array(v["start"]) - v["rmsprop_first_step"] * np.sign(grad0)
    assert v["rmsprop_losses"][1] == pytest.approx(0.05 * w1[0] ** 2 + 2.5 * w1[1] ** 2, rel=1e-9)
    assert v["rmsprop_losses"][1] > 10 * v["rmsprop_losses"][0]


def test_optimizer_page_is_built(outputs, site):
    html = read_page(site, "toi-uu")
    assert "{{" not in html and "katex-error" not in html
    assert html.count('class="katex-display"') >= 5
    for figure in ("optim_variants/curves", "optim_local_min/roll", "optim_compare/compare"):
        assert f"../out/{figure}-light.svg#only-light" in html
    v = outputs("optim_momentum")
    assert f"{v['plain_vs_nesterov']:.3f}" in html
    assert "hạ giang" not in html.lower()
    assert "ghi chú gốc" not in html and "ghi chú nguồn" not in html
    assert "gradient lớn đi bước ngắn" not in html
    v = outputs("optim_compare")
    assert f"{v['rmsprop_losses'][1]:.1f}" in html and "tách được" in html
