"""Each lesson page is also one notebook, notebooks/bai/PAGE.ipynb: its prose, its code cells in
page order with the recorded outputs, and what Run All needs to give the recorded numbers again."""

import copy
import json
import os
import re
import unicodedata

import nbformat
import pytest

from conftest import BUILD, ROOT, lesson_files, read_page
from execdocs.notebooks import lessonmd, lessons
from execdocs.store import ResultStore

LESSONS = lesson_files()
INCLUDE = re.compile(r'^[ \t]*--8<--\s+"out/([a-z0-9_-]+)/([^"]+)"', re.MULTILINE)
SITE_URL = "https://example.github.io/lan-truyen-nguoc/"


def repo_url():
    with open(os.path.join(ROOT, "mkdocs.yml"), encoding="utf-8") as fh:
        return re.search(r"^repo_url:\s*(\S+)", fh.read(), re.MULTILINE).group(1)


def lesson_notebook(site, page):
    notebook = nbformat.read(os.path.join(site, "notebooks", "bai", page[:-3] + ".ipynb"), as_version=4)
    nbformat.validate(notebook)
    return notebook


def recorded(name):
    with open(os.path.join(BUILD, "out", name, "result.json"), encoding="utf-8") as fh:
        return {cell["name"]: cell for cell in json.load(fh)["cells"]}


def page_source(page):
    with open(os.path.join(ROOT, "docs", page), encoding="utf-8") as fh:
        return fh.read()


def shown_on_page(page):
    """(snippet, cell) of each code fragment the page includes, in page order."""
    found = []
    for name, fragment in INCLUDE.findall(page_source(page)):
        cells = recorded(name)
        cell = fragment[: -len(".code.md")] if fragment.endswith(".code.md") else fragment[: -len(".md")]
        if fragment == "full.md":
            found += [(name, c) for c in cells]
        elif not fragment.endswith((".fig.md", ".table.md", ".out.md")) and cell in cells:
            found.append((name, cell))
    return found


def stdout_of(cell):
    return "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")


def test_every_lesson_and_only_lessons_have_a_notebook(site):
    folder = os.path.join(site, "notebooks", "bai")
    assert sorted(os.listdir(folder)) == sorted(p[:-3] + ".ipynb" for p in LESSONS)
    for page in LESSONS:
        notebook = lesson_notebook(site, page)
        assert notebook.metadata.kernelspec.name == "python3"
        title = re.search(r"^# (.+)$", page_source(page), re.MULTILINE).group(1)
        assert notebook.cells[0].source.startswith(f"# {title}\n")
        assert lessons.colab_url(repo_url(), page) in notebook.cells[0].source
        assert 'find_spec("sitekit") is None' in notebook.cells[1].source  # the install cell skips itself
        assert repo_url() in notebook.cells[1].source


@pytest.mark.parametrize("page", LESSONS)
def test_code_cells_follow_the_page_with_the_recorded_outputs(site, page):
    notebook = lesson_notebook(site, page)
    code = [c for c in notebook.cells if c.cell_type == "code"][1:]  # after the install cell
    shown = [c for c in code if c.metadata.lesson["shown"]]
    assert [(c.metadata.lesson["snippet"], c.metadata.lesson["cells"][0]) for c in shown] == shown_on_page(page)
    running = None
    for cell in code:
        info = cell.metadata.lesson
        runs = [recorded(info["snippet"])[name] for name in info["cells"]]
        start = cell.source.startswith("# @title Chạy trước") and "sitekit.notebook.begin(" in cell.source
        if info["snippet"] != running:  # a snippet never runs on another one's state
            assert start and info["cells"][0] == "head", cell.source[:200]
        running = info["snippet"]
        assert all(run["code"] in cell.source for run in runs)
        assert stdout_of(cell) == "".join(run["stdout"] for run in runs)
        if info["shown"]:
            assert cell.source == runs[0]["code"] and cell.metadata.get("jupyter") is None
        else:
            assert cell.metadata.jupyter == {"source_hidden": True} and cell.metadata.cellView == "form"


@pytest.mark.parametrize("page", LESSONS)
def test_markdown_is_plain_vietnamese(site, page):
    notebook = lesson_notebook(site, page)
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        text = cell.source
        assert unicodedata.normalize("NFC", text) == text
        for leftover in ("{{", "--8<--", "!!! ", "??? ", '=== "', "<script", "{ #", ".md)", ".md#"):
            assert leftover not in text, (leftover, text[:300])
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            assert target.startswith(("https://", "attachment:")), target


def test_prose_and_cells_in_page_order(site):
    """A few known fragments of the first lesson, in the page's order."""
    notebook = lesson_notebook(site, "vong-lap-huan-luyen.md")
    order = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            order += [
                h for h in ("## Bài toán", "## Năm bước", "## Kết quả", "## Dấu của", "Tóm tắt") if h in cell.source
            ]
        elif "lesson" in cell.metadata and cell.metadata.lesson["shown"]:
            order.append("{snippet}/{cells[0]}".format(**cell.metadata.lesson))
    assert order == [
        "## Bài toán",
        "## Năm bước",
        "train_loop/setup",
        "train_loop/loop",
        "## Kết quả",
        "train_loop/result",
        "train_loop/plots",
        "## Dấu của",
        "lr_explorer/setup",
        "lr_explorer/runs",
        "Tóm tắt",
    ]
    text = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert "$x_0 = -1.0$" in text and "f(x) = 3x^2 - 2x + 3" in text  # values filled in, TeX kept
    assert "> **Nếu tốc độ học lớn hơn**" in text  # an admonition as a quote
    # the tabs' figures (drawn by a cell the page does not show) are attachments of the prose
    figures = [
        c for c in notebook.cells if c.cell_type == "markdown" and "attachment:lr_explorer-rate-0.svg" in c.source
    ]
    assert len(figures) == 1 and "lr_explorer-rate-0.svg" in figures[0].attachments


def test_a_snippet_the_page_comes_back_to_is_run_again_from_its_start(site):
    notebook = lesson_notebook(site, "kiem-tra-gradient.md")
    again = [
        c
        for c in notebook.cells
        if c.cell_type == "code" and c.metadata.get("lesson", {}).get("snippet") == "gradcheck_requirements"
    ]
    assert [(c.metadata.lesson["cells"], c.metadata.lesson["shown"]) for c in again] == [
        (["head"], False),
        (["float32"], True),
        (["no-requires-grad"], True),
        (["head", "float32", "no-requires-grad"], False),  # after gradcheck_torch ran
        (["indices"], True),
    ]


def test_lesson_pages_link_their_notebook(site):
    for page in LESSONS:
        html = read_page(site, page[:-3])
        assert f'href="../notebooks/bai/{page[:-3]}.ipynb"' in html
        assert lessons.colab_url(repo_url(), page) in html and "Mở trong Google Colab" in html
    overview = read_page(site, "notebooks")  # the section's first page: the lesson notebooks first
    assert all(f'href="bai/{p[:-3]}.ipynb"' in overview for p in LESSONS)
    assert overview.index('href="bai/') < overview.index('href="train_loop/"')


def test_run_all_in_a_fresh_kernel_gives_the_recorded_outputs(site):
    """The notebook of one lesson, run top to bottom, prints what the build recorded, cell by cell."""
    from nbclient import NotebookClient

    notebook = lesson_notebook(site, "kiem-tra-gradient.md")
    ran = copy.deepcopy(notebook)
    for cell in ran.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    # in snippets/, sitekit imports: the install cell skips itself (no network here)
    NotebookClient(
        ran, timeout=300, kernel_name="python3", resources={"metadata": {"path": os.path.join(ROOT, "snippets")}}
    ).execute()
    checked = 0
    for want, got in zip(notebook.cells, ran.cells):
        if want.cell_type != "code":
            continue
        assert [o for o in got.outputs if o.output_type == "error"] == []
        assert [o for o in got.outputs if o.output_type == "execute_result"] == []  # a script shows no last value
        if "lesson" in want.metadata:
            assert stdout_of(got) == stdout_of(want), want.source[:200]
            checked += bool(stdout_of(want))
        if want.metadata.get("lesson", {}).get("shown"):
            figures = [o for o in want.outputs if o.output_type == "display_data" and "image/svg+xml" in o.data]
            drawn = [o for o in got.outputs if o.output_type == "display_data" and "image/svg+xml" in o.data]
            assert len(drawn) == len(figures)
    assert checked >= 8


def test_markdown_conversion():
    page = (
        "# T\n\n## Part { #part }\n\nSee [g](gradient.md#why) and [here](#part) and [x](https://a.org/).\n\n"
        '!!! note "Hint"\n    Body $a_1$.\n\n    More.\n\n'
        '=== "Tab"\n\n    Text.\n\n    --8<-- "out/s/c.md"\n\n'
        '<div class="widget">\n  <button>Go</button>\n\n</div>\n<script type="application/json" id="d">[1]</script>\n\n'
        '```python title="snippets/_engine.py"\n--8<-- "snippets/_engine.py"\n```\n*[HTML]: Hyper\n<!-- c -->\nEnd.\n'
    )
    out = lessonmd.prose(page, ROOT, SITE_URL, "trang.md")
    assert "## Part\n" in out and "{ #part }" not in out
    assert f"[g]({SITE_URL}gradient/#why)" in out and f"[here]({SITE_URL}trang/#part)" in out
    assert "[x](https://a.org/)" in out
    assert "> **Hint**\n>\n> Body $a_1$.\n>\n> More." in out
    assert '**Tab**\n\nText.\n\n--8<-- "out/s/c.md"' in out  # flattened: the include stays a line of its own
    assert "<button>" not in out and "<script" not in out and "[1]" not in out
    assert out.count(f"[xem trên trang]({SITE_URL}trang/)") == 1  # one note for the widget and its data
    with open(os.path.join(ROOT, "snippets", "_engine.py"), encoding="utf-8") as fh:
        engine = fh.read().rstrip("\n")
    assert f"**snippets/_engine.py**\n\n```python\n{engine}\n```" in out
    assert "*[HTML]" not in out and "<!--" not in out and out.rstrip().endswith("End.")


def test_a_rebuild_with_no_change_reads_the_notebooks_back(outputs, tmp_path, monkeypatch):
    src = str(tmp_path / "lessons")
    store = ResultStore(str(tmp_path / "notebooks.json"))
    docs = os.path.join(ROOT, "docs")
    args = (["gradient.md"], docs, os.path.join(BUILD, "out"), ROOT, src, SITE_URL, repo_url())
    first = lessons.write_all(*args, store=store)
    store.save()
    path = os.path.join(src, "gradient.ipynb")
    stamp = os.stat(path).st_mtime_ns

    def no_rebuild(*a, **k):
        raise AssertionError("an unchanged lesson notebook was made again")

    monkeypatch.setattr(lessons, "build", no_rebuild)
    store = ResultStore(str(tmp_path / "notebooks.json"))
    assert lessons.write_all(*args, store=store) == first
    assert os.stat(path).st_mtime_ns == stamp
