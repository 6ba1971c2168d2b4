"""The backprop-vs-autograd page: one gradient-descent step by hand equals the autograd + SGD one."""

import numpy as np
import pytest


def test_one_step_matches_numpy(outputs):
    v = outputs("autograd_gd_step")
    x, y, w0, b0, lr = np.array(v["x"]), np.array(v["y"]), v["w0"], v["b0"], v["lr"]
    residual = w0 * x + b0 - y
    dw, db = np.mean(2 * residual * x), np.mean(2 * residual)
    h = 1e-6
    loss = lambda w, b: np.mean((w * x + b - y) ** 2)  # noqa: E731
    assert dw == pytest.approx((loss(w0 + h, b0) - loss(w0 - h, b0)) / (2 * h), abs=1e-8)
    assert db == pytest.approx((loss(w0, b0 + h) - loss(w0, b0 - h)) / (2 * h), abs=1e-8)
    assert v["loss"] == pytest.approx(loss(w0, b0), abs=1e-14)
    for source in ("hand", "autograd"):
        assert v[f"dw_{source}"] == pytest.approx(dw, abs=1e-13)
        assert v[f"db_{source}"] == pytest.approx(db, abs=1e-13)
        assert v[f"w_{source}"] == pytest.approx(w0 - lr * dw, abs=1e-14)
        assert v[f"b_{source}"] == pytest.approx(b0 - lr * db, abs=1e-14)


def test_hand_and_autograd_agree(outputs):
    v = outputs("autograd_gd_step")
    assert v["dw_hand"] == v["dw_autograd"] and v["db_hand"] == v["db_autograd"]
    assert v["grad_gap"] == 0
    ulp = np.spacing(abs(v["w_hand"]))
    assert abs(v["w_hand"] - v["w_autograd"]) <= ulp and abs(v["b_hand"] - v["b_autograd"]) <= ulp
    assert v["gap"] <= 2 * np.finfo(np.float64).eps


def test_the_step_lowers_the_loss(outputs):
    v = outputs("autograd_gd_step")
    x, y = np.array(v["x"]), np.array(v["y"])
    after = np.mean((v["w_autograd"] * x + v["b_autograd"] - y) ** 2)
    assert after < v["loss"]
