"""MkDocs 1.6 is no longer developed; ProperDocs 1.6 is its maintained fork. The site builds with
both, and both give the same pages (README: "Sau tháng 5/2027")."""

import os
import re
import subprocess
import sys
import zipfile

from conftest import ROOT

PROPERDOCS = os.path.join(os.path.dirname(sys.executable), "properdocs")
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')  # names the tool that built the page
# The execution report shows the state of its own build's snippet stage: the session's site may be
# the build that ran the snippets (a fresh clone), ProperDocs' build then finds them all cached.
REPORT = "bao-cao/"


def _is_report(path):
    return path.startswith(REPORT) or f"/{REPORT}" in path


def files_of(site):
    found = {}
    for folder, _, names in os.walk(site):
        for name in names:
            path = os.path.join(folder, name)
            if name.endswith(".zip"):  # the offline site: its pages name the tool too
                with zipfile.ZipFile(path) as zipped:
                    for member in zipped.namelist():
                        if _is_report(member):
                            continue
                        found[f"{os.path.relpath(path, site)}!{member}"] = GENERATOR.sub(b"", zipped.read(member))
                continue
            if _is_report(os.path.relpath(path, site).replace(os.sep, "/")):
                continue
            with open(path, "rb") as fh:
                found[os.path.relpath(path, site)] = GENERATOR.sub(b"", fh.read())
    return found


def test_mkdocs_and_properdocs_build_the_same_pages(site, tmp_path):
    """site: the session's `mkdocs build` of the project; ProperDocs builds it again."""
    with_properdocs = subprocess.run(
        [PROPERDOCS, "build", "--strict", "-f", "mkdocs.yml", "--site-dir", str(tmp_path / "properdocs")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"},
    )
    assert with_properdocs.returncode == 0, with_properdocs.stderr
    assert "snippets: 0 ran" in with_properdocs.stderr  # the same plugin ran, from the same cache
    a, b = files_of(site), files_of(str(tmp_path / "properdocs"))
    assert sorted(a) == sorted(b)
    assert len(a) > 100
    differing = [path for path in a if a[path] != b[path]]
    assert differing == []
