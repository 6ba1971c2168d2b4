"""Text checks: `python scripts/textchecks.py [FILE ...]` (what pre-commit runs).

This file sits beside the `execdocs` package, so it runs in pre-commit's own environment, where
only ftfy is installed. See execdocs/check/text.py for what is checked.
"""

import sys

from execdocs.check.cli import main

if __name__ == "__main__":
    sys.exit(main())
