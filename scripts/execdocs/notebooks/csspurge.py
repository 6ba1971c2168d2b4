"""Drop the CSS rules no page can match: `purge(css, used_classes)`.

mkdocs-jupyter ships all of JupyterLab's stylesheet (the Blueprint toolkit, file browser, command
palette, ...) with every notebook page; a static notebook uses a small part of it. A selector is
kept unless it needs a class that no built page has, and a custom property (--name) only if some
var() that a kept rule uses can reach it. Classes inside :not() do not count (they
match by absence); selectors with :is(), :where() or :has() are always kept; at-rules other than
@media, @supports and @layer blocks are kept whole.
"""

import re

from execdocs.store import content_key

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_NOT = re.compile(r":not\((?:[^()]|\([^()]*\))*\)")
_GROUPING = ("@media", "@supports", "@layer")


def _scan(css, start, stop_chars):
    """Index of the first of stop_chars at brace depth 0 from start, skipping strings; -1 if none."""
    depth, quote, i = 0, None, start
    while i < len(css):
        ch = css[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif depth == 0 and ch in stop_chars:
            return i
        elif ch in "{(":
            depth += 1
        elif ch in "})":
            depth -= 1
        i += 1
    return -1


def _split_selectors(prelude):
    parts, start = [], 0
    while (comma := _scan(prelude, start, ",")) != -1:
        parts.append(prelude[start:comma])
        start = comma + 1
    parts.append(prelude[start:])
    return [p.strip() for p in parts if p.strip()]


def _selector_can_match(selector, used):
    if re.search(r":(?:is|where|has|matches)\(", selector):
        return True
    return all(name in used for name in _CLASS.findall(_NOT.sub("", selector)))


def _purge_block(css, used):
    out, i = [], 0
    while i < len(css):
        brace = _scan(css, i, "{;}")
        if brace == -1:
            break
        prelude = css[i:brace].strip()
        if css[brace] == "}":  # stray closing brace: stop, keep the rest as it is
            out.append(css[i:])
            break
        if css[brace] == ";":  # @charset, @import, ...
            out.append(prelude + ";")
            i = brace + 1
            continue
        end = _scan(css, brace + 1, "}")
        if end == -1:
            out.append(css[i:])
            break
        body = css[brace + 1 : end]
        i = end + 1
        if prelude.startswith(_GROUPING):
            inner = _purge_block(body, used)
            if inner.strip():
                out.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):
            out.append(f"{prelude}{{{body}}}")
        else:
            kept = [s for s in _split_selectors(prelude) if _selector_can_match(s, used)]
            if kept:
                out.append(f"{','.join(kept)}{{{body}}}")
    return "\n".join(out)


_VALUE = r"""(?:url\((?:"[^"]*"|'[^']*'|[^)]*)\)|"[^"]*"|'[^']*'|[^;}])*"""
_CUSTOM = re.compile(r"(?<=[{;])\s*(--[\w-]+)\s*:(" + _VALUE + r");?")
_VAR = re.compile(r"var\(\s*(--[\w-]+)")


def _drop_unused_custom_properties(css):
    """Remove `--name: value` declarations that no var() can reach from a real property."""
    values = {}
    for match in _CUSTOM.finditer(css):
        values.setdefault(match.group(1), []).append(match.group(2))
    reached = set(_VAR.findall(_CUSTOM.sub("", css)))
    todo = list(reached)
    while todo:
        for value in values.get(todo.pop(), []):
            for name in _VAR.findall(value):
                if name not in reached:
                    reached.add(name)
                    todo.append(name)
    return _CUSTOM.sub(lambda m: m.group(0) if m.group(1) in reached else "", css)


def purge(css, used_classes, store=None):
    """css less the rules that need a class not in used_classes. With store (a ResultStore), the
    result is kept there under a hash of this module's code, the stylesheet and the classes, so a
    rebuild that changes none of them reads it back instead of purging again."""
    if store is None:
        return _purge(css, used_classes)
    with open(__file__, "rb") as fh:
        key = content_key(fh.read(), css, "\n".join(sorted(used_classes)))
    result = store.get(key)
    if result is None:
        result = _purge(css, used_classes)
    store.keep(key, result)
    return result


def _purge(css, used_classes):
    kept = _purge_block(_COMMENT.sub("", css), used_classes)
    return _drop_unused_custom_properties(kept) + "\n"


def classes_in(html):
    """Every class name used in an HTML document."""
    return {name for value in re.findall(r'\bclass="([^"]*)"', html) for name in value.split()}


def names_in_scripts(paths):
    """Every word a script could add as a class at run time (Material's JS wraps tables in
    `md-typeset__scrollwrap`, for instance): a generous superset, so no needed rule is dropped."""
    names = set()
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as fh:
            names.update(re.findall(r"-?[_a-zA-Z][\w-]*", fh.read()))
    return names
