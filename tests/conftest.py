"""Shared fixtures: the project's real snippet outputs and one real site build per session."""

import fcntl
import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml

import localsite
from execdocs.run import forkserver
from execdocs.run.runner import Runner
from execdocs.store import entry_text, read_store, store_text

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

BUILD = os.path.join(ROOT, "_build")
MKDOCS = os.path.join(os.path.dirname(sys.executable), "mkdocs")

# MkDocs dates sitemap.xml by the day of the build (<lastmod>, and the time in sitemap.xml.gz's
# header), and the offline zip holds both: two builds a few seconds apart either side of midnight
# differ there, which once failed test_reproducible (a run at 23:59). Every build of a test session
# is dated alike, by SOURCE_DATE_EPOCH, MkDocs' setting for reproducible builds; a value already set
# is kept. Nothing else in a build reads it: figures are saved without a date (sitekit.record).
os.environ.setdefault("SOURCE_DATE_EPOCH", "1764547200")  # 2025-12-01 00:00 UTC


@pytest.fixture(scope="session")
def snippet_worker():
    """One warm snippet worker for the session's runner tests, so that torch is imported once
    rather than once per test. Each test's throwaway project has its own snippets/ folder: the
    worker gives every child its job's import path, and is started anew whenever what it
    imported could differ from what a fresh process would (forkserver.ForkServer.serves)."""
    worker = forkserver.WarmWorker()
    yield worker
    worker.close()


@pytest.fixture(scope="session")
def outputs(snippet_worker):
    """Run every snippet (cached ones are not re-run); return a loader of recorded values."""
    Runner(ROOT, BUILD, device="cpu", worker=snippet_worker).run()

    def load(snippet, filename="values.json"):
        with open(os.path.join(BUILD, "out", snippet, filename), encoding="utf-8") as fh:
            return json.load(fh) if filename.endswith(".json") else fh.read()

    return load


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as data: MkDocs' `!ENV [NAME, default]` tag gives its default."""


_ConfigLoader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])


def mkdocs_config(project=ROOT):
    with open(os.path.join(project, "mkdocs.yml"), encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_ConfigLoader)


def nav_files(project=ROOT):
    """The page files of the nav, in order, sections flattened."""
    found = []

    def visit(entry):
        if isinstance(entry, str):
            found.append(entry)
        elif isinstance(entry, dict):
            for value in entry.values():
                visit(value)
        elif isinstance(entry, list):
            for item in entry:
                visit(item)

    visit(mkdocs_config(project)["nav"])
    return found


# Pages of the nav that are not lesson chapters (every other page of the nav is one).
NOT_LESSONS = {
    "index.md",  # the home page
    "tom-tat.md",  # the course summary
    "phong-van.md",  # interview questions
    "thuat-ngu.md",  # glossary
    "notebooks/index.md",  # notebooks, generated
    "dong-gop.md",  # contribute
    "bao-cao.md",  # snippet run report, generated
}


def lesson_files(project=ROOT):
    """The nav's lesson chapters, in order."""
    return [page for page in nav_files(project) if page not in NOT_LESSONS]


def mkdocs_build(project, site_dir, env=None):
    """`mkdocs build --strict` (never -q: quiet mode hides warnings that must fail)."""
    return subprocess.run(
        [MKDOCS, "build", "--strict", "--site-dir", site_dir],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The real site, built once for the session; returns its folder. Tests only read it: under
    pytest-xdist (pytest.ini runs one worker per core) the first worker to need it builds it in the
    run's shared temporary folder and the others wait for that build and read the same folder."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        site_dir = str(tmp_path_factory.mktemp("site"))
        done = mkdocs_build(ROOT, site_dir)
        assert done.returncode == 0, done.stdout + done.stderr
        return site_dir
    shared = tmp_path_factory.getbasetemp().parent  # each worker's folder is inside the run's
    site_dir, log = shared / "site", shared / "site.log"
    with open(shared / "site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not log.exists():
            done = mkdocs_build(ROOT, str(site_dir))
            log.write_text(json.dumps([done.returncode, done.stdout + done.stderr]), encoding="utf-8")
    returncode, output = json.loads(log.read_text(encoding="utf-8"))
    assert returncode == 0, output
    return str(site_dir)


def read_page(site_dir, page):
    with open(os.path.join(site_dir, page, "index.html"), encoding="utf-8") as fh:
        return fh.read()


def stored_entries(path):
    """{key: value} of a ResultStore file."""
    return {key: json.loads(text) for key, text in read_store(path).items()}


def store_entries(path, entries):
    """Write {key: value} as a ResultStore file (a test proving that a build reads its store)."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(store_text({key: entry_text(value) for key, value in entries.items()}))


# What a build keeps in _build besides the snippet cache; never the screenshots or the offline zip.
BUILD_LEFT_OUT = ("cache", "screenshots", "offline-*.zip", "offline-*.json", "parity.json", "jinja")


def copy_project(destination, with_cache=True, warm=False):
    """A throwaway copy of the project: sources, node_modules by link, and the snippet cache.

    warm: also the project's _build as the session left it (outputs, rendered formulas and code,
    converted notebooks, text checks), so a build of the copy redoes only what the test changed.
    Every one of those stores is keyed by content, so a copy that changes a file misses only
    there; tests of what a cold build does leave it off."""
    destination = localsite.copy_project(ROOT, destination, cache=os.path.join(BUILD, "cache") if with_cache else None)
    if warm:
        shutil.copytree(
            BUILD,
            os.path.join(destination, "_build"),
            ignore=shutil.ignore_patterns(*BUILD_LEFT_OUT),
            dirs_exist_ok=True,
        )
    return destination


@pytest.fixture
def warm_copy(outputs, tmp_path):
    """copy_project with the real project's snippet cache, so its first build runs no unchanged
    snippet; warm=True: and with the rest of its _build (see copy_project)."""

    def make(name="project", warm=False):
        return copy_project(str(tmp_path / name), with_cache=True, warm=warm)  # `outputs` filled the cache first

    return make


@pytest.fixture(scope="session")
def browser():
    """One chromium for every browser test: Playwright's sync API allows one instance per process."""
    import browserkit

    executable = browserkit.chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=browserkit.FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def served(site):
    """The built site on localhost, served as GitHub Pages serves it; its base URL."""
    server = localsite.SiteServer(site)
    yield server.url
    server.close()


# The test files that take longest (the browser audit, the clean build, the page store's and the
# planted mistakes' builds), run first: pytest-xdist hands out files in this order, so no worker
# starts one of these last while the others have finished.
LONGEST_FIRST = (
    "tests/browser/test_browser.py",
    "tests/build/test_reproducible.py",
    "tests/build/test_pagestore.py",
    "tests/build/test_planted_mistakes.py",
    "tests/build/test_cache_safety.py",
    "tests/build/test_fastbuild.py",
)


def pytest_collection_modifyitems(items):
    def rank(item):
        path = os.path.relpath(str(item.path), ROOT).replace(os.sep, "/")
        return LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the order within a file, and of the other files, stays
