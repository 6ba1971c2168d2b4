"""The chain-rule page: compositions, the worked example (7, 3, 2, 1), the real graph, a fork."""

import math
import os
import xml.etree.ElementTree as ET

import pytest

from conftest import BUILD


def test_two_function_composition(outputs):
    v = outputs("chain_compose")
    x = v["two_x"]
    expected = math.cos(x**2) * 2 * x  # d/dx sin(x²)
    assert v["two_product"] == pytest.approx(expected, abs=1e-12)
    assert v["two_autograd"] == pytest.approx(expected, abs=1e-12)


def test_chain_of_four_local_derivatives_and_product(outputs):
    v = outputs("chain_compose")
    x = v["four_x"]
    x1 = 3 * x + 1
    x2 = math.tanh(x1)
    x3 = x2**2
    local = [3.0, 1 - math.tanh(x1) ** 2, 2 * x2, math.exp(x3)]
    assert v["four_local"] == pytest.approx(local, abs=1e-12)
    step = 1e-6
    y = lambda t: math.exp(math.tanh(3 * t + 1) ** 2)  # noqa: E731
    numeric = (y(x + step) - y(x - step)) / (2 * step)
    assert math.prod(local) == pytest.approx(numeric, abs=1e-8)
    assert v["four_product"] == pytest.approx(math.prod(local), abs=1e-12)
    assert v["four_autograd"] == pytest.approx(math.prod(local), abs=1e-12)


def test_worked_example_numbers_are_7_3_2_1(outputs):
    v = outputs("chain_worked_example")
    x, y_true, w, b = v["x"], v["y_true"], v["w"], v["b"]
    assert (x, y_true, w, b) == (2, 4, 3, 1)
    y = w * x + b
    loss = abs(y_true - y)
    sign = math.copysign(1, y_true - y)
    assert (v["x1"], v["y"], v["diff"], v["loss"]) == (w * x, y, y_true - y, loss) == (6, 7, -3, 3)
    edges = [v[k] for k in ("edge_loss_diff", "edge_diff_y", "edge_y_x1", "edge_y_b", "edge_x1_w")]
    assert edges == [sign, -1, 1, 1, x]
    assert (v["dloss_dw"], v["dloss_db"]) == (-sign * x, -sign) == (2, 1)
    assert (v["w_grad"], v["b_grad"]) == (2, 1)


def test_worked_example_gradients_match_finite_differences(outputs):
    v = outputs("chain_worked_example")
    loss = lambda w, b: abs(v["y_true"] - (w * v["x"] + b))  # noqa: E731
    h = 1e-6
    dw = (loss(v["w"] + h, v["b"]) - loss(v["w"] - h, v["b"])) / (2 * h)
    db = (loss(v["w"], v["b"] + h) - loss(v["w"], v["b"] - h)) / (2 * h)
    assert v["dloss_dw"] == pytest.approx(dw, abs=1e-6)
    assert v["dloss_db"] == pytest.approx(db, abs=1e-6)


def test_worked_example_prints_its_numbers(outputs):
    text = outputs("chain_worked_example", "forward.out.md")
    assert "y = x1 + b = 7" in text and "loss = |y_true − y| = 3" in text
    paths = outputs("chain_worked_example", "paths.out.md")
    assert "= 2\n" in paths and "= 1\n" in paths and "w.grad = 2, b.grad = 1" in paths


def test_graph_walk_follows_autograd(outputs):
    v = outputs("chain_graph")
    assert v["node_types"] == [
        "AbsBackward0",
        "SubBackward0",
        "AddBackward0",
        "MulBackward0",
        "AccumulateGrad",
        "AccumulateGrad",
    ]
    # loss = |y_true - (w x + b)| at x=2, y_true=4, w=3, b=1: d = -3 < 0
    sign = -1.0
    assert v["node_grads"] == [1.0, sign, -sign, -sign, -sign * 2.0, -sign]
    # edges in walk order: diff→loss, y→diff, x1→y, w→x1, b→y
    assert v["edge_locals"] == [sign, -1.0, 1.0, 2.0, 1.0]


def test_graph_figure_is_an_svg_in_both_themes(outputs):
    outputs("chain_graph")
    for theme in ("light", "dark"):
        root = ET.parse(os.path.join(BUILD, "out", "chain_graph", f"graph-{theme}.svg")).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert len(root.findall(".//{http://www.w3.org/2000/svg}path")) > 30


def test_gradients_add_up_at_a_fork(outputs):
    v = outputs("chain_fork")
    x = v["x"]
    assert (v["u"], v["v"], v["loss"]) == (x**2, 3 * x, 3 * x**3)
    assert v["path_u"] == pytest.approx(3 * x * 2 * x)
    assert v["path_v"] == pytest.approx(x**2 * 3)
    assert v["x_grad"] == pytest.approx(9 * x**2) == v["path_u"] + v["path_v"]
    assert v["only_u"] == pytest.approx(6 * x**2)
