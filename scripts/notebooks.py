"""Jupyter notebooks made from the snippets' recorded runs (nothing is executed a second time).

Each snippet `snippets/NAME.py` becomes `notebooks/NAME.ipynb`: one code cell per `# %%` cell of
the snippet, with the stdout, figures (SVG) and tables that the recorded run produced. On the site
each notebook is a page (`notebooks/NAME/`, rendered by mkdocs-jupyter, never executed) and a
download (`notebooks/NAME.ipynb`, the path the "open in Colab" links use on the gh-pages branch).
"""

import hashlib
import json
import os
import re

import nbformat
from nbformat import v4
from snippetkit.files import remove_quietly, write_if_changed

SECTION = "Sổ tay Jupyter"
OVERVIEW = "notebooks/index.md"
KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}
INCLUDE = re.compile(r'^(?P<indent>[ \t]*)--8<--\s+"out/(?P<name>[a-z0-9_-]+)/', re.MULTILINE)
SETUP_CODE = """\
# Outside the project (for example on Colab) the helper package `sitekit` is fetched first.
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("sitekit") is None:
    subprocess.run(["git", "clone", "-q", "--depth", "1", "{repo}", "project"], check=True)
    sys.path.insert(0, "project/snippets")
"""


def page_uri(name):
    return f"notebooks/{name}/index.ipynb"


def download_uri(name):
    return f"notebooks/{name}.ipynb"


def colab_url(repo_url, name):
    """https://colab.research.google.com/github/OWNER/REPO/blob/gh-pages/notebooks/NAME.ipynb"""
    match = re.match(r"https://github\.com/([^/]+)/([^/]+?)(?:\.git)?/?$", repo_url or "")
    if not match:
        raise ValueError(f"repo_url {repo_url!r} is not https://github.com/OWNER/REPO")
    owner, repo = match.groups()
    return f"https://colab.research.google.com/github/{owner}/{repo}/blob/gh-pages/{download_uri(name)}"


def snippet_pages(docs_dir):
    """{snippet name: [page file, ...]} for every page that includes a snippet's outputs."""
    found = {}
    for page in sorted(os.listdir(docs_dir)):
        if page.endswith(".md"):
            with open(os.path.join(docs_dir, page), encoding="utf-8") as fh:
                for match in INCLUDE.finditer(fh.read()):
                    found.setdefault(match.group("name"), [])
                    if page not in found[match.group("name")]:
                        found[match.group("name")].append(page)
    return found


def _docstring(code):
    match = re.match(r'\s*(?:[rR])?("""|\'\'\')(.*?)\1', code, re.DOTALL)
    return " ".join(match.group(2).split()) if match else ""


def _outputs(cell, folder, tables):
    outputs = []
    if cell["stdout"]:
        outputs.append(v4.new_output("stream", name="stdout", text=cell["stdout"]))
    for figure in cell["figures"]:
        with open(os.path.join(folder, f"{figure['name']}-light.svg"), encoding="utf-8") as fh:
            svg = fh.read()
        data = {"image/svg+xml": svg, "text/plain": figure["alt"]}
        outputs.append(v4.new_output("display_data", data=data))
    for table in cell["tables"]:
        outputs.append(
            v4.new_output("display_data", data={"text/markdown": tables[table], "text/plain": tables[table]})
        )
    return outputs


def build(name, folder, site_url, repo_url, pages=()):
    """The notebook (a NotebookNode) for one snippet's recorded run in `folder` (out/NAME)."""
    with open(os.path.join(folder, "result.json"), encoding="utf-8") as fh:
        result = json.load(fh)
    site_url = (site_url or "").rstrip("/") + "/"
    code_cells = result["cells"]
    summary = _docstring(code_cells[0]["code"]) if code_cells else ""
    links = [
        f"[Mở trong Google Colab]({colab_url(repo_url, name)})",
        f"[Tải tệp .ipynb]({site_url}{download_uri(name)})",
    ]
    links += [f"[Trang dùng đoạn mã này: {title}]({site_url}{page[:-3]}/)" for page, title in pages]
    intro = (
        f"# Sổ tay {name}\n\n"
        f"Sổ tay Jupyter (notebook) của `snippets/{name}.py`, dựng từ lần chạy đã ghi lại khi "
        f"xây dựng trang (thiết bị: `{result.get('device', 'cpu')}`): mã và kết quả dưới đây là "
        f"của chính lần chạy ấy, không chạy lại. Ô mã đầu tiên chỉ cần khi chạy sổ tay ngoài dự án "
        f"(ví dụ trên Colab): nó tải gói trợ giúp `sitekit` từ kho mã.\n\n"
        + (f"> {summary}\n\n" if summary else "")
        + " · ".join(links)
    )
    cells = [v4.new_markdown_cell(intro), v4.new_code_cell(SETUP_CODE.format(repo=repo_url))]
    for number, cell in enumerate(code_cells, 1):
        cells.append(
            v4.new_code_cell(cell["code"], execution_count=number, outputs=_outputs(cell, folder, result["tables"]))
        )
    for index, cell in enumerate(cells):
        cell["id"] = f"{name[:50]}-{index}".replace("_", "-")
    notebook = v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = KERNEL
    notebook.metadata["language_info"] = {"name": "python"}
    nbformat.validate(notebook)
    return notebook


def write_all(out_root, src_dir, site_url, repo_url, pages_of, titles=None):
    """Write src_dir/notebooks/NAME/index.ipynb for every snippet output in out_root; return
    {name: text}. Unchanged files are not rewritten, notebooks of removed snippets are deleted."""
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
        texts[name] = _reuse(path, key)
        if texts[name] is None:
            notebook = build(name, os.path.join(out_root, name), site_url, repo_url, pages)
            texts[name] = nbformat.writes(notebook) + "\n"
            remove_quietly(path + ".key")  # a write cut short must not look current next time
            write_if_changed(path, texts[name])
            write_if_changed(path + ".key", key)
    return texts


def _inputs_key(folder, site_url, repo_url, pages):
    """A hash of everything a notebook is made from, this module's code included."""
    digest = hashlib.sha256(json.dumps([site_url, repo_url, pages]).encode())
    for path in [os.path.abspath(__file__)] + sorted(
        os.path.join(folder, f) for f in os.listdir(folder) if f == "result.json" or f.endswith("-light.svg")
    ):
        with open(path, "rb") as fh:
            digest.update(os.path.basename(path).encode() + b"\0" + fh.read())
    return digest.hexdigest()


def _reuse(path, key):
    """The notebook text written last time if it was made from the same inputs, else None."""
    try:
        with open(path + ".key", encoding="utf-8") as fh:
            if fh.read() != key:
                return None
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except FileNotFoundError:
        return None


def overview(names, repo_url, pages_of, titles=None):
    """Markdown of the section's first page: every notebook, its page, Colab and download links."""
    lines = [
        f"# {SECTION}",
        "",
        "Mỗi đoạn mã (snippet) của trang cũng là một sổ tay Jupyter (notebook), dựng từ chính lần "
        "chạy khi xây dựng trang: mã, kết quả in ra và hình vẽ giống hệt trên các trang bài học. "
        "Mở trong Google Colab để tự chạy và sửa, hoặc tải tệp `.ipynb` về máy.",
        "",
        "| sổ tay | dùng trên trang | Colab | tải về |",
        "| --- | --- | --- | --- |",
    ]
    for name in names:
        used = ", ".join(f"[{(titles or {}).get(p, p[:-3])}](../{p})" for p in pages_of.get(name, ())) or "—"
        lines.append(
            f"| [`{name}`]({name}/index.ipynb) | {used} | [mở]({colab_url(repo_url, name)}) "
            f"| [{name}.ipynb]({name}.ipynb) |"
        )
    return "\n".join(lines) + "\n"


def nav_section(names, pages_of, titles):
    """The nav section: the overview, then the notebooks grouped under the page that uses them
    (pages in nav order; `titles` maps page file to nav title), then any unused ones."""
    groups = {page: [] for page in titles}
    other = []
    for name in names:
        used = [p for p in pages_of.get(name, ()) if p in groups]
        (groups[used[0]] if used else other).append({name: page_uri(name)})
    section = [{"Tổng quan": OVERVIEW}]
    section += [{titles[page]: items} for page, items in groups.items() if items]
    if other:
        section.append({"Khác": other})
    return {SECTION: section}


def _nav_titles(nav):
    """{page file: title} for the plain `title: file.md` entries of a nav, in order."""
    found = {}
    for item in nav or []:
        if isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    found[value] = title
                elif isinstance(value, list):
                    found.update(_nav_titles(value))
    return found


def link_snippets(markdown, repo_url, prefix=""):
    """Before a page's first include of each snippet, a line linking its notebook, Colab, download."""
    done = set()

    def add(match):
        name = match.group("name")
        if name in done:
            return match.group(0)
        done.add(name)
        line = (
            f"{match.group('indent')}<small>Sổ tay: [`{name}`]({prefix}{page_uri(name)}) · "
            f"[Colab]({colab_url(repo_url, name)}) · [tải .ipynb]({prefix}{download_uri(name)})</small>\n\n"
        )
        return line + match.group(0)

    return INCLUDE.sub(add, markdown)


_MARKDOWN_CELL = re.compile(r'(<div class="[^"]*jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)', re.DOTALL)
# nbconvert's MathJax loader (with custom_mathjax_url "" an empty <script src="">) and its
# mermaid module, imported from a CDN: both go, with their comments.
_REMOTE_SCRIPTS = re.compile(
    r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->"
    r"|<script type=\"module\">(?:(?!</script>).)*?mermaid.*?</script>",
    re.DOTALL,
)


def _math_to_arithmatex(fragment):
    fragment = re.sub(
        r"\$\$(.+?)\$\$", lambda m: f'<div class="arithmatex">\\[{m.group(1)}\\]</div>', fragment, flags=re.DOTALL
    )
    return re.sub(
        r"(?<![\\$])\$([^$\n]+?)\$", lambda m: f'<span class="arithmatex">\\({m.group(1)}\\)</span>', fragment
    )


def page_html(content):
    """A notebook page's HTML with MathJax and mermaid (loaded from a CDN) removed and the math of
    its markdown cells marked for the site's build-time KaTeX."""
    content = _REMOTE_SCRIPTS.sub("", content)
    return _MARKDOWN_CELL.sub(lambda m: m.group(1) + _math_to_arithmatex(m.group(2)) + m.group(3), content)


_state = {"names": [], "pages_of": {}, "titles": {}}


def is_notebook(page):
    return page.file.src_uri.endswith(".ipynb")


def configure(config, snippets_dir):
    """Replace the nav entry for the overview page by the section of every snippet's notebook."""
    from snippetkit.runner import discover

    _state["names"] = discover(snippets_dir)
    _state["pages_of"] = snippet_pages(config.docs_dir)
    _state["titles"] = _nav_titles(config.nav)
    for index, item in enumerate(config.nav or []):
        if isinstance(item, dict) and list(item.values()) == [OVERVIEW]:
            config.nav[index] = nav_section(_state["names"], _state["pages_of"], _state["titles"])


def add_files(files, config, out_root, src_dir):
    """Write the notebooks and add each as a page, as a download, and the overview page."""
    from mkdocs.structure.files import File

    if not os.path.isdir(out_root):
        return
    texts = write_all(out_root, src_dir, config.site_url, config.repo_url, _state["pages_of"], _state["titles"])
    for name, text in texts.items():
        # A real file under src_dir, not File.generated: mkdocs-jupyter's page wrapper reads
        # abs_src_path through src_dir, which a generated file does not have.
        files.append(File(page_uri(name), src_dir, config.site_dir, config.use_directory_urls))
        files.append(File.generated(config, download_uri(name), content=text))
    text = overview(sorted(texts), config.repo_url, _state["pages_of"], _state["titles"])
    files.append(File.generated(config, OVERVIEW, content=text))
