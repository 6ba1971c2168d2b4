import sys

from execdocs.check.text import main

sys.exit(main())
