"""Glossary: every term of TERMS.md is defined once, and every page shows definitions on hover."""

import html
import os
import re
import unicodedata

from conftest import ROOT, read_page

TERMS = "/work/shared/TERMS.md"
ABBREVIATIONS = os.path.join(ROOT, "includes", "abbreviations.md")
GLOSSARY = os.path.join(ROOT, "docs", "thuat-ngu.md")
NOT_ON_HOVER = {"vòng lặp"}  # would also mark "vòng lặp huấn luyện" (training loop)


def site_terms():
    """The Vietnamese terms of TERMS.md's table, one per concept variant."""
    with open(TERMS, encoding="utf-8") as fh:
        rows = [line.split("|") for line in fh if line.startswith("| ") and "---" not in line]
    terms = []
    for row in rows[1:]:  # skip the header
        for part in re.split(r" / |, ", row[2].strip()):
            terms.append(re.sub(r"\s*\(.*?\)", "", part).strip())
    return terms


def abbreviations():
    with open(ABBREVIATIONS, encoding="utf-8") as fh:
        return dict(re.findall(r"^\*\[(.+?)\]: (.+)$", fh.read(), re.MULTILINE))


def glossary():
    with open(GLOSSARY, encoding="utf-8") as fh:
        text = fh.read()
    assert text == unicodedata.normalize("NFC", text)
    rows = re.findall(r"^\| (.+?) \| (.+?) \| (.+?) \|$", text, re.MULTILINE)
    return {term: definition for term, _, definition in rows[2:] if term != "---"}


def test_terms_file_is_parsed():
    terms = site_terms()
    assert {"hạ gradient", "tốc độ học", "hệ số điều chỉnh", "SGD theo minibatch", "epoch"} <= set(terms)
    assert len(terms) >= 45


def test_every_term_has_a_one_line_definition():
    defined = glossary()
    missing = [t for t in site_terms() if t not in defined]
    assert missing == []
    assert all(len(d) > 20 and "\n" not in d for d in defined.values())


def test_hover_definitions_match_the_glossary():
    hover, defined = abbreviations(), glossary()
    assert set(hover) == set(defined) - NOT_ON_HOVER
    for term, definition in hover.items():
        assert definition == defined[term], term


def test_built_pages_show_definitions_on_hover(site):
    hover = abbreviations()
    title = html.escape(hover["gradient"], quote=True)
    for page in ("vong-lap-huan-luyen", "quy-mo-lon", "thuat-ngu"):
        text = read_page(site, page)
        assert f'<abbr title="{title}">gradient</abbr>' in text, page
    text = read_page(site, "quy-mo-lon")
    assert f'<abbr title="{html.escape(hover["tích lũy gradient"], quote=True)}">tích lũy gradient</abbr>' in text
    assert "*[gradient]" not in text  # the definitions themselves never show as text
