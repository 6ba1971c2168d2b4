"""The text checks' command line: `python scripts/textchecks.py [--fix] [FILE ...]`.

Without files, every page, snippet and template of the project in the current folder is checked.
`--fix FILE ...` first repairs mojibake and NFC in those files in place (only lines the checks call
broken change), then checks them. Exit status 1 if any problem is left.
"""

import os
import sys
import unicodedata

from execdocs.check.text import ALLOW, UnreadableText, _mojibake, check_file, default_files, read_text


def repair_text(text):
    """text with every mojibake line repaired (ftfy) and every line in NFC; other lines as they are."""
    import ftfy

    lines = text.split("\n")
    for number, line in enumerate(lines):
        if ALLOW not in line and _mojibake(line):
            lines[number] = ftfy.fix_text(
                line, uncurl_quotes=False, fix_character_width=False, fix_latin_ligatures=False, normalization="NFC"
            )
    return unicodedata.normalize("NFC", "\n".join(lines))


def repair_file(path):
    """Repair path in place (repair_text); True if it changed. A file that is not UTF-8 is left."""
    text = read_text(path)
    repaired = repair_text(text)
    if repaired != text:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(repaired)
    return repaired != text


def main(argv=None):
    root = os.getcwd()
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--fix"]:
        for path in args[1:]:
            try:
                print(f"{path}: {'repaired' if repair_file(path) else 'nothing to repair'}")
            except UnreadableText as error:
                print(f"{error} (not repaired)")
        args = args[1:]
    paths = args or default_files(root)
    problems = []
    for path in paths:
        inside = os.path.isabs(path) and os.path.abspath(path).startswith(root + os.sep)
        display = os.path.relpath(path, root) if inside else path  # paths outside stay as given
        problems += check_file(path, display)
    for problem in problems:
        print(problem)
    if problems:
        print(f"\n{len(problems)} text problem(s); see docs/dong-gop.md for what each one means.", file=sys.stderr)
    return 1 if problems else 0
