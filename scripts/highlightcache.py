"""Remember Pygments' highlighted HTML between builds.

Highlighting code blocks is most of the Markdown time of a rebuild, and most blocks do not change
between two builds. pymdownx.highlight calls `pygments.highlight(code, lexer, formatter)`, a pure
function of the code, the lexer's and the formatter's classes and options, and the library
versions; its result is stored under a hash of exactly those. The store keeps only the blocks the
last build used, so it does not grow.
"""

import hashlib
from importlib.metadata import version

from buildstore import BuildStore

_ORIGINAL = "_site_original_highlight"


class HighlightCache(BuildStore):
    def __init__(self, path):
        super().__init__(path)
        self.versions = f"pygments {version('pygments')}, pymdown-extensions {version('pymdown-extensions')}"

    def install(self):
        """Route pymdownx.highlight's Pygments calls through this cache (once per process)."""
        import pymdownx.highlight as module

        original = getattr(module, _ORIGINAL, None) or module.highlight
        setattr(module, _ORIGINAL, original)

        def highlight(code, lexer, formatter, outfile=None):
            if outfile is not None:
                return original(code, lexer, formatter, outfile)
            key = self.key(code, lexer, formatter)
            html = self.get(key)
            if html is None:
                html = original(code, lexer, formatter)
            self.keep(key, html)
            return html

        module.highlight = highlight
        return self

    def key(self, code, lexer, formatter):
        parts = [
            self.versions,
            _describe(lexer),
            _describe(formatter),
            repr(getattr(formatter, "pymdownx_inline", None)),
            code,
        ]
        return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _describe(obj):
    kind = type(obj)
    return f"{kind.__module__}.{kind.__qualname__} {sorted(obj.options.items(), key=lambda kv: kv[0])!r}"
