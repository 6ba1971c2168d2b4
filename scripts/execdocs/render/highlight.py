"""Pygments' highlighted HTML kept between builds.

Highlighting code blocks is most of the Markdown time of a rebuild, and most blocks do not change
between two builds. pymdownx.highlight calls `pygments.highlight(code, lexer, formatter)`, a pure
function of the code, the lexer's and the formatter's classes and options, and the library
versions; its result is kept in a ResultStore under a key of exactly those (only the blocks the
last build used are kept). pymdownx.highlight offers no hook for this, so execdocs.patches routes
its call through `HighlightCache.highlight`.

The kept HTML is also lighter than Pygments': a token whose class the theme gives no look of its
own (PLAIN_TOKENS) is written as bare text, not one <span> each. Names are a third of all tokens,
and on long pages the browser's style and layout time grows with the element count (issue 18).
"""

import re
from importlib.metadata import version

from execdocs.store import ResultStore, content_key

# Pygments classes that look exactly like the code around them in Material's theme (both schemes):
# `.n` (names) is coloured --md-code-hl-name-color, which is --md-code-fg-color, the code's own
# colour; `.w` (whitespace) has no rule. tests/browser checks the computed style of both.
PLAIN_TOKENS = ("n", "w")
PLAIN_SPAN = re.compile(r'<span class="(?:%s)">([^<]*)</span>' % "|".join(PLAIN_TOKENS))
# Pygments opens <pre> with an empty <span> so that a parser keeps a leading blank line; where
# pymdownx puts <code> right after it, <code> does that job already
EMPTY_SPAN = re.compile(r"(<pre\b[^>]*>)<span></span>(?=<code\b)")
MARKUP = "plain tokens unwrapped: 2"  # part of the key: a change of lighten() re-renders every block


def lighten(html):
    """Pygments' HTML with the spans that change nothing on screen removed."""
    return EMPTY_SPAN.sub(r"\1", PLAIN_SPAN.sub(r"\1", html))


class HighlightCache:
    def __init__(self, path):
        self.store = ResultStore(path)
        self.recording = None  # a list that collects the keys used, while the page store renders a page
        self.versions = f"pygments {version('pygments')}, pymdown-extensions {version('pymdown-extensions')}, {MARKUP}"

    def highlight(self, original, code, lexer, formatter, outfile=None):
        if outfile is not None:
            return original(code, lexer, formatter, outfile)
        key = self.key(code, lexer, formatter)
        html = self.store.get(key)
        if html is None:
            html = lighten(original(code, lexer, formatter))
        self.store.keep(key, html)
        if self.recording is not None:
            self.recording.append(key)
        return html

    def keep(self, keys):
        """Keep the blocks of a page reused from the page store, for the day it changes."""
        for key in keys:
            html = self.store.used.get(key, self.store.get(key))
            if html is not None:
                self.store.keep(key, html)

    def key(self, code, lexer, formatter):
        inline = repr(getattr(formatter, "pymdownx_inline", None))
        return content_key(self.versions, _describe(lexer), _describe(formatter), inline, code)


def _describe(obj):
    kind = type(obj)
    return f"{kind.__module__}.{kind.__qualname__} {sorted(obj.options.items(), key=lambda kv: kv[0])!r}"
