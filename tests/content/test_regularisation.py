"""Regularisation: the L2 gradient, SGD weight decay, Adam + L2 vs AdamW, overfitting and its cures."""

import numpy as np
import pytest
import torch

import _digits
from conftest import read_page


def test_l2_penalty_gradient_is_lambda_w_by_finite_differences(outputs):
    v = outputs("reg_l2")
    lam = v["lam"]
    w = _digits.init_params([64, 64, 10])["W1"].numpy()
    assert v["penalty"] == pytest.approx(lam / 2 * (w**2).sum(), rel=1e-12)
    penalty = lambda w: lam / 2 * (w**2).sum()  # noqa: E731
    h, rng = 1e-6, np.random.default_rng(0)
    for i, j in rng.integers(0, 64, size=(10, 2)):
        step = np.zeros_like(w)
        step[i, j] = h
        numeric = (penalty(w + step) - penalty(w - step)) / (2 * h)
        assert numeric == pytest.approx(lam * w[i, j], abs=1e-8)
    assert v["penalty_grad_gap"] < 1e-12


def test_sgd_l2_equals_weight_decay(outputs):
    v = outputs("reg_l2")
    assert v["gap_weight_decay"] < 1e-12 and v["gap_shrink"] < 1e-12
    assert v["shrink"] == pytest.approx(1 - v["lr"] * v["lam"], abs=1e-15)


def numpy_adam(w, grads, lr, lam, beta1, beta2, eps, decoupled):
    """Adam (L2 in the gradient) or AdamW (decoupled shrink), straight from the two papers' formulas."""
    m, s, path = np.zeros_like(w), np.zeros_like(w), []
    for t, grad_fn in enumerate(grads, start=1):
        g = grad_fn(w)
        if decoupled:
            w = w - lr * lam * w
        else:
            g = g + lam * w
        m = beta1 * m + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g**2
        w = w - lr * (m / (1 - beta1**t)) / (np.sqrt(s / (1 - beta2**t)) + eps)
        path.append(w.copy())
    return np.array(path)


def test_adam_l2_and_adamw_against_torch_and_each_other(outputs):
    v = outputs("reg_adamw")
    hyper = dict(lr=v["lr"], lam=v["lam"], beta1=v["beta1"], beta2=v["beta2"], eps=v["eps"])
    rng = np.random.default_rng(1)
    scales = np.array([10.0, 1.0, 0.1, 0.0])  # one weight with a large gradient ... one with none
    target = rng.normal(size=4)
    grads = [lambda w, k=k: scales * (w - target) * (1 + 0.1 * np.sin(k)) for k in range(60)]
    w0 = rng.normal(size=4)
    paths = {}
    for name, decoupled, cls in (("l2", False, torch.optim.Adam), ("w", True, torch.optim.AdamW)):
        expected = numpy_adam(w0, grads, **hyper, decoupled=decoupled)
        p = torch.tensor(w0, requires_grad=True)
        opt = cls(
            [p], lr=hyper["lr"], betas=(hyper["beta1"], hyper["beta2"]), eps=hyper["eps"], weight_decay=hyper["lam"]
        )
        for step, grad_fn in enumerate(grads):
            p.grad = torch.tensor(grad_fn(p.detach().numpy()))
            opt.step()
            np.testing.assert_allclose(p.detach().numpy(), expected[step], atol=1e-12)
        paths[name] = expected
    assert np.abs(paths["l2"] - paths["w"]).max() > 1e-2  # the two really differ
    # the weight with no loss gradient: AdamW shrinks it by (1 - lr λ) per step, Adam + L2 by ~lr
    assert paths["w"][-1, 3] == pytest.approx(w0[3] * (1 - hyper["lr"] * hyper["lam"]) ** 60, rel=1e-12)
    assert abs(abs(w0[3]) - abs(paths["l2"][0, 3]) - hyper["lr"]) < 1e-6
    assert v["gap_adam_l2"] < 1e-12 and v["gap_adamw"] < 1e-12  # the snippet's hand-written updates
    assert v["gap_l2_vs_adamw"] > 0.1
    norms = v["norms"]
    np.testing.assert_allclose(norms["adam_l2_hand"], norms["adam_l2_torch"], atol=1e-10)
    np.testing.assert_allclose(norms["adamw_hand"], norms["adamw_torch"], atol=1e-10)
    assert abs(norms["adam_l2_torch"][-1] - norms["adamw_torch"][-1]) > 1.0
    assert v["norm_start"] == pytest.approx(np.linalg.norm(_digits.init_params([64, 32, 10])["W1"].numpy()))


def test_overfitting_weight_decay_and_early_stopping(outputs):
    v = outputs("reg_overfit")
    plain, decay = v["runs"]["none"], v["runs"]["decay"]
    assert plain["train_acc"][-1] == 1.0 and plain["train_loss"][-1] < 1e-2
    val = np.array(plain["val_loss"])
    assert val[-1] > 1.2 * val.min()  # the validation loss went back up: overfitting
    assert decay["val_loss"][-1] < 0.8 * val[-1]  # weight decay keeps it down
    best = int(val.argmin()) + 1  # early stopping, recomputed from the curve
    assert v["best_epoch"] == best and v["best_val_loss"] == pytest.approx(val.min(), abs=1e-12)
    later = val[best:]  # after the best epoch, the first `patience` epochs with no improvement
    assert (later[: v["patience"]] >= val.min()).all() and v["stop_epoch"] == best + v["patience"]
    assert v["none_val_loss_end"] == pytest.approx(val[-1], abs=1e-12)
    assert len(plain["step_loss"]) == v["epochs"]  # one full-batch step per epoch on 100 images


def test_page_is_built(outputs, site):
    html = read_page(site, "dieu-chuan")
    assert "{{" not in html and "katex-error" not in html and "Tóm tắt" in html
    assert "norms-light.svg" in html and "overfit-light.svg" in html
    assert f"{outputs('reg_overfit')['decay_val_loss_end']:.3f}" in html
