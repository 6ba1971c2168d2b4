"""How fast the site builds, measured on the project's real snippets: `python scripts/benchmark.py`.

Every comparison is made within one run, on a temporary copy of the project, so a busy machine
slows both sides alike. Prints each figure and whether its target holds; exits 1 if one fails.

  1. cold snippet stage (empty cache)  vs  each snippet as a fresh `python snippets/NAME.py`, in turn
  2. no-change snippet stage (everything cached)
  3. no-change `mkdocs build`  vs  the same build with DOCS_SKIP_SNIPPETS=1
  4. one edited snippet under `mkdocs serve`: from saving the file to the new output in the page
  5. cold and no-change builds  vs  the same snippets as notebooks built by mkdocs-jupyter (execute: true)
  6. page weight: bytes of a first visit to each page, and what a second page adds, as a static
     host serves them (text gzip-compressed; a light-theme visitor, who never fetches the hidden
     dark variant of a lazy image); the raw, uncompressed upper bound is printed beside it

Options: --repeat N (no-change builds are repeated, the fastest is kept), --skip serve,jupyter,...,
--json PATH (write the figures), --keep (leave the temporary folder).
"""

import argparse
import gzip
import html.parser
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

SCRIPTS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(SCRIPTS)
sys.path.insert(0, SCRIPTS)

from snippetkit import forkserver  # noqa: E402
from snippetkit.cells import split_cells  # noqa: E402
from snippetkit.runner import Runner, discover  # noqa: E402

BIN = os.path.dirname(sys.executable)
MKDOCS = os.path.join(BIN, "mkdocs")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"}
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


def copy_project(destination):
    ignore = shutil.ignore_patterns(".venv", "node_modules", "_build", "site", ".git", "__pycache__", ".cache")
    shutil.copytree(ROOT, destination, ignore=ignore)
    os.symlink(os.path.join(ROOT, "node_modules"), os.path.join(destination, "node_modules"))
    return destination


def timed(command, cwd, env=None, check=True):
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env or ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if check and done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return seconds, done


def build(project, site, env=None):
    return timed([MKDOCS, "build", "--strict", "--site-dir", site], project, env)


def fastest_builds(project, site, repeat, variants):
    """{variant: the fastest of `repeat` builds}, the variants interleaved: on a busy machine the
    minimum is the figure least disturbed by other load, and interleaving shares the load out."""
    best = {name: float("inf") for name in variants}
    for _ in range(repeat):
        for name, env in variants.items():
            best[name] = min(best[name], build(project, site, env)[0])
    return best


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
    forkserver.shutdown()
    seconds, done = build(project, os.path.join(project, "site"))
    match = STAGE_LINE.search(done.stderr)
    figures["cold_build_s"] = seconds
    figures["cold_stage_s"] = float(match.group(3))
    say("cold snippet stage alone, in a second empty build folder ...")
    forkserver.shutdown()
    figures["cold_stage_direct_s"], _ = stage(project, os.path.join(project, "_build_cold"))
    forkserver.shutdown()
    shutil.rmtree(os.path.join(project, "_build_cold"))
    figures["nochange_stage_s"] = min(stage(project)[0] for _ in range(max(3, repeat)))
    say("no-change builds, with and without the snippet stage ...")
    site = os.path.join(project, "site")
    best = fastest_builds(project, site, repeat, {"nochange": ENV, "skip": {**ENV, "DOCS_SKIP_SNIPPETS": "1"}})
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


# --- 5: the same snippets as mkdocs-jupyter notebooks ---------------------------------------


def notebook_project(project, folder, names):
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


def measure_jupyter(project, names, repeat, figures):
    folder = notebook_project(project, os.path.join(os.path.dirname(project), "notebooks"), names)
    env = {**ENV, "PYTHONPATH": os.path.join(project, "snippets")}
    site = os.path.join(folder, "site")
    say("mkdocs-jupyter: cold build (every notebook executes) ...")
    figures["jupyter_cold_build_s"], _ = timed([MKDOCS, "build", "--site-dir", site], folder, env)
    say("mkdocs-jupyter: no-change builds (notebooks from its cache) ...")
    figures["jupyter_nochange_build_s"] = min(
        timed([MKDOCS, "build", "--site-dir", site], folder, env)[0] for _ in range(repeat)
    )
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
        figures["nochange_build_s"] <= figures["jupyter_nochange_build_s"],
        f"{figures['nochange_build_s']:.2f} s vs {figures['jupyter_nochange_build_s']:.2f} s",
    )


# --- 6: page weight -------------------------------------------------------------------------


class _References(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls, self.config = [], None
        self._in_config = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("href") and set((attrs.get("rel") or "").split()) & {"stylesheet", "icon"}:
            self.urls.append(attrs["href"])
        elif tag in ("script", "img") and attrs.get("src"):
            self.urls.append(attrs["src"])
        elif tag == "script" and attrs.get("id") == "__config":
            self._in_config = True

    def handle_data(self, data):
        if self._in_config:
            self.config = json.loads(data)
            self._in_config = False


CSS_URL = re.compile(r"url\((['\"]?)([^)'\"]+)\1\)")


def _local(site, base, url):
    """The file in site for url as referenced from the file at base, or None if external."""
    if re.match(r"^[a-z]+:", url) or url.startswith("//"):
        return None
    url = url.split("#")[0].split("?")[0]
    if not url:
        return None
    path = os.path.normpath(os.path.join(os.path.dirname(base), url))
    if os.path.isdir(path):
        path = os.path.join(path, "index.html")
    return path if path.startswith(site) and os.path.isfile(path) else None


def page_resources(site, page, light_only):
    """Every file a first visit to page loads (besides the page itself). light_only: a visitor
    with the light palette, whose browser never fetches the hidden lazy `#only-dark` images."""
    parser = _References()
    with open(page, encoding="utf-8") as fh:
        parser.feed(fh.read())
    found = set()
    for url in parser.urls:
        path = _local(site, page, url)
        if path and not (light_only and url.endswith("#only-dark")):
            found.add(path)
    if parser.config:  # Material loads its search worker and the index at page load
        base = _local(site, page, parser.config.get("base", ".") + "/index.html") or os.path.join(site, "index.html")
        worker = parser.config.get("search")
        for url in ([worker] if worker else []) + ["search/search_index.json"]:
            path = _local(site, base, url)
            if path:
                found.add(path)
    for css in [p for p in found if p.endswith(".css")]:
        with open(css, encoding="utf-8") as fh:
            for match in CSS_URL.finditer(fh.read()):
                path = _local(site, css, match.group(2))
                if path:
                    found.add(path)  # every font the CSS names: an upper bound of what loads
    return found


COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


def _size(path, served):
    """Bytes on the wire. served: as a static host sends it, text types gzip-compressed
    (GitHub Pages and every common server do this); otherwise the raw file size."""
    with open(path, "rb") as fh:
        data = fh.read()
    if served and path.endswith(COMPRESSIBLE):
        return len(gzip.compress(data, 6))
    return len(data)


def _weights(site, pages, served):
    resources = {page: page_resources(site, page, light_only=served) for page in pages}
    size = {p: _size(p, served) for p in set(pages).union(*resources.values())}
    first = {page: size[page] + sum(size[r] for r in resources[page]) for page in pages}
    second = {
        (a, b): size[b] + sum(size[r] for r in resources[b] - resources[a]) for a in pages for b in pages if a != b
    }
    return first, second


def measure_weight(site, figures):
    pages = sorted(
        os.path.join(folder, "index.html")
        for folder, _, files in os.walk(site)
        if "index.html" in files and not os.path.relpath(folder, site).startswith(("search", "assets"))
    )
    first, second = _weights(site, pages, served=True)
    first_raw, second_raw = _weights(site, pages, served=False)
    for page in pages:
        say(
            f"  {os.path.relpath(page, site):34s} first visit {first[page] / 1024:7.1f} KiB served "
            f"({first_raw[page] / 1024:7.1f} KiB raw, both image variants)"
        )
    heaviest = max(first, key=first.get)
    figures["first_visit_max_bytes"] = first[heaviest]
    figures["first_visit_max_raw_bytes"] = max(first_raw.values())
    target(
        "first visit to any page < 1 MB",
        first[heaviest] < 1_000_000,
        f"max {first[heaviest] / 1024:.1f} KiB ({os.path.relpath(heaviest, site)}), as served: text gzip-compressed, "
        f"light-theme images, every KaTeX font counted; raw upper bound {max(first_raw.values()) / 1024:.1f} KiB",
    )
    if second:
        worst = max(second, key=second.get)
        a, b = (os.path.relpath(p, site) for p in worst)
        figures["second_page_max_bytes"] = second[worst]
        figures["second_page_max_raw_bytes"] = max(second_raw.values())
        target(
            "second page adds < 200 KB",
            second[worst] < 200_000,
            f"max {second[worst] / 1024:.1f} KiB ({a} then {b}); raw upper bound "
            f"{max(second_raw.values()) / 1024:.1f} KiB",
        )


def _load_json(path):
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        return None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="no-change builds per figure (the fastest counts)")
    parser.add_argument("--skip", default="", help="comma list of: sequential, jupyter, weight, serve")
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    workspace = tempfile.mkdtemp(prefix="docs-benchmark-")
    figures = {}
    try:
        project = copy_project(os.path.join(workspace, "project"))
        names = discover(os.path.join(project, "snippets"))
        figures["snippets"] = len(names)
        figures["cpus"] = os.cpu_count()
        measure_stage_and_build(project, names, args.repeat, figures, skip)
        if "jupyter" not in skip:
            measure_jupyter(project, names, args.repeat, figures)
        if "weight" not in skip:
            say("page weight of the built site:")
            measure_weight(os.path.join(project, "site"), figures)
        if "serve" not in skip:
            measure_serve(project, figures)
    finally:
        forkserver.shutdown()
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
