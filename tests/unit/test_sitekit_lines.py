"""sitekit.record names the line of the snippet that reported a value or published a figure."""

import os
import re
import sys

import pytest

from sitekit import record


@pytest.fixture(autouse=True)
def empty_registries(monkeypatch):
    for name in ("values", "tolerances", "_lines"):
        monkeypatch.setattr(record, name, {})
    monkeypatch.setattr(record, "figures", [])


def _report_from_a_helper(name):
    record.report(name, 1.5)  # the line a message must name: the call, not sitekit's own code


def test_a_value_reported_twice_names_the_first_report_line():
    _report_from_a_helper("loss")
    first = _report_from_a_helper.__code__.co_firstlineno + 1
    here = os.path.relpath(__file__)
    assert record._lines["loss"] == f"{here}:{first}"
    with pytest.raises(ValueError, match=re.escape(f"reported twice (first at {here}:{first})")):
        record.report("loss", 2.0)


def test_a_published_figure_keeps_the_line_of_its_show_call(tmp_path, monkeypatch):
    plt = pytest.importorskip("matplotlib.pyplot")
    monkeypatch.setenv(record.FIGURES_ENV, str(tmp_path))
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    line = sys._getframe().f_lineno + 1
    record.show(fig, "curve", "Đường thẳng đi xuống.")
    assert record.figures[-1]["line"] == f"{os.path.relpath(__file__)}:{line}"
