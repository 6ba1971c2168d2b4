"""The five curriculum pages of part 1: in the nav, clean Vietnamese, rendered maths, live numbers."""

import os
import re

import pytest

from conftest import ROOT, mkdocs_config, read_page

PAGES = {
    "gradient.md": ("gradient", ["gradient_three_ways/contours"]),
    "quy-tac-chuoi.md": ("quy-tac-chuoi", ["chain_graph/graph"]),
    "lan-truyen-nguoc.md": ("lan-truyen-nguoc", ["backprop_activations/activations"]),
    "kiem-tra-gradient.md": ("kiem-tra-gradient", ["gradcheck_epsilon/error-vs-eps"]),
    "backprop-va-autograd.md": ("backprop-va-autograd", []),
}


def source(page):
    with open(os.path.join(ROOT, "docs", page), encoding="utf-8") as fh:
        return fh.read()


def test_pages_follow_the_training_loop_page_in_the_nav():
    nav = [list(item.values())[0] for item in mkdocs_config()["nav"]]
    order = [nav.index(page) for page in ["vong-lap-huan-luyen.md", *PAGES]]
    assert order == sorted(order)  # in this order; other pages may sit between them


@pytest.mark.parametrize("page", PAGES)
def test_built_page_has_rendered_maths_filled_values_and_figures(page, site):
    html = read_page(site, PAGES[page][0])
    assert "katex-error" not in html and 'class="arithmatex"' not in html
    assert "katex-display" in html
    assert "{{" not in html and "--8&lt;--" not in html and "--8<--" not in html
    for figure in PAGES[page][1]:
        assert f"../out/{figure}-light.svg#only-light" in html
        assert f"../out/{figure}-dark.svg#only-dark" in html


def test_chain_rule_page_names_the_other_term_once():
    assert source("quy-tac-chuoi.md").count("quy tắc dây chuyền") == 1


def test_pages_show_the_recorded_numbers(outputs, site):
    chain = read_page(site, "quy-tac-chuoi")
    example = outputs("chain_worked_example")
    for value in ("y", "loss", "dloss_dw", "dloss_db"):
        assert re.search(rf"\b{example[value]:g}\b", chain)
    check = read_page(site, "kiem-tra-gradient")
    assert f"{outputs('gradcheck_epsilon')['slope']:.3f}" in check
    layer = read_page(site, "lan-truyen-nguoc")
    assert f"{outputs('backprop_two_layer')['max_gap']:.1e}" in layer
    assert "dot(relu(dot(inputs, W1) + b1), W2) + b2" in layer
