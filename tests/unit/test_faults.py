"""Planted faults (issue 12, point 7): every wait has a deadline, every failure is named.

Each scenario that could hang runs in a forked process of its own (`bounded`): a hang fails the
test after a fixed time instead of stopping the suite, and whatever the scenario patches
(timeouts, methods, os.environ) is patched only there. The faulty warm workers and `node`
commands are tiny scripts that speak the protocol badly, started instead of the real ones.
"""

import importlib.util
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import traceback
import types

import pytest

import execdocs
from conftest import ROOT
from execdocs import patches
from execdocs.contract import Cell, Job, RunResult
from execdocs.render import math
from execdocs.run import forkserver, launch
from execdocs.run.parity import compare_results
from execdocs.run.runner import Runner, SnippetFailure

SCRIPTS = os.path.dirname(os.path.dirname(os.path.abspath(execdocs.__file__)))


def bounded(scenario, seconds):
    """scenario() run in a forked process in its own session; its return value, or a test failure
    naming the exception it raised, or naming the hang if it gave nothing within `seconds` (the
    whole session, fake workers included, is then killed)."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def body():
        os.setsid()
        try:
            send.send(("ok", scenario()))
        except BaseException:  # noqa: BLE001 - handed to the test
            send.send(("error", traceback.format_exc()))

    process = context.Process(target=body)
    process.start()
    try:
        if not receive.poll(seconds):
            pytest.fail(f"hung: the scenario gave no result within {seconds} s")
        kind, value = receive.recv()
    finally:
        # the scenario's session, and what left it (node runs in a session of its own)
        for pid in [process.pid, *_descendants(process.pid)]:
            for kill in (os.killpg, os.kill):
                try:
                    kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        process.join(5)
    if kind == "error":
        pytest.fail("the scenario raised:\n" + value)
    return value


def _descendants(root):
    """Every process below root, from /proc's parent links."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    parent = int(fh.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def python_command(code):
    return [sys.executable, "-c", textwrap.dedent(code)]


HELLO = """
import json, sys, time
print(json.dumps({"ready": True, "cuda_initialized": False, "pid": 0}), flush=True)
"""
# A worker that answers its first job with a line that is not JSON.
MALFORMED = HELLO + 'sys.stdin.readline(); print("this is not json", flush=True); sys.stdin.read()\n'
# A worker whose answer makes the client's reader fail in a way the protocol does not name.
OVERFLOW = HELLO + 'sys.stdin.readline(); print(\'{"id": 0, "returncode": 1e400}\', flush=True); sys.stdin.read()\n'
# A worker that takes every job and never answers.
SILENT = HELLO + "for line in sys.stdin: pass\ntime.sleep(1000)\n"
# A worker that never reads a job.
DEAF = HELLO + "time.sleep(1000)\n"
# A worker whose first line never ends.
NO_NEWLINE = "import sys, time\nsys.stdout.write('{\"ready\": true'); sys.stdout.flush(); time.sleep(1000)\n"
# The real worker without its torch preload (fast): it really forks and runs the snippets.
REAL_LIGHT = "import execdocs.run.worker as w\nw.PRELOAD = ()\nw.serve()\n"


@pytest.fixture
def project(tmp_path):
    """A throwaway project of plain snippets (no sitekit, no torch: they start fast)."""
    snippets = tmp_path / "snippets"
    snippets.mkdir()

    def write(name, code):
        (snippets / f"{name}.py").write_text(textwrap.dedent(code))

    write.root = str(tmp_path)
    write.out = tmp_path / "_build" / "out"
    return write


def stale_outputs(project, *names):
    """Each snippet run once for real (fresh processes), then edited: their outputs are now old."""
    for name in names:
        project(name, f'# sitekit: timeout=1\nprint("{name} ran")\n')
    Runner(project.root, jobs=2, log=lambda line: None, warm_worker=False).run()
    for name in names:
        assert (project.out / name / "result.json").exists()
        project(name, f'# sitekit: timeout=1\nprint("{name} ran again")\n')


def run_with_worker(project, command, start_timeout=120, before=None):
    """A Runner with a given warm worker; (failure text or None, log lines, seconds)."""
    if before:
        before()
    logs = []
    worker = forkserver.WarmWorker(command=python_command(command), start_timeout=start_timeout)
    runner = Runner(project.root, jobs=2, log=logs.append, warm_worker=True, worker=worker)
    started = time.monotonic()
    try:
        runner.run()
        failure = None
    except SnippetFailure as error:
        failure = str(error)
    finally:
        worker.abort()
    return failure, logs, time.monotonic() - started


def short_deadlines():
    """A job's answer is then awaited timeout (1 s) + 1 + 1 seconds."""
    launch.GRACE_SECONDS = 1
    forkserver.ANSWER_MARGIN_SECONDS = 1


def assert_named_failure(project, failure, reason, names=("a", "b")):
    assert failure is not None, "the run did not fail"
    for name in names:
        assert f"snippets/{name}.py: WorkerError: the warm snippet worker failed" in failure
        assert not (project.out / name).exists(), f"out/{name} still holds the old output"
    assert reason in failure


# --- 1. the warm worker's client ------------------------------------------------------------


def test_worker_malformed_answer_fails_every_waiting_snippet(project):
    stale_outputs(project, "a", "b")
    failure, _, seconds = bounded(lambda: run_with_worker(project, MALFORMED), 60)
    assert_named_failure(project, failure, "the snippet worker sent a malformed answer (JSONDecodeError")
    assert seconds < 10


def test_reader_thread_that_dies_silently_releases_the_waiters(project):
    """The reader thread ends without a word (no _give_up): the waiters notice it is gone
    at once, long before the job's own deadline (1 + 5 + 10 s)."""
    stale_outputs(project, "a", "b")

    def silent_reader():
        forkserver.ForkServer._read = lambda self: None

    failure, _, seconds = bounded(lambda: run_with_worker(project, SILENT, before=silent_reader), 60)
    assert_named_failure(project, failure, "the thread reading the snippet worker's answers stopped")
    assert seconds < 8


def test_reader_thread_that_fails_unexpectedly_names_its_error(project):
    stale_outputs(project, "a", "b")
    failure, _, seconds = bounded(lambda: run_with_worker(project, OVERFLOW), 60)
    assert_named_failure(project, failure, "reading the snippet worker's answers failed (OverflowError")
    assert seconds < 10


def test_worker_that_never_answers_fails_at_the_deadline(project):
    stale_outputs(project, "a", "b")
    failure, _, seconds = bounded(lambda: run_with_worker(project, SILENT, before=short_deadlines), 60)
    assert_named_failure(project, failure, "the snippet worker gave no answer within 1 s + grace")
    assert 2.5 < seconds < 15


def test_worker_whose_first_line_never_ends_is_not_used(project):
    """The runner gives the worker start_timeout seconds, then runs the snippets in fresh processes."""
    project("a", 'print("a ran")\n')
    failure, logs, seconds = bounded(lambda: run_with_worker(project, NO_NEWLINE, start_timeout=1), 60)
    assert failure is None
    assert any("warm worker unavailable (the snippet worker process did not start" in line for line in logs), logs
    assert "a ran" in (project.out / "a" / "result.json").read_text()
    assert seconds < 15


def test_worker_that_never_reads_a_job_fails_it(project, tmp_path):
    """A request that does not fit in the pipe (its env holds 1 MB) to a worker that reads
    nothing: the write itself has the job's deadline."""
    project("a", 'print("a ran")\n')
    out_dir = tmp_path / "staging"
    out_dir.mkdir()

    def scenario():
        short_deadlines()
        server = forkserver.ForkServer(dict(os.environ), command=python_command(DEAF))
        job = Job(str(tmp_path / "snippets" / "a.py"), "snippets/a.py", str(out_dir), "cpu", 1, str(tmp_path))
        started = time.monotonic()
        result = server.launch(job, env={"BIG": "x" * (1 << 20)})
        return str(result.error), time.monotonic() - started, server.proc.poll() is not None

    error, seconds, worker_stopped = bounded(scenario, 60)
    assert error.startswith("snippets/a.py: WorkerError: the warm snippet worker failed")
    assert "the snippet worker stopped reading jobs" in error
    assert seconds < 10 and worker_stopped
    assert sorted(os.listdir(out_dir)) == []  # the job's own files are cleaned up


def _until(condition, seconds):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_a_build_starts_the_worker_before_its_checks_only_when_a_snippet_will_run(project):
    """The plugin calls warm_up_if_stale before it checks the pages: the worker imports torch
    meanwhile, and the run takes that worker. With every snippet in the cache nothing starts."""

    def scenario():
        project("a", 'print("a ran")\n')
        found = {}
        worker = forkserver.WarmWorker(command=python_command(REAL_LIGHT))
        try:
            runner = Runner(project.root, jobs=2, log=lambda line: None, warm_worker=True, worker=worker)
            runner.warm_up_if_stale()  # returns at once: the start is in a thread
            found["started"] = _until(lambda: worker.server is not None, 30)
            early = worker.server
            runner.run()
            found["same worker"] = worker.server is early
        finally:
            worker.abort()
        idle = forkserver.WarmWorker(command=python_command(REAL_LIGHT))
        Runner(project.root, log=lambda line: None, warm_worker=True, worker=idle).warm_up_if_stale()
        time.sleep(1)
        found["nothing to run, nothing started"] = idle.server is None and idle.starting is None
        return found

    assert bounded(scenario, 60) == {"started": True, "same worker": True, "nothing to run, nothing started": True}


def test_a_build_that_stops_early_does_not_wait_for_the_worker_to_start(project):
    """A build that fails its page checks closes the worker while torch is still importing: the
    start under way ends at once, not when the import is done (or its 120 s deadline)."""

    def scenario():
        project("a", 'print("a ran")\n')
        worker = forkserver.WarmWorker(command=python_command("import time\ntime.sleep(1000)\n"))
        Runner(project.root, log=lambda line: None, warm_worker=True, worker=worker).warm_up_if_stale()
        assert _until(lambda: worker.starting is not None, 30), "no start under way"
        starting = worker.starting
        started = time.monotonic()
        worker.close()
        return time.monotonic() - started, starting.poll() is not None, worker.server

    seconds, ended, server = bounded(scenario, 60)
    assert seconds < 5 and ended and server is None


# --- 2. KaTeX's node ------------------------------------------------------------------------


def fake_node(tmp_path, body, executable=True):
    path = tmp_path / "fake-node"
    path.write_text("#!/bin/sh\n" + textwrap.dedent(body))
    path.chmod(0o755 if executable else 0o644)
    return str(path)


def render_with(node, tmp_path, timeout=1):
    """(MathError text or None, seconds) of rendering one formula with that node command."""

    def scenario():
        renderer = math.KatexRenderer(ROOT, str(tmp_path / "katex.json"), node=node, timeout=timeout)
        started = time.monotonic()
        try:
            renderer.render(r"x^2", False)
            return None, time.monotonic() - started
        except math.MathError as error:
            return str(error), time.monotonic() - started
        finally:
            renderer.close(save=False)

    return bounded(scenario, 60)


def test_node_missing_says_to_install_node(tmp_path):
    error, _ = render_with("/nonexistent/node", tmp_path)
    assert error and "install Node.js" in error and "/nonexistent/node" in error


def test_node_not_executable_says_to_install_node(tmp_path):
    error, _ = render_with(fake_node(tmp_path, "exit 0\n", executable=False), tmp_path)
    assert error and "install Node.js" in error and "Permission denied" in error


@pytest.mark.parametrize(
    "body, when",
    [
        ("sleep 1000\n", "starting KaTeX"),  # its child keeps the pipes open: the whole group is killed
        ('echo \'{"ready": "0"}\'\nsleep 1000\n', "rendering 'x^2'"),
    ],
    ids=["at-start", "on-a-formula"],
)
def test_node_that_hangs_fails_within_the_timeout(tmp_path, body, when):
    error, seconds = render_with(fake_node(tmp_path, body), tmp_path, timeout=1)
    assert error and f"node gave no answer within 1 s ({when})" in error
    assert seconds < 4


@pytest.mark.parametrize(
    "body, expected",
    [
        ("echo 'Error: Cannot find module katex' >&2\nexit 3\n", "node ended while starting KaTeX"),
        ("echo 'Welcome to Node.js'\ncat >/dev/null\n", "node answered something that is not KaTeX's reply"),
        ("echo '{\"ready\": \"0\"}'\nread line\necho '[1]'\ncat >/dev/null\n", "node answered [1] while rendering"),
    ],
    ids=["crash", "garbage-at-start", "not-an-object"],
)
def test_node_that_crashes_or_answers_garbage(tmp_path, body, expected):
    error, seconds = render_with(fake_node(tmp_path, body), tmp_path, timeout=5)
    assert error and expected in error
    if "crash" in body or "Cannot find" in body:
        assert "Cannot find module katex" in error  # node's own stderr is shown
    assert seconds < 5


def test_plugin_turns_a_math_error_into_a_clean_build_failure(tmp_path):
    from mkdocs.exceptions import PluginError

    from execdocs.plugin.plugin import ExecDocsPlugin

    plugin = ExecDocsPlugin()
    plugin.katex = math.KatexRenderer(ROOT, str(tmp_path / "katex.json"), node="/nonexistent/node")
    page = types.SimpleNamespace(file=types.SimpleNamespace(src_uri="bai.md"), meta={})
    config = types.SimpleNamespace(docs_dir=os.path.join(ROOT, "docs"))
    with pytest.raises(PluginError) as caught:
        plugin.on_page_content('<p><span class="arithmatex">\\(x^2\\)</span></p>', page=page, config=config, files=None)
    message = str(caught.value)
    assert "install Node.js" in message and "Traceback" not in message


# --- 3. what successful snippets write to stderr --------------------------------------------

WARNS = """\
import warnings
warnings.warn("careful")
print("done")
"""


@pytest.mark.parametrize("warm", [False, True], ids=["fresh-process", "warm-worker"])
def test_stderr_of_a_successful_snippet_is_logged(project, warm):
    project("warns", WARNS)

    def scenario():
        logs = []
        worker = forkserver.WarmWorker(command=python_command(REAL_LIGHT)) if warm else None
        try:
            Runner(project.root, jobs=1, log=logs.append, warm_worker=warm, worker=worker).run()
        finally:
            if worker:
                worker.close()
        return logs

    logs = bounded(scenario, 60)
    shown = [line for line in logs if line.startswith("snippets: snippets/warns.py wrote to stderr:")]
    assert shown and "UserWarning: careful" in shown[0], logs


# --- 4. no module-level mutable state -------------------------------------------------------

IMMUTABLE = (str, bytes, int, float, bool, type(None), tuple, frozenset, type(os.sep.join), type(json))


def _module_state(module):
    """Lower-case module globals holding something that can change: data, not code or constants
    (UPPER_CASE names are constants by convention; code, classes and modules are not state)."""
    found = []
    for name, value in vars(module).items():
        if name.startswith("__") or name.isupper() or callable(value) or isinstance(value, IMMUTABLE):
            continue
        if type(value).__module__ == "ctypes":  # child._libc: a handle on the C library
            continue
        found.append(f"{module.__name__}.{name} = {type(value).__name__}")
    return found


def test_no_module_level_mutable_state_in_run_and_math():
    import importlib

    folder = os.path.join(SCRIPTS, "execdocs", "run")
    names = [f"execdocs.run.{n[:-3]}" for n in sorted(os.listdir(folder)) if n.endswith(".py") and n != "__main__.py"]
    found = []
    for name in names + ["execdocs.render.math"]:
        found += _module_state(importlib.import_module(name))
    assert found == []


def test_launcher_stops_what_it_started(project, tmp_path):
    project("sleeps", "import time\ntime.sleep(100)\n")
    out_dir = tmp_path / "staging"
    out_dir.mkdir()
    job = Job(str(tmp_path / "snippets" / "sleeps.py"), "snippets/sleeps.py", str(out_dir), "cpu", 60, str(tmp_path))
    env = {**os.environ, "PYTHONPATH": SCRIPTS}

    def scenario():
        launcher = launch.Launcher()
        results = []
        thread = threading.Thread(target=lambda: results.append(launcher.launch(job, env)))
        thread.start()
        deadline = time.monotonic() + 20
        while not launcher.running() and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.3)
        launcher.stop_all()
        thread.join(20)
        return str(results[0].error) if results else None, launcher.running()

    error, running = bounded(scenario, 60)
    assert error and error.startswith("snippets/sleeps.py: Crash: the snippet's process ended with code -9")
    assert running == set()


def test_launch_function_still_runs_a_job(project, tmp_path):
    project("hello", 'print("hello")\n')
    out_dir = tmp_path / "staging"
    out_dir.mkdir()
    job = Job(str(tmp_path / "snippets" / "hello.py"), "snippets/hello.py", str(out_dir), "cpu", 30, str(tmp_path))
    result = bounded(lambda: launch.launch(job, {**os.environ, "PYTHONPATH": SCRIPTS}), 60)
    assert result.error is None and result.cells[0].stdout == "hello\n"


# --- 5. a table's own tolerance -------------------------------------------------------------


def fresh_record():
    """sitekit/record.py as a module of its own: empty registries, no torch import."""
    path = os.path.join(ROOT, "snippets", "sitekit", "record.py")
    spec = importlib.util.spec_from_file_location("record_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_table_records_its_tolerance():
    record = fresh_record()
    record.table("loss", ["k", "loss"], [[1, 0.5]], fmt=".2f", tol=1e-3)
    record.table("plain", ["k"], [[1]])
    assert record.tolerances == {"table-loss": 1e-3}
    assert record.values["table-loss"] == [[1, 0.5]]
    with pytest.raises(ValueError, match="table 'bad': tol must be a non-negative float or 'device'"):
        record.table("bad", ["k"], [[1]], tol=-1.0)


def _table_result(value, fmt, tol=None):
    record = fresh_record()
    record.table("loss", ["k", "loss"], [[1, value]], fmt=fmt, tol=tol)
    cell = Cell("c", 1, 2, "", tables=("loss",))
    return RunResult(
        "snippets/t.py", cells=(cell,), values=record.values, tables=record.tables, tolerances=record.tolerances
    )


def test_parity_compares_table_text_unless_the_table_has_a_tolerance():
    assert compare_results(_table_result(0.5, ".4f"), _table_result(0.5, ".4f")) == []
    # 1e-7 apart, within the default tolerance, but one rounds to 0.1234 and the other to 0.1235
    problems = compare_results(_table_result(0.12344995, ".4f"), _table_result(0.12345005, ".4f"))
    assert problems == ["table 'loss': its text differs between cpu and cuda (give it tol= if numbers may)"]
    # with tol: the numbers are compared within it, the text is not
    assert compare_results(_table_result(0.123449, ".4f", 1e-4), _table_result(0.123451, ".4f", 1e-4)) == []
    problems = compare_results(_table_result(0.1, ".4f", 1e-4), _table_result(0.2, ".4f", 1e-4))
    assert problems and all("text" not in p for p in problems) and "table-loss" in problems[0]


# --- 6. the runner without MkDocs; what its cache key covers --------------------------------


def test_snippet_runner_imports_nothing_of_mkdocs():
    code = (
        "import sys, json\n"
        "import execdocs.run.cli, execdocs.run.child, execdocs.run.forkserver, execdocs.run.worker, execdocs.run.parity\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-P", "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": SCRIPTS},
    )
    assert done.returncode == 0, done.stderr
    modules = json.loads(done.stdout)
    assert "execdocs.run.parity" in modules
    prefixes = ("mkdocs", "markdown", "pymdownx", "nbformat", "material")
    assert [m for m in modules if m.split(".")[0].startswith(prefixes)] == []


def test_runner_fingerprint_covers_the_child_not_shards_or_parity(tmp_path):
    """A copy of the package, edited file by file; the fingerprint computed by that copy."""
    import shutil

    copy = tmp_path / "scripts"
    shutil.copytree(os.path.join(SCRIPTS, "execdocs"), copy / "execdocs", ignore=shutil.ignore_patterns("__pycache__"))
    code = "from execdocs.run import cache\nprint(cache.runner_fingerprint({'MPLBACKEND': 'Agg'}))\n"

    def fingerprint():
        done = subprocess.run(
            [sys.executable, "-P", "-c", code],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PYTHONPATH": str(copy)},
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def edit(name):
        with open(copy / "execdocs" / "run" / name, "a", encoding="utf-8") as fh:
            fh.write("\n# edited\n")

    first = fingerprint()
    edit("shards.py")
    edit("parity.py")
    assert fingerprint() == first
    edit("child.py")
    assert fingerprint() != first


# --- 7. the version-checked patch -----------------------------------------------------------


def test_patch_refuses_another_pymdown_extensions(monkeypatch):
    monkeypatch.setattr(patches, "version", lambda package: "99.0")
    with pytest.raises(patches.PatchError) as caught:
        patches.check_versions()
    message = str(caught.value)
    assert "written for pymdown-extensions 13.1, but 99.0 is installed" in message
    assert "update WRITTEN_FOR" in message
    monkeypatch.setattr(patches, "version", lambda package: patches.WRITTEN_FOR[package])
    patches.check_versions()
