"""The autograd-mechanics page: leaves, the three no-graph tools, versions, Hessian-vector products, hooks."""

import math

import numpy as np
import pytest

from conftest import read_page


def test_leaf_gradients_and_retain_grad(outputs):
    v = outputs("mech_leaf")
    w = np.array(v["w"])
    assert v["h_grad_is_none"] is True
    np.testing.assert_allclose(v["w_grad"], 8 * w, atol=1e-6)  # loss = Σ (2w)², d/dw = 8w
    np.testing.assert_allclose(v["h_grad"], 2 * (2 * w), atol=1e-6)  # d/dh Σ h² = 2h
    np.testing.assert_allclose(v["w_grad_again"], 2 * np.array(v["h_grad"]), atol=1e-6)


def test_detach_and_no_grad_results_are_constants(outputs):
    v = outputs("mech_modes")
    x = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(v["detach_grad"], x, atol=1e-6)  # d/dx Σ d·x with d = x held constant
    np.testing.assert_allclose(v["no_grad_grad"], 3 * x, atol=1e-6)  # n = 3x held constant
    assert v["t_is_inference"] is True and v["u_is_inference"] is False
    text = outputs("mech_modes", "inference.out.md")
    assert "Inference tensors cannot be saved for backward" in text
    assert "Inplace update to inference tensor outside InferenceMode" in text
    assert text.count("does not require grad") == 0
    assert outputs("mech_modes", "detach.out.md").count("does not require grad") == 1
    assert outputs("mech_modes", "no-grad.out.md").count("does not require grad") == 1


def test_version_counter_and_inplace_error(outputs):
    v = outputs("mech_inplace")
    assert v["versions"] == [0, 1]
    a = np.array(v["a"])
    s = 1 / (1 + np.exp(-a))
    np.testing.assert_allclose(v["a_grad"], 2 * s * (1 - s), atol=1e-6)
    np.testing.assert_allclose(v["b_grad"], [3.0, 3.0, 3.0])
    text = outputs("mech_inplace", "error.out.md")
    assert "modified by an inplace operation" in text and "is at version 1; expected version 0" in text


def gradient(x):
    """∇f for f(x) = ¼‖x‖⁴ + Π sin xᵢ, written by hand."""
    sines = np.sin(x)
    others = np.array([np.prod(np.delete(sines, i)) for i in range(len(x))])
    return (x @ x) * x + np.cos(x) * others


def test_hessian_vector_product_matches_finite_differences(outputs):
    v = outputs("mech_hvp")
    x, vec = np.array(v["x"]), np.array(v["v"])
    h = 1e-5
    numeric = (gradient(x + h * vec) - gradient(x - h * vec)) / (2 * h)
    np.testing.assert_allclose(v["hv"], numeric, rtol=1e-7, atol=1e-7)
    # the quartic term's Hessian in closed form, 2xxᵀ + ‖x‖² I, plus finite differences of the rest
    quartic = 2 * np.outer(x, x) + (x @ x) * np.eye(len(x))
    rest = lambda p: gradient(p) - (p @ p) * p  # noqa: E731
    np.testing.assert_allclose(v["hv"], quartic @ vec + (rest(x + h * vec) - rest(x - h * vec)) / (2 * h), atol=1e-7)
    assert v["gap"] < 1e-7


def test_fork_sums_before_grad_is_written_once(outputs):
    v = outputs("mech_fork_writes")
    x = v["x"]
    assert v["writes_one"] == 1 and v["grad_one"] == pytest.approx(9 * x**2, abs=1e-6)
    assert v["writes_two"] == 2 and v["grad_two"] == pytest.approx(2 * 9 * x**2, abs=1e-6)


def test_zero_grad_sets_none(outputs):
    v = outputs("mech_zero_grad")
    assert v["is_none"] is True and v["safe_norms_none"] is True
    assert np.all(np.array(v["zeros"]) == 0)


def test_hooks_see_and_change_gradients(outputs):
    v = outputs("mech_hooks")
    x = np.array([1.0, 2.0, 3.0])
    assert v["h_grad_seen"] == [3.0, 3.0, 3.0]  # loss = Σ 3h
    np.testing.assert_allclose(v["x_grad_hooked"], 10 * 3 * 2 * x, atol=1e-5)  # 10 × ∂(3x²)/∂x
    assert v["tanh_rule_gap"] < 1e-6 and v["last_grad_gap"] < 1e-6


def test_mechanics_page_is_built_and_linked(site):
    html = read_page(site, "co-che-autograd")
    assert "{{" not in html and "katex-error" not in html
    assert "Inference tensors cannot be saved for backward" in html
    assert html.count('class="katex-display"') >= 1 and math.isfinite(1.0)
    assert 'href="../co-che-autograd/"' in read_page(site, "autograd-tu-viet")
