"""Every snippet is a notebook page and a valid .ipynb built from its recorded run."""

import json
import os
import re

import nbformat
import pytest

from conftest import BUILD, ROOT, read_page, store_entries, stored_entries
from execdocs.notebooks import build as notebooks
from execdocs.notebooks import csspurge, pages
from execdocs.run.runner import discover
from execdocs.store import ResultStore

SNIPPETS = discover(os.path.join(ROOT, "snippets"))


def repo_url():
    with open(os.path.join(ROOT, "mkdocs.yml"), encoding="utf-8") as fh:
        return re.search(r"^repo_url:\s*(\S+)", fh.read(), re.MULTILINE).group(1)


def colab(name):
    owner_repo = re.match(r"https://github\.com/([^/]+/[^/]+?)/?$", repo_url()).group(1)
    return f"https://colab.research.google.com/github/{owner_repo}/blob/gh-pages/notebooks/{name}.ipynb"


def recorded(name):
    with open(os.path.join(BUILD, "out", name, "result.json"), encoding="utf-8") as fh:
        return json.load(fh)


@pytest.mark.parametrize("name", SNIPPETS)
def test_notebook_holds_the_recorded_run(site, name):
    notebook = nbformat.read(os.path.join(site, "notebooks", name + ".ipynb"), as_version=4)
    nbformat.validate(notebook)
    result = recorded(name)
    code = [c for c in notebook.cells if c.cell_type == "code"][1:]  # after the setup cell
    assert [c.source for c in code] == [c["code"] for c in result["cells"]]
    for cell, run in zip(code, result["cells"]):
        streams = [o for o in cell.outputs if o.output_type == "stream"]
        assert "".join(o.text for o in streams) == run["stdout"]
        assert all(o.name == "stdout" for o in streams)
        svgs = [
            o.data["image/svg+xml"]
            for o in cell.outputs
            if o.output_type == "display_data" and "image/svg+xml" in o.data
        ]
        assert len(svgs) == len(run["figures"])
        for svg, figure in zip(svgs, run["figures"]):
            with open(os.path.join(BUILD, "out", name, figure["name"] + "-light.svg"), encoding="utf-8") as fh:
                assert svg == fh.read()
    assert colab(name) in notebook.cells[0].source


@pytest.mark.parametrize("name", SNIPPETS)
def test_notebook_page_is_rendered_without_remote_scripts(site, name):
    html = read_page(site, f"notebooks/{name}")
    assert "jupyter-wrapper" in html  # rendered by mkdocs-jupyter, so our files came first
    assert colab(name) in html and f"notebooks/{name}.ipynb" in html
    lowered = html.lower()
    for word in ("mathjax", "require.js", "requirejs", "cdnjs", "jsdelivr", "unpkg", "mermaid.esm"):
        assert word not in lowered, word
    imports = re.findall(r"(?:import|@import|url\()\s*['\"(]?https?://", html)
    assert re.findall(r"<(?:script|img|iframe|source)\b[^>]*\bsrc=\"https?://", html) == []
    assert re.findall(r"<link\b[^>]*rel=\"stylesheet\"[^>]*href=\"https?://", html) == []
    assert imports == []


def test_math_in_a_notebook_is_rendered_by_katex(site):
    html = read_page(site, "notebooks/scale_accumulation")
    cell = html.split('class="jp-RenderedHTMLCommon jp-RenderedMarkdown', 2)[1].split("<pre>")[0]
    formulas = [re.sub(r"<[^>]+>", "", m) for m in re.findall(r"<math\b.*?</math>", cell, re.DOTALL)]
    assert 'class="katex"' in cell and "\u2207L=\u2211k=1K\u2207(Lk/K)" in formulas  # ∇L = Σ ∇(L_k/K)
    assert "\\nabla" not in cell and "$" not in cell  # no formula left as raw TeX


def test_notebooks_section_in_nav_and_links_from_pages(site):
    html = read_page(site, "quy-mo-lon")
    assert "Sổ tay Jupyter" in html
    for name in ("scale_accumulation", "scale_data_parallel", "scale_mixed_precision", "scale_memory"):
        assert f'href="../notebooks/{name}/"' in html and colab(name) in html
        assert f'href="../notebooks/{name}.ipynb"' in html
    overview = read_page(site, "notebooks")
    assert all(f'href="{name}/"' in overview for name in SNIPPETS)


def test_page_html_marks_math_and_drops_cdn_scripts():
    html = (
        '<!-- Load mathjax --><script src=""> </script><script type="text/x-mathjax-config">x</script>'
        "<!-- End of mathjax configuration -->"
        '<script type="module">import mermaid from "https://cdnjs.example/mermaid.esm.min.mjs";</script>'
        '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown" data-mime-type="text/markdown">'
        "<p>a $x^2$ b</p><p>$$\\frac{1}{2}$$</p></div><pre>$HOME costs $5</pre>"
    )
    out = pages.page_html(html)
    assert "mathjax" not in out.lower() and "mermaid" not in out
    assert '<span class="arithmatex">\\(x^2\\)</span>' in out
    assert '<div class="arithmatex">\\[\\frac{1}{2}\\]</div>' in out
    assert "<pre>$HOME costs $5</pre>" in out  # code output is left alone


def test_colab_url_from_repo_url():
    assert notebooks.colab_url("https://github.com/a/b", "n") == (
        "https://colab.research.google.com/github/a/b/blob/gh-pages/notebooks/n.ipynb"
    )
    assert notebooks.colab_url("https://github.com/a/b.git/", "n").endswith(
        "/github/a/b/blob/gh-pages/notebooks/n.ipynb"
    )
    with pytest.raises(ValueError):
        notebooks.colab_url("https://gitlab.com/a/b", "n")


def test_notebooks_are_reproducible(outputs):
    folder = os.path.join(BUILD, "out", "train_loop")
    first = nbformat.writes(notebooks.build("train_loop", folder, "https://x.org/", "https://github.com/a/b"))
    again = nbformat.writes(notebooks.build("train_loop", folder, "https://x.org/", "https://github.com/a/b"))
    assert first == again  # stable cell ids: mkdocs-jupyter's cache and git diffs stay quiet


def test_link_line_once_per_snippet_with_the_include_indent():
    page = '--8<-- "out/a_b/x.md"\n\n=== "Tab"\n\n    --8<-- "out/c/y.md"\n\n--8<-- "out/a_b/z.md"\n'
    out = pages.link_snippets(page, "https://github.com/o/r")
    assert out.count("notebooks/a_b/index.ipynb") == 1 and out.count("notebooks/c/index.ipynb") == 1
    assert "    <small>Sổ tay: [`c`](notebooks/c/index.ipynb)" in out
    assert out.index("notebooks/a_b/index.ipynb") < out.index('--8<-- "out/a_b/x.md"')


def test_purge_keeps_only_rules_a_page_can_match():
    css = (
        '/* c */ @charset "UTF-8";.w .used{color:red}.w .gone{color:blue}.w .used,.w .gone:hover{margin:0}'
        ".w .used:not(.absent){padding:1px}@media (max-width:10px){.w .gone{x:y}.w{z:w}}"
        '@keyframes k{from{opacity:0}}.w :root{--a:var(--b);--b:1px;--icon:url("data:image/svg+xml;a=b");'
        "--unused:2px}.w .used{width:var(--a)}"
    )
    out = csspurge.purge(css, {"w", "used"})
    assert ".w .used{color:red}" in out and ".gone{color:blue}" not in out
    assert ".w .used{margin:0}" in out  # the selector list loses only its unmatchable part
    assert ".w .used:not(.absent){padding:1px}" in out  # :not() matches by absence
    assert "@media (max-width:10px){.w{z:w}}" in out and "@keyframes k{from{opacity:0}}" in out
    assert "--a:var(--b)" in out and "--b:1px" in out  # reached through var(--a)
    assert "--icon" not in out and "--unused" not in out and "/* c */" not in out
    assert csspurge.classes_in('<p class="a  b"><i class="c">') == {"a", "b", "c"}


def test_purge_result_is_remembered_by_content(tmp_path):
    css = ".w .used{color:red}.w .gone{color:blue}"
    path = str(tmp_path / "notebook-css.json")
    store = ResultStore(path)
    first = csspurge.purge(css, {"w", "used"}, store)
    assert first == csspurge.purge(css, {"w", "used"}) and ".gone" not in first
    store.save()
    (key,) = stored_entries(path)
    store_entries(path, {key: "remembered"})  # proves a rebuild reads the store
    store = ResultStore(path)
    assert csspurge.purge(css, {"w", "used"}, store) == "remembered"
    other = csspurge.purge(css, {"w", "used", "gone"}, store)  # other classes: a new entry
    assert ".w .gone{color:blue}" in other and len(store.used) == 2


@pytest.mark.parametrize("name", ["lr_explorer", "train_loop"])
def test_notebook_page_is_light(site, name):
    """No inline JupyterLab CSS and no base64 figures: one shared purged stylesheet, and the
    snippet's own lazy SVG files (both themes) with the snippet's alt text."""
    html = read_page(site, f"notebooks/{name}")
    assert len(html.encode()) < 200_000
    assert "<style" not in html and "data:image" not in html
    links = re.findall(r'href="\.\./\.\./(assets/stylesheets/notebook-[0-9a-f]{12}\.css)"', html)
    assert len(links) == 1
    css_path = os.path.join(site, links[0])
    assert os.path.getsize(css_path) < 60_000 and ".jp-OutputArea" in open(css_path, encoding="utf-8").read()
    figures = re.findall(
        r'<img width="\d+" height="\d+" alt="([^"]+)" src="\.\./\.\./out/'
        + name
        + r'/([\w-]+)-(light|dark)\.svg#only-\3"',
        html,
    )
    assert figures and {scheme for _, _, scheme in figures} == {"light", "dark"}
    assert all(os.path.isfile(os.path.join(site, "out", name, f"{fig}-{s}.svg")) for _, fig, s in figures)
    assert "No description has been provided" not in html
