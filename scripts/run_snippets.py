"""Run the site's snippets: `python scripts/run_snippets.py --device cpu [--force] [NAME ...]`.

Needs only Python, torch and matplotlib: this file sits beside the `execdocs` package, so it runs
from a plain checkout (a GPU machine without the site's tools) as well as from the venv. The same
command is `python -m execdocs.run` where the package is installed. `--help` lists the options.
"""

import sys

from execdocs.run.cli import main

if __name__ == "__main__":
    sys.exit(main())
