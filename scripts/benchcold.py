"""Cold builds of the same site by two engines: `python scripts/benchcold.py [--baseline REV]`.

Issue 16's third target: a cold build (empty _build/: every snippet runs; every formula, page and
notebook is made) takes <= 0.6x the baseline's on the same machine. Both builds are of this
checkout's content (docs/, the snippets, mkdocs.yml); only the engine differs: this checkout's
scripts/execdocs and snippets/sitekit against those at --baseline (`git archive`), each put first on
PYTHONPATH in its own copy of the project. sitekit lives beside the snippets but is the engine's
half inside them: what a snippet calls to hand its values and figures to the runner. Builds are
interleaved, --repeat each, and the fastest of each counts; each pair's ratio is printed beside it,
to show how far one noisy pair strays. A baseline engine that cannot build today's content (an
option it does not know, say) is reported, not measured. Also part 9 of scripts/benchmark.py.

The issue's own figure (16 s, when it was filed) was of a site of 36 snippets; today's has 89 and options
that engine does not know, so the default baseline is the engine this round of work started from.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

from benchkit import ENV, ROOT, STAGE_LINE, build, finish, say, target
from localsite import copy_project

BASELINE = "fecfdb2"  # main before the cold-build work of 07/12/2026
TARGET = 0.6
ENGINE = ("scripts/execdocs", "snippets/sitekit")


def engine_copy(folder, revision=None):
    """A copy of the project whose engine (ENGINE) is the one at revision (None: this checkout's)."""
    project = copy_project(ROOT, folder)
    if revision:
        for part in ENGINE:
            shutil.rmtree(os.path.join(project, *part.split("/")))
        archive = subprocess.run(
            ["git", "archive", revision, *ENGINE], cwd=ROOT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", project], input=archive, check=True)
    return project


def cold_build(project):
    """(seconds, snippet stage seconds) of a build with an empty _build/, or (None, error)."""
    for folder in ("_build", "site"):
        shutil.rmtree(os.path.join(project, folder), ignore_errors=True)
    env = {**ENV, "PYTHONPATH": os.path.join(project, "scripts")}
    try:
        seconds, done = build(project, os.path.join(project, "site"), env)
    except SystemExit as failure:
        return None, str(failure)[-600:]
    stage = STAGE_LINE.search(done.stderr)
    return seconds, float(stage.group(3)) if stage else None


def measure_cold(workspace, baseline, repeat, figures):
    try:
        projects = {"baseline": engine_copy(os.path.join(workspace, "baseline"), baseline)}
    except subprocess.CalledProcessError as error:
        say(f"  no engine at {baseline} in this clone: {error.stderr.decode(errors='replace').strip()}")
        target(f"cold build <= {TARGET}x the engine at {baseline}", False, "baseline revision not found")
        return
    projects["now"] = engine_copy(os.path.join(workspace, "now"))
    times = {name: [] for name in projects}
    for run in range(repeat):
        for name, project in projects.items():
            seconds, stage = cold_build(project)
            if seconds is None:
                say(f"  the {name} engine ({baseline if name == 'baseline' else 'this checkout'}) failed:\n{stage}")
                target(f"cold build <= {TARGET}x the engine at {baseline}", False, f"the {name} build failed")
                return
            say(f"  cold build {run + 1}/{repeat}, {name} engine: {seconds:.1f} s (snippet stage {stage:.1f} s)")
            times[name].append((seconds, stage))
    (ours, our_stage), (theirs, their_stage) = min(times["now"]), min(times["baseline"])
    ratio = ours / theirs
    pairwise = sorted(now[0] / base[0] for now, base in zip(times["now"], times["baseline"]))
    figures.update(cold_now_s=ours, cold_now_stage_s=our_stage, cold_baseline_s=theirs)
    figures.update(cold_baseline_stage_s=their_stage, cold_ratio=ratio, cold_baseline=baseline)
    figures.update(cold_pairwise_ratios=pairwise)
    target(
        f"cold build <= {TARGET}x the engine at {baseline} (same content, fastest of each)",
        ratio <= TARGET,
        f"{ours:.1f} s / {theirs:.1f} s = {ratio:.2f}x (snippet stage {our_stage:.1f} s / {their_stage:.1f} s; "
        f"outside it {ours - our_stage:.1f} s / {theirs - their_stage:.1f} s); pair by pair "
        + ", ".join(f"{r:.2f}x" for r in pairwise),
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default=BASELINE, help=f"the engine's git revision (default {BASELINE})")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="leave the temporary folder")
    args = parser.parse_args(argv)
    workspace = tempfile.mkdtemp(prefix="benchcold-")
    figures = {}
    try:
        say(f"cold builds of this checkout's site: this engine against the one at {args.baseline} ...")
        measure_cold(workspace, args.baseline, args.repeat, figures)
    finally:
        if args.keep:
            say(f"kept {workspace}")
        else:
            shutil.rmtree(workspace, ignore_errors=True)
    return finish(figures, args.json)


if __name__ == "__main__":
    sys.exit(main())
