"""One spelling per word: where Vietnamese writes a word two ways (vector/vectơ, tuỳ/tùy), a page
uses the one that includes/terms.yml records. Checked on every page and every snippet output; a
line that names the other spelling on purpose carries `textchecks: allow`."""

import bisect
import functools
import re

from execdocs.check.text import ALLOW, Problem


def spelling_problems(text, path, spellings):
    """A Problem for each word spelled the way the site does not write it."""
    words, patterns = _patterns(tuple(spellings))
    lowered = text.lower()
    if not any(word in lowered for word in words):  # most files: a few substring scans, nothing found
        return []
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    problems = []
    for rule, pattern in patterns:
        for match in pattern.finditer(text):
            number = bisect.bisect_right(starts, match.start())
            line_start = starts[number - 1]
            line_end = starts[number] - 1 if number < len(starts) else len(text)
            if ALLOW in text[line_start:line_end]:  # a line that names the other spelling on purpose
                continue
            problems.append(
                Problem(
                    path,
                    number,
                    match.start() - line_start + 1,
                    f"the site writes {rule.use!r}, not {match.group(0)!r} (one spelling per word: includes/terms.yml)",
                )
            )
    return problems


@functools.lru_cache(maxsize=8)
def _patterns(spellings):
    """The avoided words in lower case (a quick test that finds a superset of the matches), and a
    pattern for each word."""
    patterns = [
        (rule, re.compile(r"(?<!\w)" + re.escape(avoided) + r"(?!\w)", re.IGNORECASE))
        for rule in spellings
        for avoided in rule.avoid
    ]
    return tuple(a.lower() for rule in spellings for a in rule.avoid), patterns
