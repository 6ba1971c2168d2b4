"""What the runner reads from the snippet files themselves: which snippets exist, and the
`# sitekit: key=value` directives at the top of each (device, timeout, memory, output lines)."""

import ast
import os
import re

from execdocs.run import limits

DEFAULT_TIMEOUT = 120
DIRECTIVE = re.compile(r"^#\s*sitekit:\s*([a-z-]+)\s*=\s*(\S+)\s*$")


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
