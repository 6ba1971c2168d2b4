"""The one place where execdocs changes another package's code, because it offers no hook.

- pymdownx.highlight calls `pygments.highlight` directly; the build routes that call through the
  highlight cache (render/highlight.py).
- MkDocs renders every page's Markdown in `Page.render`, between two plugin events; the build
  routes that call through the page store (render/pagestore.py), and pymdownx.snippets tells the
  page store which file each include resolved to.
- Material's search plugin parses each page inside its SearchIndex.add_entry_from_context; the
  build routes that call through the search store (render/searchstore.py).
- nbconvert makes a new Jinja environment for every notebook it converts (mkdocs-jupyter makes a
  new exporter per notebook), so each conversion parsed and compiled its ~8 templates again: about
  half the time of a cold build's notebook pages. The build gives those environments one shared
  bytecode cache.
- Under `mkdocs serve`, the preview (serve/preview.py) calls MkDocs' page steps and sets its
  server's state itself, and shortens watchdog's polling interval.

Each patch was written against the versions below and refuses any other, with a message that says
what to check, rather than risk a silently wrong page after an upgrade. Under ProperDocs (the
maintained fork of MkDocs), `mkdocs.*` imports give properdocs' modules: its version is checked.
"""

from importlib.metadata import version

WRITTEN_FOR = {
    "pymdown-extensions": "13.1",
    "mkdocs": "1.6.1",
    "properdocs": "1.6.7",
    "mkdocs-material": "9.8.1",
    "watchdog": "7.1.1",
    "nbconvert": "7.17.2",
}
WHAT_TO_CHECK = {
    "pymdown-extensions": (
        "that pymdownx/highlight.py still calls `highlight(src, lexer, formatter)` from pygments, and that "
        "pymdownx/snippets.py's SnippetPreprocessor.get_snippet_path(path) still resolves every include "
        "(execdocs/render/pagestore.py: _resolve mirrors it)"
    ),
    "mkdocs": (
        "that mkdocs/structure/pages.py's Page.render still sets exactly content, toc, _title_from_render, "
        "present_anchor_ids and links_to_anchors (execdocs/render/pagestore.py restores those); and, for "
        "serve/preview.py, that mkdocs/commands/build.py still has _populate_page(page, config, files) and "
        "_build_page(page, config, doc_files, nav, env), and mkdocs/livereload/__init__.py's LiveReloadServer "
        "still serves from self.root and holds requests while _visible_epoch != _wanted_epoch"
    ),
    "nbconvert": (
        "that nbconvert/exporters/templateexporter.py's TemplateExporter._create_environment() still returns "
        "the exporter's one Jinja Environment, made once per exporter"
    ),
    "watchdog": "that watchdog's PollingObserver and its emitters still read their interval from _timeout",
    "mkdocs-material": (
        "that material/plugins/search/plugin.py's SearchIndex.add_entry_from_context(page) still adds the "
        "page's entries to self.entries from page.content, page.toc, page.url, page.title and page.meta "
        "only (execdocs/render/searchstore.py keys them on those)"
    ),
}
WHAT_TO_CHECK["properdocs"] = WHAT_TO_CHECK["mkdocs"].replace("mkdocs/", "properdocs/")


class PatchError(Exception):
    """A patched package is not the version the patch was written for."""


def check_version(package):
    expected, found = WRITTEN_FOR[package], version(package)
    if found != expected:
        raise PatchError(
            f"execdocs/patches.py was written for {package} {expected}, but {found} is installed. "
            f"Check {WHAT_TO_CHECK[package]}, then update WRITTEN_FOR (or pin {package}=={expected} "
            f"in requirements.txt)."
        )


def check_versions(packages=("pymdown-extensions", "mkdocs")):
    for package in packages:
        check_version(package)


def route_highlighting(cache):
    """Send pymdownx.highlight's Pygments calls to cache.highlight (the latest cache given)."""
    check_version("pymdown-extensions")
    import pymdownx.highlight as module

    original = getattr(module.highlight, "execdocs_original", module.highlight)

    def highlight(code, lexer, formatter, outfile=None):
        return cache.highlight(original, code, lexer, formatter, outfile)

    highlight.execdocs_original = original
    module.highlight = highlight


def route_page_rendering(store):
    """Send Page.render to store.render (the latest store given; None: MkDocs' own render), and
    tell render/pagestore.py which file each pymdownx.snippets include resolves to."""
    from mkdocs.structure.pages import Page
    from pymdownx.snippets import SnippetPreprocessor

    from execdocs.render import pagestore

    check_version("pymdown-extensions")
    check_version(Page.__module__.split(".")[0])  # mkdocs, or properdocs under ProperDocs
    original = getattr(Page.render, "execdocs_original", Page.render)
    if store is None:
        Page.render = original
    else:

        def render(self, config, files):
            return store.render(original, self, config, files)

        render.execdocs_original = original
        Page.render = render

    resolve = getattr(SnippetPreprocessor.get_snippet_path, "execdocs_original", SnippetPreprocessor.get_snippet_path)

    def get_snippet_path(self, path):
        found = resolve(self, path)
        pagestore.included(self, path, found)
        return found

    get_snippet_path.execdocs_original = resolve
    SnippetPreprocessor.get_snippet_path = get_snippet_path


def route_search_indexing(store):
    """Send Material's SearchIndex.add_entry_from_context to store.add_entry (the latest store)."""
    check_version("mkdocs-material")
    from material.plugins.search import plugin as module

    original = getattr(module.SearchIndex.add_entry_from_context, "execdocs_original", None)
    original = original or module.SearchIndex.add_entry_from_context

    def add_entry_from_context(self, page):
        return store.add_entry(original, self, page, module.jieba is not None)

    add_entry_from_context.execdocs_original = original
    module.SearchIndex.add_entry_from_context = add_entry_from_context


def route_notebook_templates(bytecode_cache):
    """Give every Jinja environment that nbconvert makes bytecode_cache (a jinja2.BytecodeCache):
    a template compiled once is not parsed again by the next notebook's exporter. None: as nbconvert."""
    check_version("nbconvert")
    from nbconvert.exporters.templateexporter import TemplateExporter

    original = getattr(TemplateExporter._create_environment, "execdocs_original", TemplateExporter._create_environment)

    if bytecode_cache is None:
        TemplateExporter._create_environment = original
        return

    def _create_environment(self):
        environment = original(self)
        environment.bytecode_cache = bytecode_cache
        return environment

    _create_environment.execdocs_original = original
    TemplateExporter._create_environment = _create_environment
