"""The pitfalls page: each wrong and right version gives the numbers the page claims.

Expected values come from closed forms computed here, not from earlier runs.
"""

import math

import numpy as np
import pytest

from conftest import read_page


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_forgotten_zero_grad_gives_k_times_the_gradient(outputs):
    v = outputs("pitfall_zero_grad")
    x, y, w, k = np.array(v["x"]), np.array(v["y"]), v["w"], v["k"]
    true_grad = np.mean(2 * (w * x - y) * x)  # d/dw of mean((w x - y)^2)
    assert math.isclose(v["right_grad"], true_grad, rel_tol=1e-6)
    assert math.isclose(v["wrong_grads"], k * true_grad, rel_tol=1e-6)
    assert k > 1 and math.isclose(v["ratio"], k, rel_tol=1e-6)


def test_forgotten_zero_grad_in_training_keeps_oscillating(outputs):
    v = outputs("pitfall_zero_grad")
    x, y = np.array(v["x"]), np.array(v["y"])

    def loss(w):
        return np.mean((w * x - y) ** 2)

    def grad(w):
        return np.mean(2 * (w * x - y) * x)

    best = x @ y / (x @ x)
    assert math.isclose(v["best_loss"], loss(best), rel_tol=1e-5)
    w_clear = w_acc = 0.5
    total = 0.0
    for _ in range(30):
        w_clear -= 0.02 * grad(w_clear)
        total += grad(w_acc)  # .grad keeps every old gradient
        w_acc -= 0.02 * total
    assert math.isclose(v["train_with"], loss(w_clear), rel_tol=1e-4)
    assert math.isclose(v["train_without"], loss(w_acc), rel_tol=1e-4)
    assert v["train_without"] > 10 * v["train_with"]


def test_no_grad_placement(outputs):
    v = outputs("pitfall_no_grad")
    assert v["wrong_requires_grad"] is False
    x, y = np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.5])
    w = 0.5 - v["lr"] * np.mean(2 * (0.5 * x - y) * x)
    assert math.isclose(v["w_after"], w, rel_tol=1e-6)
    assert math.isclose(v["val_loss"], np.mean((w * x - y) ** 2), rel_tol=1e-6)
    assert "RuntimeError: element 0 of tensors does not require grad" in outputs("pitfall_no_grad", "wrong.out.md")
    text = outputs("pitfall_no_grad", "update-without-no-grad.out.md")
    assert "RuntimeError: a leaf Variable that requires grad" in text


def test_sigmoid_gradients_vanish_and_relu_ones_do_not(outputs):
    v = outputs("pitfall_vanishing")
    sig, relu = v["sigmoid_norms"], v["relu_norms"]
    assert len(sig) == len(relu) == v["depth"] + 1
    hidden = sig[:-1]
    assert all(a < b for a, b in zip(hidden, hidden[1:]))  # shrinks toward the input, layer by layer
    assert math.isclose(v["sigmoid_ratio"], sig[0] / sig[-2], rel_tol=1e-9)
    # sigma' <= 1/4: over 19 layers the shrinking is geometric
    assert v["sigmoid_ratio"] < 1e-10
    assert 0.05 < v["relu_ratio"] < 20
    assert math.isclose(v["relu_ratio"], relu[0] / relu[-2], rel_tol=1e-9)


def test_clipping_bounds_the_norm_and_keeps_the_direction(outputs):
    v = outputs("pitfall_exploding")
    c = v["max_norm"]
    assert v["wrong_broke_at"] == 1  # the first unclipped step already sends the loss to inf
    assert len(v["wrong_losses"]) == 1 and v["wrong_losses"][0] > 1e6
    for before, after in zip(v["norm_before"], v["norm_after"]):
        assert before > 1e6  # exploded
        assert math.isclose(after, min(before, c), rel_tol=1e-4)
    scale = c / (v["norm_before"][0] + 1e-6)  # what clip_grad_norm_ multiplies by
    assert np.allclose(v["grad_sample_after"], np.array(v["grad_sample_before"]) * scale, rtol=1e-4)
    losses = v["right_losses"]
    assert all(b < a for a, b in zip(losses, losses[1:]))
    assert losses[-1] < losses[0] / 2


def gd_path(lr, x0, steps):
    x, path = x0, [x0]
    for _ in range(steps):
        x = x - lr * (6 * x - 2)
        path.append(x)
    return path


def test_learning_rate_trajectories_follow_the_closed_form(outputs):
    v = outputs("pitfall_lr")
    x0, steps = v["x0"], v["steps"]
    for name, lr in (("path_034", 0.34), ("path_032", 0.32)):
        closed = [1 / 3 + (1 - 6 * lr) ** k * (x0 - 1 / 3) for k in range(steps + 1)]
        assert np.allclose(v[name], closed, rtol=1e-9, atol=1e-12)
    start = abs(x0 - 1 / 3)
    assert v["distance_034"] > 10 * start  # lr = 0.34 diverges
    assert v["distance_032"] < start / 100  # lr = 0.32 converges
    assert any(lr < 1 / 3 for lr in v["rates"]) and any(lr > 1 / 3 for lr in v["rates"])


@pytest.mark.parametrize("lr", [0.01, 0.1, 1 / 6, 0.3, 0.33, 0.334, 0.34, 0.5, -0.01])
def test_gradient_descent_on_f_converges_exactly_when_lr_below_one_third(lr):
    distance = abs(gd_path(lr, -1.0, 2000)[-1] - 1 / 3)
    assert (distance < 1e-3) == (0 < lr < 1 / 3)


def test_frozen_parameters_stay_frozen(outputs):
    v = outputs("pitfall_frozen")
    body, head = 4 * 32 + 32, 32 + 1
    assert v["wrong_trainable"] == head and v["right_trainable"] == body + head
    assert v["wrong_moved"] == 0.0
    assert v["right_moved"] > 0.1
    assert v["right_loss"] < v["wrong_loss"] / 2


def test_double_division_shrinks_the_learning_rate_by_the_batch_size(outputs):
    v = outputs("pitfall_double_mean")
    b = v["batch"]
    assert b > 1 and math.isclose(v["grad_ratio"], b, rel_tol=1e-5)
    assert np.allclose(np.array(v["right_grad"]), b * np.array(v["wrong_grad"]), rtol=1e-5)
    assert v["same_as_smaller_lr_gap"] < 1e-6
    assert v["right_curve"][-1] < v["wrong_curve"][-1] / 100


def test_backward_twice_error_and_retain_graph(outputs):
    v = outputs("pitfall_backward_twice")
    x, w = np.array(v["x"]), v["w"]
    s = sigmoid(w * x)
    grad = np.sum(2 * s * s * (1 - s) * x)  # d/dw of sum(sigmoid(w x)^2)
    assert math.isclose(v["first_grad"], grad, rel_tol=1e-5)
    assert math.isclose(v["once"], grad, rel_tol=1e-5)
    assert math.isclose(v["twice"], 2 * grad, rel_tol=1e-5)
    assert math.isclose(v["fresh_twice"], 2 * grad, rel_tol=1e-5)
    text = outputs("pitfall_backward_twice", "wrong.out.md")
    assert "RuntimeError: Trying to backward through the graph a second time" in text


def test_pitfalls_page_shows_wrong_and_right_tabs(outputs, site):
    html = read_page(site, "loi-thuong-gap")
    assert "{{" not in html and "katex-error" not in html
    assert html.count(">Sai</label>") >= 7 and html.count(">Đúng</label>") >= 7
    for error in ("does not require grad", "backward through the graph a second time", "leaf Variable"):
        assert error in html
    for figure in ("pitfall_vanishing/norms", "pitfall_lr/sweep", "pitfall_double_mean/curves"):
        assert f"../out/{figure}-dark.svg#only-dark" in html
    assert 'id="no-grad-sai-cho"' in html  # linked from the training-in-practice page


def test_sigmoid_derivative_formula_and_its_bound_of_one_quarter():
    import torch

    z = torch.linspace(-10, 10, 2001, dtype=torch.float64, requires_grad=True)
    torch.sigmoid(z).sum().backward()
    s = torch.sigmoid(z.detach())
    assert torch.allclose(z.grad, s * (1 - s), atol=1e-12)
    assert z.grad.max().item() <= 0.25 and math.isclose(z.grad.max().item(), 0.25, rel_tol=1e-9)


def test_clipping_formula_leaves_small_gradients_alone():
    import torch

    p = torch.nn.Parameter(torch.zeros(3))
    p.grad = torch.tensor([0.3, 0.0, 0.4])  # norm 0.5 < c
    torch.nn.utils.clip_grad_norm_([p], max_norm=1.0)
    assert torch.allclose(p.grad, torch.tensor([0.3, 0.0, 0.4]))
    p.grad = torch.tensor([3.0, 0.0, 4.0])  # norm 5: scaled by c / 5
    torch.nn.utils.clip_grad_norm_([p], max_norm=1.0)
    assert torch.allclose(p.grad, torch.tensor([0.6, 0.0, 0.8]), rtol=1e-5)
