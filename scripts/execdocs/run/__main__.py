import sys

from execdocs.run.cli import main

sys.exit(main())
