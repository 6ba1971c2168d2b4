"""Jupyter notebooks made from the snippets' recorded runs (nothing is executed a second time).

Each snippet `snippets/NAME.py` becomes `notebooks/NAME.ipynb`: one code cell per `# %%` cell of
the snippet, with the stdout, figures (SVG) and tables that the recorded run produced. On the site
each notebook is a page (`notebooks/NAME/`, rendered by mkdocs-jupyter, never executed) and a
download (`notebooks/NAME.ipynb`, the path the "open in Colab" links use on the gh-pages branch).
"""

import json
import os
import re

from execdocs.contract import load_result
from execdocs.store import content_key, remove_quietly, write_if_changed

KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}
SETUP_CODE = """\
# Outside the project (for example on Colab) the helper package `sitekit` is fetched first.
import importlib.util
import os
import subprocess

if importlib.util.find_spec("sitekit") is None:
    subprocess.run(["git", "clone", "-q", "--depth", "1", "{repo}", "project"], check=True)
    os.chdir("project/snippets")  # the kernel imports from its working folder
"""


def page_uri(name):
    return f"notebooks/{name}/index.ipynb"


def download_uri(name):
    return f"notebooks/{name}.ipynb"


def colab_url(repo_url, name):
    """https://colab.research.google.com/github/OWNER/REPO/blob/gh-pages/notebooks/NAME.ipynb"""
    return colab_url_of(repo_url, download_uri(name))


def colab_url_of(repo_url, path):
    """Colab's address of a notebook the site publishes at `path` (on the gh-pages branch)."""
    match = re.match(r"https://github\.com/([^/]+)/([^/]+?)(?:\.git)?/?$", repo_url or "")
    if not match:
        raise ValueError(f"repo_url {repo_url!r} is not https://github.com/OWNER/REPO")
    owner, repo = match.groups()
    return f"https://colab.research.google.com/github/{owner}/{repo}/blob/gh-pages/{path}"


def _docstring(code):
    match = re.match(r'\s*(?:[rR])?("""|\'\'\')(.*?)\1', code, re.DOTALL)
    return " ".join(match.group(2).split()) if match else ""


def _outputs(cell, folder, tables):
    from nbformat import v4

    outputs = []
    if cell.stdout:
        outputs.append(v4.new_output("stream", name="stdout", text=cell.stdout))
    for figure in cell.figures:
        with open(os.path.join(folder, f"{figure.name}-light.svg"), encoding="utf-8") as fh:
            svg = fh.read()
        data = {"image/svg+xml": svg, "text/plain": figure.alt}
        outputs.append(v4.new_output("display_data", data=data))
    for table in cell.tables:
        outputs.append(
            v4.new_output("display_data", data={"text/markdown": tables[table], "text/plain": tables[table]})
        )
    return outputs


def build(name, folder, site_url, repo_url, pages=()):
    """The notebook (a NotebookNode) for one snippet's recorded run in `folder` (out/NAME)."""
    import nbformat  # not imported by a build that reads every notebook back (with jsonschema: ~0.2 s)
    from nbformat import v4

    result = load_result(os.path.join(folder, "result.json"))
    site_url = (site_url or "").rstrip("/") + "/"
    code_cells = result.cells
    summary = _docstring(code_cells[0].code) if code_cells else ""
    links = [
        f"[Mở trong Google Colab]({colab_url(repo_url, name)})",
        f"[Tải tệp .ipynb]({site_url}{download_uri(name)})",
    ]
    links += [f"[Trang dùng đoạn mã này: {title}]({site_url}{page[:-3]}/)" for page, title in pages]
    intro = (
        f"# Sổ tay {name}\n\n"
        f"Sổ tay Jupyter (notebook) của `snippets/{name}.py`, dựng từ lần chạy đã ghi lại khi "
        f"xây dựng trang (thiết bị: `{result.device}`): mã và kết quả dưới đây là "
        f"của chính lần chạy ấy, không chạy lại. Ô mã đầu tiên chỉ cần khi chạy sổ tay ngoài dự án "
        f"(ví dụ trên Colab): nó tải gói trợ giúp `sitekit` từ kho mã.\n\n"
        + (f"> {summary}\n\n" if summary else "")
        + " · ".join(links)
    )
    cells = [v4.new_markdown_cell(intro), v4.new_code_cell(SETUP_CODE.format(repo=repo_url))]
    for number, cell in enumerate(code_cells, 1):
        cells.append(v4.new_code_cell(cell.code, execution_count=number, outputs=_outputs(cell, folder, result.tables)))
    for index, cell in enumerate(cells):
        cell["id"] = f"{name[:50]}-{index}".replace("_", "-")
    notebook = v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = KERNEL
    notebook.metadata["language_info"] = {"name": "python"}
    nbformat.validate(notebook)
    return notebook


def text_of(notebook):
    import nbformat

    return nbformat.writes(notebook) + "\n"


def write_all(out_root, src_dir, site_url, repo_url, pages_of, titles=None, store=None):
    """Write src_dir/notebooks/NAME/index.ipynb for every snippet output in out_root; return
    {name: text}. store (a ResultStore) remembers which inputs made each file, so a notebook whose
    inputs did not change is read back, not rebuilt; notebooks of removed snippets are deleted."""
    folder = os.path.join(src_dir, "notebooks")
    names = sorted(n for n in os.listdir(out_root) if os.path.isfile(os.path.join(out_root, n, "result.json")))
    if os.path.isdir(folder):
        for stale in set(os.listdir(folder)) - set(names):
            remove_quietly(os.path.join(folder, stale))
    texts = {}
    for name in names:
        pages = [(p, (titles or {}).get(p, p[:-3])) for p in pages_of.get(name, ())]
        path = os.path.join(src_dir, page_uri(name))
        key = _inputs_key(os.path.join(out_root, name), site_url, repo_url, pages)
        texts[name] = _reuse(path, store.get(key) if store else None)
        if texts[name] is None:
            notebook = build(name, os.path.join(out_root, name), site_url, repo_url, pages)
            texts[name] = text_of(notebook)
            write_if_changed(path, texts[name])
        if store:
            store.keep(key, content_key(texts[name]))
    return texts


def _inputs_key(folder, site_url, repo_url, pages):
    """A hash of everything a notebook is made from, this module's code included."""
    parts = [json.dumps([site_url, repo_url, pages])]
    for path in [os.path.abspath(__file__)] + sorted(
        os.path.join(folder, f) for f in os.listdir(folder) if f == "result.json" or f.endswith("-light.svg")
    ):
        with open(path, "rb") as fh:
            parts += [os.path.basename(path), fh.read()]
    return content_key(*parts)


def _reuse(path, text_key):
    """The notebook on disk if it is the text that was made from the same inputs, else None."""
    if text_key is None:
        return None
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except FileNotFoundError:
        return None
    return text if content_key(text) == text_key else None
