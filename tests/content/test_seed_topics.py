"""Adagrad, naive training, saddle points, 2-D slices, the topological order and zero_grad placement.

Every expected value is recomputed here independently (numpy, closed forms, or a fresh torch graph).
"""

import math

import numpy as np
import torch

from _autograd_graph import walk

# --- Adagrad (docs/toi-uu.md#adagrad) ---


def test_adagrad_by_hand_equals_torch_to_1e12(outputs):
    v = outputs("optim_adagrad")
    X, y = np.array(v["features"]), np.array(v["targets"])
    w, s, path, sums = np.array(v["w0"], float), np.zeros(2), [], []
    for _ in range(v["steps"]):
        g = 2 * X.T @ (X @ w - y) / len(y)
        s = s + g**2  # Adagrad: the sum of squared gradients
        w = w - v["lr"] * g / (np.sqrt(s) + v["eps"])
        path.append(w.copy())
        sums.append(s.copy())
    assert np.abs(np.array(v["torch_path"]) - np.array(path)).max() < 1e-12
    assert np.abs(np.array(v["hand_path"]) - np.array(v["torch_path"])).max() < 1e-12
    assert np.allclose(v["sums"], sums, rtol=1e-12, atol=0)
    assert v["max_gap"] < 1e-12
    # the page's claim: the sum never decreases, so the effective learning rate never grows
    assert (np.diff(np.array(v["sums"]), axis=0) >= 0).all()


def test_adagrad_step_on_a_constant_slope_is_lr_over_sqrt_t(outputs):
    v = outputs("optim_adagrad")
    t = np.arange(1, v["slope_steps"] + 1)
    g, lr = 2.0, 0.1
    assert np.allclose(v["slope_adagrad"], lr * g / (np.sqrt(t * g**2) + 1e-10), rtol=1e-9)
    s, rms = 0.0, []
    for _ in t:  # RMSprop with torch's defaults alpha = 0.99, eps = 1e-8
        s = 0.99 * s + 0.01 * g**2
        rms.append(lr * g / (math.sqrt(s) + 1e-8))
    assert np.allclose(v["slope_rmsprop"], rms, rtol=1e-9)
    assert v["slope_rmsprop"][-1] > 10 * v["slope_adagrad"][-1]


# --- the naive way to train (docs/gradient.md#vi-sao-can-gradient) ---


def tanh_net_loss(theta, x, y, hidden):
    w1, b1, w2, b2 = theta[:hidden], theta[hidden : 2 * hidden], theta[2 * hidden : 3 * hidden], theta[3 * hidden]
    return np.mean((np.tanh(x * w1 + b1) @ w2 + b2 - y) ** 2)


def test_naive_nudging_replayed_in_numpy(outputs):
    v = outputs("naive_nudge")
    x, y = np.array(v["x"]), np.array(v["y"]).ravel()
    theta, delta, hidden = np.array(v["init"]), v["delta"], v["hidden"]
    assert len(theta) == v["n_params"] == 3 * hidden + 1
    loss, passes, curve, changed = tanh_net_loss(theta, x, y, hidden), 1, [], True
    curve.append(loss)
    while changed:
        changed = False
        for j in range(len(theta)):
            for change in (delta, -delta):
                trial = theta.copy()
                trial[j] += change
                trial_loss, passes = tanh_net_loss(trial, x, y, hidden), passes + 1
                if trial_loss < loss:
                    theta, loss, changed = trial, trial_loss, True
                    break
        curve.append(loss)
    assert np.allclose(v["curve"], curve, rtol=1e-9)
    assert v["naive_passes"] == passes and v["sweeps"] == len(curve) - 1
    assert all(b <= a for a, b in zip(v["curve"], v["curve"][1:]))
    # each sweep costs between one and two forward passes per parameter
    assert v["sweeps"] * v["n_params"] <= v["naive_passes"] - 1 <= 2 * v["sweeps"] * v["n_params"]


def test_gradient_descent_reaches_the_naive_loss_with_hand_written_gradients(outputs):
    v = outputs("naive_nudge")
    x, y, hidden = np.array(v["x"]).ravel(), np.array(v["y"]).ravel(), v["hidden"]
    theta, steps = np.array(v["init"]), 0
    while True:
        w1, b1, w2, b2 = theta[:hidden], theta[hidden : 2 * hidden], theta[2 * hidden : 3 * hidden], theta[3 * hidden]
        h = np.tanh(np.outer(x, w1) + b1)
        r = h @ w2 + b2 - y
        if np.mean(r**2) <= v["curve"][-1]:
            break
        dout = 2 * r / len(y)  # backprop by hand
        dz = np.outer(dout, w2) * (1 - h**2)
        grad = np.concatenate([dz.T @ x, dz.sum(0), h.T @ dout, [dout.sum()]])
        theta = theta - v["gd_lr"] * grad
        steps += 1
    assert v["gd_steps"] == steps
    assert v["gd_passes"] == steps + 1
    assert v["gd_passes"] < v["naive_passes"]


# --- saddle points (docs/toi-uu.md#hinh-hai-chieu-danh-lua) ---


def test_random_hessians_minimum_fractions(outputs):
    v = outputs("optim_saddle")
    rows, n = v["kinds"], v["samples"]
    by_dim = {row[0]: row for row in rows}

    def close(measured, p):  # within four binomial standard deviations
        return abs(measured - p) <= 4 * math.sqrt(p * (1 - p) / n)

    assert close(by_dim[1][1], 0.5)
    assert close(by_dim[2][1], (2 - math.sqrt(2)) / 4)  # 2x2 GOE: both eigenvalues positive
    minima = [row[1] for row in rows]
    assert all(b <= a for a, b in zip(minima, minima[1:]))
    for row in rows:
        assert math.isclose(row[1] + row[2] + row[3], 1.0, abs_tol=1e-12)
        assert abs(row[4] - 0.5) < 0.02  # half the eigenvalues are negative on average
    assert by_dim[v["first_no_minimum"]][1] == 0
    assert all(row[1] > 0 for row in rows if row[0] < v["first_no_minimum"])


def test_tiny_network_origin_is_a_saddle_with_closed_form_eigenvalues(outputs):
    v = outputs("optim_saddle")
    x, y = np.array(v["net_x"]), np.array(v["net_y"]).ravel()
    g = -2 * (y[:, None] * x).mean(0)  # d2L / dW1[k, j] dW2[j] at zero weights; every other block is 0
    expected = np.sort(np.concatenate([-np.linalg.norm(g) * np.ones(3), np.zeros(3), np.linalg.norm(g) * np.ones(3)]))
    assert np.allclose(v["net_eigenvalues"], expected, atol=1e-9)
    assert v["net_grad_norm"] == 0
    assert v["net_negative"] == 3 and v["net_params"] == 9


def test_random_slice_through_a_saddle_looks_like_a_minimum(outputs):
    v = outputs("optim_slice")
    H, plane = np.array(v["hessian"]), np.array(v["plane"])
    assert np.allclose(np.linalg.eigvalsh(H), np.sort(v["curvatures"]), atol=1e-9)
    assert (np.linalg.eigvalsh(H) < 0).sum() == 1  # a saddle: one way down
    assert np.allclose(plane.T @ plane, np.eye(2), atol=1e-12)
    slice_curvatures = np.linalg.eigvalsh(plane.T @ H @ plane)
    assert np.allclose(v["slice_curvatures"], slice_curvatures, atol=1e-9)
    assert (slice_curvatures > 0).all()  # the slice is a bowl
    rng = np.random.default_rng(1)
    hits = 0
    for _ in range(4000):
        d = np.linalg.qr(rng.normal(size=(10, 2)))[0]
        hits += (np.linalg.eigvalsh(d.T @ H @ d) > 0).all()
    assert abs(v["looks_like_min"] / v["planes"] - hits / 4000) < 0.02
    assert v["looks_like_min"] > 0.9 * v["planes"]


# --- the topological order (docs/quy-tac-chuoi.md#thu-tu-to-po) ---


def test_topological_order_puts_every_edge_forward(outputs):
    v = outputs("chain_topo")
    w = torch.tensor(3.0, requires_grad=True)
    b = torch.tensor(1.0, requires_grad=True)
    x1 = w * torch.tensor(2.0)
    y = x1 + b
    diff = torch.tensor(4.0) - y
    loss = diff.abs()
    names = {loss.grad_fn: "loss", diff.grad_fn: "diff", y.grad_fn: "y", x1.grad_fn: "x1"}
    nodes, edges, _ = walk(loss.grad_fn)
    for node in nodes:
        if hasattr(node, "variable"):
            names[node] = "w" if node.variable is w else "b"
    expected = {(names[c], names[p]) for c, p in edges}
    assert {tuple(e) for e in v["edges"]} == expected
    order = v["order"]
    assert sorted(order) == sorted(names.values())
    position = {name: i for i, name in enumerate(order)}
    assert all(position[child] < position[parent] for child, parent in expected)
    assert v["all_forward"] is True
    assert order[-1] == "loss"


# --- where zero_grad goes (docs/loi-thuong-gap.md#zero-grad-dat-o-dau) ---


def test_zero_grad_before_forward_or_after_step_gives_identical_parameters(outputs):
    v = outputs("zerograd_order")
    assert v["same_params"] is True
    assert v["w_before"] == v["w_after"]  # bit for bit
    X, y = np.array(v["features"]), np.array(v["targets"])
    w = np.zeros((3, 1))
    for _ in range(20):
        w = w - 0.1 * 2 * X.T @ (X @ w - y) / len(y)
    assert np.allclose(v["w_before"], w, rtol=1e-10)


def test_accumulation_needs_one_zero_grad_per_step(outputs):
    v = outputs("zerograd_order")
    X, y, k, m = np.array(v["features"]), np.array(v["targets"]), v["micro_batches"], v["micro_rows"]
    full = 2 * X.T @ (0 - y) / len(y)  # MSE gradient at w = 0
    assert np.allclose(v["accumulated"], full, rtol=1e-12)
    assert np.allclose(v["full"], full, rtol=1e-12)
    last = 2 * X[-m:].T @ (0 - y[-m:]) / m / k  # only the last micro-batch survives
    assert np.allclose(v["zeroed_each"], last, rtol=1e-12)
    assert not np.allclose(v["zeroed_each"], full)


def test_reading_grad_after_step_for_logging(outputs):
    v = outputs("zerograd_order")
    X, y = np.array(v["features"]), np.array(v["targets"])
    assert v["log_after_step"] is None
    assert math.isclose(v["log_next_round"], np.linalg.norm(2 * X.T @ y / len(y)), rel_tol=1e-12)
