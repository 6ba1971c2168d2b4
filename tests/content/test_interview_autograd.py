"""The interview section "Autograd từ bên trong": its formulas, checked independently."""

import re

import numpy as np

from test_interview import PAGE, questions


def test_nesterov_look_ahead_equals_the_pytorch_form():
    A = np.array([[3.0, 0.5], [0.5, 0.2]])  # L(w) = ½ wᵀAw − bᵀw
    b = np.array([1.0, -1.0])
    grad = lambda w: A @ w - b  # noqa: E731
    lr, mu = 0.1, 0.9
    theta, v = np.array([2.0, -3.0]), np.zeros(2)  # look-ahead form: gradient at θ + μv
    w, v_w = theta.copy(), np.zeros(2)  # PyTorch's form, with w = θ + μv
    for _ in range(30):
        v = mu * v - lr * grad(theta + mu * v)
        theta = theta + v
        g = grad(w)
        v_w = mu * v_w - lr * g
        w = w + mu * v_w - lr * g
        np.testing.assert_allclose(w, theta + mu * v, atol=1e-12)
    plain_theta, plain_v = np.array([2.0, -3.0]), np.zeros(2)
    for _ in range(30):
        plain_v = mu * plain_v - lr * grad(plain_theta)
        plain_theta = plain_theta + plain_v
    assert np.abs(plain_theta - theta).max() > 1e-3  # a different algorithm


def test_fork_gradient_is_the_sum_of_both_paths(outputs):
    v = outputs("chain_fork")
    x = v["x"]
    loss = lambda t: (t**2) * (3 * t)  # noqa: E731
    h = 1e-6
    numeric = (loss(x + h) - loss(x - h)) / (2 * h)
    assert abs((3 * x) * 2 * x + x**2 * 3 - numeric) < 1e-6  # ∂L/∂u·u' + ∂L/∂v·v'
    assert abs(v["path_u"] + v["path_v"] - numeric) < 1e-4 and outputs("mech_fork_writes")["writes_one"] == 1


def test_section_questions_link_to_the_autograd_pages():
    with open(PAGE, encoding="utf-8") as fh:
        text = fh.read()
    section = text.split("## Autograd từ bên trong", 1)[1]
    titles = re.findall(r'^\?\?\? question "(.+)"$', section, re.MULTILINE)
    assert len(titles) >= 3
    bodies = {title: body for title, body in questions() if title in titles}
    assert len(bodies) == len(titles)
    for title, body in bodies.items():
        assert "{{" in body, title  # backed by a snippet's value
    assert "co-che-autograd.md#grad-sau-zero_grad-la-none" in section
    assert "toi-uu.md#hai-cach-viet-cung-mot-thuat-toan" in section
