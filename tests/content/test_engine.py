"""The 60-line autograd engine page: the engine agrees with PyTorch, and order matters."""

import math
import random

import pytest
import torch

from _engine import Value
from conftest import read_page


def test_each_operation_matches_torch_on_random_expressions():
    rng = random.Random(1)
    for _ in range(50):
        a0, b0, c0 = (rng.uniform(-2, 2) for _ in range(3))
        a, b, c = Value(a0), Value(b0), Value(c0)
        out = ((a * b + c).tanh() - a).abs() * (3.0 - c) + b * b
        out.backward()
        ta, tb, tc = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (a0, b0, c0))
        t_out = ((ta * tb + tc).tanh() - ta).abs() * (3.0 - tc) + tb * tb
        t_out.backward()
        assert out.data == pytest.approx(t_out.item(), abs=1e-12)
        for mine, theirs in ((a, ta), (b, tb), (c, tc)):
            assert mine.grad == pytest.approx(theirs.grad.item(), abs=1e-12)


def test_topological_order_puts_every_node_after_its_inputs():
    x = Value(1.5)
    a = x * x
    out = a + a * x
    order = out.topological_order()
    position = {id(node): i for i, node in enumerate(order)}
    for node in order:
        assert all(position[id(parent)] < position[id(node)] for parent in node.inputs)
    assert order[-1] is out and len(order) == len(position)


def test_worked_example_gradients(outputs):
    v = outputs("engine_worked")
    x, y_true, w, b = 2.0, 4.0, 3.0, 1.0
    d = y_true - (w * x + b)
    sign = math.copysign(1.0, d)
    assert v["loss"] == abs(d)
    assert v["w_grad"] == sign * -1 * x and v["b_grad"] == sign * -1  # the path products, by hand
    assert (v["torch_w_grad"], v["torch_b_grad"]) == (v["w_grad"], v["b_grad"])


def test_wrong_order_loses_a_branch_of_the_fork(outputs):
    v = outputs("engine_order")
    x = v["x0"]
    right = 2 * x + 4 * x**3  # d/dx (x² + x⁴)
    assert v["right"] == pytest.approx(right, abs=1e-12)
    assert v["torch_grad"] == pytest.approx(right, abs=1e-12)
    assert v["wrong"] == pytest.approx(2 * x, abs=1e-12)  # only the direct path out → a → x
    assert abs(v["wrong"] - right) > 1


def test_mlp_gradients_equal_torch_to_1e12(outputs):
    v = outputs("engine_mlp")
    weights = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in v["weights"]]
    biases = [torch.tensor(b, dtype=torch.float64, requires_grad=True) for b in v["biases"]]
    h = torch.tensor(v["inputs"], dtype=torch.float64)
    for layer, (w, b) in enumerate(zip(weights, biases)):
        h = h @ w.T + b
        h = h if layer == len(weights) - 1 else torch.tanh(h)
    loss = ((h[:, 0] - torch.tensor(v["targets"], dtype=torch.float64)) ** 2).mean()
    loss.backward()
    expected = torch.cat([g.grad.flatten() for w, b in zip(weights, biases) for g in (w, b)])
    engine = torch.tensor(v["engine_grads"], dtype=torch.float64)
    assert v["count"] == expected.numel() == 41
    assert (engine - expected).abs().max().item() < 1e-12
    assert v["loss"] == pytest.approx(loss.item(), abs=1e-12) and v["max_gap"] < 1e-12


def test_engine_page_shows_the_engine_and_links(site):
    html = read_page(site, "autograd-tu-viet")
    assert "{{" not in html and "katex-error" not in html
    assert "topological_order" in html and "_backward" in html  # the engine itself is on the page
    assert 'href="../co-che-autograd/"' in html
    assert 'href="../autograd-tu-viet/"' in read_page(site, "backprop-va-autograd")
