"""Nothing lost: the runner's cache survives a Ctrl-C, a kill and two builds started at once."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest

from localsite import alive
from conftest import ROOT

RUNNER = os.path.join(ROOT, "scripts", "run_snippets.py")
SLOW = """\
import os
import time

import sitekit

# %% wait
with open("started-" + str(os.getpid()), "w") as fh:
    fh.write(str(os.getpid()))
time.sleep(float(os.environ.get("SLOW_SECONDS", "0")))
sitekit.report("answer", 42)
print("done")
"""


@pytest.fixture
def project(tmp_path):
    snippets = tmp_path / "snippets"
    shutil.copytree(os.path.join(ROOT, "snippets", "sitekit"), snippets / "sitekit")
    (snippets / "slow.py").write_text(SLOW)
    yield tmp_path
    for marker in tmp_path.glob("started-*"):  # a killed runner can leave its child running
        try:
            os.killpg(int(marker.read_text()), signal.SIGKILL)
        except (ProcessLookupError, ValueError, PermissionError):
            pass


def start(project, seconds):
    env = {**os.environ, "SLOW_SECONDS": str(seconds)}
    return subprocess.Popen(
        [sys.executable, RUNNER, "--root", str(project), "--device", "cpu"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        # Ctrl-C reaches the runner even where this test runs in a background job, which starts
        # with SIGINT ignored (and a Python started so keeps ignoring it)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def wait_for(predicate, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def entries(project):
    folder = project / "_build" / "cache" / "slow"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def answer(project):
    return json.loads((project / "_build" / "out" / "slow" / "values.json").read_text())["answer"]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_a_killed_run_leaves_no_entry_and_the_next_run_works(project, sig):
    proc = start(project, 60)
    assert wait_for(lambda: list(project.glob("started-*"))), proc.communicate()
    started = time.monotonic()
    proc.send_signal(sig)
    proc.wait(timeout=60)  # not communicate(): a helper process may still hold the pipes open
    assert time.monotonic() - started < 20, "the runner must stop promptly, not wait for the snippet"
    assert proc.returncode != 0
    assert [e for e in entries(project) if not e.startswith(".")] == []  # nothing sealed
    assert not (project / "_build" / "out" / "slow").exists()
    done = start(project, 0)
    out, err = done.communicate(timeout=120)
    assert done.returncode == 0, err
    assert "1 ran, 0 from cache" in out + err
    assert answer(project) == 42
    assert [e for e in entries(project) if e.startswith(".")] == []  # the staging folder was cleared


def test_an_interrupted_run_stops_its_snippet_process(project):
    proc = start(project, 60)
    assert wait_for(lambda: list(project.glob("started-*")))
    child = int(next(project.glob("started-*")).read_text())
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=60)
    assert wait_for(lambda: not alive(child), 10), "Ctrl-C must not leave the snippet running"


def test_a_half_written_entry_is_never_used(project):
    done = start(project, 0)
    done.communicate(timeout=120)
    [key] = entries(project)
    entry = project / "_build" / "cache" / "slow" / key
    (entry / ".entry.json").unlink()  # as if killed before the entry was sealed
    (entry / "values.json").write_text('{"answer": 0}')
    (project / "_build" / "cache" / "slow" / f".staging-{key}-1").mkdir()
    shutil.rmtree(project / "_build" / "out")
    done = start(project, 0)
    out, err = done.communicate(timeout=120)
    assert done.returncode == 0, err
    assert "1 ran, 0 from cache" in out + err  # the unsealed entry was a miss
    assert answer(project) == 42
    assert entries(project) == [key]


def test_two_runs_at_once_both_succeed_and_agree(project):
    first, second = start(project, 2), start(project, 2)
    results = [p.communicate(timeout=180) for p in (first, second)]
    assert (first.returncode, second.returncode) == (0, 0), results
    logs = sorted(out + err for out, err in results)
    assert any("1 ran, 0 from cache" in log for log in logs)
    assert any("0 ran, 1 from cache" in log for log in logs)  # the second waited, then used the cache
    assert any("another build holds the lock" in log for log in logs)
    assert answer(project) == 42
    assert len(entries(project)) == 1 and not entries(project)[0].startswith(".")
    assert len(list(project.glob("started-*"))) == 1  # the snippet ran exactly once


def test_two_site_builds_at_once_both_succeed(tmp_path, warm_copy):
    from conftest import mkdocs_build

    project = warm_copy(warm=True)
    shutil.rmtree(os.path.join(project, "_build", "cache", "train_loop"))  # one snippet really runs
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    builds = [
        subprocess.Popen(
            [
                os.path.join(os.path.dirname(sys.executable), "mkdocs"),
                "build",
                "--strict",
                "-d",
                str(tmp_path / f"site-{i}"),
            ],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for i in (1, 2)
    ]
    logs = [b.communicate(timeout=300) for b in builds]
    assert [b.returncode for b in builds] == [0, 0], logs
    ran = sorted(int(re.search(r"snippets: (\d+) ran", err).group(1)) for _, err in logs)
    assert ran == [0, 1]  # one ran train_loop, the other waited for the lock and used that run
    again = mkdocs_build(project, str(tmp_path / "site-3"))
    assert again.returncode == 0 and "snippets: 0 ran" in again.stderr
    with (
        open(tmp_path / "site-1" / "index.html", encoding="utf-8") as a,
        open(tmp_path / "site-2" / "index.html", encoding="utf-8") as b,
    ):
        assert a.read() == b.read()


def test_syncing_an_output_leaves_another_builds_files_alone(tmp_path):
    """Two builds sync the same cache entry into the same output folder: neither may remove the
    other's temporary file or stamp (the first CI run of the sync stamp failed on that race)."""
    from execdocs.store import STAMP, remove_quietly, sync_dir

    source, target = tmp_path / "entry", tmp_path / "out"
    source.mkdir()
    (source / "result.json").write_text("{}", encoding="utf-8")
    target.mkdir()
    (target / ".tmp-other-build").write_text("half written", encoding="utf-8")
    (target / "stale.svg").write_text("<svg/>", encoding="utf-8")
    sync_dir(str(source), str(target))
    assert sorted(os.listdir(target)) == sorted([".tmp-other-build", STAMP, "result.json"])
    (target / STAMP).unlink()  # the other build removed it first: syncing again must not fail
    (target / "result.json").write_text("{} ", encoding="utf-8")
    sync_dir(str(source), str(target))
    assert (target / "result.json").read_text(encoding="utf-8") == "{}"
    remove_quietly(str(target / "never-there"))
