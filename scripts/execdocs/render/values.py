"""`{{ snippet.value }}` in a page: a number a snippet reported, written into the prose.

Forms: `{{ train_loop.final_x }}`, `{{ train_loop.final_x:.4f }}`, `{{ train_loop.losses[-1]:.3f }}`.
`{{ lr_explorer.xs:json }}` writes the value as JSON, for a page's script to read from a
`data-` attribute in single quotes (or a `<script type="application/json">` element): `<`, `>`,
`&` and `'` are written as JSON escapes, so the value can close neither.
A backslash in front (`\\{{ name.value }}`) shows the placeholder itself, e.g. in a code example.
"""

import json
import os
import re

PLACEHOLDER = re.compile(
    r"(?P<escape>\\?)\{\{\s*(?P<snippet>[a-z0-9_-]+)\.(?P<name>[a-z0-9_-]+)(?P<index>(?:\[-?\d+\])*)"
    r"\s*(?::\s*(?P<fmt>[^}\s]+))?\s*\}\}"
)


class ValueError_(Exception):
    """A placeholder that names no recorded value; the message names page and line."""


def _load(out_root, snippet, memo):
    if snippet not in memo:
        path = os.path.join(out_root, snippet, "values.json")
        try:
            with open(path, encoding="utf-8") as fh:
                memo[snippet] = json.load(fh)
        except FileNotFoundError:
            memo[snippet] = None
    return memo[snippet]


# escaped as JSON allows, so the text can close neither a <script> element nor a quoted attribute
JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"}


def as_json(value):
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return "".join(JSON_ESCAPES.get(char, char) for char in text)


def substitute(markdown, out_root, page_path):
    errors, memo = [], {}

    def replace(match, line):
        if match.group("escape"):
            return match.group(0)[1:]
        snippet, name = match.group("snippet"), match.group("name")
        values = _load(out_root, snippet, memo)
        if values is None:
            errors.append(f"{page_path}:{line}: no outputs for snippet {snippet!r} (snippets/{snippet}.py)")
            return match.group(0)
        if name not in values:
            known = ", ".join(sorted(values)) or "none"
            errors.append(f"{page_path}:{line}: snippet {snippet!r} reported no value {name!r} (it has: {known})")
            return match.group(0)
        value = values[name]
        for index in re.findall(r"-?\d+", match.group("index")):
            try:
                value = value[int(index)]
            except (IndexError, TypeError, KeyError):
                errors.append(f"{page_path}:{line}: {match.group(0)}: index {index} does not exist")
                return match.group(0)
        fmt = match.group("fmt")
        if fmt == "json":
            return as_json(value)
        try:
            return format(value, fmt) if fmt else str(value)
        except (ValueError, TypeError) as exc:
            errors.append(f"{page_path}:{line}: {match.group(0)}: {exc}")
            return match.group(0)

    lines = markdown.split("\n")
    out = [PLACEHOLDER.sub(lambda m, n=n: replace(m, n), text) for n, text in enumerate(lines, 1)]
    if errors:
        raise ValueError_("\n".join(errors))
    return "\n".join(out)
