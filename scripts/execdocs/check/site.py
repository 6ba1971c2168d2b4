"""The build's own checks on the project: text checks, includes, unused snippets, link locations.

Called from the plugin (execdocs/plugin). Each check returns messages that start with `file:line:`;
the hook stops the build on errors and logs warnings (which `strict: true` turns into a failure).
"""

import difflib
import html as html_module
import logging
import os
import re

from pymdownx.snippets import SnippetPreprocessor

from execdocs.check import text as textchecks
from execdocs.check.spelling import spelling_problems

INLINE_INCLUDE = SnippetPreprocessor.RE_ALL_SNIPPETS
SECTION_MARKER = SnippetPreprocessor.RE_SNIPPET_SECTION
TARGET = re.compile(r"^(?P<path>.*?)(?::(?P<section>[a-z][-_0-9a-z]*)|(?P<lines>(?::-?[0-9]*)+(?:,[-0-9:]*)*))?$", re.I)
SNIPPET_REFERENCES = (
    re.compile(r"\bout/([a-z0-9_-]+)/"),
    re.compile(r"\bsnippets/([A-Za-z0-9_-]+)\.py\b"),
    re.compile(r"\{\{\s*([a-z0-9_-]+)\.[a-z0-9_-]"),
)
NOT_ON_A_PAGE = re.compile(r"^#\s*sitekit:\s*page\s*=\s*none\b", re.M)
BUILT_ASSET = re.compile(
    r"<(?:script|img|iframe|video|audio|source|track|embed)\b[^>]*?\bsrc=[\"']?((?:https?:)?//[^\"'\s>]+)"
    r"|<link\b(?=[^>]*\brel=[\"']?(?:stylesheet|preload|modulepreload|prefetch|icon))[^>]*?"
    r"\bhref=[\"']?((?:https?:)?//[^\"'\s>]+)",
    re.I,
)
# Published by accident: what a reader should never see as text. Code, scripts and styles may
# show such markup on purpose, so they are blanked out first.
NOT_PROSE = re.compile(r"<(pre|code|script|style|textarea)\b.*?</\1>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")
LEFTOVER = re.compile(r"--8<--[^\n]{0,60}|\{\{[^{}\n]{0,80}\}\}")
MISSING_PAGE = re.compile(r"but the target(?: '(?P<target>[^']+)')? is not found")
MISSING_ANCHOR = re.compile(
    r"the doc '(?P<target>[^']+)' does not contain an anchor|there is no such anchor on this page"
)
LINK_WARNING = re.compile(r"^Doc file '(?P<page>[^']+)' contains a link (?:to )?'(?P<link>[^']+)'")


def pages(docs_dir):
    """Every markdown page under docs/, as (path, display path)."""
    found = []
    for parent, dirs, names in os.walk(docs_dir):
        dirs.sort()
        for name in sorted(names):
            if name.endswith(".md"):
                path = os.path.join(parent, name)
                found.append((path, _display(path, docs_dir)))
    return found


def _display(path, docs_dir):
    project = os.path.dirname(os.path.abspath(docs_dir))
    return os.path.relpath(path, project)


def _read(path):
    return textchecks.read_text(path, _display(path, os.path.dirname(path)))


def source_errors(root, config, store=None, spellings=()):
    """Text checks on every page and snippet, one spelling per word on every page, and assets the
    configuration loads from elsewhere."""
    docs_dir = config["docs_dir"]
    errors = []
    for path, shown in pages(docs_dir):
        found = textchecks.check_file(path, shown, page=True, store=store)
        if not found:  # readable, clean text: now its words
            found = spelling_problems(_read(path), shown, spellings)
        errors += [str(p) for p in found]
    snippets = os.path.join(root, "snippets")
    for path in textchecks.default_files(root):
        if path.startswith(snippets + os.sep):
            shown = os.path.relpath(path, root)
            errors += [str(p) for p in textchecks.check_file(path, shown, page=False, store=store)]
    for key in ("extra_css", "extra_javascript"):
        for item in config.get(key) or []:
            url = str(getattr(item, "path", item))
            if re.match(textchecks.FOREIGN, url, re.I):
                errors.append(f"mkdocs.yml: {key} loads {url} from another host; put the file in docs/ instead")
    return errors


def output_errors(root, config, out_root, store=None, spellings=()):
    """Text checks on the fragments snippets produced, and every include in every page resolves."""
    errors = []
    if os.path.isdir(out_root):
        for name in sorted(os.listdir(out_root)):
            folder = os.path.join(out_root, name)
            for filename in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
                if filename.endswith(".md"):
                    shown = f"{os.path.relpath(os.path.join(folder, filename), root)} (output of snippets/{name}.py)"
                    path = os.path.join(folder, filename)
                    found = textchecks.check_file(path, shown, page=False, store=store)
                    found = found or spelling_problems(_read(path), shown, spellings)
                    errors += [str(p) for p in found]
    bases = _snippet_bases(root, config)
    for path, shown in pages(config["docs_dir"]):
        errors += include_errors(_read(path), shown, bases)
    return errors


def _snippet_bases(root, config):
    options = (config.get("mdx_configs") or {}).get("pymdownx.snippets", {})
    bases = options.get("base_path", ["."])
    bases = [bases] if isinstance(bases, str) else bases
    return [os.path.join(root, b) for b in bases]


def include_targets(text):
    """(line, target) for every `--8<--` include in a page (inline and block forms)."""
    found, block = [], False
    for number, line in enumerate(text.split("\n"), 1):
        match = INLINE_INCLUDE.match(line.rstrip("\r"))
        if match and not match.group("escape"):
            if match.group("inline_marker"):
                if not block:
                    found.append((number, match.group("snippet")[1:-1].strip()))
            else:
                block = not block
        elif block and line.strip() and not line.strip().startswith(";"):
            found.append((number, line.strip()))
    return found


def include_errors(text, shown, bases):
    errors = []
    for number, target in include_targets(text):
        match = TARGET.match(target)
        path, section = match.group("path"), match.group("section")
        if re.match(textchecks.FOREIGN, path, re.I):
            errors.append(f"{shown}:{number}: include from another host: {target}")
            continue
        found = next((os.path.join(b, path) for b in bases if os.path.isfile(os.path.join(b, path))), None)
        if found is None:
            hint = ""
            if path.startswith("out/"):
                name = path.split("/")[1] if path.count("/") >= 2 else "?"
                hint = f" (is there a snippets/{name}.py with that cell, figure or table?)"
            errors.append(f"{shown}:{number}: included file not found: {path}{hint}")
        elif section and not _has_section(found, section):
            errors.append(
                f"{shown}:{number}: included section {section!r} not found in {path}: mark it with "
                f"`# --8<-- [start:{section}]` and `# --8<-- [end:{section}]`"
            )
    return errors


def _has_section(path, section):
    seen = set()
    for line in _read(path).split("\n"):
        match = SECTION_MARKER.match(line)
        if match and match.group("name") == section and not match.group("escape"):
            seen.add(match.group("type").lower())
    return seen == {"start", "end"}


def snippets_named(text):
    """The snippets a page's Markdown uses (by include, file name or value placeholder)."""
    return {name for pattern in SNIPPET_REFERENCES for name in pattern.findall(text)}


def unused_snippets(root, docs_dir, names):
    """Warnings for snippets no page uses (by include, file name or value placeholder)."""
    used = set()
    for path, _ in pages(docs_dir):
        used |= snippets_named(_read(path))
    warnings = []
    for name in names:
        path = os.path.join(root, "snippets", name + ".py")
        if name in used or NOT_ON_A_PAGE.search(_read(path)):
            continue
        warnings.append(
            f"snippets/{name}.py:1: no page uses this snippet: include it in a page "
            f'(--8<-- "out/{name}/CELL.md") or, if only tests use it, add `# sitekit: page=none` at its top'
        )
    return warnings


class LinkLocator(logging.Filter):
    """Adds `docs/PAGE.md:LINE:` to MkDocs' warnings about broken links and anchors, and the
    nearest page or anchor that exists ("did you mean ...?"). anchors: {page src_uri: ids on it},
    filled by the plugin as pages are built (MkDocs checks anchors once every page is built)."""

    def __init__(self, docs_dir, anchors=None):
        super().__init__()
        self.docs_dir = docs_dir
        self.anchors = anchors if anchors is not None else {}

    def filter(self, record):
        message = record.getMessage()
        match = LINK_WARNING.match(message)
        if match:
            page, link = match.group("page"), match.group("link")
            path = os.path.join(self.docs_dir, page)
            shown = _display(path, self.docs_dir)
            line = _line_of_link(path, link)
            record.msg = (f"{shown}:{line}: {message}" if line else f"{shown}: {message}") + self._hint(
                page, link, message
            )
            record.args = ()
        return True

    def _hint(self, page, link, message):
        missing_page = MISSING_PAGE.search(message)
        if missing_page:
            wanted = missing_page.group("target") or link.split("#", 1)[0]
            pages = [p for p, _ in pages_relative(self.docs_dir)]
            close = difflib.get_close_matches(wanted, pages, n=1, cutoff=0.6)
            return f" Did you mean '{close[0]}'?" if close else ""
        missing_anchor = MISSING_ANCHOR.search(message)
        if missing_anchor:
            target = missing_anchor.group("target") or page
            anchor = link.split("#", 1)[-1]
            close = difflib.get_close_matches(anchor, sorted(self.anchors.get(target, ())), n=1)
            return f" Did you mean '#{close[0]}'?" if close else ""
        return ""


def pages_relative(docs_dir):
    """(path relative to docs_dir, absolute path) of every page."""
    return [(os.path.relpath(path, docs_dir).replace(os.sep, "/"), path) for path, _ in pages(docs_dir)]


def _line_of_link(path, link):
    try:
        lines = _read(path).split("\n")
    except OSError:
        return None
    for pattern in (f"]({link}", f"({link})", f'"{link}"', link):
        for number, line in enumerate(lines, 1):
            if pattern in line:
                return number
    return None


def locate_link_warnings(docs_dir, anchors=None):
    logger = logging.getLogger("mkdocs.structure.pages")
    for old in [f for f in logger.filters if isinstance(f, LinkLocator)]:
        logger.removeFilter(old)
    logger.addFilter(LinkLocator(docs_dir, anchors))


def discard_site(site_dir):
    """After a failed build, leave no page behind that could pass for the current site."""
    if site_dir and os.path.isdir(site_dir):
        from mkdocs.utils import clean_directory

        clean_directory(site_dir)


def built_page_errors(html, shown, source=""):
    """What a finished page must not have: assets from another host (added by the theme, a plugin
    or mkdocs.yml), and markup that was published instead of processed (an include marker or a
    `{{ ... }}` placeholder outside code), located at its line of the page source."""
    urls = sorted({a or b for a, b in BUILT_ASSET.findall(html)})
    errors = [f"{shown}: the built page loads {url} from another host (theme, plugin or mkdocs.yml)" for url in urls]
    text = html_module.unescape(TAG.sub(" ", NOT_PROSE.sub(" ", html)))
    for leftover in sorted(set(LEFTOVER.findall(text))):
        line = _line_of_text(source, leftover)
        where = f"{shown}:{line}" if line else shown
        errors.append(
            f"{where}: the page shows {leftover.strip()!r} as text: an include (`--8<--` on a line of its own, "
            "not inside a paragraph, no `;` in front) or a placeholder (`{{ snippet.value }}`) was not processed; "
            "to show one on purpose, put it in a code block or `inline code`"
        )
    return errors


def _line_of_text(source, leftover):
    """The source line that published leftover: among the lines holding it, first one where it
    is not what the build processes (an include alone on its line, a placeholder not escaped)."""
    needle = leftover.strip()[:24]
    found = [(n, line) for n, line in enumerate(source.split("\n"), 1) if needle in line]
    for number, line in found:
        processed = line.lstrip().startswith(needle) if needle.startswith("--8<--") else f"\\{needle}" not in line
        if not processed:
            return number
    return found[0][0] if found else None
