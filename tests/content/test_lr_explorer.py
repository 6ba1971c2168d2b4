"""The learning-rate explorer: the recorded runs against the closed form, and the page that shows them."""

import re

import numpy as np
import pytest

from conftest import read_page


def f(x):
    return 3 * x**2 - 2 * x + 3


@pytest.fixture(scope="module")
def runs(outputs):
    return outputs("lr_explorer")


def test_rates_span_slow_oscillating_and_divergent(runs):
    rates = np.array(runs["rates"])
    factors = 1 - 6 * rates
    assert len(rates) >= 6 and np.all(np.diff(rates) > 0)
    assert np.any((factors > 0.9) & (factors < 1))  # slow, one-sided
    assert np.any((factors > -1) & (factors < -0.5))  # oscillating but converging
    assert np.any(factors < -1)  # divergent
    assert np.allclose(runs["factors"], factors)


def test_trajectories_follow_the_closed_form(runs):
    k = np.arange(runs["steps"] + 1)
    for rate, xs, losses in zip(runs["rates"], runs["xs"], runs["losses"]):
        xs, losses = np.array(xs), np.array(losses)
        expected = 1 / 3 - 4 / 3 * (1 - 6 * rate) ** k  # x_0 = -1
        assert runs["x0"] == -1.0 and xs[0] == -1.0
        assert xs == pytest.approx(expected, rel=1e-4, abs=1e-5), rate
        assert losses == pytest.approx(f(expected), rel=1e-4, abs=1e-5), rate


def test_converges_below_one_third_and_diverges_above(runs):
    for rate, xs in zip(runs["rates"], runs["xs"]):
        gap = np.abs(np.array(xs) - 1 / 3)
        if rate < 1 / 3:
            resolved = gap > 1e-5  # float32 cannot resolve x closer to 1/3 than this
            assert gap[-1] < gap[0] and np.all(np.diff(gap[resolved]) < 0), rate
        else:
            assert gap[-1] > 4 * gap[0] and np.all(np.diff(gap) > 0), rate
        side = np.sign(np.array(xs) - 1 / 3)[gap > 1e-5]
        oscillates = np.any(np.diff(side) != 0)
        assert oscillates == (rate > 1 / 6), rate


def test_page_offers_every_rate_with_its_figure_and_table(site, runs):
    html = read_page(site, "vong-lap-huan-luyen")
    labels = re.findall(r'<label for="__tabbed_\d+_\d+">(η = [^<]*)</label>', html)
    assert labels == [f"η = {rate}" for rate in runs["rates"]]
    for i, xs in enumerate(runs["xs"]):
        assert f"out/lr_explorer/rate-{i}-light.svg#only-light" in html
        assert f"out/lr_explorer/rate-{i}-dark.svg#only-dark" in html
        assert f"<td>{xs[-1]:.4f}</td>" in html
    # without JavaScript the first (default) tab is the checked radio input
    first = re.search(r'<div class="tabbed-set[^"]*" data-tabs="\d+:\d+"><input checked="checked"', html)
    assert first, "the first learning rate must be selected by default"


def test_oscillation_starts_at_half_the_divergence_threshold(runs):
    assert runs["oscillation_from"] == pytest.approx(1 / 6) and runs["divergence_from"] == pytest.approx(1 / 3)
    assert runs["oscillation_from"] == pytest.approx(runs["divergence_from"] / 2)
    for rate, crossings in zip(runs["rates"], runs["crossings"]):
        # the closed form: x_k - 1/3 = -(4/3)(1 - 6 rate)^k changes sign at every step iff 1 - 6 rate < 0
        k = np.arange(11)
        gaps = -4 / 3 * (1 - 6 * rate) ** k
        assert crossings == int(np.sum(gaps[:-1] * gaps[1:] < 0)), rate
    assert runs["crossings"][runs["rates"].index(0.2)] == 10  # 0.2 is only 60% of 1/3, yet it oscillates


def test_page_says_oscillation_starts_at_one_sixth(site, runs):
    html = re.sub(r"\s+", " ", read_page(site, "vong-lap-huan-luyen"))
    assert "dao động là đã sát ngưỡng" not in html and "chứ không phải sát ngưỡng" in html
    assert f"{runs['oscillation_from']:.4f}" in html and "một nửa ngưỡng" in html
