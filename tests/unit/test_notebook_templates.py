"""The snippet notebooks' pages compile nbconvert's templates once, not once per notebook
(execdocs/patches.py: route_notebook_templates), and the pages are the same bytes either way."""

import os

import jinja2
import nbformat
import pytest

from execdocs import patches
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
        first = cached._convert(paths[0])
        after_first = len(compiles)
        assert after_first >= 4, "the first notebook compiles nbconvert's templates"
        others = [cached._convert(p) for p in paths[1:]]
        assert len(compiles) == after_first, f"later notebooks compiled {compiles[after_first:]} again"
        assert os.listdir(tmp_path / "jinja"), "compiled templates are kept on disk for the next build"
    finally:
        patches.route_notebook_templates(None)

    plain = NotebookPages({}, str(tmp_path / "plain.json"), str(tmp_path / "unused"))
    plain.templates_routed = True  # nbconvert as it is: every exporter compiles its templates
    before = len(compiles)
    expected = [plain._convert(p) for p in paths]
    assert len(compiles) >= before + 3 * after_first
    assert [first, *others] == expected
    assert "Sổ tay 2" in expected[1]["content"] and "4\n" in expected[1]["content"]
