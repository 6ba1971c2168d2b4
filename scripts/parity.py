"""Run every snippet on CPU and on CUDA and compare what they report.

`python scripts/parity.py [--force]`: needs a CUDA device, torch and matplotlib (no site tools;
this file sits beside the `execdocs` package, so a plain checkout runs it). Builds into
_build/parity/cpu and _build/parity/cuda, prints a per-snippet table (times on each device,
speed-up, problems) and writes _build/parity.json, which the report page shows. Exit code 1 if any
value, figure or table differs beyond its tolerance.
"""

import argparse
import sys

from execdocs.run.parity import gpu_name, print_table, run_parity


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="re-run cached snippets too")
    args = parser.parse_args(argv)
    if not gpu_name():
        print("parity: no CUDA device here; nothing to compare", file=sys.stderr)
        return 2
    return 1 if print_table(run_parity(force=args.force)) else 0


if __name__ == "__main__":
    sys.exit(main())
