"""The one helper every snippet uses: its device, the values it reports, its figures.

A snippet runs the same way alone (`python snippets/NAME.py`) and under the snippet runner.
Alone, these helpers only compute and check. Under the runner (SITEKIT_OUT is set), the runner
reads what they recorded and puts it on the page.

Importing sitekit seeds every random generator with 0 and sets the plot style, so a snippet
gives the same numbers and the same pictures in both cases.
"""

from sitekit.expect import expect
from sitekit.record import figures, report, show, table, values
from sitekit.setup import device, seed, setup

__all__ = ["device", "expect", "figures", "report", "seed", "setup", "show", "table", "values"]

setup()
