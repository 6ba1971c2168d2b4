"""How fast the site builds, measured on the project's real snippets: `python scripts/benchmark.py`.

Every comparison is made within one run, on a temporary copy of the project, so a busy machine
slows both sides alike. Prints each figure and whether its target holds; exits 1 if one fails.

  1. cold snippet stage (empty cache)  vs  each snippet as a fresh `python snippets/NAME.py`, in turn
  2. no-change snippet stage (everything cached)
  3. no-change `mkdocs build`  vs  the same build with DOCS_RUN_SNIPPETS=false
  4. under `mkdocs serve`: an edited page's prose, then an edited snippet, from saving the file to
     the new text in the served page (3 edits each, the slowest counts)
  5. cold and no-change builds  vs  the same site built the way a mkdocs-jupyter user would: our
     runner off and every notebook executed by mkdocs-jupyter (`execute: true`, its own cache);
     for reference also the snippets alone as notebooks in a bare mkdocs-jupyter site
  6. page weight, measured in chromium (scripts/pageweight.py): bytes a first visit to each page
     transfers (gzip-compressed as static hosts send text; light and dark scheme), and the most a
     second page adds; the uncompressed size is printed beside it
  7. Lighthouse's mobile audit of every page (scripts/benchlighthouse.py: simulated slow 4G and 4x
     CPU; per-snippet notebook pages sampled): performance, FCP, LCP, TBT, CLS, DOM size and the
     four category scores; TBT is inflated on a busy machine (throttling is simulated from real runs)
  8. scale (scripts/benchscale.py): a synthetic site of ~50·k generated pages and ~40·k small snippets
     for each k of --scale-factors; cold, no-change and one-edit builds, their growth against the
     number of pages, and at the largest k two shards merged against one build and one edited
     snippet under `mkdocs serve` (seconds from the save to its page showing the new value)
  9. cold builds of this site by this engine against the engine at --cold-baseline (scripts/benchcold.py:
     same content, only the engine, scripts/execdocs and snippets/sitekit, differs), interleaved

Options: --repeat N (no-change builds are repeated, the fastest is kept), --skip LIST (any of
sequential, jupyter, notebooks-only, weight, serve, lighthouse, scale, cold), --lighthouse-runs N (the worst
run of each page counts), --scale-factors LIST (default 1,3,10), --json PATH (write the figures),
--keep (leave the temporary folder).
"""

import argparse
import os
import shutil
import sys
import tempfile
import time


import benchcold
import benchlighthouse
import benchscale
import pageweight  # beside this file: `python scripts/benchmark.py` finds it, as it finds execdocs
from benchjupyter import measure_jupyter
from benchkit import ENV, ROOT, STAGE_LINE, build, fastest_builds, finish, say, target, timed
from benchserve import measure_serve
from localsite import copy_project

from execdocs.run.runner import Runner, discover


# --- 1-3: the snippet stage and the build -------------------------------------------------------


def sequential_fresh(project, names):
    total = 0.0
    for name in names:
        seconds, _ = timed([sys.executable, os.path.join("snippets", name + ".py")], project)
        total += seconds
    return total


def stage(project, build_dir=None):
    started = time.perf_counter()
    report = Runner(project, build_dir, device="cpu", log=lambda _: None).run()
    return time.perf_counter() - started, report


def measure_stage_and_build(project, names, repeat, figures, skip):
    if "sequential" not in skip:
        say(f"{len(names)} snippets; running each as a fresh `python snippets/NAME.py`, one after another ...")
        figures["sequential_fresh_s"] = sequential_fresh(project, names)
    say("cold `mkdocs build` (empty _build: every snippet runs, every formula is rendered) ...")
    seconds, done = build(project, os.path.join(project, "site"))
    match = STAGE_LINE.search(done.stderr)
    figures["cold_build_s"] = seconds
    figures["cold_stage_s"] = float(match.group(3))
    say("cold snippet stage alone, in a second empty build folder ...")
    figures["cold_stage_direct_s"], _ = stage(project, os.path.join(project, "_build_cold"))
    shutil.rmtree(os.path.join(project, "_build_cold"))
    figures["nochange_stage_s"] = min(stage(project)[0] for _ in range(max(3, repeat)))
    say("no-change builds, with and without the snippet stage ...")
    site = os.path.join(project, "site")
    skip_env = {**ENV, "DOCS_RUN_SNIPPETS": "false"}
    best = fastest_builds(repeat, {"nochange": (project, site, ENV), "skip": (project, site, skip_env)})
    figures["nochange_build_s"] = best["nochange"]
    figures["skip_snippets_build_s"] = best["skip"]
    cold = min(figures["cold_stage_s"], figures["cold_stage_direct_s"])
    if "sequential_fresh_s" in figures:
        speedup = figures["sequential_fresh_s"] / cold
        figures["cold_stage_speedup"] = speedup
        target(
            "cold snippet stage >= 3x faster than fresh processes one after another",
            speedup >= 3,
            f"{figures['sequential_fresh_s']:.2f} s / {cold:.2f} s = {speedup:.1f}x",
        )
    target("no-change snippet stage < 0.5 s", figures["nochange_stage_s"] < 0.5, f"{figures['nochange_stage_s']:.3f} s")
    ratio = figures["nochange_build_s"] / figures["skip_snippets_build_s"]
    figures["nochange_vs_skip_ratio"] = ratio
    target(
        "no-change build within 1.3x of the build with execution off",
        ratio <= 1.3,
        f"{figures['nochange_build_s']:.2f} s / {figures['skip_snippets_build_s']:.2f} s = {ratio:.2f}x",
    )


# --- 6: page weight, measured in a browser (scripts/pageweight.py) --------------------------


PRINT_PAGE = "ban-in/"


def measure_weight(site, figures):
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not os.access(chromium, os.X_OK):
        raise SystemExit(f"no chromium at {chromium}: install it (apt-get install -y chromium) or --skip weight")
    result = pageweight.measure(site, chromium)
    first, second = result["first"], result["second"]
    for page in result["pages"]:
        light, dark = first[("light", page)], first[("dark", page)]
        say(
            f"  /{page:34s} first visit {light[0] / 1024:6.1f} KiB light, {dark[0] / 1024:6.1f} KiB dark "
            f"({light[1] / 1024:6.1f} KiB uncompressed)"
        )
    # the print page is the whole course on one page by design: reported, outside the per-page budgets
    course = {k: v for k, v in first.items() if k[1] == PRINT_PAGE}
    first = {k: v for k, v in first.items() if k[1] != PRINT_PAGE}
    second = {k: v for k, v in second.items() if k[1] != PRINT_PAGE}
    if course:
        figures["print_page_first_visit_bytes"] = max(sent for sent, _ in course.values())
        say(
            f"  print page /{PRINT_PAGE} (every chapter, outside the budgets): {figures['print_page_first_visit_bytes'] / 1024:.1f} KiB"
        )
    heaviest = max(first, key=lambda k: first[k][0])
    figures["first_visit_max_bytes"] = first[heaviest][0]
    figures["first_visit_max_uncompressed_bytes"] = max(raw for _, raw in first.values())
    target(
        "first visit to any page < 1 MB",
        first[heaviest][0] < 1_000_000,
        f"max {first[heaviest][0] / 1024:.1f} KiB (/{heaviest[1]}, {heaviest[0]} scheme), bytes sent "
        f"gzip-compressed as static hosts do; uncompressed it would be at most "
        f"{figures['first_visit_max_uncompressed_bytes'] / 1024:.1f} KiB",
    )
    worst = max(second, key=second.get)
    figures["second_page_max_bytes"] = second[worst]
    target(
        "second page adds < 200 KB",
        second[worst] < 200_000,
        f"max {second[worst] / 1024:.1f} KiB (/{worst[1]} after /{worst[0]})",
    )
    if result["offsite"]:
        target("no request leaves the site", False, ", ".join(sorted(set(result["offsite"]))[:5]))


# --- 7: Lighthouse's mobile audit (scripts/benchlighthouse.py) ---------------------------------


def measure_lighthouse(site, runs, figures):
    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not os.access(chromium, os.X_OK):
        raise SystemExit(f"no chromium at {chromium}: install it (apt-get install -y chromium) or --skip lighthouse")
    results = benchlighthouse.measure(site, chromium, runs=runs, say=lambda line: say("  " + line))
    pages = [p for p in results if p != benchlighthouse.PRINT_PAGE and "error" not in results[p]]
    figures["lighthouse_performance_min"] = min(results[p]["performance"] for p in pages)
    figures["lighthouse_tbt_max_ms"] = max(results[p]["tbt_ms"] for p in pages)
    figures["lighthouse_lcp_max_ms"] = max(results[p]["lcp_ms"] for p in pages)
    figures["lighthouse_cls_max"] = max(results[p]["cls"] for p in pages)
    for label, holds, detail in benchlighthouse.check(results):
        target(label, holds, detail)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="no-change builds per figure (the fastest counts)")
    parser.add_argument(
        "--skip",
        default="",
        help="comma list of: sequential, jupyter, notebooks-only, weight, serve, lighthouse, scale, cold",
    )
    parser.add_argument("--cold-baseline", default=benchcold.BASELINE, help="the engine part 9 compares with")
    parser.add_argument("--lighthouse-runs", type=int, default=1, help="Lighthouse runs per page (the worst counts)")
    parser.add_argument(
        "--scale-factors", default="1,3,10", help="synthetic site sizes for part 8 (default: %(default)s)"
    )
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    workspace = tempfile.mkdtemp(prefix="docs-benchmark-")
    figures = {}
    try:
        project = copy_project(ROOT, os.path.join(workspace, "project"))
        names = discover(os.path.join(project, "snippets"))
        figures["snippets"] = len(names)
        figures["cpus"] = os.cpu_count()
        measure_stage_and_build(project, names, args.repeat, figures, skip)
        if "jupyter" not in skip:
            measure_jupyter(project, names, args.repeat, figures, skip)
        if "weight" not in skip:
            say("page weight, each page opened in chromium (first visits in both colour schemes) ...")
            measure_weight(os.path.join(project, "site"), figures)
        if "serve" not in skip:
            measure_serve(project, figures)
        if "lighthouse" not in skip:
            say("Lighthouse, mobile preset, each page served as GitHub Pages serves it ...")
            measure_lighthouse(os.path.join(project, "site"), args.lighthouse_runs, figures)
        if "scale" not in skip:
            say("scale: synthetic sites of ~50·k pages and ~40·k snippets (scripts/benchscale.py) ...")
            factors = sorted(int(k) for k in args.scale_factors.split(","))
            benchscale.measure_scale(factors, max(3, args.repeat // 3), 3, figures, keep=args.keep)
        if "cold" not in skip:
            say(f"cold builds, this engine against the one at {args.cold_baseline} (scripts/benchcold.py) ...")
            benchcold.measure_cold(os.path.join(workspace, "cold"), args.cold_baseline, 2, figures)
    finally:
        if args.keep:
            say(f"kept: {workspace}")
        else:
            shutil.rmtree(workspace, ignore_errors=True)
    say("\nfigures:")
    for key, value in figures.items():
        say(f"  {key:32s} {value:.3f}" if isinstance(value, float) else f"  {key:32s} {value}")
    return finish(figures, args.json)


if __name__ == "__main__":
    sys.exit(main())
