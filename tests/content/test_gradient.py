"""The gradient page: three ways to the same gradient, arrows on the contours, MSE gradients."""

import math

import numpy as np
import pytest


def f(x, y):
    return x**2 + 2 * y**2 + np.sin(x * y)


def closed_form_grad(x, y):
    return np.array([2 * x + y * np.cos(x * y), 4 * y + x * np.cos(x * y)])


def numpy_centred(fn, args, h=1e-5):
    args = np.asarray(args, dtype=float)
    grad = np.zeros_like(args)
    for i in range(len(args)):
        step = np.zeros_like(args)
        step[i] = h
        grad[i] = (fn(*(args + step)) - fn(*(args - step))) / (2 * h)
    return grad


def test_closed_form_used_here_is_itself_right():
    for point in [(1.0, -0.5), (-1.3, 0.7), (0.2, 1.9)]:
        np.testing.assert_allclose(closed_form_grad(*point), numpy_centred(f, point), atol=1e-8)


def test_three_ways_agree_with_the_closed_form(outputs):
    values = outputs("gradient_three_ways")
    expected = closed_form_grad(*values["point"])
    np.testing.assert_allclose(values["by_formula"], expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(values["by_autograd"], expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(values["by_difference"], expected, rtol=0, atol=1e-8)
    assert values["max_gap"] < 1e-8
    assert values["max_gap"] == pytest.approx(np.abs(np.array(values["by_difference"]) - expected).max(), rel=1e-3)


def test_arrows_are_the_gradient_at_their_points(outputs):
    values = outputs("gradient_three_ways")
    points, grads = np.array(values["arrow_points"]), np.array(values["arrow_grads"])
    assert points.shape == grads.shape == (64, 2)
    expected = np.array([closed_form_grad(x, y) for x, y in points])
    np.testing.assert_allclose(grads, expected, rtol=0, atol=1e-12)


def mse(w, b, x, y):
    return np.mean((y - (w * x + b)) ** 2)


def test_mse_gradient_of_the_no_bias_model(outputs):
    v = outputs("gradient_mse")
    x, y, w = np.array(v["x"]), np.array(v["y"]), v["w"]
    assert len(x) == v["n"]
    expected = np.mean(2 * (w * x - y) * x)
    numeric = numpy_centred(lambda w_: mse(w_, 0.0, x, y), [w])[0]
    assert expected == pytest.approx(numeric, abs=1e-8)
    assert v["no_bias_loss"] == pytest.approx(mse(w, 0.0, x, y), abs=1e-14)
    assert v["no_bias_by_hand"] == pytest.approx(expected, abs=1e-12)
    assert v["no_bias_autograd"] == pytest.approx(expected, abs=1e-12)


def test_mse_gradient_of_the_model_with_bias(outputs):
    v = outputs("gradient_mse")
    x, y, w, b = np.array(v["x"]), np.array(v["y"]), v["w"], v["b"]
    residual = w * x + b - y
    dw, db = np.mean(2 * residual * x), np.mean(2 * residual)
    numeric = numpy_centred(lambda w_, b_: mse(w_, b_, x, y), [w, b])
    np.testing.assert_allclose([dw, db], numeric, atol=1e-8)
    assert v["bias_loss"] == pytest.approx(mse(w, b, x, y), abs=1e-14)
    for name, value in [("dw", dw), ("db", db)]:
        assert v[f"bias_{name}_by_hand"] == pytest.approx(value, abs=1e-12)
        assert v[f"bias_{name}_autograd"] == pytest.approx(value, abs=1e-12)


def test_the_two_models_give_different_weight_gradients(outputs):
    v = outputs("gradient_mse")
    assert not math.isclose(v["no_bias_by_hand"], v["bias_dw_by_hand"], abs_tol=1e-3)
