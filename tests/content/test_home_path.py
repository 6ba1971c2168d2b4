"""The home page (docs/index.md) is a learning path through every lesson chapter of the nav.

Its section "Lộ trình" has one list item per chapter, in the nav's order, grouped under `###` parts:

    - [Title](page.md): what the chapter teaches.
      <br>*Cần đọc trước: [Earlier](earlier.md), ... (or "không"). Độ dài: ngắn|vừa|dài.*

Checked here: the path lists exactly the nav's lesson pages (the nav minus NOT_LESSONS), in order, so a
chapter added to the nav and not to the home page fails; every prerequisite is a lesson that comes
earlier in the nav; every stated length matches the chapter's word count on the built site (thresholds
below; the page states no number); every link on the home page resolves on the built site, anchors
included; the two "where to start" routes name real chapters in the nav's order, the interview route
covers every section of the interview page with chapters that section links to.
"""

import html
import os
import re
from html.parser import HTMLParser

import pytest

from conftest import NOT_LESSONS, ROOT, nav_files, read_page
from execdocs.render.slugs import slugify

HOME = "index.md"
INTERVIEW = "phong-van.md"
PATH_HEADING = "Lộ trình"
PYTORCH_ROUTE = "Tôi chỉ cần vòng lặp PyTorch"
INTERVIEW_ROUTE = "Tôi đang chuẩn bị phỏng vấn"

# Reading-length classes, by the words a reader sees on the built page (prose, code and printed output;
# maths and permalinks left out): "ngắn" below SHORT_BELOW words, "dài" from LONG_FROM, "vừa" between.
# A page within MARGIN (relative) of a threshold may be called either neighbouring class, so that a
# small edit to a chapter does not flip its class on the home page back and forth.
SHORT_BELOW = 3000
LONG_FROM = 5000
MARGIN = 0.1
CLASSES = ("ngắn", "vừa", "dài")

LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\s]*)\)")
META = re.compile(r"\*Cần đọc trước: (?P<needs>.*?)\.\s+Độ dài: (?P<length>\w+)\.\*", re.DOTALL)


def read(page):
    with open(os.path.join(ROOT, "docs", page), encoding="utf-8") as fh:
        return fh.read()


def lesson_pages(nav=None):
    return [page for page in (nav if nav is not None else nav_files()) if page not in NOT_LESSONS]


def section(text, heading, level=2):
    """The text under a heading of the given level, up to the next heading of that level or higher."""
    marks = "#" * level
    pattern = re.compile(
        rf"^{marks} {re.escape(heading)}(?:\s*\{{[^}}]*\}})?\s*$(.*?)(?=^#{{1,{level}}} |\Z)", re.M | re.S
    )
    match = pattern.search(text)
    assert match, f"docs/{HOME}: no '{marks} {heading}' section"
    return match.group(1)


def list_items(text):
    """The top-level list items ("- " or "1. ") of a piece of Markdown, each with its continuation lines."""
    items, open_item = [], False
    for line in text.split("\n"):
        if re.match(r"(?:-|\d+\.) ", line):
            items.append(line)
            open_item = True
        elif open_item and line.startswith(" ") and line.strip():
            items[-1] += "\n" + line
        elif line.strip():
            open_item = False  # any other paragraph ends the current item
    return items


def page_of(target):
    """'gradient.md#anchor' -> ('gradient.md', 'anchor'); a same-page '#anchor' -> (HOME, 'anchor')."""
    page, _, anchor = target.partition("#")
    return (page or HOME), anchor


def path_entries(home_text):
    """(chapter page, [prerequisite pages] or None where it says "không", length class) per path item."""
    entries = []
    for item in list_items(section(home_text, PATH_HEADING)):
        links = LINK.findall(item)
        assert links and item.startswith("- ["), f"a path item must start with the chapter's link: {item!r}"
        meta = META.search(item)
        assert meta, f"{links[0][1]}: the item needs '*Cần đọc trước: ... Độ dài: ...*': {item!r}"
        needs = meta.group("needs").strip()
        prerequisites = [page_of(t)[0] for _, t in LINK.findall(needs)]
        assert prerequisites or needs == "không", f"{links[0][1]}: prerequisites are links or 'không'"
        entries.append((page_of(links[0][1])[0], prerequisites, meta.group("length")))
    return entries


def path_problems(home_text, nav):
    """What is wrong with the path against a nav: missing, extra or misplaced chapters, late prerequisites."""
    entries = path_entries(home_text)
    listed = [page for page, _, _ in entries]
    lessons = lesson_pages(nav)
    problems = [f"{page} is in the nav but not on the home page's path" for page in lessons if page not in listed]
    problems += [f"{page} is on the path but not a lesson of the nav" for page in listed if page not in lessons]
    if not problems and listed != lessons:
        problems.append(f"the path's order {listed} is not the nav's {lessons}")
    for page, prerequisites, _ in entries:
        for needed in prerequisites or []:
            if needed not in lessons or page not in lessons or lessons.index(needed) >= lessons.index(page):
                problems.append(f"{page} needs {needed}, which does not come before it in the nav")
    return problems


class ReaderText(HTMLParser):
    """The text of the page's <article>, without KaTeX, scripts, styles and heading permalinks."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    SKIP_CLASSES = {"katex", "headerlink"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_article = False
        self.skipping = 0  # depth inside a skipped element
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        if tag == "article":
            self.in_article = True
        if self.skipping:
            self.skipping += 1
        elif tag in ("script", "style") or self.SKIP_CLASSES & set((dict(attrs).get("class") or "").split()):
            self.skipping = 1

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self.skipping:
            self.skipping -= 1
        elif tag == "article":
            self.in_article = False

    def handle_data(self, data):
        if self.in_article and not self.skipping:
            self.parts.append(data)


def reader_words(page_html):
    parser = ReaderText()
    parser.feed(page_html)
    return len(" ".join(parser.parts).split())


def length_class(words):
    return CLASSES[(words >= SHORT_BELOW) + (words >= LONG_FROM)]


def allowed_classes(words):
    return {length_class(words * (1 - MARGIN)), length_class(words), length_class(words * (1 + MARGIN))}


def slug(page):
    return "" if page == HOME else page[: -len(".md")].removesuffix("index").rstrip("/")


# --- the checker itself, on small made-up pages -----------------------------------------------------

SAMPLE = """# Home

## Lộ trình { #lo-trinh }

### Part

- [A](a.md): teaches a.
  *Cần đọc trước: không. Độ dài: ngắn.*
- [B](b.md): teaches b.
  *Cần đọc trước: [A](a.md). Độ dài: dài.*

## After
"""


def test_checker_accepts_a_right_path_and_names_each_mistake():
    assert path_entries(SAMPLE) == [("a.md", [], "ngắn"), ("b.md", ["a.md"], "dài")]
    assert path_problems(SAMPLE, ["index.md", "a.md", "b.md", "tom-tat.md"]) == []
    assert path_problems(SAMPLE, ["a.md", "b.md", "c.md"]) == ["c.md is in the nav but not on the home page's path"]
    assert path_problems(SAMPLE, ["b.md", "a.md"]) == [
        "the path's order ['a.md', 'b.md'] is not the nav's ['b.md', 'a.md']",
        "b.md needs a.md, which does not come before it in the nav",
    ]
    assert path_problems(SAMPLE, ["a.md"]) == ["b.md is on the path but not a lesson of the nav"] + [
        "b.md needs a.md, which does not come before it in the nav"
    ]


def test_word_classes_and_their_margin():
    assert [length_class(w) for w in (10, SHORT_BELOW - 1, SHORT_BELOW, LONG_FROM - 1, LONG_FROM)] == [
        "ngắn",
        "ngắn",
        "vừa",
        "vừa",
        "dài",
    ]
    assert allowed_classes(SHORT_BELOW // 2) == {"ngắn"}
    assert allowed_classes(SHORT_BELOW - 1) == {"ngắn", "vừa"}
    assert allowed_classes((SHORT_BELOW + LONG_FROM) // 2) == {"vừa"}
    page = '<article><p>một hai <span class="katex"><span>x y z</span></span> ba</p>'
    page += '<h2>Tiêu đề<a class="headerlink" href="#t">¶</a></h2><br><script>var a = 1;</script></article>'
    assert reader_words(page + "<footer>ngoài bài</footer>") == 5


# --- the real home page -------------------------------------------------------------------------------


def test_path_lists_every_lesson_chapter_of_the_nav_in_order():
    problems = path_problems(read(HOME), nav_files())
    assert not problems, f"docs/{HOME}, section '{PATH_HEADING}':\n" + "\n".join(problems)


def test_path_is_grouped_into_parts():
    parts = re.findall(r"^### (.+)$", section(read(HOME), PATH_HEADING), re.M)
    assert 3 <= len(parts) <= 7, parts
    for part in parts:
        assert list_items(section(read(HOME), part, level=3)), f"part '{part}' lists no chapter"


def test_stated_lengths_match_the_word_counts_of_the_built_pages(site):
    wrong = []
    for page, _, stated in path_entries(read(HOME)):
        assert stated in CLASSES, f"{page}: length '{stated}' is not one of {CLASSES}"
        words = reader_words(read_page(site, slug(page)))
        if stated not in allowed_classes(words):
            wrong.append(f"{page}: {words} words on the built page is '{length_class(words)}', not '{stated}'")
    assert not wrong, f"docs/{HOME}:\n" + "\n".join(wrong)


def test_every_link_on_the_home_page_resolves_on_the_built_site(site):
    home_html = read_page(site, "")
    targets = {target for _, target in LINK.findall(read(HOME)) if "://" not in target}
    assert len(targets) > len(lesson_pages())
    for target in sorted(targets):
        if target.endswith(".zip"):  # a download the build writes beside the home page
            assert os.path.isfile(os.path.join(site, target)) and f'href="{target}"' in home_html, target
            continue
        page, anchor = page_of(target)
        assert page.endswith(".md"), f"{target}: link to the page's .md file"
        built = read_page(site, slug(page))  # fails if the page was not built
        if anchor:
            assert f'id="{anchor}"' in built, f"{target}: no #{anchor} on the built page"
        href = (slug(page) + "/" if slug(page) else "") + ("#" + anchor if anchor else "")
        assert f'href="{html.escape(href or ".")}"' in home_html, f"{target} is not a link on the built home page"


def test_pytorch_route_names_chapters_in_nav_order():
    route = section(read(HOME), PYTORCH_ROUTE, level=3)
    chapters = [page_of(LINK.search(item).group(2))[0] for item in list_items(route)]
    lessons = lesson_pages()
    assert chapters and chapters[0] == lessons[0], chapters
    assert all(page in lessons for page in chapters), chapters
    assert chapters == sorted(chapters, key=lessons.index), f"not in the nav's order: {chapters}"


def interview_sections():
    """{anchor of each `##` section of the interview page: the pages its answers link}."""
    found = {}
    for match in re.finditer(r"^## (.+?)\s*$(.*?)(?=^## |\Z)", read(INTERVIEW), re.M | re.S):
        heading, body = match.groups()
        found[slugify(heading, "-")] = {page_of(t)[0] for _, t in LINK.findall(body)}
    return found


def test_interview_route_covers_each_question_group_with_the_chapters_behind_it():
    route = section(read(HOME), INTERVIEW_ROUTE, level=3)
    assert f"]({INTERVIEW})" in route
    groups = interview_sections()
    covered = []
    for item in list_items(route):
        links = LINK.findall(item)
        page, anchor = page_of(links[0][1])
        assert page == INTERVIEW and anchor in groups, f"an item must start with a question group: {item!r}"
        chapters = [page_of(t)[0] for _, t in links[1:]]
        assert chapters, f"#{anchor}: name the chapters behind these questions"
        stray = [c for c in chapters if c not in groups[anchor]]
        assert not stray, f"#{anchor}: its answers do not link {stray}"
        covered.append(anchor)
    missing = [anchor for anchor in groups if anchor not in covered]
    assert not missing, f"docs/{HOME}, '{INTERVIEW_ROUTE}': no item for the question groups {missing}"


@pytest.mark.parametrize("page", ["tom-tat.md", INTERVIEW])
def test_home_page_links_the_summary_and_the_interview_page(page):
    assert f"]({page})" in read(HOME)
