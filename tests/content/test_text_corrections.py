"""Smaller corrections: train_loop's printed lines, spelling, source notes, one symbol per meaning."""

import glob
import os
import re

from conftest import ROOT


def page(name):
    with open(os.path.join(ROOT, "docs", name), encoding="utf-8") as fh:
        return fh.read()


def test_each_printed_line_of_the_loop_pairs_values_of_one_step(outputs):
    text = outputs("train_loop", "loop.out.md")
    rows = re.findall(r"bước\s+(\d+): x = (\S+), f\(x\) = (\S+), x.grad = (\S+)", text)
    assert len(rows) >= 5
    for _, x, fx, grad in rows:
        x, fx, grad = float(x), float(fx), float(grad)
        assert abs(3 * x**2 - 2 * x + 3 - fx) < 1e-3  # f(x_k) beside x_k
        assert abs(6 * x - 2 - grad) < 1e-3  # f'(x_k) beside x_k


def test_zich_zac_is_spelled_right_everywhere():
    files = glob.glob(os.path.join(ROOT, "docs", "*.md")) + glob.glob(os.path.join(ROOT, "snippets", "*.py"))
    for path in files:
        with open(path, encoding="utf-8") as fh:
            assert "zíc zắc" not in fh.read(), path


def test_interview_page_never_mentions_the_source_notes():
    text = page("phong-van.md").lower()
    assert "ghi chú" not in text and "ghi chép" not in text and "nguồn" not in text


def test_scale_page_uses_w_only_for_weights_and_says_its_convention():
    text = page("quy-mo-lon.md")
    assert "quy ước cột" in text
    assert "$W = {{" not in text and r"B \times W" not in text and r"B \cdot W" not in text
    assert "gần như không bao giờ tràn dưới" in text
    assert "nên không tràn dưới" not in page("phong-van.md")
