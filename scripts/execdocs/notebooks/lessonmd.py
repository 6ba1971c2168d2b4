"""A lesson page's Markdown made plain for Jupyter: `prose(markdown, ...)`.

The site's Markdown uses MkDocs extensions that Jupyter and Colab do not know. Here:
- admonitions (`!!! note "Title"`) and collapsible blocks (`??? example`) become a quote with the
  title in bold; content tabs (`=== "Label"`) a bold label and their content. A block that holds
  a snippet's include is not quoted but flattened, so the include can become a code cell;
- raw HTML blocks (a page's widget: `<div>`, `<script>`, `<figure>`, ...) are dropped, and a line
  sends the reader to the page, where the widget works;
- attribute lists (`{ #id }`), abbreviation definitions and HTML comments go;
- links to other pages and files point at the published site; `#anchor` at the lesson page;
- inside a code fence, an include of a project file (`--8<-- "snippets/_engine.py"`) is replaced
  by the file's text, and a fence's `title="..."` becomes a bold line above it.
Formulas stay as they are: `$...$` and `$$...$$` TeX, which Jupyter and Colab render.
"""

import os
import posixpath
import re

CONTAINER = re.compile(r'^(?P<kind>!!!|\?\?\?\+?|===)\s*(?P<type>[\w-]+)?\s*(?:"(?P<title>[^"]*)")?\s*$')
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<ticks>`{3,}|~{3,})(?P<info>.*)$")
FENCE_TITLE = re.compile(r'\s*title="(?P<title>[^"]*)"')
FILE_INCLUDE = re.compile(r'^(?P<indent>[ \t]*)--8<--\s+"(?P<path>[^"]+)"\s*$')
SNIPPET_INCLUDE = re.compile(r'^[ \t]*--8<--\s+"out/[a-z0-9_-]+/[^"]+"\s*$')
HTML_BLOCK = re.compile(
    r"^\s*<(?P<tag>script|div|figure|details|section|form|canvas|svg|button|input|label|output|noscript|"
    r"template|style|iframe|video|audio|fieldset|select|aside|nav)\b",
    re.IGNORECASE,
)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
HEADING_ATTRS = re.compile(
    r"^(#{1,6}\s.*?)\s*\{:?\s*(?:[#.][\w-]+|[\w-]+=\S+)(?:\s+(?:[#.][\w-]+|[\w-]+=\S+))*\s*\}\s*$"
)
ABBREVIATION = re.compile(r"^\*\[[^\]]+\]:")
LINK = re.compile(r"(?P<head>!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\()(?P<target>[^)\s]+)(?P<tail>(?:\s+\"[^\"]*\")?\))")
DEFAULT_TITLES = {
    "note": "Ghi chú",
    "abstract": "Tóm tắt",
    "summary": "Tóm tắt",
    "tip": "Mẹo",
    "warning": "Lưu ý",
    "danger": "Cảnh báo",
    "example": "Ví dụ",
    "question": "Câu hỏi",
    "info": "Thông tin",
}
WIDGET_NOTE = "*(Chỗ này trên trang là một phần tương tác, chỉ chạy trên trang web: [xem trên trang]({url}).)*"


def prose(markdown, root, site_url, page):
    """markdown (values already substituted) as Jupyter Markdown; snippet includes stay, on lines
    of their own. root: the project folder (for file includes); page: the page file (`gradient.md`)."""
    page_url = page_address(site_url, page)
    lines = _convert(HTML_COMMENT.sub("", markdown).split("\n"), root, page_url)
    text = "\n".join(lines)
    text = LINK.sub(lambda m: m.group("head") + _target(m.group("target"), site_url, page) + m.group("tail"), text)
    return _single_blank_lines(text)


def _single_blank_lines(text):
    """text with runs of blank lines made one, except inside code fences (code keeps its own)."""
    out, fence = [], None
    for line in text.split("\n"):
        match = FENCE.match(line)
        if match and fence is None:
            fence = match.group("ticks")
        elif fence and line.strip().startswith(fence) and not line.strip().strip(fence[0]):
            fence = None
        elif fence is None and not line.strip() and out and not out[-1].strip():
            continue
        out.append(line)
    return "\n".join(out)


def page_address(site_url, page):
    """The published address of a page file: `gradient.md` -> SITE/gradient/."""
    base = (site_url or "").rstrip("/") + "/"
    stem = page[:-3] if page.endswith(".md") else page
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
    else:
        stem += "/"
    return base + stem


def _target(target, site_url, page):
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):  # https:, mailto:, data:
        return target
    if target.startswith("#"):
        return page_address(site_url, page) + target
    path, _, anchor = target.partition("#")
    path = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    address = page_address(site_url, path) if path.endswith(".md") else (site_url or "").rstrip("/") + "/" + path
    return address + (f"#{anchor}" if anchor else "")


def _convert(lines, root, page_url):
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        fence = FENCE.match(line)
        container = CONTAINER.match(line)
        if fence and not fence.group("indent"):
            end = _fence_end(lines, i, fence.group("ticks"))
            out += _code_fence(lines[i : end + 1], root)
            i = end + 1
        elif container:
            body, i = _indented_body(lines, i + 1)
            out += _container(container, _convert(body, root, page_url))
        elif HTML_BLOCK.match(line):
            i = _html_end(lines, i, HTML_BLOCK.match(line).group("tag").lower()) + 1
            note = WIDGET_NOTE.format(url=page_url)
            if note not in out[-2:]:
                out += ["", note, ""]
        elif ABBREVIATION.match(line):
            i += 1
        else:
            out.append(HEADING_ATTRS.sub(r"\1", line))
            i += 1
    return out


def _fence_end(lines, start, ticks):
    for j in range(start + 1, len(lines)):
        if lines[j].strip().startswith(ticks) and lines[j].strip().strip(ticks[0]) == "":
            return j
    return len(lines) - 1


def _code_fence(block, root):
    """A fence with its title as a bold line above and file includes replaced by the files."""
    first = FENCE.match(block[0])
    info = first.group("info")
    title = FENCE_TITLE.search(info)
    info = FENCE_TITLE.sub("", info).strip().split()
    out = [f"**{title.group('title')}**", ""] if title else []
    out.append(first.group("ticks") + (info[0] if info else ""))
    for line in block[1:-1]:
        include = FILE_INCLUDE.match(line)
        if include and not include.group("path").startswith("out/"):
            with open(os.path.join(root, include.group("path")), encoding="utf-8") as fh:
                out += [include.group("indent") + text if text else "" for text in fh.read().rstrip("\n").split("\n")]
        else:
            out.append(line)
    out.append(block[-1])
    return out


def _indented_body(lines, start):
    """The lines indented under a container header (by 4 spaces), dedented; the index after them."""
    body, j = [], start
    while j < len(lines) and (not lines[j].strip() or lines[j].startswith(("    ", "\t"))):
        body.append(lines[j][4:] if lines[j].startswith("    ") else lines[j].lstrip("\t"))
        j += 1
    while body and not body[-1].strip():
        body.pop()
        j -= 1
    return body, j


def _container(header, body):
    title = header.group("title")
    if title is None:
        kind = (header.group("type") or "").lower()
        title = DEFAULT_TITLES.get(kind, kind.capitalize())
    label = [f"**{title}**", ""] if title else []
    while body and not body[0].strip():
        body = body[1:]
    if header.group("kind") == "===" or any(SNIPPET_INCLUDE.match(line) for line in body):
        return ["", *label, *body, ""]
    quoted = [f"> {line}" if line.strip() else ">" for line in label + body]
    return ["", *quoted, ""]


def _html_end(lines, start, tag):
    """The last line of the HTML block that starts at lines[start]: where its tag is closed, or
    the first blank line for a tag that needs no closing."""
    opened = re.compile(rf"<{tag}\b", re.IGNORECASE)
    closed = re.compile(rf"</{tag}\s*>", re.IGNORECASE)
    depth = 0
    for j in range(start, len(lines)):
        depth += len(opened.findall(lines[j])) - len(closed.findall(lines[j]))
        if depth <= 0 and (closed.search(lines[j]) or tag in ("input",) or j > start and not lines[j].strip()):
            return j
    return len(lines) - 1
