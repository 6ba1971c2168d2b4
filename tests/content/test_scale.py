"""Backprop at scale: accumulation, two-process all-reduce, mixed precision, saved memory.

Expected values are computed here independently (numpy backprop, numpy float16, closed forms).
"""

import math
import os
import subprocess
import sys

import numpy as np
import pytest

from conftest import ROOT, BUILD, read_page


def mlp_gradient(x, y, params):
    """d MSE / d params of Linear(4, 8) -> tanh -> Linear(8, 1), by hand in float64."""
    w1, b1, w2, b2 = (np.array(p, dtype=np.float64) for p in params)
    x, y = np.array(x, dtype=np.float64), np.array(y, dtype=np.float64)
    h = np.tanh(x @ w1.T + b1)
    out = h @ w2.T + b2
    d_out = 2 * (out - y) / out.size
    d_w2, d_b2 = d_out.T @ h, d_out.sum(0)
    d_pre = (d_out @ w2) * (1 - h**2)
    d_w1, d_b1 = d_pre.T @ x, d_pre.sum(0)
    return np.concatenate([g.ravel() for g in (d_w1, d_b1, d_w2, d_b2)])


def test_accumulated_gradient_equals_the_full_batch_gradient(outputs):
    v = outputs("scale_accumulation")
    expected = mlp_gradient(v["x"], v["y"], v["params"])
    assert np.allclose(v["full_grad"], expected, atol=1e-6, rtol=0)
    assert np.allclose(v["accumulated_grad"], expected, atol=1e-6, rtol=0)
    assert v["max_gap"] <= 1e-6
    assert v["steps"] * v["micro"] == v["batch"] == 32 and v["steps"] == 4


def test_forgetting_the_division_multiplies_the_gradient_by_k(outputs):
    v = outputs("scale_accumulation")
    assert math.isclose(v["ratio_without_division"], v["steps"], rel_tol=1e-5)


def test_all_reduce_average_equals_the_full_batch_gradient(outputs):
    v = outputs("scale_data_parallel")
    assert v["world"] == 2 and v["identical"] is True
    full = mlp_gradient(v["x"], v["y"], v["params"])
    assert np.allclose(v["full_grad"], full, atol=1e-6, rtol=0)
    halves = zip(np.array_split(np.array(v["x"]), 2), np.array_split(np.array(v["y"]), 2))
    for local, (x, y) in zip(v["local_grads"], halves):
        assert np.allclose(local, mlp_gradient(x, y, v["params"]), atol=1e-6, rtol=0)
    assert not np.allclose(v["local_grads"][0], full, atol=1e-3)  # one half alone is not enough
    for averaged in v["averaged_grads"]:
        assert np.allclose(averaged, full, atol=1e-6, rtol=0)
        assert np.allclose(averaged, np.mean(v["local_grads"], axis=0), atol=1e-6, rtol=0)
    assert v["max_gap"] <= 1e-6


def test_data_parallel_snippet_declares_cpu():
    with open(os.path.join(os.path.dirname(BUILD), "snippets", "scale_data_parallel.py")) as fh:
        assert "# sitekit: device=cpu" in fh.read(600)


def test_float16_range_and_loss_scaling_match_numpy(outputs):
    v = outputs("scale_mixed_precision")
    info = np.finfo(np.float16)
    assert v["fp16_smallest"] == 2.0**-24 == float(info.smallest_subnormal)
    assert v["fp16_smallest_normal"] == float(info.smallest_normal) and v["fp16_max"] == float(info.max)
    tiny = np.array(v["tiny"], dtype=np.float32)
    assert np.array_equal(v["tiny_fp16"], tiny.astype(np.float16).astype(np.float32))
    assert v["tiny_fp16"][3] == 0.0 and v["tiny_fp16"][4] == 0.0  # 1e-8 and 1e-9 underflow
    s = np.float32(v["scale"])
    rescued = (tiny * s).astype(np.float16).astype(np.float32) / s
    assert np.allclose(v["tiny_rescued"], rescued, rtol=1e-6, atol=0)
    assert np.allclose(v["tiny_rescued"], tiny, rtol=2e-3, atol=0)  # every value saved


def test_unscaled_float16_gradients_underflow_as_predicted(outputs):
    v = outputs("scale_mixed_precision")
    name, zeros, error = v["rows"][0]
    # Output gradients 2 r / N with r ~ N(0, 0.01^2) round to 0 below 2^-25, i.e. |r| < t:
    threshold = 2.0**-25 * v["n_outputs"] / 2
    predicted = math.erf(threshold / 0.01 / math.sqrt(2))
    assert abs(zeros - predicted) < 0.01
    assert error > 0.5


def test_loss_scaling_restores_the_gradient(outputs):
    v = outputs("scale_mixed_precision")
    _, zeros, error = v["rows"][1]
    assert zeros < 1e-3 and error < 0.01


def test_autocast_rows_match_the_device(outputs):
    v = outputs("scale_mixed_precision")
    autocast = v["rows"][2:]
    if v["device"] == "cpu":
        assert v["amp_dtype"] == "bfloat16" and len(autocast) == 1
        _, zeros, error = autocast[0]
        assert zeros == 0.0  # bfloat16 has float32's exponent range: no underflow
        assert v["rows"][1][2] < error < 0.1  # but only 8 mantissa bits
    else:
        assert v["amp_dtype"] == "float16" and len(autocast) == 2
        assert autocast[0][1] > 0.5 and autocast[1][1] < 1e-3 and autocast[1][2] < 0.01


def test_saved_activation_memory_is_linear_in_depth(outputs):
    v = outputs("scale_memory")
    b, w = v["batch"], v["width"]
    assert v["saved_bytes"] == [(d + 1) * b * w * 4 for d in v["depths"]]
    slope, intercept = np.polyfit(v["depths"], v["saved_bytes"], 1)
    assert math.isclose(slope, b * w * 4) and math.isclose(intercept, b * w * 4)
    assert v["per_layer_bytes"] == b * w * 4
    assert os.path.exists(os.path.join(BUILD, "out", "scale_memory", "memory-dark.svg"))


def test_built_page_shows_the_numbers(outputs, site):
    html = read_page(site, "quy-mo-lon")
    assert "{{" not in html and "katex-error" not in html
    assert f"{outputs('scale_mixed_precision')['rows'][0][1]:.1%}" in html
    assert f"{outputs('scale_memory')['per_layer_kib']:.0f} KiB" in html
    assert "../out/scale_memory/memory-light.svg#only-light" in html
    assert html.count('class="katex-display"') >= 5


@pytest.mark.parametrize("name", ["scale_accumulation", "scale_mixed_precision", "scale_memory"])
def test_snippets_stay_short(name):
    with open(os.path.join(os.path.dirname(BUILD), "snippets", name + ".py")) as fh:
        assert len(fh.read().splitlines()) <= 85


def _run_under_cuda_fork_rule(path):
    """Run a snippet file as `__main__` after tests/cuda_fork_rule.py; return the finished process."""
    tests = os.path.join(ROOT, "tests")  # where cuda_fork_rule.py is
    snippets = os.path.join(ROOT, "snippets")
    code = f"import cuda_fork_rule, runpy; runpy.run_path({path!r}, run_name='__main__')"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([tests, snippets]), "MPLBACKEND": "Agg"}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=snippets, env=env, capture_output=True, text=True, timeout=120
    )


def test_data_parallel_snippet_forks_before_any_backward(tmp_path):
    """A GPU machine's torch refuses autograd in a child forked after backward(); the first GPU run
    failed on exactly that. Under the emulated rule the snippet runs, and a copy with one backward()
    moved before the fork fails with torch's message, so the emulation is live."""
    path = os.path.join(os.path.dirname(BUILD), "snippets", "scale_data_parallel.py")
    done = _run_under_cuda_fork_rule(path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "cùng gradient: True" in done.stdout

    with open(path, encoding="utf-8") as fh:
        source = fh.read()
    planted = source.replace("\n# %% worker\n", "\nloss_fn(model(x), y).backward()\n\n# %% worker\n", 1)
    assert planted != source
    (tmp_path / "planted.py").write_text(planted, encoding="utf-8")
    done = _run_under_cuda_fork_rule(str(tmp_path / "planted.py"))
    assert done.returncode != 0
    assert "Unable to handle autograd's threading" in done.stderr
