"""The backprop-with-matrices page: XᵀG, GWᵀ, the bias sum, and the four patterns of backward flow."""

import os

import numpy as np
import pytest

from conftest import ROOT, nav_files, read_page


def numeric_gradient(loss, array, h=1e-6):
    """Central differences of a scalar function of one array, entry by entry."""
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        up, down = array.copy(), array.copy()
        up[index] += h
        down[index] -= h
        grad[index] = (loss(up) - loss(down)) / (2 * h)
    return grad


def test_linear_layer_gradients_against_finite_differences(outputs):
    v = outputs("matrix_shapes")
    X, W, b, T = (np.array(v[k]) for k in ("x", "w", "b", "t"))
    n = len(X)
    loss = lambda X, W, b: ((X @ W + b - T) ** 2).sum() / n  # noqa: E731
    G = 2 * (X @ W + b - T) / n  # dL/dZ of the mean squared error, in closed form
    np.testing.assert_allclose(v["g"], G, atol=1e-12)
    numeric = {
        "w": numeric_gradient(lambda W_: loss(X, W_, b), W),
        "x": numeric_gradient(lambda X_: loss(X_, W, b), X),
        "b": numeric_gradient(lambda b_: loss(X, W, b_), b),
    }
    formulas = {"w": X.T @ G, "x": G @ W.T, "b": G.sum(axis=0)}  # the page's three formulas
    for name in "wxb":
        np.testing.assert_allclose(formulas[name], numeric[name], atol=1e-8)
        np.testing.assert_allclose(v[f"grad_{name}"], numeric[name], atol=1e-8)
        assert np.abs(numeric[name]).max() > 1e-2  # a real gradient
    np.testing.assert_allclose(sum(np.outer(X[i], G[i]) for i in range(n)), numeric["w"], atol=1e-8)
    assert max(v["gap_w"], v["gap_x"], v["gap_b"], v["gap_outer"]) < 1e-12


def test_shape_table_matches_the_tensors(outputs):
    v = outputs("matrix_shapes")
    n, d, h = v["n"], v["d"], v["h"]
    shapes = {row[0]: row[2] for row in v["table-shapes"]}
    assert shapes["X"] == f"{n} × {d}" and shapes["W"] == f"{d} × {h}"
    assert shapes["∂L/∂W = XᵀG"] == shapes["W"]
    assert shapes["∂L/∂X = GWᵀ"] == shapes["X"]
    assert shapes["∂L/∂b = Σₙ Gₙ"] == shapes["b"] == f"{h}"
    assert shapes["G = ∂L/∂Z"] == shapes["Z = XW + b"] == f"{n} × {h}"


def test_four_patterns_of_backward_flow(outputs):
    v = outputs("matrix_patterns")
    x, y, z, w = v["x"], v["y"], v["z"], v["w"]
    loss = lambda x, y, z, w: 2 * (x * y + max(z, w)) + x  # noqa: E731
    h = 1e-6
    numeric = {
        "x": (loss(x + h, y, z, w) - loss(x - h, y, z, w)) / (2 * h),
        "y": (loss(x, y + h, z, w) - loss(x, y - h, z, w)) / (2 * h),
        "z": (loss(x, y, z + h, w) - loss(x, y, z - h, w)) / (2 * h),
        "w": (loss(x, y, z, w + h) - loss(x, y, z, w - h)) / (2 * h),
    }
    for name in "xyzw":
        assert v[f"grad_{name}"] == pytest.approx(numeric[name], abs=1e-6), name
    upstream = v["sent_f_s"]  # dL/ds
    assert upstream == pytest.approx(2.0)
    assert v["sent_s_m"] == v["sent_s_q"] == upstream  # add distributes
    assert v["sent_q_x"] == pytest.approx(upstream * y) and v["sent_q_y"] == pytest.approx(upstream * x)  # swaps
    assert z > w and v["sent_m_z"] == upstream and v["sent_m_w"] == 0  # max routes
    assert v["grad_x"] == pytest.approx(v["sent_q_x"] + v["sent_l_x"])  # a fork sums
    assert {"AddBackward0", "MulBackward0", "MaximumBackward0", "AccumulateGrad"} <= set(v["node_types"])


def test_page_follows_the_backprop_page_and_is_linked(site):
    nav = nav_files()
    order = [
        nav.index(p) for p in ("lan-truyen-nguoc.md", "ma-tran.md", "softmax-cross-entropy.md", "che-do-xuoi-nguoc.md")
    ]
    assert order == sorted(order)  # in this order after the backprop page; other pages may sit between
    assert 'href="../ma-tran/"' in read_page(site, "lan-truyen-nguoc")
    html = read_page(site, "ma-tran")
    assert "katex-error" not in html and "{{" not in html and "katex-display" in html
    assert "../out/matrix_patterns/graph-light.svg#only-light" in html
    assert 'class="admonition abstract"' in html and "Tóm tắt" in html


def test_the_three_pages_snippets_stay_short():
    folder = os.path.join(ROOT, "snippets")
    names = [n for n in os.listdir(folder) if n.startswith(("matrix_", "softmax_", "modes_")) and n.endswith(".py")]
    assert len(names) == 9
    for name in names:
        with open(os.path.join(folder, name), encoding="utf-8") as fh:
            assert len(fh.read().splitlines()) <= 85, name
