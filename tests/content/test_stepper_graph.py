"""The backward-pass steppers: the recorded graph is the one torch builds, every gradient is torch's
and right (autograd's .grad, finite differences, the hand formulas), and the pages carry the steps."""

import html
import json
import re

import numpy as np
import pytest
import torch

from conftest import read_page

MINUS = "\u2212"


def numbers(text):
    """Every number in a step's text, in order (the page writes a real minus sign)."""
    plain = text.replace(MINUS, "-").replace("∂", " ")
    return [float(n) for n in re.findall(r"(?<![\w₀-₉])-?\d+(?:\.\d+)?(?:e[-+]?\d+)?", plain)]


def shown(value):
    """What the page shows of a value: the number, or the first three entries of a tensor."""
    return [value] if np.ndim(value) == 0 else list(np.ravel(value)[:3])


def by_name(graph):
    return {n["name"]: n for n in graph["nodes"]}


def edge_names(graph):
    ids = {n["id"]: n["name"] for n in graph["nodes"]}
    return {(ids[e["source"]], ids[e["target"]]): e for e in graph["edges"]}


def check_steps(graph, steps):
    """Forward: every node once, inputs before uses; backward: every node once, in the order torch
    ran them (after every node that uses it); each step's numbers are the recorded ones."""
    nodes, ids = by_name(graph), {n["id"]: n for n in graph["nodes"]}
    forward = [s for s in steps if s["phase"] == "forward"]
    backward = [s for s in steps if s["phase"] == "backward"]
    assert steps == forward + backward
    assert sorted(s["name"] for s in forward) == sorted(nodes) == sorted(s["name"] for s in backward)
    assert [s["node"] for s in backward] == graph["backward"]
    place = {s["node"]: i for i, s in enumerate(forward)}
    back = {s["node"]: i for i, s in enumerate(backward)}
    for edge in graph["edges"]:
        assert place[edge["source"]] < place[edge["target"]]  # a value is made before it is used
        assert back[edge["target"]] < back[edge["source"]]  # a gradient is complete before it is sent on
    for step in steps:
        node = ids[step["node"]]
        found = numbers(step["text"])
        value = node["value"] if step["phase"] == "forward" else node["grad"]
        tail = found[-len(shown(value)) :]
        assert tail == pytest.approx(shown(value), rel=1e-3, abs=1e-9), step["text"]
        uses = [
            i
            for i, e in enumerate(graph["edges"])
            if e["source" if step["phase"] == "backward" else "target"] == node["id"]
        ]
        assert step["edges"] == uses


# ---- the worked example of docs/quy-tac-chuoi.md ----------------------------------------------


def worked_loss(w, b, x=2.0, y_true=4.0):
    return abs(y_true - (w * x + b))


@pytest.fixture(scope="module")
def worked(outputs):
    return outputs("stepper_worked")


def test_worked_graph_is_the_one_torch_builds(worked):
    graph = worked["graph"]
    w = torch.tensor(3.0, requires_grad=True)
    b = torch.tensor(1.0, requires_grad=True)
    loss = (torch.tensor(4.0) - (w * torch.tensor(2.0) + b)).abs()
    ops, stack, seen = [], [loss.grad_fn], set()
    while stack:  # depth first, first input first: the order of snippets/_autograd_graph.walk
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        ops.append(type(node).__name__)
        stack += [c for c, _ in reversed(node.next_functions) if c is not None]
    assert [n["op"] for n in graph["nodes"]] == ops
    assert {n: v["op"] for n, v in by_name(graph).items()} == {
        "loss": "AbsBackward0", "d": "SubBackward0", "y": "AddBackward0", "x₁": "MulBackward0",
        "w": "AccumulateGrad", "b": "AccumulateGrad",
    }  # fmt: skip
    assert set(edge_names(graph)) == {("d", "loss"), ("y", "d"), ("x₁", "y"), ("w", "x₁"), ("b", "y")}
    loss.backward()
    nodes = by_name(graph)
    assert nodes["w"]["grad"] == nodes["w"]["leaf_grad"] == w.grad.item()
    assert nodes["b"]["grad"] == nodes["b"]["leaf_grad"] == b.grad.item()


def test_worked_values_and_gradients_are_right(worked):
    nodes, edges = by_name(worked["graph"]), edge_names(worked["graph"])
    x, w, b, y_true = 2.0, 3.0, 1.0, 4.0
    d = y_true - (w * x + b)
    assert [nodes[k]["value"] for k in ("w", "b", "x₁", "y", "d", "loss")] == [w, b, w * x, w * x + b, d, abs(d)]
    hand = {("d", "loss"): np.sign(d), ("y", "d"): -1.0, ("x₁", "y"): 1.0, ("b", "y"): 1.0, ("w", "x₁"): x}
    for pair, local in hand.items():
        assert edges[pair]["local"] == pytest.approx(local), pair
        child, parent = pair
        assert edges[pair]["sent"] == pytest.approx(nodes[parent]["grad"] * local)  # chain rule, edge by edge
        assert nodes[child]["grad"] == pytest.approx(edges[pair]["sent"])  # one use each: nothing to add
    assert nodes["loss"]["grad"] == 1.0
    h = 1e-6
    assert nodes["w"]["grad"] == pytest.approx((worked_loss(w + h, b) - worked_loss(w - h, b)) / (2 * h), rel=1e-6)
    assert nodes["b"]["grad"] == pytest.approx((worked_loss(w, b + h) - worked_loss(w, b - h)) / (2 * h), rel=1e-6)


def test_worked_steps_show_the_recorded_numbers(worked):
    steps = worked["steps"]
    check_steps(worked["graph"], steps)
    assert worked["step_count"] == len(steps) == 12
    texts = [s["text"] for s in steps]
    assert "x₁ = w · x = 3 · 2 = 6" in texts and "loss = |d| = |−3| = 3" in texts
    assert "∂loss/∂y = ∂loss/∂d · ∂d/∂y = (−1) · (−1) = 1" in texts
    assert "∂loss/∂w = ∂loss/∂x₁ · ∂x₁/∂w = 1 · 2 = 2, ghi vào w.grad" in texts
    # the page says torch runs b's node right after the addition, before the multiplication
    order = [s["name"] for s in steps if s["phase"] == "backward"]
    assert order.index("b") == order.index("y") + 1 < order.index("x₁")


# ---- the two-layer network of docs/lan-truyen-nguoc.md ----------------------------------------


@pytest.fixture(scope="module")
def two(outputs):
    return outputs("stepper_two_layer")


def softmax(s):
    e = np.exp(s - s.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def two_layer_loss(X, labels, W1, b1, W2, b2):
    S = np.maximum(X @ W1 + b1, 0) @ W2 + b2
    return -np.mean(np.log(softmax(S))[np.arange(len(labels)), labels])


# what the page writes for each node's gradient, and the same rule in numpy (v: values, g: gradients)
RULES = {
    "logP": ("−Y/N (Y: nhãn dạng one-hot, N = 6)", lambda v, g, Y: -Y / len(Y)),
    "S": ("G − softmax(S) · (tổng mỗi hàng của G), với G = ∂L/∂logP",
          lambda v, g, Y: g["logP"] - softmax(v["S"]) * g["logP"].sum(axis=1, keepdims=True)),
    "A₁W₂": ("∂L/∂S", lambda v, g, Y: g["S"]),
    "b₂": ("Σₙ ∂L/∂S[n, :]", lambda v, g, Y: g["S"].sum(axis=0)),
    "A₁": ("∂L/∂A₁W₂ · W₂⊤", lambda v, g, Y: g["A₁W₂"] @ v["W₂"].T),
    "W₂": ("A₁⊤ · ∂L/∂A₁W₂", lambda v, g, Y: v["A₁"].T @ g["A₁W₂"]),
    "Z₁": ("∂L/∂A₁ ⊙ 1[Z₁ > 0]", lambda v, g, Y: g["A₁"] * (v["Z₁"] > 0)),
    "XW₁": ("∂L/∂Z₁", lambda v, g, Y: g["Z₁"]),
    "b₁": ("Σₙ ∂L/∂Z₁[n, :]", lambda v, g, Y: g["Z₁"].sum(axis=0)),
    "W₁": ("X⊤ · ∂L/∂XW₁", lambda v, g, Y: v["X"].T @ g["XW₁"]),
}  # fmt: skip


def test_two_layer_graph_is_the_one_torch_builds(two, outputs):
    graph, manual = two["graph"], outputs("backprop_two_layer")
    ops = {n: v["op"] for n, v in by_name(graph).items()}
    assert ops == {
        "L": "NllLossBackward0", "logP": "LogSoftmaxBackward0", "S": "AddBackward0", "A₁W₂": "MmBackward0",
        "A₁": "ReluBackward0", "Z₁": "AddBackward0", "XW₁": "MmBackward0", "W₁": "AccumulateGrad",
        "b₁": "AccumulateGrad", "W₂": "AccumulateGrad", "b₂": "AccumulateGrad",
    }  # fmt: skip
    assert set(edge_names(graph)) == {
        ("logP", "L"), ("S", "logP"), ("A₁W₂", "S"), ("b₂", "S"), ("A₁", "A₁W₂"), ("W₂", "A₁W₂"),
        ("Z₁", "A₁"), ("XW₁", "Z₁"), ("b₁", "Z₁"), ("W₁", "XW₁"),
    }  # fmt: skip
    assert two["node_count"] == len(graph["nodes"]) == 11
    assert two["largest"] == max(np.size(n["value"]) for n in graph["nodes"])
    # the same network and numbers as backprop_two_layer.py; torch's gradients are its .grad
    nodes = by_name(graph)
    assert nodes["L"]["value"] == pytest.approx(manual["loss"], abs=1e-12)
    leaves = [
        torch.tensor(nodes[k]["value"], dtype=torch.float64, requires_grad=True) for k in ("W₁", "b₁", "W₂", "b₂")
    ]
    X, labels = torch.tensor(manual["inputs"], dtype=torch.float64), torch.tensor(two["labels"])
    assert two["labels"] == manual["labels"]
    hidden = torch.relu(X @ leaves[0] + leaves[1])
    torch.nn.functional.cross_entropy(hidden @ leaves[2] + leaves[3], labels).backward()
    for key, leaf in zip(("W₁", "b₁", "W₂", "b₂"), leaves):
        name = {"W₁": "w1", "b₁": "b1", "W₂": "w2", "b₂": "b2"}[key]
        assert np.array(nodes[key]["value"]) == pytest.approx(np.array(manual[f"param_{name}"]), abs=1e-15)
        assert np.array(nodes[key]["grad"]) == pytest.approx(leaf.grad.numpy(), abs=1e-12)
        assert np.array(nodes[key]["leaf_grad"]) == pytest.approx(leaf.grad.numpy(), abs=1e-12)
        assert np.array(nodes[key]["grad"]) == pytest.approx(np.array(manual[f"grad_{name}"]), abs=1e-12)


def test_two_layer_gradients_match_finite_differences(two, outputs):
    nodes, manual = by_name(two["graph"]), outputs("backprop_two_layer")
    X, labels = np.array(manual["inputs"]), np.array(two["labels"])
    params = {k: np.array(nodes[k]["value"]) for k in ("W₁", "b₁", "W₂", "b₂")}
    h = 1e-6
    for key, value in params.items():
        numeric = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            for sign in (1, -1):
                nudged = dict(params, **{key: value.copy()})
                nudged[key][index] += sign * h
                numeric[index] += sign * two_layer_loss(X, labels, *nudged.values()) / (2 * h)
        assert np.array(nodes[key]["grad"]) == pytest.approx(numeric, abs=1e-7), key


def test_two_layer_rules_make_torchs_gradients(two, outputs):
    graph, steps = two["graph"], two["steps"]
    nodes, edges = by_name(graph), edge_names(graph)
    values = {k: np.array(n["value"]) for k, n in nodes.items()}
    values["X"] = np.array(outputs("backprop_two_layer")["inputs"])
    grads = {k: np.array(n["grad"]) for k, n in nodes.items()}
    onehot = np.eye(3)[two["labels"]]
    texts = {s["name"]: s["text"] for s in steps if s["phase"] == "backward"}
    assert texts["L"] == "∂L/∂L = 1 (backward() bắt đầu từ đây)"
    for name, (text, rule) in RULES.items():
        assert texts[name].startswith(f"∂L/∂{name} = {text}: dạng "), texts[name]
        assert grads[name] == pytest.approx(rule(values, grads, onehot), abs=1e-12), name
        (child, parent), edge = next((pair, e) for pair, e in edges.items() if pair[0] == name)
        assert np.array(edge["sent"]) == pytest.approx(grads[name], abs=0)  # torch sent it, the node got it
    check_steps(graph, steps)


# ---- the pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page, snippet, prefix",
    [
        ("quy-tac-chuoi", "stepper_worked", "stepper-worked"),
        ("lan-truyen-nguoc", "stepper_two_layer", "stepper-two-layer"),
    ],
)
def test_page_carries_the_steps_the_graph_and_the_table(site, outputs, page, snippet, prefix):
    values, text = outputs(snippet), read_page(site, page)
    data = re.search(rf'<script type="application/json" id="{prefix}-data">(.*?)</script>', text, re.S)
    assert data and json.loads(data.group(1)) == values["steps"]
    assert f'data-stepper="{prefix}-data"' in text
    for node in values["graph"]["nodes"]:
        assert f'<g class="stepper__node" id="{prefix}-{node["id"]}" data-node="{node["id"]}">' in text
    assert text.count('class="stepper__edge"') >= len(values["graph"]["edges"])
    assert re.search(r'<div class="stepper__panel" hidden>', text)  # shown by the script only
    assert '<button type="button" class="md-button" data-step="-1">Trước</button>' in text
    assert 'data-step="1">Sau</button>' in text
    body = html.unescape(re.sub(r"<[^>]+>", "", text.split(f'id="{prefix}-data"')[1]))
    for step in values["steps"]:  # the table after the widget: every step, the same text
        assert step["text"] in body, step["text"]


@pytest.mark.parametrize("snippet", ["stepper_worked", "stepper_two_layer"])
def test_step_texts_need_no_extra_font(outputs, snippet):
    """ᵀ or ⱼ would make every reader fetch Roboto's latin-ext file (15 KB) for one character."""
    latin_ext = re.compile("[\u1d00-\u1dbf\u2c60-\u2c7f\ua720-\ua7ff]")
    for step in outputs(snippet)["steps"]:
        assert not latin_ext.search(step["text"]), step["text"]
