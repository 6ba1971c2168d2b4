"""The softmax page: its Jacobian, the (P - Y)/N gradient, float32 overflow, the double-softmax floor."""

import math

import numpy as np
import pytest
import torch

from conftest import read_page


def softmax(s):
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def mean_cross_entropy(S, labels):
    return -np.log(softmax(S)[np.arange(len(labels)), labels]).mean()


def numeric_jacobian(func, s, h=1e-6):
    return np.stack([(func(s + h * e) - func(s - h * e)) / (2 * h) for e in np.eye(len(s))], axis=1)


def test_softmax_jacobian(outputs):
    v = outputs("softmax_jacobian")
    s = np.array(v["s"])
    p = softmax(s)
    np.testing.assert_allclose(v["p"], p, atol=1e-14)
    numeric = numeric_jacobian(softmax, s)  # J[i, j] = dp_i / ds_j
    np.testing.assert_allclose(np.diag(p) - np.outer(p, p), numeric, atol=1e-9)  # the page's formula
    np.testing.assert_allclose(v["jacobian"], numeric, atol=1e-9)
    np.testing.assert_allclose(numeric.sum(axis=0), 0, atol=1e-9)  # columns sum to 0
    assert v["jacobian_gap"] < 1e-12


def test_softmax_jacobian_entries_are_at_most_a_quarter():
    gen = torch.Generator().manual_seed(5)
    for _ in range(20):
        s = 4 * torch.randn(6, dtype=torch.float64, generator=gen)
        J = torch.autograd.functional.jacobian(lambda t: torch.softmax(t, dim=0), s)
        assert J.abs().max().item() <= 0.25 + 1e-12


def test_cross_entropy_gradient_is_p_minus_y(outputs):
    v = outputs("softmax_jacobian")
    s, y = np.array(v["s"]), v["label"]
    one_hot = np.eye(len(s))[y]
    numeric = numeric_jacobian(lambda t: np.array([-np.log(softmax(t)[y])]), s)[0]
    np.testing.assert_allclose(softmax(s) - one_hot, numeric, atol=1e-8)
    np.testing.assert_allclose(v["through_jacobian"], numeric, atol=1e-8)


def test_batch_gradient_is_p_minus_y_over_n(outputs):
    v = outputs("softmax_jacobian")
    S, labels = np.array(v["logits"]), np.array(v["labels"])
    n, c = S.shape
    numeric = np.zeros_like(S)
    for index in np.ndindex(S.shape):
        up, down = S.copy(), S.copy()
        up[index] += 1e-6
        down[index] -= 1e-6
        numeric[index] = (mean_cross_entropy(up, labels) - mean_cross_entropy(down, labels)) / 2e-6
    np.testing.assert_allclose((softmax(S) - np.eye(c)[labels]) / n, numeric, atol=1e-8)
    np.testing.assert_allclose(v["logits_grad"], numeric, atol=1e-8)
    assert v["batch_gap"] < 1e-12


def test_naive_softmax_overflows_where_float32_exp_does(outputs):
    v = outputs("softmax_overflow")
    with np.errstate(over="ignore"):
        expected = next(t for t in range(1, 200) if np.isinf(np.exp(np.float32(t))))
    assert expected == math.ceil(math.log(np.finfo(np.float32).max))
    assert v["first_bad"] == expected
    assert v["stable_max_error"] < 1e-6  # finite and right (float32 round-off), for t from 1 to 1000
    # -log p₂ for logits [1000, 0, -1000]: log(e^1000 + 1 + e^-1000) + 1000 = 2000 in closed form
    assert v["stable_ce"] == pytest.approx(2000.0) and v["torch_ce"] == pytest.approx(2000.0)
    rows = {row[0]: row for row in v["table-overflow"]}
    assert rows[float(expected)][1] == "nan" and rows[float(expected - 1)][1] != "nan"
    for t, row in rows.items():  # p₁ of logits [t, 0, -t] is 1 / (e^t + 1 + e^-t), in float64
        assert float(row[4]) == pytest.approx(1 / (math.exp(t) + 1 + math.exp(-t)) if t < 700 else 0.0, rel=1e-3)


def test_double_softmax_floor_and_slower_learning(outputs):
    v = outputs("softmax_double")
    k = v["k"]
    assert v["floor"] == pytest.approx(math.log(1 + (k - 1) / math.e), abs=1e-12)
    # the floor independently: cross-entropy of inputs in [0, 1], smallest at a one-hot input
    gen = np.random.default_rng(0)
    inputs = np.vstack([np.eye(k)[0], gen.uniform(0, 1, (2000, k))])
    lowest = (-np.log(softmax(inputs)[:, 0])).min()
    assert lowest == pytest.approx(v["floor"], abs=1e-12)
    assert min(v["wrong_seen"]) >= v["floor"] - 1e-6
    assert v["right_true"][-1] < v["floor"] < v["wrong_true"][0]
    assert v["wrong_true"][-1] > 3 * v["right_true"][-1]  # the mistake learns much more slowly
    assert v["right_acc"] > v["wrong_acc"]


def test_page_is_built(site):
    html = read_page(site, "softmax-cross-entropy")
    assert "katex-error" not in html and "{{" not in html and "katex-display" in html
    assert "../out/softmax_double/curves-light.svg#only-light" in html
    assert 'class="admonition abstract"' in html and 'href="../che-do-xuoi-nguoc/"' in html
