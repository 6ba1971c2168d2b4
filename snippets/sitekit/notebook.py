"""Several snippets in one Jupyter kernel, each as if its file ran alone: the lesson notebooks.

A lesson notebook runs the cells of a page's snippets in one kernel. `begin(name)` starts a
snippet's cells there as a fresh `python snippets/NAME.py` would: the values, figures and tables
recorded so far are forgotten (a value reported by an earlier snippet is not "reported twice"),
every random generator is seeded with 0 again, and the global settings that a snippet may change
(torch's default dtype and print options, grad mode, warning filters, the plot style) are put back.
From then on `show` displays each figure in the notebook, as the page shows it, and writes no file,
and a cell runs as the file does: the value of its last line is not shown (`sitekit.report(...)`
returns its value, which a script drops); `print` or `display` shows what you want to see.
"""

import sys
import warnings

from sitekit import record
from sitekit.setup import setup

_first_filters = None  # the kernel's warning filters, as the first snippet found them


def begin(name):
    """Start the cells of snippets/NAME.py in this kernel."""
    global _first_filters
    record.values.clear()
    record.figures.clear()
    record.tables.clear()
    record.tolerances.clear()
    record._lines.clear()
    record.inline = True
    if _first_filters is None:
        _first_filters = list(warnings.filters)
    warnings.filters[:] = _first_filters
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_default_dtype(torch.float32)
        torch.set_printoptions(profile="default")
        torch.set_grad_enabled(True)
    setup()  # seeds 0, deterministic kernels, the plot style
    shell = _ipython()
    if shell is not None:
        shell.ast_node_interactivity = "none"


def _ipython():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()
