"""Two builds from clean give the same bytes: every page, figure, fragment and stored run.

Catches non-determinism in snippets on the CPU (an unseeded generator, a set's order, a time
stamp in a figure) and in the build itself. A volatile table (measured times, between sitekit's
markers) is the one part of a file allowed to differ; everything around it must still match.
"""

import filecmp
import json
import os
import re
import shutil
import zipfile

from conftest import copy_project, mkdocs_build
from sitekit.record import VOLATILE_CLOSE, VOLATILE_OPEN

# run times and memory, and the sync stamp (modification times of the cache entry), not content
VOLATILE = {".run.json", "report.json", ".synced"}
VOLATILE_PAGES = ("bao-cao" + os.sep,)  # the execution report page shows those run times
# Memos keyed by a hash of what they saw (mkdocs-jupyter's cache, one file per notebook; the notebook
# and text-check memos, one key per text): a page with a volatile table hashes differently in each
# build, so their keys differ. What they were made from is compared byte for byte in the site; of
# them, the test compares how many entries each holds.
# The page store holds a hash of each included output, which a volatile table changes.
CONTENT_KEYED = (
    "jupyter-cache" + os.sep,
    "notebooks.json",
    "textchecks.json",
    "pages.json",
    "offline-",
)  # offline-KEY.zip


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


def memo_sizes(build_dir):
    sizes = {}
    for name in CONTENT_KEYED:
        path = os.path.join(build_dir, name)
        if name.endswith(os.sep):
            sizes[name] = len(os.listdir(path)) if os.path.isdir(path) else 0
        elif name.endswith(".json"):
            with open(path, encoding="utf-8") as fh:
                sizes[name] = len(json.load(fh))
        else:
            sizes[name] = len([f for f in os.listdir(build_dir) if f.startswith(name)])
    return sizes


def assert_same_tree(first, second):
    """Same files, same bytes; a file that differs must be the same once its volatile tables are
    cut out (and must have one). Returns the files that had a volatile table."""
    files = every_file(first)
    assert files == every_file(second), "the two builds made different files"
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


def test_two_clean_builds_are_byte_for_byte_identical(tmp_path):
    project = copy_project(str(tmp_path / "project"), with_cache=False)
    done = mkdocs_build(project, str(tmp_path / "site-1"))
    assert done.returncode == 0, done.stderr
    assert "0 from cache" in done.stderr
    shutil.move(os.path.join(project, "_build"), str(tmp_path / "build-1"))
    done = mkdocs_build(project, str(tmp_path / "site-2"))
    assert done.returncode == 0, done.stderr
    assert "0 from cache" in done.stderr  # really ran again, from clean
    volatile_pages = assert_same_tree(str(tmp_path / "site-1"), str(tmp_path / "site-2"))
    assert_same_tree(str(tmp_path / "build-1"), os.path.join(project, "_build"))
    assert memo_sizes(str(tmp_path / "build-1")) == memo_sizes(os.path.join(project, "_build"))
    # the measured times of the modes page really differed, and only there (search leaves them out)
    assert os.path.join("che-do-xuoi-nguoc", "index.html") in volatile_pages
    assert not any(p.startswith("search") for p in volatile_pages)
    assert "lan-truyen-nguoc-offline.zip" in volatile_pages  # it holds that page: compared member by member
    assert any(f.endswith(".svg") for f in every_file(str(tmp_path / "site-1")))
