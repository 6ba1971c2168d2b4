"""Run the site's snippets: `python scripts/run_snippets.py --device cpu [--force] [NAME ...]`.

Needs only Python, torch and matplotlib. Outputs go to _build/out/, the cache to _build/cache/.
"""

import argparse
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from snippetkit.runner import Runner, SnippetFailure  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="snippets to run (default: all)")
    parser.add_argument("--device", choices=["cpu", "cuda", "auto"], default="cpu")
    parser.add_argument("--force", action="store_true", help="re-run even if cached")
    parser.add_argument("--jobs", type=int, default=None, help="parallel snippets (default: cores)")
    parser.add_argument("--root", default=ROOT, help="project root (holds snippets/)")
    parser.add_argument("--build-dir", default=None, help="default: ROOT/_build")
    args = parser.parse_args(argv)
    runner = Runner(args.root, args.build_dir, device=args.device, jobs=args.jobs)
    signal.signal(signal.SIGTERM, _interrupt)  # a polite kill cleans up like Ctrl-C
    try:
        runner.run(args.names or None, force=args.force)
    except SnippetFailure as failure:
        print(f"\n{failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
