"""Each page's Markdown rendered to HTML, kept between builds.

MkDocs turns every page's Markdown into HTML on every build (`Page.render`), which is most of a
no-change build's time. What comes out is a function of: the Markdown after the plugins'
on_page_markdown, the files pymdownx.snippets includes (found through its base paths), the
Markdown extensions and their options, the page's path and URL, the site's files (relative links
are resolved against them, and a link to a file that is not there is a warning), the link
validation levels, and the versions of the libraries and of the execdocs code that render. The
page store keeps what `Page.render` leaves on the page (content, table of contents, title, the
ids on the page, the links to anchors, the log lines it emitted) under a key of all of those but
the included files, and with the entry the included files: which path each `--8<--` asked for,
which file that resolved to, and a hash of its bytes. An entry is used only if every included
file still resolves to the same file with the same bytes; its log lines are emitted again, so a
broken link still fails `mkdocs build --strict`.

execdocs.patches routes `Page.render` through `PageStore.render` and tells `included` about every
snippet path pymdownx resolves. A page whose rendering reads something this module does not know
how to key (an extension outside PURE_EXTENSIONS, a callable from an unknown package in the
options, downloaded snippets) is rendered as if there were no store.
"""

import hashlib
import json
import logging
import os
import sys
import threading

from execdocs.store import ResultStore, content_key, package_version, source_of

VERSIONED = ("markdown", "pymdown-extensions", "mkdocs", "mkdocs-material", "pygments", "properdocs")
# Extensions whose output depends on nothing but the Markdown and their options (and, for
# pymdownx.snippets, the files it includes, which the store records).
PURE_EXTENSIONS = {
    *(
        f"{prefix}{name}"
        for prefix in ("", "markdown.extensions.")
        for name in (
            "abbr admonition attr_list codehilite def_list extra fenced_code footnotes legacy_attrs "
            "legacy_em md_in_html meta nl2br sane_lists smarty tables toc wikilinks"
        ).split()
    ),
    *(
        f"pymdownx.{name}"
        for name in (
            "arithmatex betterem caret critic details emoji escapeall extra highlight inlinehilite keys "
            "magiclink mark progressbar saneheaders smartsymbols snippets striphtml superfences tabbed "
            "tasklist tilde"
        ).split()
    ),
}
KNOWN_CALLABLES = ("markdown.", "pymdownx.", "mkdocs.", "material.", "pygments.", "properdocs.", "execdocs.render.")
# execdocs code that changes what a page renders to: the slugify of the toc, the highlighting
# route, this store. Their source is part of every key.
RENDER_MODULES = ("execdocs.render.slugs", "execdocs.render.highlight", "execdocs.render.pagestore", "execdocs.patches")

_recording = None  # the Recording of the page being rendered now, if any


class Uncachable(Exception):
    """This page's rendering depends on something the key cannot hold."""


def included(preprocessor, path, found):
    """pymdownx.snippets resolved `path` to `found` (None: not found), for the page rendering now."""
    if _recording is not None:
        _recording.include(preprocessor, path, found)


class Recording(logging.Handler):
    """What one fresh render read and said: its includes, its highlighted blocks, its log lines."""

    def __init__(self, bases):
        super().__init__(logging.INFO)
        self.bases = bases
        self.includes = []
        self.highlighted = []
        self.records = []
        self.seen = set()
        self.problem = None
        self.thread = threading.get_ident()

    def include(self, preprocessor, path, found):
        if preprocessor.url_download:
            self.problem = "pymdownx.snippets may download snippets"
        elif preprocessor.base_path != self.bases:
            self.problem = f"pymdownx.snippets' base paths {preprocessor.base_path} are not the configured ones"
        elif _resolve(self.bases, preprocessor.restrict_base_path, path) != found:
            self.problem = f"the store resolves the snippet {path!r} differently from pymdownx.snippets"
        else:
            self.includes.append([path, preprocessor.restrict_base_path, _relative(found), _digest(found)])

    def emit(self, record):
        # only the render's own lines: not those of a thread that logs meanwhile (serve's warm-up)
        if record.thread == self.thread and id(record) not in self.seen:
            self.seen.add(id(record))
            self.records.append([record.name, record.levelno, record.getMessage()])

    def __enter__(self):
        global _recording
        _recording = self
        for logger in (logging.getLogger(), logging.getLogger("mkdocs")):
            logger.addHandler(self)
        return self

    def __exit__(self, *exc):
        global _recording
        _recording = None
        for logger in (logging.getLogger(), logging.getLogger("mkdocs")):
            logger.removeHandler(self)


class PageStore:
    """{key: what Page.render left on the page} in a ResultStore; `render` is Page.render's stand-in."""

    def __init__(self, path, highlight=None):
        self.store = ResultStore(path)
        self.highlight = highlight  # a HighlightCache: blocks of a reused page stay in its store
        self.code = content_key(
            sys.version,
            *(f"{name} {package_version(name)}" for name in VERSIONED),
            source_of(*RENDER_MODULES),
        )
        self.start_build()

    def start_build(self):
        self.rendered = self.reused = 0
        self.unkeyed = {}  # page src_uri -> why it was not stored
        self._files = self._site = None
        self._config = self._settings = None

    def render(self, original, page, config, files):
        try:
            key = self.key(page, config, files)
        except Uncachable as why:
            self.unkeyed[page.file.src_uri] = str(why)
            return original(page, config, files)
        entry = self.store.get(key)
        if entry is not None and self._includes_unchanged(entry["includes"]):
            self._restore(page, entry, files)
            self.store.keep(key, entry)
            self.reused += 1
            return None
        with Recording(self._settings["bases"]) as recording:
            if self.highlight is not None:
                self.highlight.recording = recording.highlighted
            try:
                original(page, config, files)
            finally:
                if self.highlight is not None:
                    self.highlight.recording = None
        self.rendered += 1
        if recording.problem:
            self.unkeyed[page.file.src_uri] = recording.problem
        else:
            self.store.keep(key, self._entry(page, recording))
        return None

    def summary(self):
        line = f"pages: {self.rendered} rendered, {self.reused} from the page store"
        if self.unkeyed:
            first = sorted(self.unkeyed.items())[0]
            line += f"; {len(self.unkeyed)} not stored ({first[0]}: {first[1]})"
        return line

    # --- the key ----------------------------------------------------------------------------

    def key(self, page, config, files):
        return content_key(
            self.code,
            self._config_key(config),
            self._files_key(files),
            page.file.src_uri,
            page.file.url,
            page.file.inclusion.name,
            logging.getLogger(type(page).__module__).getEffectiveLevel() > logging.DEBUG,
            page.markdown,
        )

    def _config_key(self, config):
        if self._config is not config:
            extensions = list(config["markdown_extensions"])
            for extension in extensions:
                if not isinstance(extension, str) or extension not in PURE_EXTENSIONS:
                    raise Uncachable(f"the Markdown extension {extension!r} is not known to the page store")
            options = config["mdx_configs"] or {}
            links = config["validation"]["links"]
            described = json.dumps(
                [
                    extensions,
                    options,
                    config["use_directory_urls"],
                    {name: str(links[name]) for name in sorted(links)},
                ],
                sort_keys=True,
                default=_describe,
            )
            snippets = options.get("pymdownx.snippets", {})
            base = snippets.get("base_path", ["."])
            base = [base] if isinstance(base, (str, os.PathLike)) else base
            self._settings = {"key": content_key(described), "bases": [os.path.abspath(b) for b in base]}
            self._config = config
        return self._settings["key"]

    def _files_key(self, files):
        if self._files is not files:
            digest = hashlib.sha256()
            for file in files:
                digest.update(f"{file.src_uri}\0{file.url}\0{file.inclusion.name}\n".encode("utf-8", "surrogatepass"))
            self._site = digest.hexdigest()
            self._files = files
        return self._site

    def _includes_unchanged(self, includes):
        for path, restrict, found, digest in includes:
            now = _resolve(self._settings["bases"], restrict, path)
            if _relative(now) != found or _digest(now) != digest:
                return False
        return True

    # --- the entry --------------------------------------------------------------------------

    def _entry(self, page, recording):
        links = getattr(page, "links_to_anchors", None)
        return {
            "includes": recording.includes,
            "highlighted": recording.highlighted,
            "log": recording.records,
            "content": page.content,
            "toc": [_token(item) for item in page.toc],
            "title": page._title_from_render,
            "anchors": sorted(page.present_anchor_ids or ()),
            "links": None if links is None else {f.src_uri: dict(a) for f, a in links.items()},
        }

    def _restore(self, page, entry, files):
        from mkdocs.structure.toc import get_toc  # properdocs' under ProperDocs

        page.content = entry["content"]
        page.toc = get_toc(entry["toc"])
        page._title_from_render = entry["title"]
        page.present_anchor_ids = set(entry["anchors"])
        if entry["links"] is not None:
            page.links_to_anchors = {files.get_file_from_path(uri): dict(a) for uri, a in entry["links"].items()}
        if self.highlight is not None:
            self.highlight.keep(entry["highlighted"])
        for name, level, message in entry["log"]:
            logger = logging.getLogger(name)
            if logger.isEnabledFor(level):
                # the handlers only: the logger's filters already changed the message it stored
                logger.callHandlers(logger.makeRecord(name, level, __file__, 0, message, (), None))


def _token(item):
    return {"level": item.level, "id": item.id, "name": item.title, "children": [_token(c) for c in item.children]}


def _resolve(bases, restrict, path):
    """pymdownx.snippets' SnippetPreprocessor.get_snippet_path (13.1), for the bases that exist."""
    for base in bases:
        if not os.path.exists(base):
            continue
        if os.path.isdir(base):
            filename = os.path.join(base, path)
            if restrict:
                filename = os.path.abspath(filename)
                if not filename.startswith(base if base.endswith(os.sep) else base + os.sep):
                    continue
            if os.path.exists(filename):
                return filename
        else:
            filename = os.path.join(os.path.dirname(base), path)
            if os.path.exists(filename) and os.path.samefile(filename, base):
                return filename
    return None


def _relative(path):
    return None if path is None else os.path.relpath(path)


def _digest(path):
    if path is None or not os.path.isfile(path):
        return None
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def _describe(value):
    """JSON for an option that is not plain data: a function of a known package by its name."""
    name = f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"
    if callable(value) and name.startswith(KNOWN_CALLABLES):
        return name
    raise Uncachable(f"the Markdown option {value!r} is not plain data")
