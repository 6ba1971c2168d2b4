"""The snippet notebooks' pages, converted by mkdocs-jupyter's converter only when one changed.

The mkdocs-jupyter plugin imports nbconvert (and jupytext) when MkDocs loads it, about 0.7 s of
every build, even when every notebook page comes from its cache. The site therefore does not list
that plugin: execdocs makes each notebook a page itself (NotebookPageFile) and renders it the way
mkdocs-jupyter 0.26.3's plugin does (its `new_render`: `convert.nb2html` for the content, its
`_get_nb_toc_tokens` for the table of contents and the title), keeping the result in a ResultStore
under a key of the notebook's bytes, the options and the converter's versions. mkdocs_jupyter is
imported only for a notebook that is not in the store. The options are mkdocs-jupyter's own names,
under `notebook_pages:` in mkdocs.yml. The converter's templates are compiled once and kept in
`templates_dir` (patches.route_notebook_templates), not once per notebook. A build that has many
notebooks to convert (a cold one) converts them in worker processes while it renders the other pages.
"""

import json
import logging
import multiprocessing
import os
import re
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import jinja2
from mkdocs.structure.files import File

from execdocs import patches
from execdocs.store import ResultStore, content_key, package_version

WRITTEN_FOR = "0.26.3"  # mkdocs-jupyter: the plugin code this module does the work of
# mkdocs-jupyter's options that change a page, with its defaults (its Plugin.config_scheme)
DEFAULTS = {
    "execute": False,
    "kernel_name": "",
    "theme": "",
    "allow_errors": True,
    "show_input": True,
    "no_input": False,
    "no_prompt": False,
    "remove_tag_config": {},
    "highlight_extra_classes": "",
    "include_requirejs": False,
    "custom_mathjax_url": "",
    "toc_depth": 6,
    "ignore_h1_titles": False,
}
# Every converted notebook starts with the same ~570 KB of Jupyter's CSS: the store keeps each
# style block once, under its hash, and each page as the text around the blocks plus their hashes.
STYLE_BLOCK = re.compile(r"(<style\b[^>]*>.*?</style>)", re.S)
STYLE_KEY = "style "
PARALLEL_FROM = 6  # notebooks to convert, per worker, before workers pay for their start (~2 s each)
MAX_WORKERS = 4
WORKER_TIMEOUT = 600  # seconds for one notebook's page from a worker (one takes ~0.2 s)
CONVERTER = ("mkdocs-jupyter", "nbconvert", "nbformat", "mistune", "pygments", "jupytext", "jupyterlab-pygments")


class NotebookPagesError(Exception):
    """An unknown option, or a mkdocs-jupyter this module was not written for."""


class NotebookPageFile(File):
    """A notebook that is a documentation page (its dest_path: NAME/index.html, as for Markdown)."""

    def is_documentation_page(self):
        return True


class NotebookPages:
    def __init__(self, options, store_path, templates_dir):
        unknown = sorted(set(options) - set(DEFAULTS))
        if unknown:
            raise NotebookPagesError(
                f"mkdocs.yml: notebook_pages: unknown option(s) {', '.join(unknown)} "
                f"(known: {', '.join(sorted(DEFAULTS))})"
            )
        found = package_version("mkdocs-jupyter")
        if found != WRITTEN_FOR:
            raise NotebookPagesError(
                f"execdocs/notebooks/jupyterpages.py was written for mkdocs-jupyter {WRITTEN_FOR}, but {found} "
                f"is installed. Check that mkdocs_jupyter/plugin.py's new_render still calls convert.nb2html "
                f"and _get_nb_toc_tokens as render() here does, then update WRITTEN_FOR (or pin "
                f"mkdocs-jupyter=={WRITTEN_FOR} in requirements.txt)."
            )
        self.options = {**DEFAULTS, **options}
        self.store = ResultStore(store_path)
        self.versions = " ".join(f"{name} {package_version(name)}" for name in CONVERTER)
        # compiled templates depend on the Jinja and nbconvert that made them: a folder for each pair
        key = content_key(self.versions, jinja2.__version__)[:16]
        self.templates_folder = None if templates_dir is None else os.path.join(templates_dir, key)
        self.pool, self.pending = None, {}  # worker processes of prefetch, {path: its future}
        self.preloading = None  # the thread of preload

    def prefetch(self, paths):
        """Start converting, in worker processes, those of the notebooks at paths that the store
        lacks, when there are enough to pay for the workers' start (a cold build: 89 notebooks of
        ~0.2 s each); render() then takes their results. Fewer are converted in this process."""
        missing = [path for path in paths if self._stored(path)[2] is None]
        if len(missing) < PARALLEL_FROM or self.pool is not None:
            return
        workers = max(1, min(os.cpu_count() or 1, MAX_WORKERS, len(missing) // PARALLEL_FROM))
        self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
        self.pending = {path: self.pool.submit(convert, path, self.options, self.templates_folder) for path in missing}

    def preload(self):
        """Import the converter (nbconvert and its kin: ~1.5 s) in a thread, once per process: for a
        build whose snippets are running, whose notebooks will then change. The build's thread waits
        for that import, if still under way, when it converts its first notebook."""
        if self.preloading is None:
            self.preloading = threading.Thread(target=_import_converter, name="execdocs-nbconvert", daemon=True)
            self.preloading.start()

    def close(self):
        """Stop the worker processes; conversions not yet taken are dropped."""
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool, self.pending = None, {}

    def render(self, page):
        """Set the notebook page's content, table of contents and title (its Page.render)."""
        from mkdocs.structure.toc import get_toc

        path = page.file.abs_src_path
        key, entry, content = self._stored(path)
        if content is None:
            entry = self._converted(path)
            content = entry.pop("content")
            entry["parts"], entry["styles"] = self._pack(content)
        else:
            for digest in entry["styles"]:
                self.store.keep(STYLE_KEY + digest, self.store.get(STYLE_KEY + digest))
        self.store.keep(key, entry)
        page.content = content
        page.toc = get_toc(entry["toc_tokens"])
        if entry["title"] is not None and not self.options["ignore_h1_titles"]:
            page.title = entry["title"]

    def _stored(self, path):
        """(key, stored entry or None, its content or None) of the notebook at path."""
        with open(path, "rb") as fh:
            notebook = fh.read()
        key = content_key(self.versions, json.dumps(self.options, sort_keys=True), notebook)
        entry = self.store.get(key)
        return key, entry, None if entry is None else self._unpack(entry)

    def _converted(self, path):
        future = self.pending.pop(path, None)
        if future is not None:
            try:
                return future.result(timeout=WORKER_TIMEOUT)
            except TimeoutError:
                raise NotebookPagesError(f"{path}: no page from the converter within {WORKER_TIMEOUT} s") from None
            except BrokenProcessPool as error:  # a worker died (out of memory, killed): convert here
                logging.getLogger("mkdocs.plugins.execdocs").info(f"notebook worker lost ({error}); converting here")
        return convert(path, self.options, self.templates_folder)

    def _pack(self, content):
        pieces = STYLE_BLOCK.split(content)  # text, style, text, style, ..., text
        digests = []
        for style in pieces[1::2]:
            digest = content_key(style)
            self.store.keep(STYLE_KEY + digest, style)
            digests.append(digest)
        return pieces[::2], digests

    def _unpack(self, entry):
        """The page's content, or None if a style block it needs is not in the store."""
        styles = [self.store.get(STYLE_KEY + digest) for digest in entry.get("styles", ())]
        if "parts" not in entry or None in styles or len(entry["parts"]) != len(styles) + 1:
            return None
        pieces = [entry["parts"][0]]
        for style, text in zip(styles, entry["parts"][1:]):
            pieces += [style, text]
        return "".join(pieces)


def convert(path, options, templates_folder):
    """{content, toc_tokens, title} of the notebook at path, as mkdocs-jupyter's plugin makes them.
    Runs in this process or in a worker (prefetch). templates_folder: where nbconvert's compiled
    templates are kept (None: compiled anew for every notebook, as nbconvert does)."""
    from mkdocs_jupyter import convert as converter  # nbconvert: only for a notebook not in the store
    from mkdocs_jupyter.plugin import _get_nb_toc_tokens

    if templates_folder is not None:
        _route_templates(templates_folder)
    converter_options = {k: v for k, v in options.items() if k not in ("toc_depth", "ignore_h1_titles")}
    content = converter.nb2html(path, **converter_options)
    toc_tokens, title = _get_nb_toc_tokens(path, options["toc_depth"])
    return {"content": content, "toc_tokens": toc_tokens, "title": title}


def _import_converter():
    try:
        import mkdocs_jupyter.convert  # noqa: F401
        import mkdocs_jupyter.plugin  # noqa: F401
    except Exception:  # the build's own import of them, in convert(), says what is wrong
        pass


def _route_templates(folder):
    os.makedirs(folder, exist_ok=True)
    try:
        patches.route_notebook_templates(jinja2.FileSystemBytecodeCache(folder))
    except patches.PatchError as error:  # only slower: every notebook compiles its templates
        logging.getLogger("mkdocs.plugins.execdocs").info(f"notebook templates not cached: {error}")
