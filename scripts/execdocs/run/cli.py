"""Run the site's snippets: `python -m execdocs.run --device cpu [--force] [NAME ...]`.

Needs only Python, torch and matplotlib. Outputs go to _build/out/, the cache to _build/cache/.

Split across N machines: `--shard K/N` on machine K runs only its share (stable: chosen by
snippet name). To merge, collect each shard's `_build/cache/` on one machine and run
`run_snippets.py --merge SHARD_BUILD_OR_CACHE ...`: the entries are copied into this build's
cache and out/ is filled from it without running anything. `_build/cache/` is also the folder
to save in and restore from a CI cache.
"""

import argparse
import os
import signal
import sys

from execdocs.run import shards
from execdocs.run.runner import Runner, SnippetFailure, discover


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Run the site's snippets (only changed ones) and lay out their outputs for the pages.",
    )
    parser.add_argument("names", nargs="*", help="snippets to run (default: all)")
    parser.add_argument(
        "--device",
        choices=["cpu", "cuda", "auto"],
        default="cpu",
        help="where snippets put their tensors; auto picks cuda when torch sees a GPU (default: %(default)s)",
    )
    parser.add_argument("--force", action="store_true", help="re-run even if cached")
    parser.add_argument("--jobs", type=int, default=None, help="parallel snippets (default: cores)")
    parser.add_argument(
        "--root", default=".", help="project root, the folder that holds snippets/ (default: the current folder)"
    )
    parser.add_argument("--build-dir", default=None, help="default: ROOT/_build")
    parser.add_argument("--shard", default=None, metavar="K/N", help="run only shard K of N")
    parser.add_argument(
        "--merge",
        nargs="+",
        default=[],
        metavar="DIR",
        help="first copy the cache of these shard build (or cache) folders into this build",
    )
    parser.add_argument(
        "--no-warm-worker",
        dest="warm_worker",
        action="store_false",
        help="start a fresh Python per snippet instead of forking from a warm worker",
    )
    args = parser.parse_args(argv)
    if not os.path.isdir(os.path.join(args.root, "snippets")):
        parser.error(f"no snippets/ folder in {os.path.abspath(args.root)}: run from the project root, or pass --root")
    runner = Runner(args.root, args.build_dir, device=args.device, jobs=args.jobs, warm_worker=args.warm_worker)
    if args.merge:
        copied = shards.merge_caches(args.merge, runner.cache.root)
        print(f"snippets: merged {copied} cache entries from {len(args.merge)} folder(s)")
    names = args.names or None
    if args.shard:
        try:
            k, n = shards.parse(args.shard)
        except ValueError as error:
            parser.error(str(error))
        names = shards.select(names or discover(runner.snippets_dir), k, n)
        print(f"snippets: shard {k}/{n}: {len(names)} snippet(s)")
    signal.signal(signal.SIGTERM, _interrupt)  # a polite kill cleans up like Ctrl-C
    try:
        runner.run(names, force=args.force)
    except SnippetFailure as failure:
        print(f"\n{failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
