"""The terminology (includes/terms.yml) is the single source of the glossary table, the hover
definitions on every page and the one spelling the site uses where Vietnamese has two."""

import html
import os
import re

import pytest

from conftest import ROOT, read_page
from execdocs.check.spelling import spelling_problems
from execdocs.render import glossary

TERMS = os.path.join(ROOT, glossary.TERMS_FILE)


@pytest.fixture(scope="module")
def terminology():
    return glossary.load(TERMS)


def test_the_terminology_has_every_concept_once_with_a_one_line_definition(terminology):
    terms = [t.term for t in terminology.terms]
    assert {"hạ gradient", "tốc độ học", "hệ số điều chỉnh", "SGD theo minibatch", "epoch", "softmax"} <= set(terms)
    assert len(terms) == len(set(terms)) >= 70
    assert all(len(t.definition) > 20 and t.english for t in terminology.terms)
    assert [t.term for t in terminology.terms if not t.hover] == ["vòng lặp"]  # would mark "vòng lặp huấn luyện"


def test_a_term_listed_twice_is_refused_with_its_name(tmp_path):
    path = tmp_path / "terms.yml"
    entry = "  - term: gradient\n    english: gradient\n    definition: Một định nghĩa đủ dài cho một dòng.\n"
    path.write_text("terms:\n" + entry + entry, encoding="utf-8")
    with pytest.raises(glossary.GlossaryError, match="'gradient' is listed twice"):
        glossary.load(str(path))


def test_built_glossary_page_shows_every_term_with_its_english_name(site, terminology):
    text = html.unescape(re.sub(r"<[^>]+>", "", read_page(site, "thuat-ngu")))
    for t in terminology.terms:
        assert f"{t.term}\n{t.english}\n{t.definition}" in text or (t.term in text and t.definition in text), t.term


def test_built_pages_show_the_same_definitions_on_hover(site, terminology):
    hover = {t.term: t.definition for t in terminology.terms if t.hover}
    for page, term in (
        ("vong-lap-huan-luyen", "gradient"),
        ("quy-mo-lon", "gradient"),
        ("quy-mo-lon", "tích luỹ gradient"),
    ):
        title = html.escape(hover[term], quote=True)
        assert f'<abbr title="{title}">{term}</abbr>' in read_page(site, page), (page, term)
    text = read_page(site, "quy-mo-lon")
    assert "*[gradient]" not in text  # the definitions themselves never show as text
    assert 'title="Một bước cập nhật' not in text  # "vòng lặp" has no hover definition


def test_every_page_and_snippet_uses_the_one_spelling(terminology):
    problems = []
    for folder, suffix in (("docs", ".md"), ("snippets", ".py")):
        for name in sorted(os.listdir(os.path.join(ROOT, folder))):
            if name.endswith(suffix):
                with open(os.path.join(ROOT, folder, name), encoding="utf-8") as fh:
                    problems += spelling_problems(fh.read(), f"{folder}/{name}", terminology.spelling)
    assert [str(p) for p in problems] == []


def test_the_other_spelling_is_named_at_its_place(terminology):
    text = "Một dòng.\nGradient là một vectơ, tùy theo hàm.\n"
    found = [
        (p.line, p.column, p.message.split(" (")[0]) for p in spelling_problems(text, "docs/x.md", terminology.spelling)
    ]
    assert sorted(found) == [
        (2, 17, "the site writes 'vector', not 'vectơ'"),
        (2, 24, "the site writes 'tuỳ', not 'tùy'"),
    ]
