"""The one place where execdocs changes another package's code, because it offers no hook.

pymdownx.highlight calls `pygments.highlight` directly; the build routes that call through the
highlight cache (render/highlight.py). The patch was written against the pymdown-extensions
version below and refuses any other, with a message that says what to check, rather than risk
a silently wrong page after an upgrade.
"""

from importlib.metadata import version

WRITTEN_FOR = {"pymdown-extensions": "13.1"}


class PatchError(Exception):
    """A patched package is not the version the patch was written for."""


def check_versions():
    for package, expected in WRITTEN_FOR.items():
        found = version(package)
        if found != expected:
            raise PatchError(
                f"execdocs/patches.py was written for {package} {expected}, but {found} is installed. "
                f"Check that pymdownx/highlight.py still calls `highlight(src, lexer, formatter)` from "
                f"pygments, then update WRITTEN_FOR (or pin {package}=={expected} in requirements.txt)."
            )


def route_highlighting(cache):
    """Send pymdownx.highlight's Pygments calls to cache.highlight (the latest cache given)."""
    check_versions()
    import pymdownx.highlight as module

    original = getattr(module.highlight, "execdocs_original", module.highlight)

    def highlight(code, lexer, formatter, outfile=None):
        return cache.highlight(original, code, lexer, formatter, outfile)

    highlight.execdocs_original = original
    module.highlight = highlight
