"""What every measurement of the benchmark shares: the commands, timed builds, the targets list."""

import json
import os
import re
import statistics
import subprocess
import sys
import time


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

BIN = os.path.dirname(sys.executable)
MKDOCS = os.path.join(BIN, "mkdocs")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"}
# Notebook kernels keep Jupyter's own inline matplotlib backend, as for any mkdocs-jupyter user:
# with Agg the figures would silently vanish from the executed notebooks.
KERNEL_ENV = {k: v for k, v in ENV.items() if k != "MPLBACKEND"}
INCLUDE = re.compile(r'--8<--\s+"out/([a-z0-9_-]+)/([a-z0-9_-]+)(\.md|\.out\.md)"')
FULL_INCLUDE = re.compile(r'--8<--\s+"out/([a-z0-9_-]+)/full\.md"')
SERVING = re.compile(r"Serving on (http://\S+/)")
WORKER_READY = "snippets: warm worker ready"
STAGE_LINE = re.compile(r"snippets: (\d+) ran, (\d+) from cache, \d+ failed \(([\d.]+) s")

TARGETS = []  # (label, holds, detail)


def target(label, holds, detail):
    TARGETS.append((label, bool(holds), detail))


def say(text):
    print(text, flush=True)


def finish(figures, json_path=None):
    """Print every target and whether it holds, write the figures to json_path; the exit code."""
    say("\ntargets:")
    for label, holds, detail in TARGETS:
        say(f"  [{'ok' if holds else 'FAIL'}] {label}: {detail}")
    if json_path:
        with open(json_path, "w", encoding="utf-8") as fh:
            targets = [dict(zip(("target", "holds", "detail"), t)) for t in TARGETS]
            json.dump({"figures": figures, "targets": targets}, fh, indent=1)
    return 0 if all(holds for _, holds, _ in TARGETS) else 1


def timed(command, cwd, env=None, check=True):
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env or ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if check and done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return seconds, done


def build(project, site, env=None):
    return timed([MKDOCS, "build", "--strict", "--site-dir", site], project, env)


def fastest_builds(repeat, variants):
    """{variant: the fastest of `repeat` builds}, variants {name: (project, site, env)} interleaved:
    on a busy machine the minimum is the figure least disturbed by other load, and interleaving
    shares the load out."""
    return {name: min(times) for name, times in interleaved_builds(repeat, variants).items()}


def interleaved_builds(repeat, variants):
    """{variant: [seconds of each of `repeat` builds]}, the variants built in turn."""
    times = {name: [] for name in variants}
    for _ in range(repeat):
        for name, (project, site, env) in variants.items():
            times[name].append(build(project, site, env)[0])
    return times


def paired_summary(ours, theirs):
    """Median difference of builds made one after the other, and how often ours was not slower."""
    differences = sorted(a - b for a, b in zip(ours, theirs))
    median = statistics.median(differences)
    not_slower = sum(d <= 0 for d in differences)
    return f"median of {len(differences)} paired differences {median * 1000:+.0f} ms, ours not slower in {not_slower}"


def _load_json(path):
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        return None
