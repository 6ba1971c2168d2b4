"""Starting one snippet's child process and enforcing its timeout on the whole process group.

A `Launcher` remembers the process groups it started that still run, so its owner (the runner)
can end them all when it is interrupted; `launch(job, env)` runs one job with a launcher of its
own. The module keeps no state of its own.
"""

import dataclasses
import os
import re
import signal
import subprocess
import sys
import threading
import time

from execdocs.contract import Failure, RunResult, load_result

# -P: the child's import path is its PYTHONPATH (snippets/ first, then this package), not the cwd
CHILD = [sys.executable, "-P", "-m", "execdocs.run.child"]
GRACE_SECONDS = 5  # the child dumps its own traceback at the timeout; this is the hard stop


def kill_group(pgid):
    """SIGKILL the group and wait (briefly) until its processes are really gone, so the
    runner never reports a snippet finished while something it started still runs."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        return
    deadline = time.monotonic() + 2
    while _group_running(pgid) and time.monotonic() < deadline:
        time.sleep(0.005)


def _group_running(pgid):
    if not os.path.isdir("/proc"):
        return False
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    fields = fh.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] not in (b"Z", b"X"):
                return True
    return False


def _timeout_error(job, stderr):
    """The snippet line where a timed-out child was stuck, from faulthandler's dump."""
    pattern = re.compile(r'File "' + re.escape(job.display_path) + r'", line (\d+)')
    match = pattern.search(stderr)  # the dump lists the innermost frame first
    return Failure(
        "Timeout",
        f"still running after {job.timeout} s (set `# sitekit: timeout=SECONDS` "
        "at the top of the snippet if it really needs longer)",
        job.display_path,
        int(match.group(1)) if match else None,
        stderr[-4000:],
    )


class Launcher:
    """Runs jobs in fresh Python processes, several at once, and can stop all that still run."""

    def __init__(self):
        self._lock = threading.Lock()
        self._live = set()  # process groups of the snippets running now

    def running(self):
        with self._lock:
            return set(self._live)

    def stop_all(self):
        """Kill every snippet process still running (the runner was interrupted)."""
        for pid in self.running():
            kill_group(pid)

    def launch(self, job, env=None):
        """Run the job in a fresh Python process; return the child's RunResult."""
        out_dir = job.out_dir
        job_file = os.path.join(out_dir, ".job.json")
        job.dump(job_file)
        stderr_path = os.path.join(out_dir, ".stderr.txt")
        with open(stderr_path, "wb") as stderr:
            proc = subprocess.Popen(
                [*CHILD, job_file],
                stdin=subprocess.DEVNULL,
                stdout=stderr,
                stderr=stderr,
                start_new_session=True,  # its own process group, killed as a whole
                env=env,
            )
            with self._lock:
                self._live.add(proc.pid)
            try:
                proc.wait(timeout=job.timeout + GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                pass
            finally:
                kill_group(proc.pid)  # also any process the snippet started
                proc.wait()
                with self._lock:
                    self._live.discard(proc.pid)
        return collect(job, proc.returncode, stderr_path)


def launch(job, env=None):
    """Run the job in a fresh Python process (with a Launcher of its own); return its RunResult."""
    return Launcher().launch(job, env)


def collect(job, returncode, stderr_path):
    with open(stderr_path, encoding="utf-8", errors="replace") as fh:
        stderr = fh.read()
    os.remove(stderr_path)
    os.remove(os.path.join(job.out_dir, ".job.json"))
    result_path = os.path.join(job.out_dir, "result.json")
    if os.path.exists(result_path):
        return dataclasses.replace(load_result(result_path), stderr=stderr)
    if "Timeout (" in stderr:
        error = _timeout_error(job, stderr)
    else:
        error = Failure(
            "Crash",
            f"the snippet's process ended with code {returncode} before finishing",
            job.display_path,
            None,
            stderr[-4000:],
        )
    return RunResult(snippet=job.display_path, error=error, stderr=stderr)
