"""A broken formula, a missing value or a failing snippet stops `mkdocs build` with its location."""

import os

import pytest

from conftest import BUILD, ROOT, copy_project, mkdocs_build
from execdocs.render.math import KatexRenderer, MathError


@pytest.fixture
def renderer(tmp_path):
    r = KatexRenderer(ROOT, str(tmp_path / "katex.json"))
    yield r
    r.close()


def test_katex_error_names_page_line_and_formula(renderer):
    source = "# T\n\nText\n\n$$\nL = a \\cdotf'(z)\n$$\n"
    html = '<div class="arithmatex">\\[\nL = a \\cdotf\'(z)\n\\]</div>'
    with pytest.raises(MathError) as error:
        renderer.render_page(html, source, "docs/t.md")
    message = str(error.value)
    assert "docs/t.md:6:" in message
    assert "L = a \\cdotf'(z)" in message
    assert "Undefined control sequence" in message


@pytest.mark.parametrize(
    "bad, line, hint",
    [
        ("y = \\softmax(z)", 5, "write `\\operatorname{softmax}`"),
        ("y = a \\cdotf b", 5, "write `\\cdot f` (with a space)"),
    ],
)
def test_katex_error_names_the_line_inside_a_display_formula_with_a_hint(renderer, bad, line, hint):
    """In a multi-line display formula the message gives the line of the bad command, not the
    formula's first line, and a likely fix."""
    body = f"\nx = 1 \\\\\n{bad} \\\\\nz = 2\n"
    source = "# T\n\n$$" + body + "$$\n"
    with pytest.raises(MathError) as error:
        renderer.render_page(f'<div class="arithmatex">\\[{body}\\]</div>', source, "docs/t.md")
    message = str(error.value)
    assert source.split("\n")[line - 1] == bad + " \\\\"  # the test's own arithmetic
    assert message.startswith(f"docs/t.md:{line}: KaTeX cannot render the formula") and hint in message, message


def test_rendered_formulas_are_cached_by_text(renderer, tmp_path):
    html = '<span class="arithmatex">\\(x^2\\)</span>'
    first = renderer.render_page(html, "$x^2$", "docs/t.md")
    assert 'class="katex"' in first
    renderer.close()
    again = KatexRenderer(ROOT, str(tmp_path / "katex.json"))
    assert again.render("x^2", False)[0] in first
    assert again.process is None  # served from the cache: node was never started


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(str(tmp_path_factory.mktemp("copy") / "project"), warm=True)


def test_bad_formula_in_a_page_stops_the_build(project, tmp_path):
    page = os.path.join(project, "docs", "index.md")
    original = open(page, encoding="utf-8").read()
    with open(page, "a", encoding="utf-8") as fh:
        fh.write("\n\n$$\n\\frac{\\partial L}{\\partial x} = w \\cdotf'(z)\n$$\n")
    line = original.count("\n") + 4
    done = mkdocs_build(project, str(tmp_path / "site"))
    with open(page, "w", encoding="utf-8") as fh:
        fh.write(original)
    assert done.returncode != 0
    assert f"docs/index.md:{line}: KaTeX cannot render the formula" in done.stderr
    assert "\\cdotf'(z)" in done.stderr


def test_unknown_value_placeholder_stops_the_build(project, tmp_path):
    page = os.path.join(project, "docs", "index.md")
    original = open(page, encoding="utf-8").read()
    with open(page, "a", encoding="utf-8") as fh:
        fh.write("\nGiá trị: {{ train_loop.no_such_value:.3f }}\n")
    done = mkdocs_build(project, str(tmp_path / "site"))
    with open(page, "w", encoding="utf-8") as fh:
        fh.write(original)
    assert done.returncode != 0
    assert "docs/index.md:" in done.stderr and "reported no value 'no_such_value'" in done.stderr


def test_failing_snippet_stops_the_build(project, tmp_path):
    path = os.path.join(project, "snippets", "train_loop.py")
    original = open(path, encoding="utf-8").read()
    broken = original.replace("losses, xs, grads = [], [], []", "losses, xs, grads = [], [], []\nundefined_name")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(broken)
    done = mkdocs_build(project, str(tmp_path / "site"))
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(original)
    line = broken.splitlines().index("undefined_name") + 1
    assert done.returncode != 0
    assert f"snippets/train_loop.py:{line}: NameError: name 'undefined_name' is not defined" in done.stderr
    assert not os.path.exists(os.path.join(project, "_build", "out", "train_loop"))


def test_no_change_rebuild_runs_no_snippet(site):
    done = mkdocs_build(os.path.dirname(BUILD), os.path.join(site + "-again"))
    assert done.returncode == 0, done.stderr
    assert "snippets: 0 ran" in done.stderr and "0 failed" in done.stderr
