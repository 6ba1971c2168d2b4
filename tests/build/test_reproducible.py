"""Two builds from clean give the same bytes: every page, figure, fragment and stored run.

Catches non-determinism in snippets on the CPU (an unseeded generator, a set's order, a time
stamp in a figure) and in the build itself.
"""

import filecmp
import os
import shutil

from conftest import copy_project, mkdocs_build

# run times and memory, and the sync stamp (modification times of the cache entry), not content
VOLATILE = {".run.json", "report.json", ".synced"}
VOLATILE_PAGES = ("bao-cao" + os.sep,)  # the execution report page shows those run times


def every_file(folder):
    found = set()
    for parent, _, names in os.walk(folder):
        for name in names:
            path = os.path.relpath(os.path.join(parent, name), folder)
            if name not in VOLATILE and not path.startswith(VOLATILE_PAGES):
                found.add(path)
    return found


def assert_same_tree(first, second):
    files = every_file(first)
    assert files == every_file(second), "the two builds made different files"
    assert files
    _, mismatch, errors = filecmp.cmpfiles(first, second, sorted(files), shallow=False)
    assert (mismatch, errors) == ([], [])


def test_two_clean_builds_are_byte_for_byte_identical(tmp_path):
    project = copy_project(str(tmp_path / "project"), with_cache=False)
    done = mkdocs_build(project, str(tmp_path / "site-1"))
    assert done.returncode == 0, done.stderr
    assert "0 from cache" in done.stderr
    shutil.move(os.path.join(project, "_build"), str(tmp_path / "build-1"))
    done = mkdocs_build(project, str(tmp_path / "site-2"))
    assert done.returncode == 0, done.stderr
    assert "0 from cache" in done.stderr  # really ran again, from clean
    assert_same_tree(str(tmp_path / "site-1"), str(tmp_path / "site-2"))
    assert_same_tree(str(tmp_path / "build-1"), os.path.join(project, "_build"))
    assert any(f.endswith(".svg") for f in every_file(str(tmp_path / "site-1")))
