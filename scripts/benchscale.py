"""How the build scales with the size of the site: `python scripts/benchscale.py [--scale-factors 1,3,10]`.

For each factor k, a temporary copy of the project gets ~50·k generated pages and ~40·k small
snippets (scripts/synthsite.py), and is built three ways:

  cold       `mkdocs build` with an empty _build/ (the project's own snippets' stored runs are copied
             in unless --really-cold: they are the same at every k and would only add a constant)
  no-change  the same build again, nothing edited (the fastest of --repeat)
  one-edit   one synthetic snippet's printed value edited, then a build (the fastest of --edits, each
             a new value); the edited snippet's run time is read from the snippet stage's line

Targets: no-change and one-edit times grow no faster than the number of built pages (time at the
largest k over time at the smallest <= pages over pages), and a one-edit build at the largest k
takes <= 2 s plus the snippet stage's time. Then, at the largest k, the shard/merge path: the
snippets run in two copies (`run_snippets.py --shard 1/2`, `--shard 2/2`), a third copy merges their
caches (`--merge`) and builds with DOCS_RUN_SNIPPETS=false (the page memos of _build/, formulas and
notebooks, restored as a CI cache would; the snippet outputs only from the shards); its pages must be byte for byte those of
the one-machine build (volatile tables and the run report page left out, as
tests/build/test_reproducible.py does). Also part 8 of scripts/benchmark.py. Exits 1 if a target fails.

Options: --scale-factors LIST, --repeat N, --edits N, --really-cold, --no-shards, --keep, --json PATH.
"""

import argparse
import json
import os
import re
import resource
import shutil
import sys
import tempfile
import time

import benchserve
import synthsite
from benchkit import ENV, ROOT, STAGE_LINE, build, finish, say, target, timed
from localsite import PROJECT_LEFT_OUT, copy_project, site_pages

# sitekit.record's markers (importing sitekit would load torch): a table of measured times
VOLATILE_TABLE = re.compile(r"<!-- execdocs:volatile -->.*?<!-- /execdocs:volatile -->", re.DOTALL)
VOLATILE_PAGES = ("bao-cao/",)  # the run report shows each snippet's run time
RUN_SNIPPETS = os.path.join("scripts", "run_snippets.py")  # the copy's own, run in the copy


def make_project(folder, k, really_cold=False, pages=None, snippets=None):
    """A copy of the project with the synthetic content of factor k (or the given sizes)."""
    cache = None if really_cold else os.path.join(ROOT, "_build", "cache")
    project = copy_project(ROOT, os.path.join(folder, "project"), cache=cache)
    default_pages, default_snippets = synthsite.sizes(k)
    names = synthsite.add_content(project, pages or default_pages, snippets or default_snippets)
    return project, names


def cpu_build(project, site, env=None):
    """(wall seconds, CPU seconds of the build and every process it waited for, the finished process).
    On a busy machine the CPU time is the steadier figure: other load stretches the wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds, done = build(project, site, env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu, done


def stage_seconds(done):
    match = STAGE_LINE.search(done.stderr)
    return float(match.group(3)) if match else None


def snippet_seconds(project, name):
    with open(os.path.join(project, "_build", "report.json"), encoding="utf-8") as fh:
        return json.load(fh)["snippets"][name]["seconds"]


def measure_factor(workspace, k, repeat, edits, really_cold, before_edits=None):
    folder = os.path.join(workspace, f"k{k}")
    project, names = make_project(folder, k, really_cold)
    site = os.path.join(project, "site")
    row = {"k": k, "synthetic_pages": synthsite.sizes(k)[0], "snippets": len(names)}
    say(f"k={k}: {row['synthetic_pages']} generated pages, {len(names)} generated snippets; cold build ...")
    row["cold_s"], row["cold_cpu_s"], done = cpu_build(project, site)
    row["cold_stage_s"] = stage_seconds(done)
    row["pages"] = len(site_pages(site))
    say(f"  cold {row['cold_s']:.1f} s ({row['pages']} built pages); {repeat} no-change builds ...")
    row["nochange_s"], row["nochange_cpu_s"] = min(cpu_build(project, site)[:2] for _ in range(repeat))
    say(f"  no-change {row['nochange_s']:.2f} s (CPU {row['nochange_cpu_s']:.2f} s); {edits} one-edit builds ...")
    if before_edits is not None:  # while the site is as first built
        before_edits(project)
    best = None
    for offset in range(1, edits + 1):
        edited = synthsite.edit_snippet(project, 0, offset)
        seconds, cpu, done = cpu_build(project, site)
        trial = (seconds, cpu, stage_seconds(done), snippet_seconds(project, edited))
        best = trial if best is None or trial[0] < best[0] else best
    row["onedit_s"], row["onedit_cpu_s"], row["onedit_stage_s"], row["onedit_snippet_s"] = best
    synthsite.edit_snippet(project, 0, 0)  # back to the stored run: the site as first built
    say(
        f"  one-edit {row['onedit_s']:.2f} s (snippet stage {row['onedit_stage_s']:.2f} s, "
        f"the snippet itself {row['onedit_snippet_s']:.2f} s)"
    )
    return row, project


def measure_serve_edit(project, k, edits):
    """Under `mkdocs serve` at factor k: from saving an edited synthetic snippet to its page showing
    the new value (the preview renders the pages that use it; the full build follows). Returns
    [(seconds to visible, the snippet's own run time)], one per edit."""
    name, page = synthsite.snippet_name(0), synthsite.page_file(0)[:-3] + "/"
    say(f"  under `mkdocs serve`: {edits} edits of snippets/{name}.py, until {page} shows the value ...")
    trials = []
    with benchserve.served(project, page) as (url, log_path):
        for offset in range(100, 100 + edits):  # values no earlier build of this copy has shown
            done = benchserve.builds_done(log_path)
            saved = time.perf_counter()
            synthsite.edit_snippet(project, 0, offset)
            visible = benchserve.wait_for(url, synthsite.printed_sum(0, offset), saved, "value")
            benchserve.settle(log_path, done)
            trials.append((visible, snippet_seconds(project, name)))
    synthsite.edit_snippet(project, 0, 0)
    say("  " + ", ".join(f"{seconds:.2f} s (the snippet {own:.2f} s)" for seconds, own in trials))
    return trials


# --- shard/merge ---------------------------------------------------------------------------------


def source_copy(project, destination, cache=None):
    """The project's sources without its _build/ and site/ (a fresh checkout on another machine),
    node_modules by link, and (cache: a snippet cache folder) stored runs restored, as a CI cache does."""
    shutil.copytree(project, destination, ignore=shutil.ignore_patterns(*PROJECT_LEFT_OUT))
    os.symlink(os.path.join(ROOT, "node_modules"), os.path.join(destination, "node_modules"))
    if cache:
        shutil.copytree(cache, os.path.join(destination, "_build", "cache"))
    return destination


def html_files(site):
    found = set()
    for parent, _, names in os.walk(site):
        for name in names:
            path = os.path.relpath(os.path.join(parent, name), site).replace(os.sep, "/")
            if name.endswith(".html") and not path.startswith(VOLATILE_PAGES):
                found.add(path)
    return found


def _masked(path):
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        return VOLATILE_TABLE.sub("<!-- execdocs:volatile -->", data.decode("utf-8"))
    except UnicodeDecodeError:
        return data


def compare_sites(first, second):
    """(pages compared, [differences]): every HTML page of both sites, byte for byte once volatile
    tables are cut out; the run report page is left out."""
    a, b = html_files(first), html_files(second)
    differences = [f"only in the first: {p}" for p in sorted(a - b)] + [
        f"only in the second: {p}" for p in sorted(b - a)
    ]
    for path in sorted(a & b):
        if _masked(os.path.join(first, path)) != _masked(os.path.join(second, path)):
            differences.append(f"differs: {path}")
    return len(a & b), differences


def shard_and_merge(workspace, project, count=2, cache=None):
    """Run the snippets in `count` shard copies (each with `cache` restored), merge their caches into
    a fresh copy that has the project's page memos, build it with execution off. Returns (merged
    project, its site, {step: seconds})."""
    times = {}
    shard_builds = []
    for k in range(1, count + 1):
        shard = source_copy(project, os.path.join(workspace, f"shard-{k}"), cache)
        times[f"shard {k}/{count}"], done = timed(
            [sys.executable, RUN_SNIPPETS, "--shard", f"{k}/{count}"], shard, {**ENV, "PYTHONPATH": ""}
        )
        say(f"  shard {k}/{count}: {times[f'shard {k}/{count}']:.1f} s; {done.stdout.strip().splitlines()[0]}")
        shard_builds.append(os.path.join(shard, "_build"))
    merged = source_copy(project, os.path.join(workspace, "merged"))
    # the page-side memos (formulas, highlighting, notebooks), as a CI cache of _build/ restores them;
    # the snippet outputs come only from the shards
    memos = shutil.ignore_patterns("cache", "out", "report.json")
    shutil.copytree(os.path.join(project, "_build"), os.path.join(merged, "_build"), ignore=memos)
    times["merge"], done = timed(
        [sys.executable, RUN_SNIPPETS, "--merge", *shard_builds], merged, {**ENV, "PYTHONPATH": ""}
    )
    say(f"  merge: {times['merge']:.1f} s; {done.stdout.strip().splitlines()[0]}; {stage_line(done)}")
    site = os.path.join(merged, "site")
    times["build"], _ = build(merged, site, {**ENV, "DOCS_RUN_SNIPPETS": "false"})
    return merged, site, times


def stage_line(done):
    match = STAGE_LINE.search(done.stdout + done.stderr)
    return match.group(0) if match else "no stage line"


# --- report --------------------------------------------------------------------------------------


def report(rows, figures):
    say(
        "\n  k  pages  snippets   cold s  no-change s (CPU s)  one-edit s (CPU s)  stage s  snippet s"
        "  ms/page: no-change  one-edit"
    )
    for r in rows:
        say(
            f"{r['k']:3d} {r['pages']:6d} {r['snippets']:9d} {r['cold_s']:8.1f} {r['nochange_s']:11.2f} "
            f"({r['nochange_cpu_s']:5.1f}) {r['onedit_s']:11.2f} ({r['onedit_cpu_s']:5.1f}) {r['onedit_stage_s']:8.2f} "
            f"{r['onedit_snippet_s']:10.2f} {1000 * r['nochange_s'] / r['pages']:19.1f} "
            f"{1000 * r['onedit_s'] / r['pages']:9.1f}"
        )
        for key, value in r.items():
            if key != "serve_edits":
                figures[f"scale_k{r['k']}_{key}"] = value
    if len(rows) >= 2:
        small, large = rows[0], rows[-1]
        page_ratio = large["pages"] / small["pages"]
        for key, label in (("nochange", "no-change"), ("onedit", "one-edit")):
            ratio = large[key + "_s"] / small[key + "_s"]
            cpu_ratio = large[key + "_cpu_s"] / small[key + "_cpu_s"]
            target(
                f"{label} build grows no faster than the pages ({small['k']}x -> {large['k']}x)",
                ratio <= page_ratio,
                f"{large[key + '_s']:.2f} s / {small[key + '_s']:.2f} s = {ratio:.2f}x for {large['pages']} / "
                f"{small['pages']} pages = {page_ratio:.2f}x (CPU time: {cpu_ratio:.2f}x)",
            )
    large = rows[-1]
    target(
        f"one-edit build at {large['k']}x <= 2 s + the snippet stage",
        large["onedit_s"] <= 2 + large["onedit_stage_s"],
        f"{large['onedit_s']:.2f} s, stage {large['onedit_stage_s']:.2f} s (the snippet itself "
        f"{large['onedit_snippet_s']:.2f} s; the rest of the stage is starting the worker): the build around "
        f"it {large['onedit_s'] - large['onedit_stage_s']:.2f} s",
    )
    if large.get("serve_edits"):
        seconds, own = max(large["serve_edits"])
        figures[f"scale_k{large['k']}_serve_edit_s"], figures[f"scale_k{large['k']}_serve_edit_snippet_s"] = (
            seconds,
            own,
        )
        target(
            f"one edit at {large['k']}x under `mkdocs serve`: its page shows it within 2 s + the snippet's run time",
            seconds <= 2 + own,
            f"{seconds:.2f} s, the slowest of {len(large['serve_edits'])} (the snippet {own:.2f} s; each: "
            + ", ".join(f"{t:.2f}" for t, _ in large["serve_edits"])
            + " s); the full build follows",
        )


def check_shards(workspace, project, k, really_cold):
    say(f"  shard/merge at k={k}: two shards, merged, built with DOCS_RUN_SNIPPETS=false ...")
    cache = None if really_cold else os.path.join(ROOT, "_build", "cache")  # as for the one-machine build
    _, merged_site, times = shard_and_merge(os.path.join(workspace, f"k{k}"), project, cache=cache)
    compared, differences = compare_sites(os.path.join(project, "site"), merged_site)
    say("  " + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in times.items()))
    say(f"  {compared} HTML pages compared, {len(differences)} differ")
    for line in differences[:10]:
        say("    " + line)
    target(
        f"two shards merged give the one-machine pages at {k}x",
        compared > 0 and not differences,
        f"{compared} HTML pages compared byte for byte, {len(differences)} differ",
    )
    return times


def measure_scale(factors, repeat, edits, figures, really_cold=False, shards=True, keep=False, serve=True):
    """Measure each factor; at the largest, the shard/merge check runs after the no-change builds
    (the site as first built is the one-machine reference), before the edits."""
    workspace = tempfile.mkdtemp(prefix="docs-benchscale-")
    rows = []
    try:
        for k in factors:
            hook = None
            if shards and k == factors[-1]:

                def hook(project, k=k):
                    times = check_shards(workspace, project, k, really_cold)
                    for step, seconds in times.items():
                        figures[f"scale_shard_{step.replace(' ', '_').replace('/', 'of')}_s"] = seconds

            row, project = measure_factor(workspace, k, repeat, edits, really_cold, before_edits=hook)
            if serve and k == factors[-1]:
                row["serve_edits"] = measure_serve_edit(project, k, edits)
            rows.append(row)
        report(rows, figures)
    finally:
        if keep:
            say(f"kept: {workspace}")
        else:
            shutil.rmtree(workspace, ignore_errors=True)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale-factors", default="1,3,10", help="comma list of k (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="no-change builds per k (the fastest counts)")
    parser.add_argument("--edits", type=int, default=3, help="one-edit builds per k (the fastest counts)")
    parser.add_argument("--really-cold", action="store_true", help="cold builds run the project's own snippets too")
    parser.add_argument("--no-shards", action="store_true", help="skip the shard/merge check")
    parser.add_argument("--no-serve", action="store_true", help="skip the one-edit measurement under mkdocs serve")
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    factors = sorted(int(k) for k in args.scale_factors.split(","))
    figures = {}
    measure_scale(
        factors, args.repeat, args.edits, figures, args.really_cold, not args.no_shards, args.keep, not args.no_serve
    )
    return finish(figures, args.json)


if __name__ == "__main__":
    sys.exit(main())
