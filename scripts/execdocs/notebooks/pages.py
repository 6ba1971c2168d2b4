"""The notebooks on the MkDocs site: the nav section, the overview page (the lesson notebooks
first, then one per snippet), the links on each lesson page (its lesson notebook under the title,
each snippet's notebook before the page's first include of it), and the cleaned-up notebook page
HTML. The snippet notebooks are pages and downloads; the lesson notebooks downloads only (the
lesson page itself shows the same content)."""

import os
import re

from execdocs.check.text import read_text
from execdocs.notebooks import lessons
from execdocs.notebooks.build import colab_url, download_uri, page_uri, write_all

SECTION = "Sổ tay Jupyter"
OVERVIEW = "notebooks/index.md"
INCLUDE = re.compile(r'^(?P<indent>[ \t]*)--8<--\s+"out/(?P<name>[a-z0-9_-]+)/', re.MULTILINE)


def snippet_pages(docs_dir):
    """{snippet name: [page file, ...]} for every page that includes a snippet's outputs."""
    found = {}
    shown_dir = os.path.basename(os.path.abspath(docs_dir))
    for page in sorted(os.listdir(docs_dir)):
        if page.endswith(".md"):
            text = read_text(os.path.join(docs_dir, page), f"{shown_dir}/{page}")  # names a page not in UTF-8
            for match in INCLUDE.finditer(text):
                found.setdefault(match.group("name"), [])
                if page not in found[match.group("name")]:
                    found[match.group("name")].append(page)
    return found


def lesson_pages(docs_dir, titles):
    """The nav's lesson pages, in nav order: the pages that include a snippet's outputs."""
    found = []
    shown_dir = os.path.basename(os.path.abspath(docs_dir))
    for page in titles:
        path = os.path.join(docs_dir, page)
        if page.endswith(".md") and os.path.isfile(path) and lessons.is_lesson(read_text(path, f"{shown_dir}/{page}")):
            found.append(page)
    return found


def overview(names, repo_url, pages_of, titles=None, lesson_pages=()):
    """Markdown of the section's first page: each lesson's notebook, then every snippet's notebook
    with its page, Colab and download links."""
    lines = [f"# {SECTION}", ""]
    if lesson_pages:
        lines += [
            "## Sổ tay theo bài",
            "",
            "Mỗi bài học cũng là một sổ tay Jupyter (notebook): chữ, công thức và mã theo đúng thứ tự "
            "trên trang, kèm kết quả của lần chạy khi xây dựng trang. Mở trong Google Colab để tự chạy "
            "và sửa (chạy tất cả từ trên xuống cho lại đúng các con số trên trang), hoặc tải tệp "
            "`.ipynb` về máy.",
            "",
            "| bài | Colab | tải về |",
            "| --- | --- | --- |",
        ]
        for page in lesson_pages:
            title = (titles or {}).get(page, page[:-3])
            name = os.path.basename(lessons.download_uri(page))
            lines.append(
                f"| [{title}](../{page}) | [mở]({lessons.colab_url(repo_url, page)}) "
                f"| [{name}]({os.path.relpath(lessons.download_uri(page), os.path.dirname(OVERVIEW))}) |"
            )
        lines += ["", "## Sổ tay theo đoạn mã", ""]
    lines += [
        "Mỗi đoạn mã (snippet) của trang cũng là một sổ tay Jupyter (notebook) riêng, dựng từ chính lần "
        "chạy khi xây dựng trang: toàn bộ tệp, kể cả các ô mà trang không hiện, với kết quả in ra và "
        "hình vẽ giống hệt trên các trang bài học.",
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


def nav_section(names, pages_of, titles, nav=None):
    """The nav section: the overview, then the notebooks grouped under the page that uses them,
    then any unused ones. The groups sit in the same sections as their pages in `nav` (in nav
    order; `titles` maps page file to nav title): each notebook page shows its siblings in the nav,
    so a flat list of one group per lesson would make every notebook page grow with the site."""
    groups = {page: [] for page in titles}
    other = []
    for name in names:
        used = [p for p in pages_of.get(name, ()) if p in groups]
        (groups[used[0]] if used else other).append({name: page_uri(name)})
    section = [{"Tổng quan": OVERVIEW}]
    if nav is None:
        section += [{titles[page]: items} for page, items in groups.items() if items]
    else:
        section += _mirrored(nav, groups, set())
    if other:
        section.append({"Khác": other})
    return {SECTION: section}


def _mirrored(nav, groups, placed):
    """The non-empty groups laid out as `nav` lays out their pages (each page's group once)."""
    found = []
    for item in nav or []:
        if isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str) and groups.get(value) and value not in placed:
                    placed.add(value)
                    found.append({title: groups[value]})
                elif isinstance(value, list):
                    inner = _mirrored(value, groups, placed)
                    if inner:
                        found.append({title: inner})
    return found


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


def is_notebook(page):
    return page.file.src_uri.endswith(".ipynb")


class NotebookSection:
    """The site's notebook section for one build: which snippet each page uses, the nav titles."""

    def __init__(self, config, snippet_names):
        self.names = snippet_names
        self.pages_of = snippet_pages(config.docs_dir)
        self.titles = _nav_titles(config.nav)
        self.lessons = lesson_pages(config.docs_dir, self.titles)

    def expand_nav(self, config):
        """Replace the nav entry for the overview page by the section of every snippet's notebook."""
        for index, item in enumerate(config.nav or []):
            if isinstance(item, dict) and list(item.values()) == [OVERVIEW]:
                config.nav[index] = nav_section(self.names, self.pages_of, self.titles, config.nav)

    def add_files(self, files, config, out_root, src_dir, lessons_dir, root, store, page_file=None):
        """Write the notebooks and add each snippet's as a page and a download, each lesson's as a
        download, and the overview page. page_file: the File class of the notebook pages
        (jupyterpages.NotebookPageFile; by default a plain File, for the mkdocs-jupyter plugin)."""
        from mkdocs.structure.files import File

        page_file = page_file or File

        if not os.path.isdir(out_root):
            return
        texts = write_all(out_root, src_dir, config.site_url, config.repo_url, self.pages_of, self.titles, store)
        for name, text in texts.items():
            # A real file under src_dir, not File.generated: mkdocs-jupyter's page wrapper reads
            # abs_src_path through src_dir, which a generated file does not have.
            files.append(page_file(page_uri(name), src_dir, config.site_dir, config.use_directory_urls))
            files.append(File.generated(config, download_uri(name), content=text))
        books = lessons.write_all(
            self.lessons, config.docs_dir, out_root, root, lessons_dir, config.site_url, config.repo_url, store
        )
        for page, text in books.items():
            files.append(File.generated(config, lessons.download_uri(page), content=text))
        text = overview(sorted(texts), config.repo_url, self.pages_of, self.titles, self.lessons)
        files.append(File.generated(config, OVERVIEW, content=text))
