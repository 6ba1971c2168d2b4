"""The site's terminology (includes/terms.yml) and what the build makes from it.

One data file is the single source: the glossary table of the terms page and the one-line
definitions shown on hover on every page are generated from it, so they cannot disagree; it also
records the one spelling the site uses where Vietnamese has two (check/spelling.py enforces it).
"""

import os
from dataclasses import dataclass

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, where PyYAML has it: 10× faster

TERMS_FILE = os.path.join("includes", "terms.yml")
TABLE = "glossary/table.md"  # under the build folder: included by docs/thuat-ngu.md
ABBREVIATIONS = "glossary/abbreviations.md"  # under the build folder: appended to every page


class GlossaryError(Exception):
    """The terminology file cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class Term:
    term: str
    english: str
    definition: str
    hover: bool = True


@dataclass(frozen=True)
class Spelling:
    use: str
    avoid: tuple


@dataclass(frozen=True)
class Terminology:
    terms: tuple
    spelling: tuple


def load(path):
    shown = TERMS_FILE if path.endswith(TERMS_FILE) else path
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=SAFE_LOADER)
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as error:
        raise GlossaryError(f"{shown}: cannot read the terminology: {error}") from None
    terms, seen = [], set()
    for number, entry in enumerate(data.get("terms") or [], 1):
        try:
            term = Term(
                str(entry["term"]), str(entry["english"]), str(entry["definition"]), bool(entry.get("hover", True))
            )
        except (KeyError, TypeError):
            raise GlossaryError(f"{shown}: term {number} needs term, english and definition") from None
        if term.term in seen:
            raise GlossaryError(f"{shown}: the term {term.term!r} is listed twice: one entry per concept")
        if "\n" in term.definition or "|" in term.definition:
            raise GlossaryError(f"{shown}: the definition of {term.term!r} must be one line without '|'")
        seen.add(term.term)
        terms.append(term)
    spelling = tuple(Spelling(str(s["use"]), tuple(str(a) for a in s["not"])) for s in data.get("spelling") or [])
    return Terminology(tuple(terms), spelling)


def table_markdown(terminology):
    lines = ["| Thuật ngữ | Tiếng Anh | Nghĩa |", "| --- | --- | --- |"]
    lines += [f"| {t.term} | {t.english} | {t.definition} |" for t in terminology.terms]
    return "\n".join(lines) + "\n"


def abbreviations_markdown(terminology):
    return "\n".join(f"*[{t.term}]: {t.definition}" for t in terminology.terms if t.hover) + "\n"
