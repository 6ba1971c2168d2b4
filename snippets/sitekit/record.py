"""What a snippet hands to its page: named values, figures and tables.

The snippet runner reads these registries after each cell. Run alone, a snippet records the
same things in memory, and `show` writes each figure beside the snippet (snippets/_figures/NAME/,
or the folder SITEKIT_FIGURES names), says where, and shows it on an interactive backend.
"""

import io
import math
import os
import re
import sys

OUT_ENV = "SITEKIT_OUT"
FIGURES_ENV = "SITEKIT_FIGURES"  # where a snippet run alone writes its figures
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

values = {}  # name -> JSON value
figures = []  # dicts: name, alt, line
tables = {}  # name -> markdown text
# A volatile table (a measured time) differs from run to run: between these markers, so that a
# comparison of two builds (tests/build/test_reproducible.py) and the search index can leave it out.
VOLATILE_OPEN, VOLATILE_CLOSE = "<!-- execdocs:volatile -->", "<!-- /execdocs:volatile -->"
tolerances = {}  # value name (table-NAME for a table) -> tolerance when comparing a CPU run with a CUDA run
_lines = {}  # value name -> line of the report call
inline = False  # in a lesson notebook (sitekit.notebook.begin): show() displays figures, writes no file


def _caller_line():
    # not inspect.stack(): it reads the source of every frame on the stack, which cost a cold run
    # of the snippets 40% of their CPU time (12 ms a call with torch loaded, more in a fresh child)
    frame = sys._getframe(2)
    return f"{os.path.relpath(frame.f_code.co_filename)}:{frame.f_lineno}"


def _check_name(kind, name):
    if not NAME.match(name):
        raise ValueError(f"{kind} name {name!r}: use lower-case letters, digits, '-' and '_'")


def _plain(value, path):
    """A JSON-ready copy of value; NaN or infinity anywhere is an error."""
    if hasattr(value, "detach"):  # torch tensor
        value = value.detach().cpu().tolist()
    elif hasattr(value, "tolist"):  # numpy array or scalar
        value = value.tolist()
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"reported value {path} is {value}: not a finite number")
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {str(k): _plain(v, f"{path}[{k!r}]") for k, v in value.items()}
    raise TypeError(f"reported value {path}: cannot record a {type(value).__name__}")


def _check_tol(what, tol):
    if not (tol is None or tol == "device" or (isinstance(tol, float) and tol >= 0)):
        raise ValueError(f"{what}: tol must be a non-negative float or 'device'")


def report(name, value, tol=None):
    """Record a named value (number, list, tensor, dict) for the page and the tests.

    tol: how far a CUDA run may differ from a CPU run (relative and absolute), for example
    1e-12 for float64 maths or 1e-4 for a float32 training curve; "device" for a value that
    differs between devices by design (an error message naming the device). Default 1e-6.
    """
    _check_name("value", name)
    if name in values:
        raise ValueError(f"value {name!r} reported twice (first at {_lines[name]})")
    _check_tol(f"value {name!r}", tol)
    values[name] = _plain(value, repr(name))
    _lines[name] = _caller_line()
    if tol is not None:
        tolerances[name] = tol
    return value


def show(fig, name, alt):
    """Publish a matplotlib figure under `name`, with a Vietnamese alt text, then close it."""
    import matplotlib.pyplot as plt

    _check_name("figure", name)
    if not alt or not alt.strip():
        raise ValueError(f"figure {name!r} needs an alt text describing it in Vietnamese")
    if any(f["name"] == name for f in figures):
        raise ValueError(f"figure {name!r} published twice")
    out = os.environ.get(OUT_ENV)
    if out:
        _write_svgs(fig, out, name)
    elif inline:  # a notebook: the light SVG, as the page shows it
        from IPython.display import SVG, display

        display(SVG(_svg(fig)))
    else:  # run alone: the figure is written beside the snippet, and the snippet says where
        folder = _alone_folder()
        os.makedirs(folder, exist_ok=True)
        _write_svgs(fig, folder, name)
        shown = os.path.relpath(os.path.join(folder, f"{name}-light.svg"))
        print(f"sitekit: figure {name!r} written to {shown} (and -dark.svg)", file=sys.stderr)
    figures.append({"name": name, "alt": alt.strip(), "line": _caller_line()})
    if out or inline or not plt.isinteractive():
        plt.close(fig)
    else:
        plt.show()


def _write_svgs(fig, folder, name):
    """The figure as the site shows it: a light SVG and its dark variant."""
    from sitekit.style import dark_variant

    light = _svg(fig)
    for suffix, text in (("light", light), ("dark", dark_variant(light))):
        with open(os.path.join(folder, f"{name}-{suffix}.svg"), "w", encoding="utf-8") as fh:
            fh.write(text)


def _svg(fig):
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def _alone_folder():
    """Where a snippet run alone writes its figures: SITEKIT_FIGURES, or snippets/_figures/NAME/."""
    if os.environ.get(FIGURES_ENV):
        return os.environ[FIGURES_ENV]
    main = getattr(sys.modules.get("__main__"), "__file__", None) or "snippet.py"
    snippet = os.path.splitext(os.path.basename(main))[0]
    return os.path.join(os.path.dirname(os.path.abspath(main)), "_figures", snippet)


def _cell(value, fmt):
    if isinstance(value, float) and fmt:
        return format(value, fmt)
    return str(value).replace("|", "\\|")


def table(name, header, rows, fmt=None, tol=None, volatile=False):
    """Publish a table (a header row and data rows) as markdown; numbers formatted with fmt.

    The rows are also recorded as the value `table-NAME`. When a CUDA run is compared with a CPU
    run (run/parity.py), the table's text must be the same on both, character for character,
    and its numbers agree within the default tolerance (1e-6). tol, as for `report`, is the
    table's own tolerance: the numbers (the value `table-NAME`) may differ by tol and the text
    is not compared, since a last formatted digit may differ; "device" compares neither.

    volatile=True: the numbers differ between any two runs by nature (measured times). The table
    is shown between the VOLATILE markers, is compared on no device and is not recorded as a
    value, so no test or page can depend on its numbers.
    """
    _check_name("table", name)
    if name in tables:
        raise ValueError(f"table {name!r} published twice")
    _check_tol(f"table {name!r}", tol)
    if volatile and tol is not None:
        raise ValueError(f"table {name!r}: a volatile table is compared nowhere, it takes no tol")
    rows = [[_plain(v, f"{name}[{i}]") for v in row] for i, row in enumerate(rows)]
    for i, row in enumerate(rows):
        if len(row) != len(header):
            raise ValueError(f"table {name!r}: row {i} has {len(row)} cells, header {len(header)}")
    lines = ["| " + " | ".join(map(str, header)) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(_cell(v, fmt) for v in row) + " |" for row in rows]
    text = "\n".join(lines) + "\n"
    if volatile:
        tables[name] = f"{VOLATILE_OPEN}\n\n{text}\n{VOLATILE_CLOSE}\n"
        tolerances[f"table-{name}"] = "device"
        return
    tables[name] = text
    values.setdefault(f"table-{name}", rows)
    if tol is not None:
        tolerances[f"table-{name}"] = tol
