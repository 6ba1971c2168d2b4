"""Every store a build keeps in _build/, made once per process, and the one policy for saving them.

Under `mkdocs serve` the plugin, and so these stores, outlive each rebuild: each build starts them
(`start_build`), uses what it needs, and `save`s them when it succeeded. The memos of pure steps are
saved after any build that got that far; the page, template and search stores only after a build
that --strict does not fail, since their entries replay a page's warnings.
"""

import os

from execdocs.check import site as sitechecks
from execdocs.check.text import CheckStore
from execdocs.notebooks import csspurge, jupyterpages
from execdocs.offline import printpage
from execdocs.render import search
from execdocs.render.highlight import HighlightCache
from execdocs.render.pagestore import PageStore
from execdocs.render.searchstore import SearchStore
from execdocs.render.templatestore import TemplateStore
from execdocs.store import ResultStore, content_key, source_of

# the memos of pure steps: {attribute: file in _build/}
MEMOS = {
    "notebooks": "notebooks.json",  # generated notebooks
    "notebook_css": "notebook-css.json",  # the notebook pages' purged stylesheet
    "built_pages": "built-pages.json",  # the checks of a built page, its classes
    "finished": "notebook-finished.json",  # a notebook page made ready for the site
    "print_page": "print-page.json",  # each chapter's section of the print page
}


class BuildStores:
    def __init__(self, build_dir, notebook_pages=None):
        """notebook_pages: mkdocs-jupyter's options for the snippet notebooks' pages (None: that
        plugin makes them). Raises jupyterpages.NotebookPagesError on options it does not know."""

        def path(name):
            return os.path.join(build_dir, name)

        self.text_checks = CheckStore(path("textchecks.json"))
        self.highlight = HighlightCache(path("highlight.json"))
        self.pages = PageStore(path("pages.json"), self.highlight)
        self.templates = TemplateStore(path("templates.json"))
        self.search = SearchStore(path("search.json"), search.store_code())
        for attribute, name in MEMOS.items():
            setattr(self, attribute, ResultStore(path(name)))
        self.jupyter = None
        if notebook_pages is not None:
            self.jupyter = jupyterpages.NotebookPages(
                notebook_pages, path("notebook-pages.json"), os.path.join(build_dir, "jinja", "nbconvert")
            )
        # what the memos' keys hold of the code that made them
        self.built_page_code = content_key(source_of(sitechecks, csspurge))
        self.print_code = content_key(source_of(printpage))

    def _memos(self):
        memos = [self.highlight.store, *(getattr(self, attribute) for attribute in MEMOS)]
        return memos + ([self.jupyter.store] if self.jupyter else [])

    def _renders(self):
        return [self.pages.store, self.templates.store, self.search.store]

    def start_build(self, page_store):
        for store in [self.text_checks.results, *self._memos(), *self._renders()]:
            store.start_build()
        self.pages.start_build()
        self.templates.start_build()
        self.search.start_build()
        self.search.enabled = page_store

    def summaries(self):
        return [self.pages.summary(), self.templates.summary(), self.search.summary()]

    def save(self, page_store, failed):
        """After a build: every memo; the page, template and search stores unless the build failed
        (failed: --strict counted a warning) or did not use them."""
        for store in self._memos():
            store.save()
        if page_store and not failed:
            for store in self._renders():
                store.save()
