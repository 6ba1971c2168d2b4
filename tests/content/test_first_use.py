"""On every page, the first use of each glossary term in the prose carries its English name.

E.g. "tốc độ học (learning rate)". What counts as prose: everything but fenced code, inline code,
maths, value placeholders, HTML comments and tags, snippet includes and link targets. Headings,
admonition titles (`??? question "..."`) and the text of links to other pages are skipped too: they are
titles (they become the table of contents, the anchors and the question list), and the English name
belongs in the sentence that follows, where the term is first used in running text.
"""

import glob
import os
import re

import pytest

from conftest import ROOT
from execdocs.render import glossary

GLOSSARY = "thuat-ngu.md"
PAGES = sorted(os.path.basename(p) for p in glob.glob(os.path.join(ROOT, "docs", "*.md")) if not p.endswith(GLOSSARY))
# "vòng lặp" (iteration) also names any loop: "vòng lặp huấn luyện" (training loop), a Python loop
AMBIGUOUS = {"vòng lặp"}


def glossary_terms():
    """(Vietnamese term, English name) for each term of includes/terms.yml; the one place that reads it."""
    terms = glossary.load(os.path.join(ROOT, glossary.TERMS_FILE)).terms
    return [(t.term, re.sub(r"\s*\(.*?\)", "", t.english)) for t in terms]


def blank(match):
    """Replace a removed piece by spaces, keeping its newlines so that line numbers stay right."""
    return re.sub(r"[^\n]", " ", match.group(0))


def prose(source):
    """The page's running text, with everything that is not prose blanked out (same length)."""
    lines = []
    fenced = False
    for line in source.split("\n"):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
            lines.append(" " * len(line))
        elif fenced or stripped.startswith(("#", "!!!", "???", "--8<--", "| ---")):
            lines.append(" " * len(line))  # blanked, not dropped: every offset stays that of the source
        else:
            lines.append(line)
    text = "\n".join(lines)
    assert len(text) == len(source)
    for pattern in (
        r"<!--.*?-->",  # HTML comments
        r"<code>.*?</code>",
        r"\$\$.*?\$\$",  # display maths
        r"\$[^$\n]+\$",  # inline maths
        r"`[^`\n]+`",  # inline code
        r"\{\{.*?\}\}",  # value placeholders
        r"\[[^\]\n]*\]\([^)\s]*\.md[^)\s]*\)",  # a link to another page: its text is that page's title
        r"\]\([^)\s]*\)",  # any other link: its target
        r"<[^>\n]+>",  # HTML tags
    ):
        text = re.sub(pattern, blank, text, flags=re.DOTALL)
    assert len(text) == len(source)
    return text.replace("*", " ")  # bold and italics: "**tốc độ học** (learning rate)"


def first_uses(text):
    """(match, English name, whether the name follows) for the first prose use of each checked term.

    Blanking keeps every offset, so a match's span is also its place in the page's source.
    """
    english = {term.lower(): name for term, name in glossary_terms()}
    terms = sorted(english, key=len, reverse=True)  # the longest first, so that "tầng ẩn" wins over "tầng"
    alternation = "|".join(r"\s+".join(map(re.escape, t.split())) for t in terms)  # a term may wrap a line
    pattern = re.compile(r"(?<!\w)(" + alternation + r")(?!\w)", re.IGNORECASE)
    body, seen = prose(text), set()
    for match in pattern.finditer(body):
        term = " ".join(match.group(1).lower().split())
        name = english[term]
        if term in seen or term in AMBIGUOUS or name.lower() == term:
            continue
        seen.add(term)
        after = " ".join(body[match.end() : match.end() + 200].split())
        yield match, name, after.lower().startswith("(" + name.lower())


def first_use_misses(text):
    """(line, term, English) for each term whose first use in the prose lacks "(English" right after."""
    return [
        (text.count("\n", 0, match.start()) + 1, " ".join(match.group(1).split()), name)
        for match, name, ok in first_uses(text)
        if not ok
    ]


def test_glossary_table_is_read():
    pairs = dict(glossary_terms())
    assert pairs["tốc độ học"] == "learning rate" and pairs["autograd"] == "autograd"
    assert len(pairs) >= 45


def test_rule_catches_a_miss_and_accepts_the_right_form():
    assert first_use_misses("Chọn **tốc độ học** (learning rate) nhỏ; tốc độ học lớn thì phân kỳ.") == []
    assert first_use_misses("Chọn tốc độ học nhỏ (learning rate).") == [(1, "tốc độ học", "learning rate")]
    assert first_use_misses("Mạng có một tầng ẩn (hidden layer) và một tầng (layer).") == []
    assert first_use_misses("Một tầng ẩn (hidden layer).\n\nHai tầng.") == [(3, "tầng", "layer")]
    assert first_use_misses("`tốc độ học` và $tốc độ học$ không tính. Tốc độ học (learning rate).") == []
    assert first_use_misses("## Tốc độ học\n\nTốc độ học (learning rate).") == []
    assert first_use_misses("Một **hàm kích\n    hoạt** (activation\n    function).") == []
    assert first_use_misses("Hạ gradient ngẫu nhiên (stochastic gradient descent) khác hạ gradient.") == [
        (1, "hạ gradient", "gradient descent")
    ]


@pytest.mark.parametrize("page", PAGES)
def test_first_use_of_each_term_gives_the_english_name(page):
    with open(os.path.join(ROOT, "docs", page), encoding="utf-8") as fh:
        misses = first_use_misses(fh.read())
    report = [f"docs/{page}:{line}: '{term}' needs '({english})' at its first use" for line, term, english in misses]
    assert not report, "\n".join(report)
