"""MkDocs hooks: run the snippets before each build, put their outputs and KaTeX into the site.

Listed in mkdocs.yml under `hooks:`. `mkdocs build` and `mkdocs serve` both run the snippet
runner first (only changed snippets run); `serve` also watches snippets/. The site also gets
self-hosted fonts (sitefonts.py) and search that folds Vietnamese diacritics (sitesearch.py).
Environment: DOCS_DEVICE=cpu|cuda|auto (default cpu), DOCS_SKIP_SNIPPETS=1 to reuse the outputs
already in _build/out without running anything (for timing the build itself).
"""

import logging
import os
import sys
import threading

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

SCRIPTS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, SCRIPTS)

import csspurge  # noqa: E402
import highlightcache  # noqa: E402
import mathrender  # noqa: E402
import notebookassets  # noqa: E402
import notebooks  # noqa: E402
import pagechecks  # noqa: E402
import pagevalues  # noqa: E402
import reportpage  # noqa: E402
import sitefonts  # noqa: E402
import sitesearch  # noqa: E402
import textchecks  # noqa: E402
import vislug  # noqa: E402
from snippetkit.runner import Runner, SnippetFailure, discover, warm_up  # noqa: E402

ROOT = os.path.dirname(SCRIPTS)
BUILD = os.path.join(ROOT, "_build")
OUT = os.path.join(BUILD, "out")
KATEX_CSS = "assets/katex/katex.min.css"
_state = {
    "sources": {},
    "katex": None,
    "site_dir": None,
    "stylesheets": {},
    "notebook_classes": set(),
    "notebook_files": [],
    "highlight": None,
}
log = logging.getLogger("mkdocs.hooks.snippets")


def _fail(message):
    raise PluginError("\n" + message)


def on_startup(command, dirty):
    if command == "serve" and os.environ.get("DOCS_SKIP_SNIPPETS") != "1":
        threading.Thread(target=warm_up, args=(log.info,), daemon=True).start()  # torch loads while serve starts


class _QuietNotebookCacheHits(logging.Filter):
    """mkdocs-jupyter logs "Cache hit: PATH" for every notebook page on every build (36 lines),
    which buries the lines a contributor needs; misses (a notebook converted again) still show."""

    def filter(self, record):
        return not (record.levelno == logging.INFO and str(record.msg).startswith("Cache hit"))


def on_config(config):
    jupyter_log = logging.getLogger("mkdocs.plugins.mkdocs_jupyter")
    # by name: `mkdocs serve` runs this module afresh for each rebuild, so the class is new each time
    if not any(type(f).__name__ == "_QuietNotebookCacheHits" for f in jupyter_log.filters):
        jupyter_log.addFilter(_QuietNotebookCacheHits())
    for stylesheet in (KATEX_CSS, sitefonts.STYLESHEET):
        if stylesheet not in config.extra_css:
            config.extra_css.insert(0, stylesheet)
    sitesearch.install()
    _state["highlight"] = highlightcache.HighlightCache(os.path.join(BUILD, "highlight.json")).install()
    config.mdx_configs.setdefault("toc", {})["slugify"] = vislug.slugify
    _state["site_dir"] = config.site_dir
    pagechecks.locate_link_warnings(config.docs_dir)
    notebooks.configure(config, os.path.join(ROOT, "snippets"))
    return config


def on_pre_build(config):
    _state["sources"].clear()
    _state["stylesheets"].clear()
    _state["notebook_classes"].clear()
    _state["notebook_files"].clear()
    _state["highlight"].start_build()
    checked = textchecks.use_store(os.path.join(BUILD, "textchecks.json"))
    _stop_on(pagechecks.source_errors(ROOT, config))
    device = os.environ.get("DOCS_DEVICE", "cpu")
    try:
        if os.environ.get("DOCS_SKIP_SNIPPETS") != "1":
            Runner(ROOT, BUILD, device=device, log=log.info).run()
    except SnippetFailure as failure:
        _fail(f"a snippet failed, so the site was not built:\n\n{failure}")
    _stop_on(pagechecks.output_errors(ROOT, config, OUT))
    checked.results.save()
    for warning in pagechecks.unused_snippets(ROOT, config.docs_dir, discover(os.path.join(ROOT, "snippets"))):
        log.warning(warning)


def _stop_on(errors):
    if errors:
        _fail(
            f"{len(errors)} problem(s) found, so the site was not built (see docs/dong-gop.md):\n" + "\n".join(errors)
        )


@event_priority(50)  # before mkdocs-jupyter's on_files, which turns the notebooks into pages
def on_files(files, config):
    if os.path.isdir(OUT):
        for name in sorted(os.listdir(OUT)):
            folder = os.path.join(OUT, name)
            for filename in sorted(os.listdir(folder)):
                if filename.endswith(".svg"):
                    path = os.path.join(folder, filename)
                    files.append(File.generated(config, f"out/{name}/{filename}", abs_src_path=path))
    report = reportpage.page_markdown(os.path.join(BUILD, "report.json"))
    files.append(File.generated(config, reportpage.PAGE, content=report))
    files.append(File.generated(config, KATEX_CSS, content=mathrender.stylesheet()))
    notebooks.add_files(files, config, OUT, os.path.join(BUILD, "notebook-src"))
    for path in mathrender.font_files():
        uri = "assets/katex/fonts/" + os.path.basename(path)
        files.append(File.generated(config, uri, abs_src_path=path))
    try:
        sitefonts.add_files(files, config)
    except sitefonts.FontError as error:
        _fail(str(error))
    sitesearch.add_files(files, config)
    return files


def on_page_markdown(markdown, page, config, files):
    if notebooks.is_notebook(page):
        return markdown
    markdown = notebooks.link_snippets(markdown, config.repo_url)
    path = os.path.join(os.path.basename(config.docs_dir), page.file.src_uri)
    _state["sources"][page.file.src_uri] = markdown
    try:
        return pagevalues.substitute(markdown, OUT, path)
    except pagevalues.ValueError_ as error:
        _fail(str(error))


def on_page_content(html, page, config, files):
    if _state["katex"] is None:
        _state["katex"] = mathrender.KatexRenderer(os.path.join(BUILD, "katex-cache.json"))
    path = os.path.join(os.path.basename(config.docs_dir), page.file.src_uri)
    source = _state["sources"].get(page.file.src_uri, "")
    if notebooks.is_notebook(page):
        page.meta["search"] = {"exclude": True}  # the lesson pages, not their notebook copies, are found
        html = notebooks.page_html(html)
        prefix = notebookassets.root_prefix(page.url)
        html = notebookassets.external_styles(html, prefix, _state["stylesheets"])
        html = notebookassets.linked_figures(html, page.file.src_uri.split("/")[1], OUT, prefix)
    try:
        return _state["katex"].render_page(html, source, path)
    except mathrender.MathError as error:
        _fail(str(error))


def on_post_page(output, page, config):
    if notebooks.is_notebook(page):
        _state["notebook_classes"] |= csspurge.classes_in(output)
        _state["notebook_files"].append(page.file.abs_dest_path)
    _stop_on(pagechecks.built_page_errors(output, os.path.join(os.path.basename(config.docs_dir), page.file.src_uri)))
    return output


def on_post_build(config):
    notebookassets.write(
        config.site_dir,
        _state["stylesheets"],
        _state["notebook_classes"],
        _state["notebook_files"],
        cache_dir=os.path.join(BUILD, "notebook-css"),
    )
    _state["highlight"].save()
    _close_katex()


def on_build_error(error):
    _close_katex()
    pagechecks.discard_site(_state["site_dir"])


def _close_katex():
    if _state["katex"] is not None:
        _state["katex"].close()
        _state["katex"] = None


def on_serve(server, config, builder):
    server.watch(os.path.join(ROOT, "snippets"))
    return server
