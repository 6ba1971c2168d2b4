"""Fast builds: warm fork-server workers, nothing heavy on a no-change build, shards, the report page."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import MKDOCS, ROOT, read_page, store_entries, stored_entries
from execdocs.contract import Report
from execdocs.render.math import KatexRenderer
from execdocs.report import page as reportpage
from execdocs.run import forkserver, shards
from execdocs.run.runner import Runner, child_env, discover, warm_up

PROBE = """\
import sys
preloaded = "torch" in sys.modules
import matplotlib
import torch
import sitekit

# %% state
sitekit.report("preloaded", preloaded)
sitekit.report("dtype", str(torch.get_default_dtype()))
sitekit.report("linewidth", matplotlib.rcParams["lines.linewidth"])
sitekit.report("rand", torch.rand(3))
sitekit.report("threads", torch.get_num_threads())
sitekit.report("leak", getattr(sys, "leaked_by_a_snippet", None))
# %% leave-a-mess
torch.set_default_dtype(torch.float64)
matplotlib.rcParams["lines.linewidth"] = 7
sys.leaked_by_a_snippet = "yes"
"""

PLOT = """\
import matplotlib.pyplot as plt
import sitekit
fig, ax = plt.subplots()
ax.plot([0, 1, 4])
sitekit.show(fig, "curve", alt="Một đường cong.")
"""


@pytest.fixture
def project(tmp_path):
    snippets = tmp_path / "snippets"
    shutil.copytree(os.path.join(ROOT, "snippets", "sitekit"), snippets / "sitekit")
    (snippets / "probe.py").write_text(PROBE)
    (snippets / "plot.py").write_text(PLOT)
    for i in range(4):
        (snippets / f"tiny_{i}.py").write_text(f"import sitekit\nsitekit.report('i', {i})\n")
    return tmp_path


def run(root, build=None, names=None, force=False, jobs=2, worker=None, warm_worker=True):
    logs = []
    runner = Runner(
        str(root),
        build and str(build),
        device="cpu",
        jobs=jobs,
        log=logs.append,
        worker=worker,
        warm_worker=warm_worker,
    )
    report = runner.run(names, force=force)
    return {name: vars(run) for name, run in report.items()}, logs[-1]


def out(root, name, filename="values.json", build="_build"):
    path = os.path.join(root, build, "out", name, filename)
    with open(path, "rb") as fh:
        data = fh.read()
    return json.loads(data) if filename.endswith(".json") else data


def test_worker_preloads_torch_and_never_starts_cuda(project, snippet_worker):
    run(project, names=["probe"], worker=snippet_worker)
    assert out(project, "probe")["preloaded"] is True  # torch came with the fork, not imported anew
    worker = forkserver.WarmWorker()
    try:
        assert worker.get(child_env(str(project / "snippets"))).info["cuda_initialized"] is False
    finally:
        worker.close()


SKLEARN_PROBE = """\
import sys
preloaded = "sklearn.datasets" in sys.modules
import _uses_sklearn
import sitekit

sitekit.report("preloaded", preloaded)
sitekit.report("digits", _uses_sklearn.count())
"""


def test_the_worker_imports_scikit_learn_once_only_for_a_run_that_needs_it(project):
    """A snippet that imports scikit-learn (here through a helper module of snippets/) finds it
    already imported, from the worker; a run without such a snippet starts a worker without it."""
    snippets = project / "snippets"
    (snippets / "_uses_sklearn.py").write_text(
        "from sklearn.datasets import load_digits\n\n\ndef count():\n    return len(load_digits().target)\n"
    )
    (snippets / "sk_probe.py").write_text(SKLEARN_PROBE)
    for names, expected in ((["tiny_0"], False), (["sk_probe", "tiny_1"], True)):
        worker = forkserver.WarmWorker()
        try:
            run(project, names=names, worker=worker)
            assert ("sklearn" in worker.server.info["modules"]) is expected
        finally:
            worker.close()
    assert out(project, "sk_probe") == {"preloaded": True, "digits": 1797}


def test_warming_up_without_a_snippets_folder_is_quiet(tmp_path):
    """Under `mkdocs serve` the worker is warmed in a background thread: a missing snippets/ folder
    leaves it unstarted (the build reports the folder), not a traceback from that thread."""
    asked, said = [], []

    class Worker:
        def get(self, env, preload=()):
            asked.append(preload)

    warm_up(Worker(), str(tmp_path / "no-snippets"), log=said.append)
    assert asked == [] and said == []
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "uses.py").write_text("import sklearn\n")
    warm_up(Worker(), str(tmp_path / "snippets"), log=said.append)
    assert asked == [("sklearn.datasets",)] and len(said) == 1


def test_a_snippet_leaves_nothing_behind_for_the_next(project):
    worker = forkserver.WarmWorker()
    try:
        run(project, names=["probe"], worker=worker)
        first = out(project, "probe")
        pid = worker.server.info["pid"]
        run(project, names=["probe"], force=True, worker=worker)  # same warm worker, after a run that made a mess
        assert worker.server.info["pid"] == pid
    finally:
        worker.close()
    assert out(project, "probe") == first
    assert first["dtype"] == "torch.float32" and first["linewidth"] == 2.0 and first["leak"] is None


def test_fresh_process_fallback_gives_identical_outputs(project, snippet_worker):
    run(project, names=["probe", "plot"], worker=snippet_worker)
    warm = {f: out(project, n, f) for n, f in [("probe", "values.json"), ("plot", "curve-light.svg")]}
    report, _ = run(project, names=["probe", "plot"], force=True, warm_worker=False)
    assert {s["status"] for s in report.values()} == {"ran"}
    fresh = {f: out(project, n, f) for n, f in [("probe", "values.json"), ("plot", "curve-light.svg")]}
    assert fresh["values.json"]["preloaded"] is False  # really a fresh interpreter
    fresh["values.json"]["preloaded"] = True
    assert fresh == warm


def test_snippets_running_side_by_side_share_the_cores(project, monkeypatch, snippet_worker):
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    run(project, names=["probe", "plot"], jobs=2, worker=snippet_worker)
    assert out(project, "probe")["threads"] == max(1, os.cpu_count() // 2)
    run(project, names=["probe"], jobs=2, force=True, worker=snippet_worker)  # alone, it gets every core
    assert out(project, "probe")["threads"] == os.cpu_count()


def test_cached_snippets_keep_the_time_and_memory_of_their_run(project, snippet_worker):
    ran, _ = run(project, names=["probe"], worker=snippet_worker)
    cached, summary = run(project, names=["probe"], worker=snippet_worker)
    assert "0 ran, 1 from cache" in summary
    assert cached["probe"]["status"] == "cached"
    for key in ("seconds", "peak_rss_bytes"):
        assert cached["probe"][key] == ran["probe"][key] > 0


def test_shards_partition_the_snippets_stably():
    names = [f"snippet_{i}" for i in range(60)]
    parts = [shards.select(names, k, 3) for k in (1, 2, 3)]
    assert sorted(sum(parts, [])) == sorted(names)
    assert all(parts)  # 60 names over 3 shards: none is empty
    grown = shards.select(names + ["new_one", "another"], 2, 3)
    assert set(parts[1]) <= set(grown)  # adding snippets moves none of the others
    with pytest.raises(ValueError):
        shards.parse("4/3")


def test_shard_caches_merge_into_one_build_that_runs_nothing(project, tmp_path):
    script = os.path.join(ROOT, "scripts", "run_snippets.py")
    for k in (1, 2):
        done = subprocess.run(
            [
                sys.executable,
                script,
                "--root",
                str(project),
                "--build-dir",
                str(tmp_path / f"shard{k}"),
                "--shard",
                f"{k}/2",
            ],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
    done = subprocess.run(
        [
            sys.executable,
            script,
            "--root",
            str(project),
            "--merge",
            str(tmp_path / "shard1"),
            str(tmp_path / "shard2" / "cache"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    everything = discover(str(project / "snippets"))
    assert f"0 ran, {len(everything)} from cache" in done.stdout
    assert sorted(os.listdir(project / "_build" / "out")) == everything
    assert out(project, "tiny_3") == {"i": 3}


def test_report_page_lists_snippets_slowest_first():
    report = {
        "environment": {"device": "cuda", "python": "3.11.7", "torch": "2.13.0", "matplotlib": "3.11.2"},
        "snippets": {
            "fast": {"seconds": 0.1, "peak_rss_bytes": 2**20 * 100, "status": "cached", "device": "cuda"},
            "slow": {
                "seconds": 2.5,
                "peak_rss_bytes": 2**20 * 300,
                "cuda_max_allocated_bytes": 2**20 * 64,
                "gpu_name": "NVIDIA H100",
                "status": "ran",
                "device": "cuda",
            },
        },
    }
    text = reportpage.markdown(Report.from_dict(report))
    assert text.index("`slow`") < text.index("`fast`")
    assert "| `slow` | 2.50 s | 300.0 MiB | 64.0 MiB | cuda | chạy lần này |" in text
    assert "| `fast` | 0.10 s | 100.0 MiB | — | cuda | bộ nhớ đệm |" in text
    assert "CUDA (NVIDIA H100)" in text and "| torch | 2.13.0 |" in text


def test_report_page_is_in_the_site_with_every_snippet(site):
    html = read_page(site, "bao-cao")
    assert "Báo cáo chạy mã" in html and "Python" in html and "matplotlib" in html
    for name in discover(os.path.join(ROOT, "snippets")):
        assert f"<code>{name}</code>" in html
    assert 'href="../bao-cao/"' in read_page(site, "vong-lap-huan-luyen")  # listed in the nav


def test_no_change_build_never_imports_torch(site, tmp_path):
    done = subprocess.run(
        [sys.executable, "-X", "importtime", MKDOCS, "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert "snippets: 0 ran" in done.stderr
    imported = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "mkdocs" in imported and "markdown" in imported  # the probe sees the build's imports
    assert not {"torch", "matplotlib", "numpy"} & imported


def test_formula_cache_is_keyed_on_formula_and_katex_version(tmp_path):
    path = tmp_path / "katex.json"
    first = KatexRenderer(ROOT, str(path))
    html, _ = first.render("a^2", False)
    first.close()
    (key,) = stored_entries(str(path))
    store_entries(str(path), {key: "<b>FROM STORE</b>"})
    again = KatexRenderer(ROOT, str(path))
    assert again.render("a^2", False)[0] == "<b>FROM STORE</b>"  # same formula, same KaTeX: read back
    again.version = "0.0.1"  # another KaTeX version: nothing of it may be reused
    assert again.render("a^2", False)[0] == html
    again.close()


def test_highlight_cache_reuses_blocks_and_misses_on_any_change(tmp_path):
    """Highlighted code is read back from the store when the code and options are the same, and
    highlighted afresh when either changes; the store keeps only what the last build used."""
    import markdown
    import pymdownx.highlight as module

    from execdocs import patches
    from execdocs.render.highlight import HighlightCache

    def render(text, **options):
        config = {"pymdownx.highlight": options}
        return markdown.markdown(
            text, extensions=["pymdownx.superfences", "pymdownx.highlight"], extension_configs=config
        )

    block = "```python\nx = 1\n```"
    path = str(tmp_path / "highlight.json")
    original = module.highlight
    try:
        cache = HighlightCache(path)
        patches.route_highlighting(cache)
        fresh = render(block)
        assert '<code>x <span class="o">=</span> <span class="mi">1</span>' in fresh  # a name is bare text
        cache.store.save()
        stored = stored_entries(path)
        assert len(stored) == 1
        store_entries(path, {k: "<pre>FROM STORE</pre>" for k in stored})  # proves a hit reads the store
        cache = HighlightCache(path)
        patches.route_highlighting(cache)
        assert "FROM STORE" in render(block)
        assert "FROM STORE" not in render("```python\nx = 2\n```")  # other code
        assert "FROM STORE" not in render(block, linenums=True)  # other formatter options
        cache.store.start_build()
        render("```python\ny = 3\n```")
        cache.store.save()
        assert len(stored_entries(path)) == 1  # only what this build used
    finally:
        module.highlight = original


def test_no_change_build_log_is_short(site, tmp_path):
    """A contributor reads the build log: the snippet line is there, one "Cache hit" line per
    notebook page (mkdocs-jupyter's) is not."""
    from conftest import mkdocs_build

    done = mkdocs_build(ROOT, str(tmp_path / "site"))
    assert done.returncode == 0, done.stderr
    assert "snippets: 0 ran" in done.stderr
    assert "Cache hit" not in done.stderr
    assert len(done.stderr.splitlines()) < 10, done.stderr


def test_cold_notebook_build_log_has_no_per_notebook_lines_and_no_banner(warm_copy, tmp_path):
    """Every notebook converted afresh (its cache empty) and no NO_MKDOCS_2_WARNING in the
    environment: the log still holds the snippet line and nothing per notebook, and Material's
    end-of-life banner is not printed (scripts/setup.sh switches it off in the venv)."""
    project = warm_copy()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_MKDOCS_2_WARNING", "DISABLE_MKDOCS_2_WARNING")}
    done = subprocess.run(
        [MKDOCS, "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "snippets: 0 ran" in done.stderr
    for noise in ("Converting notebook", "Cache miss", "Cache hit", "end of life"):
        assert noise not in done.stderr + done.stdout, noise
    assert len(done.stderr.splitlines()) < 10, done.stderr
