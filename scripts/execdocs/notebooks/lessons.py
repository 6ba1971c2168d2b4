"""Lesson notebooks: each lesson page as one Jupyter notebook, `notebooks/bai/PAGE.ipynb`.

The notebook follows the page: its prose as Markdown cells (values filled in, formulas as TeX,
lessonmd.py), each included code fragment (`--8<-- "out/NAME/CELL.md"` or `.code.md`) as a code
cell with the outputs the build recorded for that cell (stdout, figures, tables), and each
included figure, table or output alone (`.fig.md`, `.table.md`, `.out.md`) in the Markdown.

Run All must work and give the recorded numbers, so the notebook also runs what a shown cell
needs and the page does not show: the earlier cells of its snippet (its imports, a set-up cell),
in one collapsed cell marked "# @title Chạy trước ..." (Colab shows the title, Jupyter hides the
code). Every snippet starts with `sitekit.notebook.begin(NAME)` (fresh records, seeds 0, global
settings reset, as if its file ran alone). When a page comes back to a snippet after another one
ran, or shows a cell before one it already showed, that snippet is started again and its cells
up to there run once more, collapsed: the kernel holds one snippet's state at a time.
"""

import base64
import dataclasses
import json
import os
import re

from execdocs.contract import load_result
from execdocs.notebooks import build as snippetbook
from execdocs.notebooks import lessonmd
from execdocs.render import values
from execdocs.store import content_key, remove_quietly, write_if_changed

FOLDER = "notebooks/bai"
INCLUDE = re.compile(r'^[ \t]*--8<--\s+"out/(?P<name>[a-z0-9_-]+)/(?P<fragment>[^"]+)"[ \t]*$', re.MULTILINE)
H1 = re.compile(r"^#\s+(?P<title>.+?)\s*$", re.MULTILINE)


class LessonError(Exception):
    """A page include the lesson notebook cannot place; the message names page and line."""


def download_uri(page):
    return f"{FOLDER}/{page[:-3]}.ipynb"


def colab_url(repo_url, page):
    return snippetbook.colab_url_of(repo_url, download_uri(page))


def is_lesson(markdown):
    """A lesson page includes at least one snippet's outputs."""
    return INCLUDE.search(markdown) is not None


def page_links(markdown, page, repo_url):
    """The page with a line after its title linking its lesson notebook (Colab, download)."""
    prefix = "../" * page.count("/")
    line = (
        f'<small class="lesson-notebook">Sổ tay Jupyter của bài này: '
        f"[Mở trong Google Colab]({colab_url(repo_url, page)}) · "
        f"[Tải sổ tay .ipynb]({prefix}{download_uri(page)})</small>"
    )
    match = H1.search(markdown)
    if not match:
        return f"{line}\n\n{markdown}"
    return f"{markdown[: match.end()]}\n\n{line}\n{markdown[match.end() :]}"


class _Snippet:
    def __init__(self, out_root, name):
        self.name = name
        self.folder = os.path.join(out_root, name)
        self.result = load_result(os.path.join(self.folder, "result.json"))
        self.cells = list(self.result.cells)
        self.index = {cell.name: i for i, cell in enumerate(self.cells)}
        self.figure_cell = {f.name: i for i, cell in enumerate(self.cells) for f in cell.figures}
        self.table_cell = {t: i for i, cell in enumerate(self.cells) for t in cell.tables}


def _fragment(snippet, fragment):
    """(kind, cell index, item): kind is cells (several, item = their indices), cell, out, fig, table."""
    if fragment == "full.md":
        return "cells", len(snippet.cells) - 1, list(range(len(snippet.cells)))
    for suffix, kind, where in (
        (".code.md", "cell", snippet.index),
        (".out.md", "out", snippet.index),
        (".fig.md", "fig", snippet.figure_cell),
        (".table.md", "table", snippet.table_cell),
        (".md", "cell", snippet.index),
    ):
        if fragment.endswith(suffix) and fragment[: -len(suffix)] in where:
            item = fragment[: -len(suffix)]
            return kind, where[item], item
    return None


class _Notebook:
    """The cells of one lesson notebook, made in page order."""

    def __init__(self, page, snippets, shown_apart):
        self.page = page
        self.snippets = snippets
        self.shown_apart = shown_apart  # {(snippet, figure or table)} the page shows in its prose
        self.cells = []
        self.markdown, self.attachments = [], {}
        self.current, self.done = None, -1  # the snippet whose state the kernel holds, its last cell run

    def prose(self, text):
        if text.strip():
            self.markdown.append(text.strip("\n"))

    def _flush(self):
        from nbformat import v4

        if self.markdown:
            cell = v4.new_markdown_cell("\n\n".join(self.markdown))
            if self.attachments:
                cell["attachments"] = self.attachments
            self.cells.append(cell)
        self.markdown, self.attachments = [], {}

    def _code(self, snippet, indices, shown, restart=False):
        from nbformat import v4

        self._flush()
        cells = [snippet.cells[i] for i in indices]
        code = "\n\n\n".join(cell.code for cell in cells)
        if not shown:
            names = ", ".join(f"`{cell.name}`" for cell in cells) or "không ô nào"
            title = f"# @title Chạy trước ({names} của snippets/{snippet.name}.py; trang không hiện)\n"
            start = f'import sitekit.notebook\n\nsitekit.notebook.begin("{snippet.name}")\n\n' if restart else ""
            code = title + start + code
        if not shown:  # what the page shows in its prose is in the Markdown, not twice
            cells = [self._without_apart(snippet, cell) for cell in cells]
        outputs = [o for cell in cells for o in snippetbook._outputs(cell, snippet.folder, snippet.result.tables)]
        merged = _merge_streams(outputs)
        cell = v4.new_code_cell(code, outputs=merged)
        cell.metadata["lesson"] = {"snippet": snippet.name, "cells": [c.name for c in cells], "shown": shown}
        if not shown:
            cell.metadata["jupyter"] = {"source_hidden": True}
            cell.metadata["cellView"] = "form"
        self.cells.append(cell)

    def _without_apart(self, snippet, cell):
        return dataclasses.replace(
            cell,
            figures=tuple(f for f in cell.figures if (snippet.name, f.name) not in self.shown_apart),
            tables=tuple(t for t in cell.tables if (snippet.name, t) not in self.shown_apart),
        )

    def run_until(self, snippet, stop):
        """Make the kernel hold snippet's state after its cells before index stop."""
        if self.current == snippet.name and self.done < stop:
            if self.done + 1 < stop:
                self._code(snippet, range(self.done + 1, stop), shown=False)
        else:
            self._code(snippet, range(0, stop), shown=False, restart=True)
        self.current, self.done = snippet.name, stop - 1

    def show_cells(self, snippet, indices):
        self.run_until(snippet, indices[0])
        self._code(snippet, indices, shown=True)
        self.done = indices[-1]

    def show_output(self, snippet, kind, index, item):
        if not (self.current == snippet.name and self.done >= index):
            self.run_until(snippet, index + 1)
        if kind == "fig":
            figure = next(f for f in snippet.cells[index].figures if f.name == item)
            with open(os.path.join(snippet.folder, f"{item}-light.svg"), "rb") as fh:
                svg = fh.read()
            key = f"{snippet.name}-{item}.svg"
            self.attachments[key] = {"image/svg+xml": base64.b64encode(svg).decode("ascii")}
            alt = " ".join(figure.alt.split()).replace("[", "(").replace("]", ")")
            self.prose(f"![{alt}](attachment:{key})")
        elif kind == "table":
            self.prose(snippet.result.tables[item])
        else:
            stdout = snippet.cells[index].stdout
            if stdout.strip():
                self.prose(f"```text\n{stdout.rstrip()}\n```")

    def finish(self):
        self._flush()
        for index, cell in enumerate(self.cells):
            cell["id"] = f"{self.page[:-3][:50]}-{index}".replace("/", "-").replace(".", "-")
        count = 0
        for cell in self.cells:
            if cell.cell_type == "code" and cell.outputs is not None and "lesson" in cell.metadata:
                count += 1
                cell.execution_count = count
        return self.cells


def _merge_streams(outputs):
    merged = []
    for output in outputs:
        if merged and output.output_type == "stream" and merged[-1].output_type == "stream":
            merged[-1]["text"] += output.text
        else:
            merged.append(output)
    return merged


def build(page, markdown, out_root, root, site_url, repo_url, shown=None):
    """The notebook (a NotebookNode) of one lesson page; markdown: its source, values not yet
    filled; shown: the page's path in messages (docs/PAGE)."""
    import nbformat  # not imported by a build that reads every notebook back (with jsonschema: ~0.2 s)
    from nbformat import v4

    shown = shown or f"docs/{page}"
    text = values.substitute(markdown, out_root, shown)
    plain = lessonmd.prose(text, root, site_url, page)
    includes = list(INCLUDE.finditer(plain))
    snippets = {}
    for match in includes:
        if match.group("name") not in snippets:
            snippets[match.group("name")] = _Snippet(out_root, match.group("name"))
    parsed = []
    for match in includes:
        snippet = snippets[match.group("name")]
        found = _fragment(snippet, match.group("fragment"))
        if found is None:
            line = _line_of(markdown, match.group(0).strip())
            raise LessonError(f"{shown}:{line}: the lesson notebook knows no fragment {match.group(0).strip()}")
        parsed.append((match, snippet, found))
    apart = {(s.name, item) for _, s, (kind, _, item) in parsed if kind in ("fig", "table")}
    title_match = H1.search(plain)
    title = title_match.group("title") if title_match else page[:-3]
    notebook = _Notebook(page, snippets, apart)
    notebook.prose(_intro(title, page, site_url, repo_url, snippets))
    notebook._flush()
    notebook.cells.append(v4.new_code_cell(snippetbook.SETUP_CODE.format(repo=repo_url)))
    cursor = title_match.end() if title_match else 0
    for match, snippet, (kind, index, item) in parsed:
        notebook.prose(plain[cursor : match.start()])
        cursor = match.end()
        if kind == "cells":
            notebook.show_cells(snippet, item)
        elif kind == "cell":
            notebook.show_cells(snippet, [index])
        else:
            notebook.show_output(snippet, kind, index, item)
    notebook.prose(plain[cursor:])
    nb = v4.new_notebook(cells=notebook.finish())
    nb.metadata["kernelspec"] = snippetbook.KERNEL
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["colab"] = {"provenance": []}
    nbformat.validate(nb)
    return nb


def _intro(title, page, site_url, repo_url, snippets):
    devices = sorted({s.result.device for s in snippets.values()})
    links = " · ".join(
        [
            f"[Trang bài học]({lessonmd.page_address(site_url, page)})",
            f"[Mở trong Google Colab]({colab_url(repo_url, page)})",
            f"[Tải tệp .ipynb]({(site_url or '').rstrip('/')}/{download_uri(page)})",
        ]
    )
    return (
        f"# {title}\n\n"
        f"Sổ tay Jupyter (notebook) của bài «{title}»: chữ, công thức và mã theo đúng thứ tự trên trang, "
        f"kèm kết quả (chữ in ra, hình, bảng) của lần chạy khi xây dựng trang (thiết bị: "
        f"`{', '.join(devices)}`). Ô mã đầu tiên chỉ cần khi chạy ngoài dự án (ví dụ trên Colab): "
        f"nó tải mã của dự án, trong đó có gói trợ giúp `sitekit`. Các ô có dòng "
        f"`# @title Chạy trước ...` là mã mà trang không hiện nhưng các ô sau cần (phần đầu của một "
        f"đoạn mã, hay chạy lại một đoạn mã từ đầu); chúng được thu gọn. Mỗi ô chạy như trong tệp Python: "
        f"giá trị của dòng cuối không tự hiện ra, muốn xem thì dùng `print(...)`. Chạy tất cả (Run All) "
        f"từ trên xuống sẽ cho lại đúng các con số này.\n\n{links}"
    )


def _line_of(markdown, needle):
    for number, line in enumerate(markdown.split("\n"), 1):
        if needle in line:
            return number
    return 1


def write_all(pages, docs_dir, out_root, root, src_dir, site_url, repo_url, store=None):
    """Write src_dir/PAGE.ipynb for each lesson page; return {page: text}. As for the snippet
    notebooks, store remembers the inputs of each file: unchanged inputs, the file is read back."""
    texts = {}
    for page in pages:
        with open(os.path.join(docs_dir, page), encoding="utf-8") as fh:
            markdown = fh.read()
        path = os.path.join(src_dir, page[:-3] + ".ipynb")
        key = _inputs_key(markdown, out_root, root, site_url, repo_url)
        texts[page] = snippetbook._reuse(path, store.get(key) if store else None)
        if texts[page] is None:
            shown = f"{os.path.basename(os.path.abspath(docs_dir))}/{page}"
            notebook = build(page, markdown, out_root, root, site_url, repo_url, shown)
            texts[page] = snippetbook.text_of(notebook)
            write_if_changed(path, texts[page])
        if store:
            store.keep(key, content_key(texts[page]))
    if os.path.isdir(src_dir):
        for stale in set(os.listdir(src_dir)) - {p[:-3] + ".ipynb" for p in pages}:
            remove_quietly(os.path.join(src_dir, stale))
    return texts


def _inputs_key(markdown, out_root, root, site_url, repo_url):
    """A hash of all a lesson notebook is made from: the page, the outputs of its snippets, the
    project files it includes, and the code of the modules that make it."""
    here = os.path.dirname(os.path.abspath(__file__))
    parts = [json.dumps([site_url, repo_url]), markdown]
    paths = [os.path.join(here, f) for f in ("lessons.py", "lessonmd.py", "build.py")]
    for name in sorted(set(INCLUDE_NAMES.findall(markdown))):
        folder = os.path.join(out_root, name)
        if os.path.isdir(folder):
            paths += sorted(
                os.path.join(folder, f)
                for f in os.listdir(folder)
                if f in ("result.json", "values.json") or f.endswith("-light.svg")
            )
    paths += [os.path.join(root, p) for p in sorted(set(FILE_NAMES.findall(markdown)))]
    for path in paths:
        try:
            with open(path, "rb") as fh:
                parts += [os.path.relpath(path, root), fh.read()]
        except FileNotFoundError:
            parts += [path, "missing"]
    return content_key(*parts)


INCLUDE_NAMES = re.compile(r'(?:--8<--\s+"out/|\{\{\s*)([a-z0-9_-]+)[./]')
FILE_NAMES = re.compile(r'--8<--\s+"((?!out/)[^"]+)"')
