"""Markdown fragments that pages include: each cell's code, its output, figures and tables."""

import json
import os

OUTPUT_TITLE = "Kết quả"


def _fence(text, info):
    ticks = "```"
    while ticks in text:
        ticks += "`"
    return f"{ticks}{info}\n{text.rstrip(chr(10))}\n{ticks}\n"


def figure_markdown(name, figure):
    alt = figure.alt.replace("\n", " ").replace("[", "(").replace("]", ")")
    base = f"out/{name}/{figure.name}"
    return (
        f"![{alt}]({base}-light.svg#only-light){{ loading=lazy }}\n"
        f"![{alt}]({base}-dark.svg#only-dark){{ loading=lazy }}\n"
    )


def code_markdown(name, cell):
    lines = f"dòng {cell.first_line}–{cell.last_line}"
    return _fence(cell.code, f'python title="snippets/{name}.py ({lines})"')


def output_markdown(name, cell, tables):
    parts = []
    if cell.stdout.strip():
        parts.append(_fence(cell.stdout, f'text title="{OUTPUT_TITLE}"'))
    parts += [figure_markdown(name, f) for f in cell.figures]
    parts += [tables[t] for t in cell.tables]
    return "\n".join(parts)


def fragments(name, result):
    """{file name: text} for everything a page can include from this snippet."""
    files = {}
    full = []
    for cell in result.cells:
        code = code_markdown(name, cell)
        out = output_markdown(name, cell, result.tables)
        both = code + ("\n" + out if out else "")
        files[f"{cell.name}.code.md"] = code
        files[f"{cell.name}.out.md"] = out
        files[f"{cell.name}.md"] = both
        full.append(both)
        for figure in cell.figures:
            files[f"{figure.name}.fig.md"] = figure_markdown(name, figure)
    for table, text in result.tables.items():
        files[f"{table}.table.md"] = text
    files["full.md"] = "\n".join(full)
    files["values.json"] = json.dumps(result.values, ensure_ascii=False, indent=1, sort_keys=True)
    return files


def write_fragments(folder, name, result):
    for filename, text in fragments(name, result).items():
        with open(os.path.join(folder, filename), "w", encoding="utf-8") as fh:
            fh.write(text)
