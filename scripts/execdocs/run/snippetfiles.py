"""What the runner reads from the snippet files themselves: which snippets exist, the
`# sitekit: key=value` directives at the top of each (device, timeout, memory, output lines), and
which heavy optional libraries they import (for the warm worker to import once)."""

import ast
import os
import re

from execdocs.run import limits

DEFAULT_TIMEOUT = 120
DIRECTIVE = re.compile(r"^#\s*sitekit:\s*([a-z-]+)\s*=\s*(\S+)\s*$")
# Libraries that some snippets import and that are slow to import (scikit-learn's datasets: about
# 1 s on a 2-core machine), with the module the warm worker imports once for all of them when a
# snippet about to run uses the library; a run without such a snippet starts its worker no slower.
OPTIONAL_PRELOADS = {"sklearn": "sklearn.datasets"}
IMPORTED_NAME = re.compile(r"^\s*(?:from|import)\s+([A-Za-z_]\w*)", re.MULTILINE)


def discover(snippets_dir):
    """Snippet names: every snippets/*.py not starting with '_' (packages are helpers)."""
    return sorted(name[:-3] for name in os.listdir(snippets_dir) if name.endswith(".py") and not name.startswith("_"))


def directives(path):
    """`# sitekit: key=value` lines at the top of a snippet: before its first statement other
    than the module docstring (so above or below the docstring both work)."""
    with open(path, encoding="utf-8") as fh:
        source = fh.read()
    if "sitekit:" not in source:
        return {}  # most snippets: no need to parse them
    lines = source.splitlines()
    try:
        body = ast.parse(source).body
    except SyntaxError:
        body = []  # the run itself reports the syntax error with its line
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
        body = body[1:]  # the docstring
    end = body[0].lineno - 1 if body else len(lines)
    found = {}
    for line in lines[:end]:
        match = DIRECTIVE.match(line.strip())
        if match:
            found[match.group(1)] = match.group(2)
    return found


def job_settings(found):
    """The Job fields that `# sitekit:` directives set; ValueError names a bad one."""

    def number(key, default, kind):
        text = found.get(key, default)
        try:
            value = kind(text)
        except (TypeError, ValueError):
            value = None
        if value is None or value <= 0:
            raise ValueError(f"`# sitekit: {key}={text}`: expected a positive number")
        return value

    return {
        "timeout": number("timeout", DEFAULT_TIMEOUT, int),
        "memory_limit_bytes": int(number("memory-gb", limits.DEFAULT_MEMORY_GB, float) * 2**30),
        "max_output_lines": number("output-lines", limits.DEFAULT_OUTPUT_LINES, int),
    }


def preloads_for(paths, snippets_dir):
    """The OPTIONAL_PRELOADS modules that these snippets import, directly or through the helper
    modules of snippets/ they import. A plain scan of import lines: it only decides what the warm
    worker imports ahead, never what a snippet gets, so a miss costs time, not correctness."""
    wanted, seen, todo = set(), set(), list(paths)
    while todo:
        path = todo.pop()
        if path in seen or not os.path.isfile(path):
            continue
        seen.add(path)
        with open(path, encoding="utf-8", errors="replace") as fh:
            names = set(IMPORTED_NAME.findall(fh.read()))
        wanted |= {OPTIONAL_PRELOADS[name] for name in names if name in OPTIONAL_PRELOADS}
        todo.extend(os.path.join(snippets_dir, name + ".py") for name in names)
    return tuple(sorted(wanted))
