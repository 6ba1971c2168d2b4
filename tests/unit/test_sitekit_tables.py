"""sitekit.table: a table's markdown and value, and a volatile table kept out of every comparison."""

import pytest

from sitekit import record


@pytest.fixture(autouse=True)
def empty_registries(monkeypatch):
    for name in ("values", "tables", "tolerances"):
        monkeypatch.setattr(record, name, {})


def test_a_table_is_markdown_and_a_value():
    record.table("t", ["a", "b"], [[1, 0.5]], fmt=".2f")
    assert record.tables["t"] == "| a | b |\n| --- | --- |\n| 1 | 0.50 |\n"
    assert record.values["table-t"] == [[1, 0.5]]


def test_a_volatile_table_is_shown_between_markers_and_recorded_nowhere():
    record.table("times", ["n", "ms"], [[4, 0.123]], fmt=".3g", volatile=True)
    text = record.tables["times"]
    assert text.startswith(record.VOLATILE_OPEN + "\n\n| n | ms |") and "| 4 | 0.123 |" in text
    assert text.endswith("\n" + record.VOLATILE_CLOSE + "\n")
    assert "table-times" not in record.values
    assert record.tolerances["table-times"] == "device"  # run/parity.py compares it on no device


def test_a_volatile_table_takes_no_tolerance():
    with pytest.raises(ValueError, match="volatile table is compared nowhere"):
        record.table("times", ["n"], [[1]], tol=1e-3, volatile=True)
