"""The gradient-check page: the ε² law and its round-off floor, relative errors, kinks, gradcheck."""

import math

import numpy as np
import pytest
import torch


import _manual_layers as layers


def third_derivative(x):  # f = eˣ sin x  ⇒  f''' = 2eˣ(cos x − sin x)
    return 2 * math.exp(x) * (math.cos(x) - math.sin(x))


def test_exact_derivative(outputs):
    v = outputs("gradcheck_epsilon")
    x = v["x0"]
    assert v["exact"] == pytest.approx(math.exp(x) * (math.sin(x) + math.cos(x)), abs=1e-15)


def test_error_falls_as_eps_squared(outputs):
    v = outputs("gradcheck_epsilon")
    eps, err = np.array(v["eps"]), np.array(v["errors64"])
    region = (eps >= 1e-4) & (eps <= 1e-1)
    slope = np.polyfit(np.log10(eps[region]), np.log10(err[region]), 1)[0]
    assert slope == pytest.approx(2.0, abs=0.05)
    assert v["slope"] == pytest.approx(slope, abs=1e-9)
    # the leading term of the Taylor series predicts the error itself, not just its slope
    middle = (eps >= 1e-4) & (eps <= 1e-2)
    predicted = abs(third_derivative(v["x0"])) * eps[middle] ** 2 / 6
    np.testing.assert_allclose(err[middle], predicted, rtol=0.05)


def test_round_off_takes_over_for_tiny_eps(outputs):
    v = outputs("gradcheck_epsilon")
    eps, err = np.array(v["eps"]), np.array(v["errors64"])
    best = int(np.argmin(err))
    assert 0 < best < len(eps) - 1
    assert 1e-7 <= v["best_eps"] == eps[best] <= 1e-4
    assert v["best_error"] == err[best] < 1e-9
    assert v["smallest_eps_error"] == err[-1] > 1e3 * err[best]
    tiny = eps < 1e-8
    assert np.all(err[tiny] > 10 * err[best])  # the error rose again, it is not a single outlier


def test_float32_floor_is_far_higher(outputs):
    v = outputs("gradcheck_epsilon")
    assert v["best_error32"] == min(v["errors32"]) > 1e4 * v["best_error"]
    assert v["best_eps32"] == v["eps"][int(np.argmin(v["errors32"]))] > 100 * v["best_eps"]
    assert v["machine_eps64"] == np.finfo(np.float64).eps
    assert v["machine_eps32"] == np.finfo(np.float32).eps


def test_relative_errors_and_thresholds(outputs):
    v = outputs("gradcheck_relative")
    assert v["rel_correct64"] < 1e-7
    assert 1e-6 < v["rel_correct32"] < 1e-2
    assert v["rel_buggy64"] > 1e-2


def test_kink_of_relu(outputs):
    v = outputs("gradcheck_kink")
    eps, points = v["eps"], v["points"]
    assert points[0] == 0 and 0 < points[1] < eps < points[2]
    assert v["autograd"] == [0.0, 1.0, 1.0]
    assert v["numeric"][0] == pytest.approx(0.5, abs=1e-9)
    assert v["numeric"][1] == pytest.approx((points[1] + eps) / (2 * eps), abs=1e-9)
    assert v["numeric"][2] == pytest.approx(1.0, abs=1e-9)


def test_gradcheck_passes_and_catches(outputs):
    v = outputs("gradcheck_torch")
    assert v["manual_passes"] is True
    assert v["wrong_passes"] is False
    text = outputs("gradcheck_torch", "wrong.out.md")
    assert "GradcheckError: Jacobian mismatch for output 0 with respect to input 2" in text


def test_hand_written_layer_passes_gradcheck_on_fresh_data():
    gen = torch.Generator().manual_seed(7)
    args = [
        torch.randn(*shape, dtype=torch.float64, generator=gen, requires_grad=True) for shape in [(5, 3), (3, 4), (4,)]
    ]
    assert torch.autograd.gradcheck(layers.LinearReLU.apply, args)
