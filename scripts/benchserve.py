"""Benchmark part 4: under `mkdocs serve`, an edited page's prose and then an edited snippet, each
from the save until the served page shows it (repeated; the slowest of the repeats counts)."""

import contextlib
import os
import signal
import subprocess
import time
import urllib.request


from execdocs.run.cells import split_cells
from localsite import free_port
from benchkit import ENV, FULL_INCLUDE, INCLUDE, MKDOCS, SERVING, WORKER_READY, _load_json, say, target


# --- 4: one edited snippet under mkdocs serve ---------------------------------------------------


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


def wait_for(url, marker, saved, what):
    while True:
        body = fetch(url)
        if body and marker in body:
            return time.perf_counter() - saved
        if time.perf_counter() - saved > 300:
            raise SystemExit(f"the edited {what} never appeared; see serve.log")
        time.sleep(0.02)


def builds_done(log_path):
    with open(log_path, encoding="utf-8", errors="replace") as fh:
        return fh.read().count("Reloading browsers")


def settle(log_path, done_before, timeout=300):
    """Wait until the full build that follows the last edit is done, then a little more."""
    deadline = time.monotonic() + timeout
    while builds_done(log_path) <= done_before:
        if time.monotonic() > deadline:
            raise SystemExit("the full build after an edit never finished; see serve.log")
        time.sleep(0.1)
    time.sleep(1.0)


def edit_prose(project, page, marker):
    path = os.path.join(project, "docs", page)
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    new_text = text.rstrip("\n") + f"\n\nĐoạn thử {marker}.\n"
    saved = time.perf_counter()
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(new_text)
    return saved


@contextlib.contextmanager
def served(project, page_path):
    """`mkdocs serve` in project, once its first build is served and its warm worker is up: yields
    (the URL of page_path, e.g. "gradient/", the path of the server's log); stopped on leaving."""
    port = free_port()
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
        deadline = time.monotonic() + 600  # the first build of a 10x site on a busy machine
        url = None
        while url is None or fetch(url) is None:
            with open(log_path, encoding="utf-8", errors="replace") as fh:
                text = fh.read()
            serving = SERVING.search(text) if WORKER_READY in text else None
            if serving:  # the address includes site_url's path
                url = serving.group(1) + page_path
            if time.monotonic() > deadline or serve.poll() is not None:
                raise SystemExit(f"mkdocs serve did not come up; see {log_path}")
            time.sleep(0.2)
        time.sleep(1.0)  # let the watcher settle after the first build
        yield url, log_path
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        try:
            serve.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
        log.close()


def measure_serve(project, figures, repeats=3):
    choice = pick_edit(project)
    if choice is None:
        say("no page includes a cell's output: the serve measurement is skipped")
        return
    page, snippet, cell = choice
    say(f"`mkdocs serve`; editing docs/{page}, then snippets/{snippet}.py ...")
    with served(project, "" if page == "index.md" else page[:-3] + "/") as (url, log_path):
        prose, edits = [], []
        for _ in range(repeats):
            done = builds_done(log_path)
            marker = f"benchmark-prose-{time.time_ns()}"
            prose.append(wait_for(url, marker, edit_prose(project, page, marker), "prose"))
            settle(log_path, done)  # each edit starts with no build running
        for _ in range(repeats):
            done = builds_done(log_path)
            marker = f"benchmark-edit-{time.time_ns()}"
            path = os.path.join(project, "snippets", snippet + ".py")
            new_source = insert_print(path, cell, marker)
            saved = time.perf_counter()
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(new_source)
            edits.append(wait_for(url, marker, saved, "output"))
            settle(log_path, done)
        figures["prose_visible_s"] = max(prose)
        figures["edit_visible_s"] = max(edits)
    report = _load_json(os.path.join(project, "_build", "report.json"))
    own = report["snippets"][snippet].get("seconds", 0.0)
    figures["edit_snippet_run_s"] = own
    target(
        "edited page's prose visible under serve within 0.7 s",
        figures["prose_visible_s"] <= 0.7,
        f"{figures['prose_visible_s']:.2f} s, slowest of {repeats} (docs/{page}; each: "
        + ", ".join(f"{t:.2f}" for t in prose)
        + " s)",
    )
    target(
        "edited snippet visible under serve within 1 s + its own run time",
        figures["edit_visible_s"] <= 1 + own,
        f"{figures['edit_visible_s']:.2f} s, slowest of {repeats} (limit 1 + {own:.2f} s; snippets/{snippet}.py "
        f"on {page}; each: " + ", ".join(f"{t:.2f}" for t in edits) + " s)",
    )
