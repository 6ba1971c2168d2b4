import sys

from execdocs.check.cli import main

sys.exit(main())
