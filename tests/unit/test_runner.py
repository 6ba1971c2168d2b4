"""The snippet runner on small throwaway projects: cache, errors, timeouts, stale outputs."""

import json
import os
import shutil
import textwrap
import time

import pytest

from localsite import alive
from conftest import ROOT
from execdocs.run.runner import Runner, SnippetFailure

OK = """\
import sitekit
from helper import scale

# %% compute
print("hello from", __name__)
sitekit.report("answer", scale(21))
"""


@pytest.fixture
def project(tmp_path, snippet_worker):
    snippets = tmp_path / "snippets"
    shutil.copytree(os.path.join(ROOT, "snippets", "sitekit"), snippets / "sitekit")
    (snippets / "_unused.py").write_text("x = 1\n")
    (snippets / "helper.py").write_text("def scale(x):\n    return 2 * x\n")
    (snippets / "ok.py").write_text(OK)

    def write(name, code):
        (snippets / f"{name}.py").write_text(textwrap.dedent(code))

    def run(*names, force=False):
        logs = []
        runner = Runner(str(tmp_path), device="cpu", jobs=2, log=logs.append, worker=snippet_worker)
        report = runner.run(list(names) or None, force=force)
        return report, logs[-1]

    write.run = run
    write.root = tmp_path
    write.out = tmp_path / "_build" / "out"
    return write


def values(project, name):
    return json.loads((project.out / name / "values.json").read_text())


def test_the_build_is_told_which_snippets_will_run_before_they_do(project, snippet_worker):
    """on_todo: the plugin starts loading the notebook converter while snippets run; a build with
    nothing to run must not (a no-change build imports no nbconvert)."""
    told = []

    def run():
        runner = Runner(str(project.root), device="cpu", log=lambda _: None, worker=snippet_worker, on_todo=told.append)
        return runner.run(["ok"])

    assert run()["ok"].status == "ran" and told == [["ok"]]
    assert run()["ok"].status == "cached" and told == [["ok"]]


def test_runs_then_serves_from_cache(project):
    report, summary = project.run("ok")
    assert report["ok"].status == "ran" and "1 ran, 0 from cache" in summary
    assert values(project, "ok") == {"answer": 42}
    assert "hello from __main__" in (project.out / "ok" / "compute.out.md").read_text()
    report, summary = project.run("ok")
    assert report["ok"].status == "cached" and "0 ran, 1 from cache" in summary
    report, _ = project.run("ok", force=True)
    assert report["ok"].status == "ran"


def test_helper_modules_are_not_snippets(project):
    report, _ = project.run()
    assert set(report) == {"helper", "ok"}  # _unused.py and the sitekit package are skipped


def test_editing_the_snippet_reruns_it(project):
    project.run("ok")
    project("ok", OK.replace("21", "5"))
    report, _ = project.run("ok")
    assert report["ok"].status == "ran" and values(project, "ok") == {"answer": 10}


def test_editing_an_imported_local_module_reruns_it(project):
    project.run("ok")
    project("helper", "def scale(x):\n    return 3 * x\n")
    report, _ = project.run("ok")
    assert report["ok"].status == "ran" and values(project, "ok") == {"answer": 63}


def test_exception_names_file_line_and_traceback(project):
    project(
        "boom",
        """\
        import sitekit

        # %% fails
        def divide(a, b):
            return a / b

        print(divide(1, 0))
        """,
    )
    with pytest.raises(SnippetFailure) as failure:
        project.run("boom")
    message = str(failure.value)
    assert "snippets/boom.py:5: ZeroDivisionError: division by zero" in message
    assert 'File "snippets/boom.py", line 7, in <module>' in message
    assert "child.py" not in message  # no runner frames


def test_syntax_error_names_its_line(project):
    project("broken", "import sitekit\n\nx = (1 +\n")
    with pytest.raises(SnippetFailure, match=r"snippets/broken.py:3: SyntaxError"):
        project.run("broken")


def test_nan_value_is_rejected_at_the_report_line(project):
    project(
        "nan",
        """\
        import sitekit
        loss = float("nan")
        sitekit.report("loss", loss)
        """,
    )
    with pytest.raises(SnippetFailure, match=r"snippets/nan.py:3: ValueError: reported value 'loss' is nan"):
        project.run("nan")


def test_timeout_kills_the_process_group_and_names_the_line(project):
    project(
        "hang",
        """\
        # sitekit: timeout=3
        import subprocess, sys, time
        # (no torch import: on a loaded machine it alone can take seconds)
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        open("child.pid", "w").write(str(child.pid))
        while True:
            time.sleep(0.1)
        """,
    )
    with pytest.raises(SnippetFailure) as failure:
        project.run("hang")
    assert "snippets/hang.py:7: Timeout: still running after 3 s" in str(failure.value)
    pid = int((project.root / "child.pid").read_text())
    deadline = time.monotonic() + 5  # SIGKILL was sent; on a busy machine dying takes a moment
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(pid)  # the grandchild was killed with the group


def test_failed_run_removes_old_outputs_and_is_not_cached(project):
    project.run("ok")
    assert (project.out / "ok" / "values.json").exists()
    project("ok", OK + "raise RuntimeError('planted')\n")
    with pytest.raises(SnippetFailure, match="planted"):
        project.run("ok")
    assert not (project.out / "ok").exists()  # nothing stale can be shown as current
    with pytest.raises(SnippetFailure, match="planted"):  # the failure was not cached
        project.run("ok")


def test_reverting_a_broken_snippet_hits_the_old_cache_entry(project):
    project.run("ok")
    project("ok", OK + "raise RuntimeError('planted')\n")
    with pytest.raises(SnippetFailure):
        project.run("ok")
    project("ok", OK)
    report, _ = project.run("ok")
    assert report["ok"].status == "cached" and values(project, "ok") == {"answer": 42}


def test_outputs_of_deleted_snippets_are_removed(project):
    project("extra", "import sitekit\nsitekit.report('v', 1)\n")
    project.run()
    assert (project.out / "extra").exists()
    (project.root / "snippets" / "extra.py").unlink()
    project.run()
    assert not (project.out / "extra").exists()


def test_unchanged_outputs_are_not_rewritten(project):
    project.run("ok")
    path = project.out / "ok" / "values.json"
    before = path.stat().st_mtime_ns
    project.run("ok", force=True)
    assert path.stat().st_mtime_ns == before


def test_stdout_is_captured_at_file_descriptor_level(project):
    project(
        "fd",
        """\
        import os
        import sitekit
        # %% native
        os.write(1, b"written to fd 1\\n")
        print("printed")
        """,
    )
    project.run("fd")
    out = (project.out / "fd" / "native.out.md").read_text()
    assert "written to fd 1" in out and "printed" in out


def test_expected_error_passes_and_missing_error_fails(project):
    project(
        "expects",
        """\
        import sitekit
        # %% shows-error
        with sitekit.expect(ZeroDivisionError):
            1 / 0
        """,
    )
    project.run("expects")
    assert "ZeroDivisionError: division by zero" in (project.out / "expects" / "shows-error.out.md").read_text()
    project(
        "expects",
        """\
        import sitekit
        with sitekit.expect(ZeroDivisionError):
            1 / 1
        """,
    )
    with pytest.raises(SnippetFailure, match=r"expects.py:2: AssertionError: expected ZeroDivisionError"):
        project.run("expects")


def test_unpublished_figure_is_an_error(project):
    project(
        "fig",
        """\
        import matplotlib.pyplot as plt
        import sitekit
        plt.plot([1, 2])
        """,
    )
    with pytest.raises(SnippetFailure, match="never published"):
        project.run("fig")


def test_each_snippet_gets_a_fresh_process(project):
    project(
        "first",
        "import sitekit, torch\nimport matplotlib\nmatplotlib.rcParams['lines.linewidth'] = 9\ntorch.manual_seed(123)\nsitekit.report('r', torch.rand(1).item())\n",
    )
    project(
        "second",
        "import sitekit, torch\nimport matplotlib\nsitekit.report('lw', matplotlib.rcParams['lines.linewidth'])\nsitekit.report('r', torch.rand(1).item())\n",
    )
    project.run("first", "second")
    import torch

    torch.manual_seed(0)
    assert values(project, "second") == {"lw": 2.0, "r": pytest.approx(torch.rand(1).item())}


def test_directives_may_follow_the_docstring(project):
    project(
        "slow",
        '''\
        """A docstring first, then the directive."""
        # sitekit: timeout=2
        import time
        time.sleep(30)
        ''',
    )
    with pytest.raises(SnippetFailure, match=r"snippets/slow.py:4: Timeout: still running after 2 s"):
        project.run("slow")


def test_one_warm_worker_serves_projects_with_their_own_snippets(tmp_path):
    """The session's runner tests share one warm worker (conftest.snippet_worker): each project's
    snippets import their own local modules, from the same worker process."""
    from execdocs.run import forkserver

    worker = forkserver.WarmWorker()
    found, pids = {}, set()
    try:
        for factor in (2, 3):
            snippets = tmp_path / f"project{factor}" / "snippets"
            shutil.copytree(os.path.join(ROOT, "snippets", "sitekit"), snippets / "sitekit")
            (snippets / "helper.py").write_text(f"def scale(x):\n    return {factor} * x\n")
            (snippets / "ok.py").write_text(OK)
            Runner(str(snippets.parent), device="cpu", jobs=1, log=lambda _: None, worker=worker).run(["ok"])
            found[factor] = json.loads((snippets.parent / "_build" / "out" / "ok" / "values.json").read_text())
            pids.add(worker.server.info["pid"])
    finally:
        worker.close()
    assert found == {2: {"answer": 42}, 3: {"answer": 63}}
    assert len(pids) == 1


def test_a_worker_is_reused_only_where_its_imports_are_what_a_fresh_process_gets(tmp_path):
    from execdocs.run.forkserver import same_imports

    a, b, scripts = (str(tmp_path / name) for name in ("a", "b", "scripts"))
    for folder in (a, b, scripts):
        os.makedirs(folder)
    info = {"modules": ["execdocs", "numpy", "torch"], "path_used": [scripts]}

    def env(*entries):
        return {"PYTHONPATH": os.pathsep.join(entries)}

    assert same_imports(info, env(a, scripts), env(b, scripts))
    assert not same_imports(info, env(a, scripts), env(b))  # execdocs came from an entry now gone
    assert not same_imports(info, env(a, scripts, b), env(b, scripts))  # kept entries change order
    assert not same_imports({}, env(a, scripts), env(b, scripts))  # a worker that says nothing
    (tmp_path / "b" / "numpy.py").write_text("")
    assert not same_imports(info, env(a, scripts), env(b, scripts))  # b's numpy.py comes first in a fresh process
    assert same_imports(info, env(b, scripts), env(b, scripts))
