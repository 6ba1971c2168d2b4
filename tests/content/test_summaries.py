"""Every lesson page ends with one "Tóm tắt" box, and the course summary page links every lesson page.

Lesson pages are the nav's pages minus an explicit list of pages that are not lessons, so a new lesson
page is covered as soon as it is in the nav.
"""

import os
import re

import pytest

from conftest import NOT_LESSONS, ROOT, lesson_files, nav_files

BOX = '!!! abstract "Tóm tắt"'
SUMMARY = "tom-tat.md"


def nav_pages():
    return nav_files()


def lesson_pages():
    return lesson_files()


def read(page):
    with open(os.path.join(ROOT, "docs", page), encoding="utf-8") as fh:
        return fh.read()


def test_nav_has_the_lessons_and_the_summary():
    pages = nav_pages()
    assert SUMMARY in pages and "index.md" in pages
    assert {"vong-lap-huan-luyen.md", "gradient.md", "toi-uu.md", "quy-mo-lon.md"} <= set(lesson_pages())
    assert not set(lesson_pages()) & NOT_LESSONS


@pytest.mark.parametrize("page", lesson_pages())
def test_lesson_page_ends_with_one_summary_box(page):
    lines = read(page).rstrip("\n").split("\n")
    starts = [i for i, line in enumerate(lines) if line.strip() == BOX]
    assert len(starts) == 1, f"docs/{page}: {len(starts)} summary boxes, expected exactly one"
    body = lines[starts[0] + 1 :]
    assert body and body[0].startswith("    - "), f"docs/{page}: the box must start with an indented bullet"
    # nothing after the box: every line is a bullet or the indented continuation of one
    for line in body:
        assert line.startswith("    - ") or line.startswith("      "), f"docs/{page}: '{line}' after the box"
    assert sum(line.startswith("    - ") for line in body) >= 3, f"docs/{page}: at least three key points"


def test_non_lesson_pages_have_no_box():
    for page in NOT_LESSONS - {"notebooks/index.md", "bao-cao.md"}:
        assert not any(line.startswith(BOX) for line in read(page).split("\n")), (
            page
        )  # quoting it in a sentence is fine


def test_summary_page_links_every_lesson_page():
    linked = set(re.findall(r"\]\(([a-z0-9-]+\.md)(?:#[a-z0-9-]+)?\)", read(SUMMARY)))
    missing = [page for page in lesson_pages() if page not in linked]
    assert not missing, f"docs/{SUMMARY} does not link {missing}"
    assert linked <= set(nav_pages())


def test_home_page_links_the_summary():
    assert f"]({SUMMARY})" in read("index.md")
