"""The three training pages of part 2: in the nav after part 1, clean Vietnamese, rendered maths."""

import os

import pytest

from conftest import ROOT, mkdocs_config, read_page

PAGES = {"toi-uu.md": "toi-uu", "huan-luyen-thuc-te.md": "huan-luyen-thuc-te", "loi-thuong-gap.md": "loi-thuong-gap"}


def source(page):
    with open(os.path.join(ROOT, "docs", page), encoding="utf-8") as fh:
        return fh.read()


def test_pages_follow_the_backprop_pages_in_the_nav():
    nav = [list(item.values())[0] for item in mkdocs_config()["nav"]]
    order = [nav.index(page) for page in ["backprop-va-autograd.md", *PAGES]]
    assert order == sorted(order)  # after the backprop pages, in this order (other pages may sit between)


@pytest.mark.parametrize("page", PAGES)
def test_built_page_has_rendered_maths_and_filled_values(page, site):
    html = read_page(site, PAGES[page])
    assert "katex-error" not in html and 'class="arithmatex"' not in html
    assert "katex-display" in html
    assert "{{" not in html and "--8&lt;--" not in html and "--8<--" not in html


def test_notes_pseudo_code_is_called_nesterov():
    text = source("toi-uu.md")
    assert "w = w + momentum * velocity - learning_rate * gradient" in text
    assert "Nesterov" in text and "w = w + velocity" in text
