"""The snippet notebooks' pages, converted by mkdocs-jupyter's converter only when one changed.

The mkdocs-jupyter plugin imports nbconvert (and jupytext) when MkDocs loads it, about 0.7 s of
every build, even when every notebook page comes from its cache. The site therefore does not list
that plugin: execdocs makes each notebook a page itself (NotebookPageFile) and renders it the way
mkdocs-jupyter 0.26.3's plugin does (its `new_render`: `convert.nb2html` for the content, its
`_get_nb_toc_tokens` for the table of contents and the title), keeping the result in a ResultStore
under a key of the notebook's bytes, the options and the converter's versions. mkdocs_jupyter is
imported only for a notebook that is not in the store. The options are mkdocs-jupyter's own names,
under `notebook_pages:` in mkdocs.yml. The converter's templates are compiled once and kept in
`templates_dir` (patches.route_notebook_templates), not once per notebook.
"""

import json
import logging
import os
import re
from importlib.metadata import PackageNotFoundError, version

from mkdocs.structure.files import File

from execdocs import patches
from execdocs.store import ResultStore, content_key

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
        found = _version("mkdocs-jupyter")
        if found != WRITTEN_FOR:
            raise NotebookPagesError(
                f"execdocs/notebooks/jupyterpages.py was written for mkdocs-jupyter {WRITTEN_FOR}, but {found} "
                f"is installed. Check that mkdocs_jupyter/plugin.py's new_render still calls convert.nb2html "
                f"and _get_nb_toc_tokens as render() here does, then update WRITTEN_FOR (or pin "
                f"mkdocs-jupyter=={WRITTEN_FOR} in requirements.txt)."
            )
        self.options = {**DEFAULTS, **options}
        self.store = ResultStore(store_path)
        self.versions = " ".join(f"{name} {_version(name)}" for name in CONVERTER)
        self.templates_dir = templates_dir
        self.templates_routed = False

    def render(self, page):
        """Set the notebook page's content, table of contents and title (its Page.render)."""
        from mkdocs.structure.toc import get_toc

        path = page.file.abs_src_path
        with open(path, "rb") as fh:
            notebook = fh.read()
        key = content_key(self.versions, json.dumps(self.options, sort_keys=True), notebook)
        entry = self.store.get(key)
        content = None if entry is None else self._unpack(entry)
        if content is None:
            entry = self._convert(path)
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

    def _convert(self, path):
        from mkdocs_jupyter import convert  # nbconvert: only for a notebook not in the store
        from mkdocs_jupyter.plugin import _get_nb_toc_tokens

        if not self.templates_routed:
            self._route_templates()

        options = {k: v for k, v in self.options.items() if k not in ("toc_depth", "ignore_h1_titles")}
        content = convert.nb2html(path, **options)
        toc_tokens, title = _get_nb_toc_tokens(path, self.options["toc_depth"])
        return {"content": content, "toc_tokens": toc_tokens, "title": title}

    def _route_templates(self):
        import jinja2

        self.templates_routed = True
        # compiled code depends on the Jinja and nbconvert that made it: a folder for each pair
        folder = os.path.join(self.templates_dir, content_key(self.versions, jinja2.__version__)[:16])
        os.makedirs(folder, exist_ok=True)
        try:
            patches.route_notebook_templates(jinja2.FileSystemBytecodeCache(folder))
        except patches.PatchError as error:  # only slower: every notebook compiles its templates
            logging.getLogger("mkdocs.plugins.execdocs").info(f"notebook templates not cached: {error}")


def _version(name):
    try:
        return version(name)
    except PackageNotFoundError:
        return None
