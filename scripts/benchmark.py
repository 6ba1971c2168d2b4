"""How fast the site builds, measured on the project's real snippets: `python scripts/benchmark.py`.

Every comparison is made within one run, on a temporary copy of the project, so a busy machine
slows both sides alike. Prints each figure and whether its target holds; exits 1 if one fails.

  1. cold snippet stage (empty cache)  vs  each snippet as a fresh `python snippets/NAME.py`, in turn
  2. no-change snippet stage (everything cached)
  3. no-change `mkdocs build`  vs  the same build with DOCS_RUN_SNIPPETS=false
  4. one edited snippet under `mkdocs serve`: from saving the file to the new output in the page
  5. cold and no-change builds  vs  the same site built the way a mkdocs-jupyter user would: our
     runner off and every notebook executed by mkdocs-jupyter (`execute: true`, its own cache);
     for reference also the snippets alone as notebooks in a bare mkdocs-jupyter site
  6. page weight, measured in chromium (scripts/pageweight.py): bytes a first visit to each page
     transfers (gzip-compressed as static hosts send text; light and dark scheme), and the most a
     second page adds; the uncompressed size is printed beside it

Options: --repeat N (no-change builds are repeated, the fastest is kept), --skip LIST (any of
sequential, jupyter, notebooks-only, weight, serve), --json PATH (write the figures), --keep (leave
the temporary folder).
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import pageweight  # beside this file: `python scripts/benchmark.py` finds it, as it finds execdocs
from localsite import copy_project

from execdocs.run.cells import split_cells
from execdocs.run.runner import Runner, discover

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


# --- 4: one edited snippet under mkdocs serve ---------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.read().decode("utf-8", "replace")
    except OSError:
        return None


def pick_edit(project):
    """(page, snippet, cell) for a cell whose output a page shows; the fastest snippet wins."""
    report = _load_json(os.path.join(project, "_build", "report.json")) or {"snippets": {}}
    options = []
    docs = os.path.join(project, "docs")
    for page in sorted(os.listdir(docs)):
        if not page.endswith(".md"):
            continue
        with open(os.path.join(docs, page), encoding="utf-8") as fh:
            text = fh.read()
        found = [(m.group(1), m.group(2)) for m in INCLUDE.finditer(text)]
        found += [(m.group(1), None) for m in FULL_INCLUDE.finditer(text)]
        for snippet, cell in found:
            seconds = report["snippets"].get(snippet, {}).get("seconds", 1e9)
            options.append((seconds, page, snippet, cell))
    if not options:
        return None
    _, page, snippet, cell = min(options)
    return page, snippet, cell


def insert_print(path, cell_name, marker):
    with open(path, encoding="utf-8") as fh:
        source = fh.read()
    cells = split_cells(source, path)
    cell = next((c for c in cells if c.name == cell_name), cells[-1])
    lines = source.splitlines()
    lines.insert(cell.last_line, f'print("{marker}")')
    return "\n".join(lines) + "\n"


def measure_serve(project, figures):
    choice = pick_edit(project)
    if choice is None:
        say("no page includes a cell's output: the serve measurement is skipped")
        return
    page, snippet, cell = choice
    port = free_port()
    say(f"`mkdocs serve` on port {port}; editing snippets/{snippet}.py, watching docs/{page} ...")
    log_path = os.path.join(project, "serve.log")
    log = open(log_path, "w")
    serve = subprocess.Popen(
        [MKDOCS, "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env=ENV,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        url = None
        while url is None or fetch(url) is None:
            with open(log_path, encoding="utf-8", errors="replace") as fh:
                text = fh.read()
            serving = SERVING.search(text) if WORKER_READY in text else None
            if serving:  # the address includes site_url's path
                url = serving.group(1) + ("" if page == "index.md" else page[:-3] + "/")
            if time.monotonic() > deadline or serve.poll() is not None:
                raise SystemExit("mkdocs serve did not come up; see serve.log in the --keep folder")
            time.sleep(0.2)
        time.sleep(1.0)  # let the watcher settle after the first build
        marker = f"benchmark-edit-{time.time_ns()}"
        path = os.path.join(project, "snippets", snippet + ".py")
        new_source = insert_print(path, cell, marker)
        saved = time.perf_counter()
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(new_source)
        while True:
            body = fetch(url)
            if body and marker in body:
                break
            if time.perf_counter() - saved > 300:
                raise SystemExit("the edited output never appeared; see serve.log")
            time.sleep(0.05)
        figures["edit_visible_s"] = time.perf_counter() - saved
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        try:
            serve.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
        log.close()
    report = _load_json(os.path.join(project, "_build", "report.json"))
    own = report["snippets"][snippet].get("seconds", 0.0)
    figures["edit_snippet_run_s"] = own
    target(
        "edited snippet visible within 3 s + its own run time",
        figures["edit_visible_s"] <= 3 + own,
        f"{figures['edit_visible_s']:.2f} s (limit 3 + {own:.2f} s; snippets/{snippet}.py on {page})",
    )


# --- 5: the same site, its notebooks executed by mkdocs-jupyter ----------------------------


def jupyter_site_project(project, folder):
    """The same site built the way a mkdocs-jupyter user would: our runner off (DOCS_RUN_SNIPPETS=false,
    the lesson pages keep the outputs already recorded) and every notebook executed by
    mkdocs-jupyter (`execute: true`), its cache starting empty. Same pages, same theme, same hooks
    otherwise: the two builds differ only in who runs the code and how it is cached."""
    ignore = shutil.ignore_patterns("site", "jupyter-cache", "serve.log", "_build_cold")
    shutil.copytree(project, folder, symlinks=True, ignore=ignore)
    path = os.path.join(folder, "mkdocs.yml")
    with open(path, encoding="utf-8") as fh:
        config = fh.read()
    executed = re.sub(r"(?m)^(\s+execute:) false\b", r"\1 true", config)
    if executed == config:
        raise SystemExit("mkdocs.yml: no `execute: false` under mkdocs-jupyter to switch on")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(executed)
    return folder


def notebooks_only_project(project, folder, names):
    """Only the snippets, one notebook each, in a bare Material site: the smallest mkdocs-jupyter
    site that runs the same code (printed for reference, not a target)."""
    import nbformat

    docs = os.path.join(folder, "docs")
    os.makedirs(docs)
    for name in names:
        path = os.path.join(project, "snippets", name + ".py")
        with open(path, encoding="utf-8") as fh:
            source = fh.read()
        cells = [nbformat.v4.new_code_cell(c.code) for c in split_cells(source, path)]
        notebook = nbformat.v4.new_notebook(cells=cells)
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(notebook, os.path.join(docs, name + ".ipynb"))
    with open(os.path.join(docs, "index.md"), "w", encoding="utf-8") as fh:
        fh.write("# Notebooks\n")
    config = {
        "site_name": "notebooks",
        "theme": {"name": "material", "font": False},
        "plugins": ["search", {"mkdocs-jupyter": {"execute": True, "kernel_name": "python3"}}],
    }
    with open(os.path.join(folder, "mkdocs.yml"), "w", encoding="utf-8") as fh:
        json.dump(config, fh)  # JSON is YAML
    return folder


def measure_jupyter(project, names, repeat, figures, skip):
    workspace = os.path.dirname(project)
    jupyter = jupyter_site_project(project, os.path.join(workspace, "jupyter-site"))
    jupyter_env = {**KERNEL_ENV, "DOCS_RUN_SNIPPETS": "false", "PYTHONPATH": os.path.join(jupyter, "snippets")}
    say("the same site with mkdocs-jupyter executing the notebooks: cold build ...")
    figures["jupyter_cold_build_s"], _ = build(jupyter, os.path.join(jupyter, "site"), jupyter_env)
    say("no-change builds, ours and the mkdocs-jupyter site's (notebooks from its cache), interleaved ...")
    times = interleaved_builds(
        repeat,
        {
            "ours": (project, os.path.join(project, "site"), ENV),
            "jupyter": (jupyter, os.path.join(jupyter, "site"), jupyter_env),
        },
    )
    best = {name: min(seconds) for name, seconds in times.items()}
    figures["nochange_vs_jupyter_paired"] = paired_summary(times["ours"], times["jupyter"])
    figures["nochange_build_interleaved_s"] = best["ours"]
    figures["jupyter_nochange_build_s"] = best["jupyter"]
    cold = min(figures["cold_stage_s"], figures["cold_stage_direct_s"])
    ratio = figures["jupyter_cold_build_s"] / cold
    figures["cold_stage_vs_jupyter_cold"] = ratio
    target(
        "cold snippet stage >= 5x faster than mkdocs-jupyter's cold build",
        ratio >= 5,
        f"{figures['jupyter_cold_build_s']:.2f} s / {cold:.2f} s = {ratio:.1f}x "
        f"(our whole cold build: {figures['cold_build_s']:.2f} s)",
    )
    target(
        "no-change build no slower than mkdocs-jupyter's cached rebuild",
        best["ours"] <= best["jupyter"],
        f"{best['ours']:.2f} s vs {best['jupyter']:.2f} s (fastest of {repeat} each; "
        f"{figures['nochange_vs_jupyter_paired']})",
    )
    if "notebooks-only" in skip:
        return
    folder = notebooks_only_project(project, os.path.join(workspace, "notebooks-only"), names)
    env = {**KERNEL_ENV, "PYTHONPATH": os.path.join(project, "snippets")}
    site = os.path.join(folder, "site")
    say("for reference, the snippets alone as notebooks in a bare mkdocs-jupyter site: cold build ...")
    figures["notebooks_only_cold_build_s"], _ = timed([MKDOCS, "build", "--site-dir", site], folder, env)
    figures["notebooks_only_nochange_build_s"] = min(
        timed([MKDOCS, "build", "--site-dir", site], folder, env)[0] for _ in range(repeat)
    )


# --- 6: page weight, measured in a browser (scripts/pageweight.py) --------------------------


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


def _load_json(path):
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        return None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="no-change builds per figure (the fastest counts)")
    parser.add_argument("--skip", default="", help="comma list of: sequential, jupyter, notebooks-only, weight, serve")
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
    finally:
        if args.keep:
            say(f"kept: {workspace}")
        else:
            shutil.rmtree(workspace, ignore_errors=True)
    say("\nfigures:")
    for key, value in figures.items():
        say(f"  {key:32s} {value:.3f}" if isinstance(value, float) else f"  {key:32s} {value}")
    say("\ntargets:")
    for label, holds, detail in TARGETS:
        say(f"  [{'ok' if holds else 'FAIL'}] {label}: {detail}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(
                {"figures": figures, "targets": [dict(zip(("target", "holds", "detail"), t)) for t in TARGETS]},
                fh,
                indent=1,
            )
    return 0 if all(holds for _, holds, _ in TARGETS) else 1


if __name__ == "__main__":
    sys.exit(main())
