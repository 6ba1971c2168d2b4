"""The scale benchmark's synthetic site (scripts/synthsite.py) builds with --strict and shows its
snippets' values, and the shard/merge path gives the same pages as one build. Tiny sizes: the
benchmark (scripts/benchscale.py) measures the real ones; nothing here is timed."""

import json
import os
import shutil
import subprocess
import sys

import pytest

import benchscale
import synthsite
from conftest import BUILD, ROOT, mkdocs_build, read_page
from localsite import copy_project

PAGES, SNIPPETS = 4, 3


@pytest.fixture(scope="module")
def tiny(tmp_path_factory, outputs):
    """A project copy with the synthetic content, every stored result of the real build restored
    (so only the new pages and snippets are new work), built once."""
    folder = tmp_path_factory.mktemp("synth")
    project = copy_project(ROOT, str(folder / "project"))
    shutil.copytree(BUILD, os.path.join(project, "_build"))
    names = synthsite.add_content(project, PAGES, SNIPPETS)
    site = str(folder / "site")
    done = mkdocs_build(project, site)
    assert done.returncode == 0, done.stdout + done.stderr
    return project, site, names


def test_generated_pages_build_strict_and_show_their_values(tiny):
    project, site, names = tiny
    assert names == ["synth_001", "synth_002", "synth_003"]
    for i in range(PAGES):
        name = synthsite.snippet_name(i % SNIPPETS)
        with open(os.path.join(project, "_build", "out", name, "values.json"), encoding="utf-8") as fh:
            recorded = json.load(fh)
        html = read_page(site, synthsite.page_file(i)[:-3])
        assert f"{recorded['value']:.4f}" in html and f"{recorded['mean']:.4f}" in html, (i, recorded)
        assert "tổng của" in html and "trung bình =" in html  # both cells' printed output
        assert 'class="katex"' in html and "{{" not in html
    home = read_page(site, "")
    assert synthsite.SECTION in home  # in the nav, so real pages


def test_an_edit_changes_the_printed_value(tiny, tmp_path):
    project, _, _ = tiny
    before = read_value(project, "synth_001")
    synthsite.edit_snippet(project, 0, 5)
    try:
        done = subprocess.run(
            [sys.executable, os.path.join("scripts", "run_snippets.py"), "synth_001"],
            cwd=project,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        assert read_value(project, "synth_001") != before
    finally:
        synthsite.edit_snippet(project, 0, 0)


def read_value(project, name):
    with open(os.path.join(project, "_build", "out", name, "values.json"), encoding="utf-8") as fh:
        return json.load(fh)["value"]


def test_two_shards_merged_build_the_same_pages(tiny, tmp_path):
    project, site, names = tiny
    shard_builds = []
    for k in (1, 2):
        shard = benchscale.source_copy(project, str(tmp_path / f"shard-{k}"), os.path.join(BUILD, "cache"))
        done = subprocess.run(
            [sys.executable, benchscale.RUN_SNIPPETS, "--shard", f"{k}/2", "--no-warm-worker"],
            cwd=shard,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        shard_builds.append(os.path.join(shard, "_build"))
    ran = {n for b in shard_builds for n in os.listdir(os.path.join(b, "out")) if n in names}
    assert ran == set(names)  # between them the shards ran every synthetic snippet
    merged = benchscale.source_copy(project, str(tmp_path / "merged"))
    shutil.copytree(BUILD, os.path.join(merged, "_build"), ignore=shutil.ignore_patterns("cache", "out"))
    done = subprocess.run(
        [sys.executable, benchscale.RUN_SNIPPETS, "--merge", *shard_builds],
        cwd=merged,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert ", 0 ran" in done.stdout + done.stderr or " 0 ran" in done.stdout + done.stderr
    merged_site = str(tmp_path / "merged-site")
    done = mkdocs_build(merged, merged_site, env={"DOCS_RUN_SNIPPETS": "false"})
    assert done.returncode == 0, done.stdout + done.stderr
    compared, differences = benchscale.compare_sites(site, merged_site)
    assert compared > PAGES and differences == []
