"""Material's search, made right for Vietnamese pages full of formulas.

Two fixes:
- `add_files()` (from the plugin's on_files): Material's lunr.vi with a folding step appended (see
  lunr_vi_fold.js), so "lan truyen nguoc" finds the pages that say "lan truyền ngược".
- `searchable()`: the page content Material's search plugin indexes (render/searchstore.py swaps
  it in while the index reads the page, and back): each formula as the text a reader sees (the
  MathML symbols), not KaTeX's internals (the symbols again, laid out in spans, plus the TeX).
"""

import html
import os
import re
from importlib.metadata import version

LUNR_VI = "assets/javascripts/lunr/min/lunr.vi.min.js"
FOLD_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lunr_vi_fold.js")
KATEX_OPEN = re.compile(r'<span class="katex">')
SPAN_TAG = re.compile(r"<span\b[^>]*>|</span>")
MATH = re.compile(r"<math\b.*?</math>", re.DOTALL)
ANNOTATION = re.compile(r"<annotation\b.*?</annotation>", re.DOTALL)
TAG = re.compile(r"<[^>]+>")
PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL)
# a volatile table (snippets/sitekit/record.py: measured times) differs in every build: not indexed
VOLATILE = re.compile(r"<!-- execdocs:volatile -->.*?<!-- /execdocs:volatile -->", re.DOTALL)


def lunr_vi_script(original_path):
    """Material's lunr.vi.min.js followed by the folding step."""
    with open(original_path, encoding="utf-8") as fh:
        original = fh.read()
    with open(FOLD_SCRIPT, encoding="utf-8") as fh:
        fold = fh.read()
    return original.rstrip() + "\n" + fold


def add_files(files, config):
    """Swap Material's lunr.vi for the folding one in a MkDocs build (called from on_files)."""
    from mkdocs.structure.files import File

    original = files.get_file_from_path(LUNR_VI)
    if original is None:
        raise FileNotFoundError(f"Material no longer ships {LUNR_VI}: update execdocs/render/search.py")
    files.remove(original)
    files.append(File.generated(config, LUNR_VI, content=lunr_vi_script(original.abs_src_path)))


def store_code():
    """What the search store's keys hold of the code that makes a page's entries."""
    from execdocs.store import content_key

    parts = [f"mkdocs-material {version('mkdocs-material')}"]
    for path in (__file__, os.path.join(os.path.dirname(__file__), "searchstore.py")):
        with open(path, "rb") as fh:
            parts.append(fh.read())
    return content_key(*parts)


def _span_end(text, start):
    """Index just past the </span> that closes the <span> opening at `start`."""
    depth = 0
    for match in SPAN_TAG.finditer(text, start):
        depth += -1 if match.group(0) == "</span>" else 1
        if depth == 0:
            return match.end()
    raise ValueError(f"unbalanced <span> in rendered formula at offset {start}")


def formula_text(katex_html):
    """What a reader sees of one rendered formula, as plain (escaped) text: its MathML symbols."""
    math = MATH.search(katex_html)
    if not math:
        return ""
    text = TAG.sub("", ANNOTATION.sub("", math.group(0)))
    return html.escape(html.unescape(text), quote=False)


def searchable(page_html):
    """page_html with each KaTeX formula replaced by formula_text and the highlighting spans of
    code blocks and volatile tables dropped, for the search index only."""
    page_html = VOLATILE.sub(" ", page_html)
    parts, cursor = [], 0
    for match in KATEX_OPEN.finditer(page_html):
        if match.start() < cursor:
            continue  # inside a formula already replaced
        end = _span_end(page_html, match.start())
        parts += [page_html[cursor : match.start()], " ", formula_text(page_html[match.start() : end]), " "]
        cursor = end
    parts.append(page_html[cursor:])
    # highlighted code is one <span> per token: the text is what search needs, and the parser
    # (pure Python) then reads a few tags instead of thousands
    return PRE.sub(lambda m: SPAN_TAG.sub("", m.group(0)), "".join(parts))
