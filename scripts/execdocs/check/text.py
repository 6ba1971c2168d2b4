"""Text checks for pages and snippets: broken encodings, invisible characters, scripts, foreign assets.

`python scripts/textchecks.py [--fix] [FILE ...]` (check/cli.py, or `python -m execdocs.check`) checks the given files
(default: docs/*.md, snippets/**/*.py and templates/*, from the project root) and prints
`file:line:column: problem` for each problem; exit status 1 if any. `--fix FILE ...` first
repairs mojibake and NFC in those files in place, then checks them. The build (check/site.py)
and pre-commit run the same checks. Standard library and ftfy only: pre-commit runs this file
in an environment of its own.

Every file: valid UTF-8, no mojibake (UTF-8 read as Windows-1252 or Latin-1 and saved again; the
message shows the repair ftfy suggests), Unicode NFC, no zero-width or control characters, no U+FFFD.
Pages (*.md) also: no raw <script> (a JSON data block is fine), no image, script, stylesheet or frame loaded from another host.
A line that shows such a mistake on purpose carries the marker `textchecks: allow` (in a comment).
"""

import functools
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass

from execdocs.store import ResultStore

REPLACEMENT = "\ufffd"
ALLOW = "textchecks: allow"  # on a line that shows a broken example on purpose (docs/dong-gop.md)
ALLOWED_CONTROLS = {"\t"}
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
FENCE = re.compile(r"^\s*(```+|~~~+)")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
# a data block (`<script type="application/json">`, which browsers never run) is not a script
SCRIPT_TAG = re.compile(r"<\s*script\b(?![^>]*\btype\s*=\s*[\"']?application/json[\"'\s>])", re.IGNORECASE)
FOREIGN = r"(?:[a-z][a-z0-9+.-]*:)?//"  # http://, https://, //host, ftp://...
ASSET_PATTERNS = [
    re.compile(r"!\[[^\]]*\]\(\s*<?(" + FOREIGN + r"[^)\s>]+)", re.IGNORECASE),  # ![alt](url)
    re.compile(
        r"<\s*(?:img|script|link|iframe|video|audio|source|track|embed|object|input)\b[^>]*?"
        r"\b(?:src|href|data|poster|srcset)\s*=\s*[\"']?\s*(" + FOREIGN + r"[^\"'\s>]+)",
        re.IGNORECASE,
    ),
    re.compile(r"url\(\s*[\"']?(" + FOREIGN + r"[^\"')\s]+)", re.IGNORECASE),  # CSS in a style attribute
    re.compile(r"@import\s+[\"'](" + FOREIGN + r"[^\"']+)", re.IGNORECASE),
]
IMAGE_REFERENCE = re.compile(r"!\[[^\]]*\]\[([^\]]*)\]")
REFERENCE_DEFINITION = re.compile(r"^\s{0,3}\[([^\]]+)\]:\s*<?(" + FOREIGN + r"\S+?)>?(?:\s|$)", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    column: int
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


def _char_name(ch):
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')}"


def _mojibake(line):
    """A message if the line looks like UTF-8 decoded with a Windows or Latin code page, else None."""
    import ftfy
    from ftfy import badness

    explained = ftfy.fix_encoding_and_explain(line)
    if explained.text == line and not badness.is_bad(line):
        return None
    source = "Windows-1252 or Latin-1"
    for step, name in explained.explanation or []:
        if step == "encode":
            source = {"latin-1": "Latin-1"}.get(name, "Windows-1252")
            break
    repaired = ftfy.fix_text(
        line, uncurl_quotes=False, fix_character_width=False, fix_latin_ligatures=False, normalization="NFC"
    )
    if len(repaired) > 160:
        repaired = repaired[:157] + "..."
    return (
        f"mojibake: UTF-8 text that was read as {source} and saved again. Replace the line with "
        f"its repair (ftfy), exactly as below, or repair the whole file with "
        f"`python scripts/textchecks.py --fix FILE`:\n    {repaired}"
    )


def _not_nfc(line):
    """(column, message) for the first place the line is not in NFC, else None."""
    if unicodedata.is_normalized("NFC", line):
        return None
    for end in range(1, len(line) + 1):
        if not unicodedata.is_normalized("NFC", line[:end]):
            chars = " + ".join(_char_name(c) for c in line[max(0, end - 2) : end])
            fixed = unicodedata.normalize("NFC", line)
            return end, (
                f"text not in Unicode NFC ({chars}): a letter and its accent are stored apart. "
                f"Retype it or normalize the file to NFC; the line in NFC: {fixed!r}"
            )
    return 1, "text not in Unicode NFC"


@functools.lru_cache(maxsize=4096)  # most lines repeat the same few hundred characters
def _invisible(ch):
    return ch not in ALLOWED_CONTROLS and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")


def check_encoding_line(line):
    """(column, message) problems of one line of any text file."""
    if line.isascii() and not _ASCII_CONTROL.search(line):
        return []  # plain ASCII can be neither mojibake nor denormalized: most lines stop here
    found = []
    message = _mojibake(line)
    if message:
        found.append((1, message))
        return found  # the other checks would only repeat the same damage
    if REPLACEMENT in line:
        found.append(
            (
                line.index(REPLACEMENT) + 1,
                "replacement character U+FFFD: some text was lost when it was decoded; retype it from the source",
            )
        )
    hidden = [ch for ch in set(line) if _invisible(ch)]
    if hidden:
        column, ch = min((line.index(ch) + 1, ch) for ch in hidden)
        found.append((column, f"invisible character {_char_name(ch)}: delete it (it is easy to paste by accident)"))
    nfc = _not_nfc(line)
    if nfc:
        found.append(nfc)
    return found


def _mask_code(lines):
    """The lines with fenced code blocks and inline code blanked out (markup there is only shown)."""
    masked, fence = [], None
    for line in lines:
        match = FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)[0] * 3
            masked.append("")
        elif fence is not None:
            if match and match.group(1).startswith(fence):
                fence = None
            masked.append("")
        else:
            masked.append(INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line))
    return masked


def check_page_markup(lines):
    """(line, column, message) for raw scripts and assets from another host in a markdown page."""
    found = []
    masked = _mask_code(lines)
    image_refs = {ref.lower() for line in masked for ref in IMAGE_REFERENCE.findall(line)}
    for number, line in enumerate(masked, 1):
        match = SCRIPT_TAG.search(line)
        if match:
            found.append(
                (
                    number,
                    match.start() + 1,
                    "raw <script> in a page: pages run no JavaScript of their own. Show code in a ``` block, "
                    "or ask for the behaviour in the theme (overrides/) in a reviewed change",
                )
            )
        for pattern in ASSET_PATTERNS:
            for asset in pattern.finditer(line):
                found.append((number, asset.start(1) + 1, _foreign_message(asset.group(1))))
        definition = REFERENCE_DEFINITION.match(line)
        if definition and definition.group(1).lower() in image_refs:
            found.append((number, definition.start(2) + 1, _foreign_message(definition.group(2))))
    return found


def _foreign_message(url):
    return (
        f"asset loaded from another host: {url}. The site loads nothing from elsewhere (privacy, "
        "offline reading): draw the figure with a snippet (sitekit.show) or put the file in docs/"
    )


def check_text(text, path, page=False):
    """Problems in the text of one file; page=True adds the markdown page checks."""
    lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
    problems = []
    for number, line in enumerate(lines, 1):
        if ALLOW not in line:
            for column, message in check_encoding_line(line):
                problems.append(Problem(path, number, column, message))
    if page:
        for number, column, message in check_page_markup(lines):
            if ALLOW not in lines[number - 1]:
                problems.append(Problem(path, number, column, message))
    return sorted(problems, key=lambda p: (p.line, p.column))


class UnreadableText(Exception):
    """A file that is not UTF-8; str() is the Problem, naming the file, line and column."""

    def __init__(self, problem):
        super().__init__(str(problem))
        self.problem = problem


def read_text(path, display=None):
    """The text of a project file. Every read of a page or snippet goes through here, so a file in
    another encoding is reported by name and line (UnreadableText), never as a traceback."""
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        line_start = data.rfind(b"\n", 0, error.start) + 1
        column = len(data[line_start : error.start].decode("utf-8", errors="replace")) + 1
        message = f"not valid UTF-8 ({error.reason}): save the file as UTF-8"
        if _looks_like_windows_1252(data):
            message += " (it looks like Windows-1252: re-save it as UTF-8 in the editor, or convert it with `iconv -f cp1252 -t utf-8`)"
        raise UnreadableText(Problem(display or path, line, column, message)) from None


def _looks_like_windows_1252(data):
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def check_file(path, display=None, page=None, store=None):
    """Problems in a file; pages are *.md unless page is given. store: a CheckStore that keeps
    results between builds."""
    display = display or path
    try:
        text = read_text(path, display)
    except UnreadableText as error:
        return [error.problem]
    if page is None:
        page = path.endswith(".md")
    if store is not None:
        return store.problems(display, page, text)
    return check_text(text, display, page=page)


class CheckStore:
    """Check results kept between builds (a ResultStore), under a hash of the file's text, the
    name it is shown with, these checks' code and ftfy's version: a rebuild checks only what changed.
    Problems are kept too, so a file that was wrong is reported again. The build calls
    `results.start_build()` first and `results.save()` once every file is checked."""

    def __init__(self, path):
        from importlib.metadata import version

        self.results = ResultStore(path)
        with open(os.path.abspath(__file__), "rb") as fh:
            self.salted = hashlib.sha256(fh.read() + f"ftfy {version('ftfy')}".encode())

    def problems(self, display, page, text):
        digest = self.salted.copy()
        digest.update(f"\0{display}\0{page}\0".encode() + text.encode("utf-8", "surrogatepass"))
        key = digest.hexdigest()
        found = self.results.get(key)
        if found is None:
            found = [[p.line, p.column, p.message] for p in check_text(text, display, page=page)]
        self.results.keep(key, found)
        return [Problem(display, *item) for item in found]


def default_files(root):
    found = []
    for folder, suffixes in (("docs", (".md",)), ("snippets", (".py",)), ("templates", (".md", ".py"))):
        base = os.path.join(root, folder)
        for parent, dirs, names in os.walk(base):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            found += [os.path.join(parent, n) for n in sorted(names) if n.endswith(suffixes)]
    return found
