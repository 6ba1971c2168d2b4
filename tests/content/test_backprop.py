"""The backprop-by-hand page: one neuron, activations, the two-layer network, backward(v)."""

import math

import numpy as np
import pytest
import torch


import _manual_layers as layers


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_one_neuron_gradients(outputs):
    v = outputs("backprop_one_layer")
    x, w, b, t = v["x"], v["w"], v["b"], v["target"]
    loss = lambda x, w, b: 0.5 * (sigmoid(w * x + b) - t) ** 2  # noqa: E731
    z = w * x + b
    a = sigmoid(z)
    assert v["z"] == pytest.approx(z, abs=1e-15) and v["a"] == pytest.approx(a, abs=1e-15)
    assert v["loss"] == pytest.approx(loss(x, w, b), abs=1e-15)
    h = 1e-6
    numeric = {
        "w": (loss(x, w + h, b) - loss(x, w - h, b)) / (2 * h),
        "b": (loss(x, w, b + h) - loss(x, w, b - h)) / (2 * h),
        "x": (loss(x + h, w, b) - loss(x - h, w, b)) / (2 * h),
    }
    closed = {"w": (a - t) * a * (1 - a) * x, "b": (a - t) * a * (1 - a), "x": (a - t) * a * (1 - a) * w}
    for name in "wbx":
        assert closed[name] == pytest.approx(numeric[name], abs=1e-9)
        assert v[f"by_hand_{name}"] == pytest.approx(closed[name], abs=1e-14)
        assert v[f"autograd_{name}"] == pytest.approx(closed[name], abs=1e-14)
    assert v["dl_da"] == pytest.approx(a - t) and v["f_prime"] == pytest.approx(a * (1 - a))


def test_activation_derivatives(outputs):
    v = outputs("backprop_activations")
    z = np.array(v["z"])
    s, t = sigmoid(z), np.tanh(z)
    expected = {
        "sigmoid": (s, s * (1 - s)),
        "tanh": (t, 1 - t**2),
        "relu": (np.maximum(z, 0), (z > 0).astype(float)),
    }
    for name, (value, slope) in expected.items():
        np.testing.assert_allclose(v[f"{name}_value"], value, atol=1e-14)
        np.testing.assert_allclose(v[f"{name}_slope"], slope, atol=1e-14)
    assert v["sigmoid_max_slope"] == pytest.approx(0.25, abs=1e-6)


def test_two_layer_manual_backward_matches_autograd(outputs):
    v = outputs("backprop_two_layer")
    as_tensor = lambda key: torch.tensor(v[key], dtype=torch.float64, requires_grad=True)  # noqa: E731
    W1, b1, W2, b2 = (as_tensor(f"param_{k}") for k in ("w1", "b1", "w2", "b2"))
    inputs = torch.tensor(v["inputs"], dtype=torch.float64)
    labels = torch.tensor(v["labels"])
    probs = torch.softmax(torch.relu(inputs @ W1 + b1) @ W2 + b2, dim=1)
    loss = -probs[torch.arange(len(labels)), labels].log().mean()
    loss.backward()
    assert v["loss"] == pytest.approx(loss.item(), abs=1e-12)
    for name, leaf in [("w1", W1), ("b1", b1), ("w2", W2), ("b2", b2)]:
        got = torch.tensor(v[f"grad_{name}"], dtype=torch.float64)
        assert got.shape == leaf.shape
        assert (got - leaf.grad).abs().max().item() < 1e-10, name
        assert leaf.grad.abs().max().item() > 1e-3  # a real gradient, not all zeros
    assert v["max_gap"] < 1e-10


def test_manual_layers_on_fresh_data():
    gen = torch.Generator().manual_seed(123)
    x = torch.randn(7, 5, dtype=torch.float64, generator=gen, requires_grad=True)
    W = torch.randn(5, 4, dtype=torch.float64, generator=gen, requires_grad=True)
    b = torch.randn(4, dtype=torch.float64, generator=gen, requires_grad=True)
    labels = torch.randint(0, 4, (7,), generator=gen)
    z = layers.linear_forward(x, W, b)
    a = layers.relu_forward(z)
    loss = layers.softmax_cross_entropy_forward(a * 3 - 1, labels)
    reference = torch.nn.functional.cross_entropy(torch.relu(x @ W + b) * 3 - 1, labels)
    assert loss.item() == pytest.approx(reference.item(), abs=1e-12)
    loss.backward()
    g_s = layers.softmax_cross_entropy_backward((a * 3 - 1).detach(), labels)
    g_z = layers.relu_backward(g_s * 3, z.detach())
    g_x, g_W, g_b = layers.linear_backward(g_z, x.detach(), W.detach())
    for got, leaf in [(g_x, x), (g_W, W), (g_b, b)]:
        assert (got - leaf.grad).abs().max().item() < 1e-12


def test_vector_jacobian_product(outputs):
    v = outputs("backprop_vjp")
    x0, x1, x2 = v["x"]
    J = np.array(
        [
            [x1, x0, 0.0],
            [0.0, 2 * x1, 0.0],
            [math.sin(x2), 0.0, x0 * math.cos(x2)],
        ]
    )
    vec = np.array(v["v"])
    np.testing.assert_allclose(v["jacobian"], J, atol=1e-14)
    np.testing.assert_allclose(v["vjp"], vec @ J, atol=1e-14)
    np.testing.assert_allclose(v["x_grad"], vec @ J, atol=1e-14)
    np.testing.assert_allclose(v["sum_grad"], J.sum(axis=0), atol=1e-14)
    assert not np.allclose(vec @ J, J @ vec)  # the order matters: vᵀJ, not Jv


def test_backward_without_v_on_a_vector_raises(outputs):
    text = outputs("backprop_vjp", "scalar-only.out.md")
    assert "RuntimeError: grad can be implicitly created only for scalar outputs" in text
