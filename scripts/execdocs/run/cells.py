"""Splitting a snippet into cells at `# %%` lines, keeping real line numbers."""

import ast
import re
from dataclasses import dataclass

MARKER = re.compile(r"^# %%(.*)$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
RESERVED = {"full"}
SECTION_MARK = re.compile(r"^\s*#\s*--8<--")


@dataclass
class Cell:
    name: str
    first_line: int  # 1-based line of the first code line (after the marker)
    last_line: int
    code: str  # the cell's source, as shown on the page
    body: list  # top-level AST statements of the cell


class CellError(Exception):
    def __init__(self, line, message):
        super().__init__(message)
        self.line = line


def _cell_name(label, index, line):
    label = label.strip()
    if SLUG.match(label):
        if label in RESERVED or label.startswith("cell-"):
            raise CellError(line, f"cell name {label!r} is reserved")
        return label
    return f"cell-{index}"


def split_cells(source, filename):
    """The cells of a snippet. Code before the first marker is the cell named 'head'.

    Raises SyntaxError for code that does not parse, CellError for a bad or repeated name.
    """
    tree = ast.parse(source, filename=filename)
    lines = source.splitlines()
    starts = []  # (marker line, name)
    for number, text in enumerate(lines, 1):
        match = MARKER.match(text)
        if match:
            starts.append((number, _cell_name(match.group(1), len(starts) + 1, number)))
    bounds = [(0, "head")] + starts
    cells = []
    for i, (marker, name) in enumerate(bounds):
        end = bounds[i + 1][0] - 1 if i + 1 < len(bounds) else len(lines)
        body = [node for node in tree.body if marker < node.lineno <= end]
        shown = [t for t in lines[marker:end] if not SECTION_MARK.match(t)]
        first = marker + 1
        while shown and not shown[0].strip():
            shown.pop(0)
            first += 1
        while shown and not shown[-1].strip():
            shown.pop()
        if name == "head" and not shown:
            continue
        last = end
        while last > first and not lines[last - 1].strip():
            last -= 1
        cells.append(Cell(name, first, last, "\n".join(shown), body))
    seen = set()
    for cell in cells:
        if cell.name in seen:
            raise CellError(cell.first_line - 1, f"two cells are named {cell.name!r}")
        seen.add(cell.name)
    return cells


def compile_cell(cell, filename):
    """A code object for the cell whose line numbers are those of the file."""
    return compile(ast.Module(body=cell.body, type_ignores=[]), filename, "exec")
