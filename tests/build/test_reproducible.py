"""Two builds from clean give the same bytes: every page, figure, fragment and stored run.

Catches non-determinism in snippets on the CPU (an unseeded generator, a set's order, a time
stamp in a figure) and in the build itself. A volatile table (measured times, between sitekit's
markers) is the one part of a file allowed to differ; everything around it must still match.
"""

import filecmp
import os
import re
import zipfile

from conftest import BUILD, copy_project, mkdocs_build
from sitekit.record import VOLATILE_CLOSE, VOLATILE_OPEN

# run times and memory, and the sync stamp (modification times of the cache entry), not content
VOLATILE = {".run.json", "report.json", ".synced"}
VOLATILE_PAGES = ("bao-cao" + os.sep,)  # the execution report page shows those run times
# Memos keyed by a hash of what they saw (the notebook, notebook-page and text-check memos, one key
# per text; the page store, which holds a hash of each included output; mkdocs-jupyter's cache where
# an older build left one): a page with a volatile table hashes differently in each build, so their
# keys differ. What they were made from is compared byte for byte in the site.
CONTENT_KEYED = (
    "jupyter-cache" + os.sep,
    "notebooks.json",
    "notebook-pages.json",
    "textchecks.json",
    "pages.json",
    "templates.json",
    "search.json",
    "built-pages.json",
    "notebook-finished.json",
    "print-page.json",
    "jinja" + os.sep,  # compiled templates, under a hash of each template's absolute path
    "offline-",
)  # offline-KEY.zip and its manifest offline-KEY.json


def every_file(folder):
    found = set()
    for parent, _, names in os.walk(folder):
        for name in names:
            path = os.path.relpath(os.path.join(parent, name), folder)
            if name not in VOLATILE and not path.startswith(VOLATILE_PAGES + CONTENT_KEYED):
                found.add(path)
    return found


VOLATILE_TABLE = re.compile(re.escape(VOLATILE_OPEN) + ".*?" + re.escape(VOLATILE_CLOSE), re.DOTALL)


def without_volatile_tables(path):
    """The file's text with each volatile table cut out; a zip (the offline site): its members', by name."""
    if path.endswith(".zip"):
        with zipfile.ZipFile(path) as zipped:
            members = [i for i in zipped.infolist() if not i.filename.partition("/")[2].startswith(VOLATILE_PAGES)]
            return [(i.filename, i.date_time, _masked(zipped.read(i))) for i in members]
    with open(path, "rb") as fh:
        return _masked(fh.read())


def _masked(data):
    try:
        return VOLATILE_TABLE.sub(VOLATILE_OPEN, data.decode("utf-8"))
    except UnicodeDecodeError:
        return data  # not text: its bytes must be the same


def assert_same_tree(first, second):
    """Same files, same bytes; a file that differs must be the same once its volatile tables are
    cut out (and must have one). Returns the files that had a volatile table."""
    files = every_file(first)
    assert files == every_file(second), "the two builds made different files"
    return assert_same_files(first, second, files)


def assert_same_files(first, second, files):
    """Each of files (relative paths) has the same bytes in both folders, or the same text once
    volatile tables are cut out. Returns the files that differed only there."""
    assert files
    _, mismatch, errors = filecmp.cmpfiles(first, second, sorted(files), shallow=False)
    assert errors == []
    differ = [
        f
        for f in mismatch
        if without_volatile_tables(os.path.join(first, f)) != without_volatile_tables(os.path.join(second, f))
    ]
    assert differ == []
    return mismatch


def test_a_clean_build_is_byte_for_byte_identical_to_the_sessions_build(site, tmp_path):
    """The session's site was built from the project's _build (its snippet runs cached from an
    earlier clean run, or run for this session); a copy elsewhere, built from clean, must give the
    same bytes: the same as two clean builds, one build fewer, and it also catches a path of the
    machine leaking into a page (the copy lives in another folder)."""
    project = copy_project(str(tmp_path / "project"), with_cache=False)
    done = mkdocs_build(project, str(tmp_path / "site"))
    assert done.returncode == 0, done.stderr
    assert "0 from cache" in done.stderr  # really ran, from clean
    volatile_pages = assert_same_tree(site, str(tmp_path / "site"))
    clean = os.path.join(project, "_build")
    # the project's _build also holds what other commands left (screenshots, parity, older cache
    # entries): every file the clean build made must be there with the same bytes
    assert_same_files(clean, BUILD, every_file(clean))
    # the outputs the pages are made from: exactly the same set
    assert every_file(os.path.join(clean, "out")) == every_file(os.path.join(BUILD, "out"))
    # the measured times of the modes page really differed, and only there (search leaves them out)
    assert os.path.join("che-do-xuoi-nguoc", "index.html") in volatile_pages
    assert not any(p.startswith("search") for p in volatile_pages)
    assert "lan-truyen-nguoc-offline.zip" in volatile_pages  # it holds that page: compared member by member
    assert any(f.endswith(".svg") for f in every_file(site))
