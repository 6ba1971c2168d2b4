"""The vanishing/exploding page: per-layer factors, Xavier and He variance, depth sweep, residual and
LayerNorm, dead ReLU, and activation checkpointing (with its interview answers)."""

import math
import os
import re

import numpy as np
import pytest

from conftest import ROOT, read_page

SQRT2, SQRT3 = math.sqrt(2), math.sqrt(3)


def tanh_net(weights, biases, x, residual=False):
    """L = sum(a_n) for a_l = f(W_l a_{l-1} + b_l) (or a_{l-1} + f(...)), in numpy."""
    a = x
    for W, b in zip(weights, biases):
        a = a + np.tanh(W @ a + b) if residual else np.tanh(W @ a + b)
    return a.sum()


def central_differences(f, x, h=1e-6):
    grad = np.zeros_like(x)
    for i in range(len(x)):
        e = np.zeros_like(x)
        e[i] = h
        grad[i] = (f(x + e) - f(x - e)) / (2 * h)
    return grad


@pytest.mark.parametrize("residual", [False, True])
def test_product_of_per_layer_factors_is_the_input_gradient(outputs, residual):
    v = outputs("deep_jacobian")
    weights, biases, x = np.array(v["weights"]), np.array(v["biases"]), np.array(v["x"])
    assert len(weights) == v["depth"]
    numeric = central_differences(lambda x: tanh_net(weights, biases, x, residual), x)
    key = "residual_" if residual else ""
    by_hand, autograd = np.array(v[f"{key}by_hand"]), np.array(v[f"{key}autograd"])
    assert np.allclose(by_hand, numeric, rtol=0, atol=1e-7 * max(1, abs(numeric).max()))
    assert np.allclose(by_hand, autograd, rtol=0, atol=1e-12 * max(1, abs(autograd).max()))
    # a wrong factor (W instead of Wᵀ) gives a different vector: the check above can tell them apart
    g, a, zs = np.ones(len(x)), x, []
    for W, b in zip(weights, biases):
        zs.append(W @ a + b)
        a = a + np.tanh(zs[-1]) if residual else np.tanh(zs[-1])
    for W, z in zip(weights[::-1], zs[::-1]):
        step = W @ ((1 - np.tanh(z) ** 2) * g)
        g = g + step if residual else step
    assert abs(g - numeric).max() > 1e-3


def test_variance_of_one_layer_follows_fan_in_forward_and_fan_out_backward(outputs):
    v = outputs("deep_variance")
    n_in, n_out = v["fan_in"], v["fan_out"]
    assert n_in != n_out  # otherwise fan_in and fan_out could be swapped unnoticed
    var_w = {  # closed forms of each initialisation's Var(W)
        "mặc định (nn.Linear)": 1 / (3 * n_in),  # uniform on ±1/√fan_in
        "Xavier": 2 / (n_in + n_out),
        "He (fan_in)": 2 / n_in,
    }
    assert [row[0] for row in v["rows"]] == list(var_w)
    for name, closed_in, forward, closed_out, backward in v["rows"]:
        assert forward == pytest.approx(n_in * var_w[name], rel=0.03), name
        assert backward == pytest.approx(n_out * var_w[name], rel=0.03), name
        assert closed_in == pytest.approx(n_in * var_w[name], rel=0.03)
        assert closed_out == pytest.approx(n_out * var_w[name], rel=0.03)
    # ReLU keeps half of a symmetric signal's second moment, forward and backward: He's factor 2
    assert v["relu_ratio"] == pytest.approx(0.5, abs=0.01)
    assert v["slope_ratio"] == pytest.approx(0.5, abs=0.01)
    assert v["gain_relu"] == pytest.approx(SQRT2)


def sweep_rows(v):
    rows = {row[0]: row[1:] for row in v["rows"]}
    assert len(rows) == 9
    return rows


def test_depth_sweep_separates_the_activation_from_the_weights(outputs):
    v = outputs("deep_depth_sweep")
    rows, depth = sweep_rows(v), v["depth"]
    weight_factor = {"mặc định": 1 / SQRT3, "Xavier": 1.0, "He": SQRT2}  # √(fan_out·Var(W)), square layers
    for name, (act, weights, product, r20, r_all, r_weight) in rows.items():
        f_name, i_name = name.split(", ")
        assert weights == pytest.approx(weight_factor[i_name], rel=0.05), name
        assert product == pytest.approx(act * weights, rel=1e-9) and r_weight > 0
        if f_name == "sigmoid":
            assert act <= 0.25  # σ' <= 1/4
        if f_name == "ReLU":
            assert act == pytest.approx(1 / SQRT2, rel=0.05)  # half the units pass, slope 1
        norms = v["norms"][f"{f_name} {i_name}"]
        assert len(norms) == depth
        assert r20 == pytest.approx(norms[depth - 20] / norms[-1], rel=1e-9)
        assert r_all == pytest.approx(norms[0] / norms[-1], rel=1e-9)
    # the page's claims
    assert rows["ReLU, mặc định"][3] < 1e-5  # ReLU with the default init vanishes over 20 layers
    assert all(rows[f"sigmoid, {i}"][4] < 1e-20 for i in weight_factor)  # sigmoid vanishes whatever the init
    assert 0.1 < rows["ReLU, He"][4] < 10 and 0.05 < rows["tanh, Xavier"][4] < 20
    assert rows["ReLU, Xavier"][4] < 1e-5 and 0.3 < rows["ReLU, Xavier"][5] < 30  # the misleading weight norm
    names = [row[0] for row in v["rows"]]
    signals = dict(zip(names, v["signals"]))  # ||a_50|| / ||x||: with Xavier, ReLU's forward signal dies too
    assert signals["ReLU, Xavier"] < 1e-5 < 0.05 < signals["ReLU, He"]


def test_residual_and_layernorm_keep_the_gradient_alive(outputs):
    v = outputs("deep_residual")
    depth = v["depth"]
    for key in ("plain", "residual", "layernorm", "both"):
        norms = v[key]
        assert len(norms) == depth
        assert v[f"{key}_ratio"] == pytest.approx(norms[0] / norms[-1], rel=1e-9)
        assert v[f"{key}_per_layer"] == pytest.approx(v[f"{key}_ratio"] ** (1 / (depth - 1)), rel=1e-9)
    assert v["plain_ratio"] < 1e-10
    assert v["residual_ratio"] > 1  # the skip path: no vanishing (here it grows instead)
    assert 0.1 < v["layernorm_ratio"] < 10 and 0.1 < v["both_ratio"] < 10


def test_dead_relu_units_get_no_gradient_and_never_recover(outputs):
    v = outputs("deep_dead_relu")
    assert v["init_dead"] == 0
    assert v["bias_dead"] > v["width"] // 2 and v["bias_dead_grad"] == 0.0
    assert v["step_lrs"] == [0.1, 1.0] and v["step_dead"][0] == 0 and v["step_dead"][1] > 0
    assert v["killed"] == v["step_dead"][1] and v["still_dead"] == v["killed"] and v["moved"] == 0.0
    dead, pre_max, grad = v["dead_now"], v["pre_max"], v["grad_now"]
    assert sum(dead) == v["dead_after"] >= v["killed"]
    for is_dead, m, g in zip(dead, pre_max, grad):
        assert is_dead == (m <= 0)  # dead: negative for every input
        if is_dead:
            assert g == 0.0
    assert any(g > 0 for is_dead, g in zip(dead, grad) if not is_dead)


def test_checkpointing_keeps_segment_inputs_and_recomputes_once(outputs):
    v = outputs("deep_checkpoint")
    matrix_kib = v["batch"] * v["width"] * 4 / 1024  # one batch × width float32 matrix
    assert v["plain_kib"] == (v["depth"] + 1) * matrix_kib  # every layer's input, and the last output
    assert v["ckpt_kib"] == v["segments"] * matrix_kib  # only each segment's input
    assert v["plain_calls"] == v["depth"] and v["ckpt_calls"] == 2 * v["depth"]
    assert v["grad_gap"] < 1e-6


def test_the_page_is_built_and_linked(outputs, site):
    html = read_page(site, "tieu-bien-bung-no")
    assert "{{" not in html and "katex-error" not in html
    assert html.count('class="katex-display"') >= 4
    for figure in ("deep_depth_sweep/depth", "deep_residual/alive"):
        assert f"../out/{figure}-light.svg#only-light" in html
    assert "Tóm tắt" in html
    rows = sweep_rows(outputs("deep_depth_sweep"))
    assert f"{rows['ReLU, mặc định'][3]:.1e}" in html
    pitfalls = read_page(site, "loi-thuong-gap")
    assert 'href="../tieu-bien-bung-no/"' in pitfalls
    assert "cùng bậc độ lớn" in pitfalls and "cỡ như nhau" not in pitfalls
    assert 'href="../bptt/"' in html


def test_interview_section_on_deep_networks(outputs, site):
    with open(os.path.join(ROOT, "docs", "phong-van.md"), encoding="utf-8") as fh:
        text = fh.read()
    section = text.split("## Mạng sâu: tiêu biến, bùng nổ và bộ nhớ", 1)[1].split("\n## ", 1)[0]
    titles = re.findall(r'^\?\?\? question "(.+)"$', section, re.MULTILINE)
    assert len(titles) >= 3
    assert any("Xavier" in t and "He" in t for t in titles)
    assert any("checkpointing" in t for t in titles) and any("hồi quy" in t for t in titles)
    html = read_page(site, "phong-van")
    v = outputs("deep_checkpoint")
    assert f"{v['plain_kib']:.0f} KiB" in html and f"{v['ckpt_kib']:.0f} KiB" in html
