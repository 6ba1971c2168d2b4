"""One spelling per word: where Vietnamese writes a word two ways (vector/vectơ, tuỳ/tùy), a page
uses the one that includes/terms.yml records. Checked on every page and every snippet output; a
line that names the other spelling on purpose carries `textchecks: allow`."""

import re

from execdocs.check.text import ALLOW, Problem


def spelling_problems(text, path, spellings):
    """A Problem for each word spelled the way the site does not write it."""
    problems = []
    for rule in spellings:
        for avoided in rule.avoid:
            pattern = re.compile(r"(?<!\w)" + re.escape(avoided) + r"(?!\w)", re.IGNORECASE)
            for number, line in enumerate(text.split("\n"), 1):
                if ALLOW in line:  # a line that names the other spelling on purpose
                    continue
                for match in pattern.finditer(line):
                    problems.append(
                        Problem(
                            path,
                            number,
                            match.start() + 1,
                            f"the site writes {rule.use!r}, not {match.group(0)!r} (one spelling per word: "
                            "includes/terms.yml)",
                        )
                    )
    return problems
