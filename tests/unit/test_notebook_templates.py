"""The snippet notebooks' pages compile nbconvert's templates once, not once per notebook
(execdocs/patches.py: route_notebook_templates), and the pages are the same bytes either way."""

import logging
import os

import jinja2
import nbformat
import pytest

from execdocs import patches
from execdocs.notebooks import jupyterpages
from execdocs.notebooks.jupyterpages import NotebookPages


def _notebook(folder, number):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [
        nbformat.v4.new_markdown_cell(f"# Sổ tay {number}\n\nĐạo hàm của $x^2$ là $2x$."),
        nbformat.v4.new_code_cell(f"y = {number} ** 2\nprint(y)"),
    ]
    notebook.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"{number**2}\n")]
    path = os.path.join(folder, f"nb{number}.ipynb")
    nbformat.write(notebook, path)
    return path


@pytest.fixture
def compiles(monkeypatch):
    """How many templates Jinja parsed and compiled from source."""
    counted = []
    original = jinja2.Environment.compile

    def compile(self, *args, **kwargs):
        counted.append(args[1] if len(args) > 1 else kwargs.get("name"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    return counted


def test_templates_compile_once_and_pages_stay_the_same(tmp_path, compiles):
    paths = [_notebook(str(tmp_path), n) for n in (1, 2, 3)]
    cached = NotebookPages({}, str(tmp_path / "cached.json"), str(tmp_path / "jinja"))
    try:
        first = cached._converted(paths[0])
        after_first = len(compiles)
        assert after_first >= 4, "the first notebook compiles nbconvert's templates"
        others = [cached._converted(p) for p in paths[1:]]
        assert len(compiles) == after_first, f"later notebooks compiled {compiles[after_first:]} again"
        assert os.listdir(tmp_path / "jinja"), "compiled templates are kept on disk for the next build"
    finally:
        patches.route_notebook_templates(None)

    plain = NotebookPages({}, str(tmp_path / "plain.json"), None)  # nbconvert as it is
    before = len(compiles)
    expected = [plain._converted(p) for p in paths]
    assert len(compiles) >= before + 3 * after_first
    assert [first, *others] == expected
    assert "Sổ tay 2" in expected[1]["content"] and "4\n" in expected[1]["content"]


def test_many_notebooks_are_converted_in_workers_into_the_same_pages(tmp_path, monkeypatch, caplog):
    """A cold build's notebooks are converted in worker processes (prefetch); the pages are those
    converted here, and a lost worker's notebooks are converted here instead."""
    paths = [_notebook(str(tmp_path), n) for n in range(jupyterpages.PARALLEL_FROM)]
    here = NotebookPages({}, str(tmp_path / "here.json"), str(tmp_path / "jinja"))
    try:
        expected = [here._converted(p) for p in paths]
        workers = NotebookPages({}, str(tmp_path / "workers.json"), str(tmp_path / "jinja"))
        workers.prefetch(paths)
        assert workers.pool is not None and set(workers.pending) == set(paths)
        from mkdocs_jupyter import convert as converter

        monkeypatch.setattr(converter, "nb2html", lambda *a, **k: pytest.fail("converted in this process"))
        assert [workers._converted(p) for p in paths] == expected
        workers.close()
        monkeypatch.undo()

        lost = NotebookPages({}, str(tmp_path / "lost.json"), str(tmp_path / "jinja"))
        lost.prefetch(paths)
        for process in list(lost.pool._processes.values()):  # killed while still starting
            process.kill()
        with caplog.at_level(logging.INFO, logger="mkdocs.plugins.execdocs"):
            assert [lost._converted(p) for p in paths] == expected
        assert "notebook worker lost" in caplog.text
        lost.close()

        few = NotebookPages({}, str(tmp_path / "few.json"), str(tmp_path / "jinja"))
        few.prefetch(paths[:-1])  # too few to pay for a worker's start
        assert few.pool is None and few.pending == {}
    finally:
        patches.route_notebook_templates(None)
