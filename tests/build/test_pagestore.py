"""The page store (execdocs/render/pagestore.py), the notebook-pages store
(execdocs/notebooks/jupyterpages.py), the template store (render/templatestore.py) and the search
store (render/searchstore.py): a page reused from them is the page a fresh render makes, byte for
byte, and so is the search index; a no-change build imports no notebook converter; any change to
what the page is made of renders it again; a broken link still fails the strict build when the
page comes from the store; a failed build saves nothing."""

import filecmp
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import BUILD, MKDOCS, copy_project, mkdocs_build, read_page, stored_entries

# content-keyed stores of the real project: a copy that starts with them builds in seconds
WARM_STORES = (
    "katex.json",
    "highlight.json",
    "textchecks.json",
    "notebooks.json",
    "notebook-css.json",
    "notebook-pages.json",
)
NO_RUN = {"DOCS_RUN_SNIPPETS": "false"}  # edited outputs in _build/out stay as edited
SUMMARY = re.compile(r"pages: (\d+) rendered, (\d+) from the page store")
TEMPLATES = re.compile(r"templates: (\d+) rendered, (\d+) from the template store(.*)")
SEARCH = re.compile(r"search: (\d+) pages parsed, (\d+) from the search store")


@pytest.fixture(scope="module")
def seeded(outputs, tmp_path_factory):
    """A copy of the project built once: its page store holds every page."""
    project = copy_project(str(tmp_path_factory.mktemp("seeded") / "project"))
    for name in WARM_STORES:
        source = os.path.join(BUILD, name)
        if os.path.isdir(source):
            shutil.copytree(source, os.path.join(project, "_build", name))
        elif os.path.isfile(source):
            shutil.copy(source, os.path.join(project, "_build", name))
    done = mkdocs_build(project, os.path.join(project, "site"))
    assert done.returncode == 0, done.stderr
    return project


@pytest.fixture
def project(seeded, tmp_path):
    copy = str(tmp_path / "project")
    shutil.copytree(seeded, copy, symlinks=True, ignore=shutil.ignore_patterns("site"))
    return copy


def build(project, site="site", env=None, strict=True):
    if strict:
        done = mkdocs_build(project, os.path.join(project, site), env)
    else:
        done = subprocess.run(
            [MKDOCS, "build", "--no-strict", "--site-dir", os.path.join(project, site)],
            cwd=project,
            capture_output=True,
            text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        )
    match = SUMMARY.search(done.stderr)
    counts = (int(match.group(1)), int(match.group(2))) if match else None
    return done, counts


def edit(path, old, new):
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    assert old in text, path
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text.replace(old, new, 1))


def test_pages_from_the_stores_are_byte_identical_to_fresh_renders(project):
    done = subprocess.run(
        [sys.executable, "-X", "importtime", MKDOCS, "build", "--strict", "--site-dir", os.path.join(project, "site")],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stderr
    rendered, reused = map(int, SUMMARY.search(done.stderr).groups())
    assert rendered == 0 and reused >= 28  # every Markdown page came from the store
    rendered, reused, unstored = TEMPLATES.search(done.stderr).groups()
    assert (int(rendered), unstored) == (0, "") and int(reused) >= 100  # every page's theme output too
    parsed, reused = map(int, SEARCH.search(done.stderr).groups())
    assert parsed == 0 and reused >= 20  # and every page's search entries
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "mkdocs.structure.pages" in imported  # the list is real
    # every notebook page came from the notebook-pages store: neither nbconvert nor jupytext is imported
    assert not {m for m in imported if m.split(".")[0] in ("nbconvert", "mkdocs_jupyter", "jupytext", "nbformat")}
    fresh_stores = ("pages.json", "notebook-pages.json", "templates.json", "search.json", "built-pages.json")
    for store in fresh_stores + ("notebook-finished.json", "print-page.json"):
        os.remove(os.path.join(project, "_build", store))
    fresh, counts = build(project, "fresh", {"DOCS_PAGE_STORE": "false"})
    assert fresh.returncode == 0, fresh.stderr
    # the stores were off: every page rendered by MkDocs and the theme, every notebook converted,
    # every page parsed by the search plugin
    assert counts is None and not TEMPLATES.search(fresh.stderr) and not SEARCH.search(fresh.stderr)
    compared = 0
    for folder, _, names in os.walk(os.path.join(project, "site")):
        for name in names:
            path = os.path.join(folder, name)
            twin = os.path.join(project, "fresh", os.path.relpath(path, os.path.join(project, "site")))
            assert filecmp.cmp(path, twin, shallow=False), os.path.relpath(path, project)
            compared += name.endswith(".html")
    assert compared >= 100


def test_an_edited_include_value_or_config_renders_the_page_again(project):
    build_dir = os.path.join(project, "_build")
    done, counts = build(project, env=NO_RUN)
    assert done.returncode == 0, done.stderr
    assert counts[0] == 0
    # an included output: only the page that includes it is rendered again
    edit(os.path.join(build_dir, "out", "naive_nudge", "nudge.md"), "đã dùng: 1015\n", "đã dùng: 7777\n")
    done, counts = build(project, env=NO_RUN)
    assert done.returncode == 0, done.stderr
    assert counts[0] == 1, done.stderr
    assert "đã dùng: 7777" in read_page(os.path.join(project, "site"), "gradient")
    # a recorded value, filled into the page's Markdown
    values = os.path.join(build_dir, "out", "naive_nudge", "values.json")
    edit(values, '"n_points": 40', '"n_points": 41')
    done, counts = build(project, env=NO_RUN)
    assert done.returncode == 0, done.stderr
    assert counts[0] >= 1
    assert "41 điểm của một đường cong sin" in read_page(os.path.join(project, "site"), "gradient")
    # mkdocs.yml: every page again, with the new option
    edit(os.path.join(project, "mkdocs.yml"), "      permalink: true\n", '      permalink: "§"\n')
    done, counts = build(project, env=NO_RUN)
    assert done.returncode == 0, done.stderr
    assert counts[1] == 0 and counts[0] >= 28
    page = read_page(os.path.join(project, "site"), "gradient")
    assert re.search(r'class="headerlink" href="#[^"]+" title="[^"]*">§</a>', page)


def templates_of(done):
    rendered, reused, unstored = TEMPLATES.search(done.stderr).groups()
    assert unstored == "", done.stderr
    return int(rendered), int(reused)


def test_what_the_theme_reads_renders_the_page_again(project):
    site = os.path.join(project, "site")
    done = build(project, env=NO_RUN)[0]
    assert done.returncode == 0 and templates_of(done)[0] == 0, done.stderr
    # one page's prose: that page (and the print page, which holds every chapter)
    edit(os.path.join(project, "docs", "toi-uu.md"), "\n\n", "\n\nMột câu mới để thử kho mẫu.\n\n")
    done = build(project, env=NO_RUN)[0]
    assert done.returncode == 0, done.stderr
    assert templates_of(done)[0] == 2 and SEARCH.search(done.stderr).group(1) == "1"
    assert "Một câu mới để thử kho mẫu." in read_page(site, "toi-uu")
    assert "Một câu mới để thử kho mẫu." in read_page(site, "ban-in")  # the print page's memo too
    # a title in the navigation: every page shows the navigation
    edit(os.path.join(project, "mkdocs.yml"), "  - Gradient: gradient.md\n", "  - Gradient (đổi tên): gradient.md\n")
    done = build(project, env=NO_RUN)[0]
    assert done.returncode == 0, done.stderr
    assert templates_of(done)[1] == 0
    assert "Gradient (đổi tên)" in read_page(site, "toi-uu")
    # the theme's templates
    edit(
        os.path.join(project, "overrides", "main.html"), "{% block content %}\n", "{% block content %}\n<!-- thử -->\n"
    )
    done = build(project, env=NO_RUN)[0]
    assert done.returncode == 0, done.stderr
    assert templates_of(done)[1] == 0 and "<!-- thử -->" in read_page(site, "gradient")
    # nothing changed: nothing rendered
    done = build(project, env=NO_RUN)[0]
    assert done.returncode == 0 and templates_of(done)[0] == 0, done.stderr


@pytest.mark.parametrize(
    "link, says",
    [
        ("[trang không có](khong-co-trang.md)", "khong-co-trang.md"),
        ("[neo không có](gradient.md#khong-co-neo-nay)", "khong-co-neo-nay"),
    ],
)
def test_a_broken_link_fails_the_strict_build_from_the_store(project, link, says):
    edit(os.path.join(project, "docs", "toi-uu.md"), "\n\n", f"\n\nXem {link}.\n\n")
    done, counts = build(project, strict=False)  # a warning only: the store keeps the page and its warning
    assert done.returncode == 0, done.stderr
    assert says in done.stderr and counts[0] == 1
    done, counts = build(project)
    assert counts == (0, counts[1]), done.stderr  # the page came from the store ...
    assert done.returncode != 0  # ... and its warning still fails --strict
    assert says in done.stderr and "docs/toi-uu.md:" in done.stderr
    assert "Aborted with" in done.stdout + done.stderr


def test_a_failed_build_saves_no_page(project):
    store = os.path.join(project, "_build", "pages.json")
    with open(store, "rb") as fh:
        before = fh.read()
    edit(
        os.path.join(project, "docs", "toi-uu.md"),
        "\n\n",
        "\n\nMột câu mới. Xem [trang không có](khong-co-trang.md).\n\n",
    )
    done, counts = build(project)
    assert done.returncode != 0 and counts[0] == 1
    with open(store, "rb") as fh:
        assert fh.read() == before
    assert not any("Một câu mới" in entry["content"] for entry in stored_entries(store).values())
