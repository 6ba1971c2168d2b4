"""The forward/reverse mode page: pass and FLOP counts, and the five APIs against a closed form."""

import json
import math
import os

import numpy as np
import pytest
import torch
from torch.func import jacfwd, jacrev, jvp, vjp

from conftest import read_page


def closed_jacobian(x):
    """f(x) = (x0 x1 + sin x2, x0² x2), differentiated by hand."""
    x0, x1, x2 = x
    return np.array([[x1, x0, math.cos(x2)], [2 * x0 * x2, 0.0, x0**2]])


def test_apis_agree_with_the_closed_form(outputs):
    v = outputs("modes_apis")
    J = closed_jacobian(v["x"])
    vec, u = np.array(v["v"]), np.array(v["u"])
    np.testing.assert_allclose(v["jacrev"], J, atol=1e-14)
    np.testing.assert_allclose(v["jacfwd"], J, atol=1e-14)
    for name in ("jvp", "forward_ad"):
        np.testing.assert_allclose(v[name], J @ vec, atol=1e-14)
    for name in ("vjp", "backward"):
        np.testing.assert_allclose(v[name], u @ J, atol=1e-14)
    assert not np.allclose(J @ vec, (u @ J)[:2])  # JVP and VJP are different products


def test_jvp_and_vjp_satisfy_the_dot_product_identity():
    """uᵀ(Jv) = (uᵀJ)v for a random function; a wrong JVP or VJP would break it."""
    gen = torch.Generator().manual_seed(7)
    A = torch.randn(5, 3, dtype=torch.float64, generator=gen)
    x, v = torch.randn(3, dtype=torch.float64, generator=gen), torch.randn(3, dtype=torch.float64, generator=gen)
    u = torch.randn(5, dtype=torch.float64, generator=gen)

    def f(t):
        return torch.tanh(A @ t) * t.sum()

    _, Jv = jvp(f, (x,), (v,))
    (uJ,) = vjp(f, x)[1](u)
    assert torch.dot(u, Jv).item() == pytest.approx(torch.dot(uJ, v).item(), abs=1e-12)
    assert torch.allclose(jacfwd(f)(x), jacrev(f)(x), atol=1e-12)


def test_gradient_costs_one_reverse_pass_or_n_forward_passes(outputs):
    v = outputs("modes_cost")
    h = v["h"]
    for n, reverse_passes, forward_passes, f_flops, reverse_flops, forward_flops in v["gradient_rows"]:
        assert (reverse_passes, forward_passes) == (1, n)
        assert f_flops == 2 * n * h  # one (1 × n)(n × h) matrix product
        assert f_flops < reverse_flops <= 3 * f_flops  # reverse mode: a small constant, whatever n
        assert forward_flops >= n * f_flops  # forward mode: at least one evaluation per input
        assert forward_flops / reverse_flops >= n / 2


def test_opposite_shape_favours_forward_mode(outputs):
    v = outputs("modes_column")
    for m, reverse_passes, forward_passes, g_flops, reverse_flops, forward_flops in v["column_rows"]:
        assert (reverse_passes, forward_passes) == (m, 1)
        assert forward_flops <= 4 * g_flops
        assert reverse_flops >= m * (g_flops / 2)
        if m >= 16:
            assert reverse_flops > 4 * forward_flops


def test_page_and_interview_answers(outputs, site):
    html = read_page(site, "che-do-xuoi-nguoc")
    assert "katex-error" not in html and "{{" not in html and 'class="katex"' in html
    assert "../out/modes_cost/flops-light.svg#only-light" in html
    assert 'class="admonition abstract"' in html
    interview = read_page(site, "phong-van")
    assert 'id="ma-tran-softmax-va-hai-che-do-tinh-dao-ham"' in interview
    row = outputs("modes_cost")["gradient_rows"][-1]
    assert f"{row[5]} FLOP so với {row[4]}" in " ".join(interview.split())
    assert 'href="../che-do-xuoi-nguoc/#dem-va-do-nhieu-dau-vao-mot-dau-ra"' in interview
    assert 'href="../softmax-cross-entropy/#gradient-cua-entropy-cheo-theo-logit"' in interview
    assert 'href="../ma-tran/#suy-ra-bang-phan-tich-chieu"' in interview


def test_measured_times_are_shown_and_marked_volatile(outputs, site):
    """The times are real measurements (positive, one row per size and shape), shown between the
    volatile markers, and kept out of the recorded values and of the search index."""
    from sitekit.record import VOLATILE_CLOSE, VOLATILE_OPEN

    v = outputs("modes_timing")
    assert not any(name.startswith("table-") for name in v)  # no test or page can read a time
    text = outputs("modes_timing", "times.table.md")
    assert text.startswith(VOLATILE_OPEN) and text.rstrip().endswith(VOLATILE_CLOSE)
    rows = [
        line.split("|")[1:-1]
        for line in text.splitlines()
        if line.startswith("| ") and "ms" not in line and "---" not in line
    ]
    assert [r[1].strip() for r in rows] == [f"n = {n}" for n in v["sizes"]] + [f"m = {m}" for m in v["sizes"]]
    for _, _, reverse, forward, ratio in rows:
        reverse, forward, ratio = float(reverse), float(forward), float(ratio)
        assert reverse > 0 and forward > 0
        assert ratio == pytest.approx(forward / reverse, rel=0.02)  # three significant digits each
    html = read_page(site, "che-do-xuoi-nguoc")
    shown = html[html.index(VOLATILE_OPEN) : html.index(VOLATILE_CLOSE)]
    assert "<table>" in shown and "(ms)</th>" in shown and "<td>n = 4</td>" in shown
    with open(os.path.join(site, "search", "search_index.json"), encoding="utf-8") as fh:
        docs = json.load(fh)["docs"]
    timing = [d for d in docs if d["location"] == "che-do-xuoi-nguoc/#thoi-gian-do-duoc"]
    assert len(timing) == 1 and "đổi mỗi lần dựng" in timing[0]["text"]  # the section itself is searchable
    timing += [d for d in docs if d["location"].startswith("notebooks/modes_timing/")]
    assert timing and not any(f"m = {v['sizes'][-1]}" in d["text"] for d in timing)  # its table is not


def test_search_drops_exactly_the_volatile_markers_sitekit_writes():
    from execdocs.render import search
    from sitekit.record import VOLATILE_CLOSE, VOLATILE_OPEN

    page = f"<p>trước</p>{VOLATILE_OPEN}<table><td>1.23</td></table>{VOLATILE_CLOSE}<p>sau</p>"
    assert search.searchable(page) == "<p>trước</p> <p>sau</p>"
