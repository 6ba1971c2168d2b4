"""The live learning-rate explorer: the torch paths snippets/lr_live.py records against closed forms,
and the widgets the pages carry (their data is the snippet's)."""

import html
import json
import os
import re

import numpy as np
import pytest

from conftest import read_page


@pytest.fixture(scope="module")
def live(outputs):
    return outputs("lr_live")


def errors(path, best):
    return np.array(path, dtype=float) - np.asarray(best, dtype=float)


def curvatures(live, kind):
    """(minimum, second derivative) per coordinate: the coordinates of both functions decouple."""
    if kind == "line":
        a, b, _ = live["line_coefficients"]
        return [-b / (2 * a)], [2 * a]
    return [0.0, 0.0], [1.0, live["valley_kappa"]]


def close(expected, actual):
    scale = np.maximum(1.0, np.abs(actual))
    return np.max(np.abs(expected - actual) / scale) < 1e-12


@pytest.mark.parametrize("kind", ["line", "valley"])
def test_plain_descent_shrinks_each_coordinate_by_one_minus_eta_h(live, kind):
    best, h = curvatures(live, kind)
    for case in live[f"{kind}_cases"]:
        e = errors(case["sgd"], best)
        assert e.shape == (live[f"{kind}_steps"] + 1, len(best))
        for i, hi in enumerate(h):
            # x_{k+1} - x* = (1 - ηh)(x_k - x*); on the line 1 - 6η, from x0 = -1
            assert close((1 - case["eta"] * hi) * e[:-1, i], e[1:, i]), (kind, case["eta"], i)


@pytest.mark.parametrize("kind", ["line", "valley"])
def test_momentum_and_nesterov_follow_their_recurrences(live, kind):
    best, h = curvatures(live, kind)
    for case in live[f"{kind}_cases"]:
        eta, mu = case["eta"], case["mu"]
        for i, hi in enumerate(h):
            # heavy ball (d = μd + g, x -= ηd): e_1 = (1 - ηh) e_0, e_{k+1} = (1 + μ - ηh) e_k - μ e_{k-1}
            e = errors(case["momentum"], best)[:, i]
            assert close((1 - eta * hi) * e[0], e[1])
            assert close((1 + mu - eta * hi) * e[1:-1] - mu * e[:-2], e[2:]), (kind, eta, mu, i)
            # Nesterov (x -= η(g + μd)): e_1 = (1 - (1 + μ)ηh) e_0, e_{k+1} = (1 - ηh)((1 + μ) e_k - μ e_{k-1})
            e = errors(case["nesterov"], best)[:, i]
            assert close((1 - (1 + mu) * eta * hi) * e[0], e[1])
            assert close((1 - eta * hi) * ((1 + mu) * e[1:-1] - mu * e[:-2]), e[2:]), (kind, eta, mu, i)


def stable(method, eta, mu, h):
    """The closed-form stability condition of each update on a curvature h."""
    limit = {"sgd": 2, "momentum": 2 * (1 + mu), "nesterov": 2 * (1 + mu) / (1 + 2 * mu)}[method]
    return eta * h < limit


@pytest.mark.parametrize("kind", ["line", "valley"])
def test_the_runs_diverge_exactly_where_the_closed_form_says(live, kind):
    best, h = curvatures(live, kind)
    seen = set()
    for case in live[f"{kind}_cases"]:
        for method in ("sgd", "momentum", "nesterov"):
            e = np.abs(errors(case[method], best))
            grew = bool(np.any(e[-1] > e[0]))
            expected = all(stable(method, case["eta"], case["mu"], hi) for hi in h)
            assert grew != expected, (kind, case["eta"], case["mu"], method)
            seen.add((method, expected))
    # the cases show each update both converging and diverging, except momentum on the line: there
    # it is stable up to η = 2(1 + μ)/6, past the slider's end, as the page says
    every = {(m, s) for m in ("sgd", "momentum", "nesterov") for s in (True, False)}
    assert seen == (every - {("momentum", False)} if kind == "line" else every)


def test_valley_limits_are_the_closed_forms(live):
    kappa, mu = live["valley_kappa"], live["valley_mu"][3]
    assert live["valley_limit_sgd"] == pytest.approx(2 / kappa)
    assert live["valley_limit_momentum"] == pytest.approx(2 * (1 + mu) / kappa)
    assert live["valley_limit_nesterov"] == pytest.approx(2 * (1 + mu) / ((1 + 2 * mu) * kappa))
    assert live["valley_limit_nesterov"] < live["valley_limit_sgd"] < live["valley_limit_momentum"]
    assert 10 <= kappa <= 50


def test_the_line_is_the_training_loop_pages_function(live, outputs):
    explorer = outputs("lr_explorer")
    assert live["line_start"] == [explorer["x0"]] and live["line_steps"] == explorer["steps"]
    for case in live["line_cases"]:
        if case["eta"] in explorer["rates"]:  # lr_explorer runs in float32
            xs = explorer["xs"][explorer["rates"].index(case["eta"])]
            assert np.array(case["sgd"])[:, 0] == pytest.approx(xs, rel=1e-4, abs=1e-5)
    assert any(case["eta"] in explorer["rates"] for case in live["line_cases"])
    # the widget's words for the three regimes are the verdicts of the tabs
    assert set(explorer["regimes"].values()) == set(explorer["verdicts"])
    for rate, verdict in zip(explorer["rates"], explorer["verdicts"]):
        factor = 1 - 6 * rate
        name = "diverging" if abs(factor) >= 1 else "oscillating" if factor < 0 else "monotone"
        assert explorer["regimes"][name] == verdict, rate


@pytest.mark.parametrize("kind", ["line", "valley"])
def test_every_recorded_case_is_a_slider_position(live, kind):
    for slider in ("eta", "mu"):
        low, high, step, start = live[f"{kind}_{slider}"]
        values = [case[slider] for case in live[f"{kind}_cases"]] + [start]
        for value in values:
            assert low <= value <= high
            assert abs((value - low) / step - round((value - low) / step)) < 1e-9, (kind, slider, value)


WIDGET = re.compile(
    r"<div class=\"lr-live\" data-lr-live=\"(?P<kind>\w+)\"(?P<attrs>[^>]*)>(?P<body>.*?)</table>", re.S
)


@pytest.mark.parametrize("page, kind", [("vong-lap-huan-luyen", "line"), ("toi-uu", "valley")])
def test_page_carries_the_snippets_problem_and_sliders(site, live, page, kind):
    text = read_page(site, page)
    (widget,) = [m for m in WIDGET.finditer(text)]
    assert widget["kind"] == kind and " hidden" in widget["attrs"]  # shown by the script only
    problem = json.loads(html.unescape(re.search(r"data-problem='([^']*)'", widget["attrs"]).group(1)))
    assert problem == live[kind]
    for slider in ("eta", "mu"):
        tag = re.search(
            rf'<input type="range" id="lr-live-{kind}-{slider}" name="{slider}"[^>]*>', widget["body"]
        ).group(0)
        found = [float(re.search(rf'\b{a}="([^"]*)"', tag).group(1)) for a in ("min", "max", "step", "value")]
        assert found == live[f"{kind}_{slider}"]
        assert f'<label for="lr-live-{kind}-{slider}">' in widget["body"]
    if kind == "line":
        regimes = json.loads(re.search(r"data-regimes='([^']*)'", widget["attrs"]).group(1))
        assert set(regimes) == {"monotone", "oscillating", "diverging"}
    else:  # without JavaScript the valley shows the snippet's figure
        assert 'id="lr-live-valley-figure"' in text and "out/lr_live/valley-light.svg#only-light" in text
    assert text.count("assets/javascripts/lr-live.js") == 1


def test_only_the_explorer_pages_load_its_script(site):
    loading = set()
    for parent, _, names in os.walk(site):
        for name in names:
            if name.endswith(".html"):
                with open(os.path.join(parent, name), encoding="utf-8") as fh:
                    if re.search(r'<script src="[^"]*/lr-live\.js"', fh.read()):
                        loading.add(os.path.relpath(parent, site))
    assert loading == {"vong-lap-huan-luyen", "toi-uu", "ban-in"}  # the print page holds both widgets
