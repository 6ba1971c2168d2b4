"""The scale benchmark's synthetic site (scripts/synthsite.py) builds with --strict and shows its
snippets' values, and the shard/merge path gives the same pages as one build. Tiny sizes: the
benchmark (scripts/benchscale.py) measures the real ones; nothing here is timed."""

import json
import os
import subprocess
import sys

import pytest

import benchscale
import synthsite
from conftest import BUILD, copy_project, mkdocs_build, read_page

PAGES, SNIPPETS = 4, 3


@pytest.fixture(scope="module")
def tiny(tmp_path_factory, outputs):
    """A project copy with the synthetic content, every stored result of the real build restored
    (so only the new pages and snippets are new work), built once."""
    folder = tmp_path_factory.mktemp("synth")
    project = copy_project(str(folder / "project"), warm=True)
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
        assert synthsite.printed_sum(i % SNIPPETS, 0) in html and "trung bình =" in html  # both cells' output
        assert 'class="katex"' in html and "{{" not in html
    home = read_page(site, "")
    assert synthsite.SECTION in home  # in the nav, so real pages


def test_an_edit_changes_the_printed_value(tiny, tmp_path):
    project = benchscale.source_copy(tiny[0], str(tmp_path / "edited"))
    before = read_value(tiny[0], "synth_001")
    synthsite.edit_snippet(project, 0, 5)
    run_snippets(project, "synth_001")
    assert read_value(project, "synth_001") != before
    # what the scale benchmark waits for on the page under `mkdocs serve`
    with open(os.path.join(project, "_build", "out", "synth_001", "tinh.md"), encoding="utf-8") as fh:
        assert synthsite.printed_sum(0, 5) in fh.read()


def read_value(project, name):
    with open(os.path.join(project, "_build", "out", name, "values.json"), encoding="utf-8") as fh:
        return json.load(fh)["value"]


def out_files(build_dir):
    """{path under out/: bytes} of every snippet output but the run stamps (test_reproducible.py's VOLATILE)."""
    found = {}
    root = os.path.join(build_dir, "out")
    for parent, _, files in os.walk(root):
        for name in files:
            if name not in (".synced", ".run.json"):
                with open(os.path.join(parent, name), "rb") as fh:
                    found[os.path.relpath(os.path.join(parent, name), root)] = fh.read()
    return found


def test_two_shards_merged_give_the_outputs_of_one_build(tiny, tmp_path):
    """The benchmark compares the built pages at 10x; here the outputs the pages are made from (a
    build from the same out/ gives the same bytes: tests/build/test_reproducible.py)."""
    project, _, names = tiny
    shard_builds = []
    for k in (1, 2):
        shard = benchscale.source_copy(project, str(tmp_path / f"shard-{k}"), os.path.join(BUILD, "cache"))
        done = run_snippets(shard, "--shard", f"{k}/2")
        assert f"snippets: shard {k}/2" in done.stdout
        shard_builds.append(os.path.join(shard, "_build"))
    ran = [{n for n in os.listdir(os.path.join(b, "out")) if n in names} for b in shard_builds]
    assert ran[0] | ran[1] == set(names) and not ran[0] & ran[1]  # each synthetic snippet in one shard
    merged = benchscale.source_copy(project, str(tmp_path / "merged"))
    done = run_snippets(merged, "--merge", *shard_builds)
    assert " 0 ran, " in done.stdout  # everything came from the shards' caches
    one_build = out_files(os.path.join(project, "_build"))
    assert out_files(os.path.join(merged, "_build")) == one_build
    assert {path.split(os.sep)[0] for path in one_build} >= set(names)


def run_snippets(project, *args):
    done = subprocess.run([sys.executable, benchscale.RUN_SNIPPETS, *args], cwd=project, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done
