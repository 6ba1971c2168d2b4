"""The client of the warm worker (run/worker.py), in the runner's process.

`ForkServer(env)` starts one worker and sends it jobs; `launch(job, env)` is a drop-in for
launch.launch. `WarmWorker` keeps one ForkServer for its owner across runs. Every wait has a
deadline, and every way the worker can fail ends as a named failure of the snippets it was running.
"""

import dataclasses
import json
import os
import select
import subprocess
import sys
import threading
import time

from execdocs.contract import Failure
from execdocs.run import launch as launch_mod

SERVER = [sys.executable, "-P", "-m", "execdocs.run.worker"]


# How long past a job's own hard deadline the client waits for the worker's answer before it
# gives up on the worker: the worker kills a child at timeout + GRACE_SECONDS itself.
ANSWER_MARGIN_SECONDS = 10


class WorkerError(RuntimeError):
    """The worker cannot be used: it did not start, or it stopped answering properly."""


class ForkServer:
    """One warm worker process; `launch(job, env)` is a drop-in for launch.launch.

    Every wait has a deadline: the worker's first line is awaited at most start_timeout seconds;
    a job's request is written, and its answer awaited, at most until the job's timeout plus
    GRACE_SECONDS and ANSWER_MARGIN_SECONDS. A malformed answer, a reader thread that died, a
    worker that exited, stopped reading or stopped answering release every waiter at once, and
    each of their snippets is reported as failed, by name, with a WorkerError saying why.
    command: how to start the worker (tests give another one to plant a faulty worker)."""

    def __init__(self, env, start_timeout=120, command=SERVER, on_spawn=None):
        """on_spawn(proc): called with the worker's process as soon as it exists."""
        self.env = dict(env)
        self.proc = subprocess.Popen(list(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=self.env)
        if on_spawn is not None:
            on_spawn(self.proc)
        self.lock = threading.Lock()  # guards waiting, next_id, broken
        self.write_lock = threading.Lock()  # one request on the pipe at a time
        self.waiting = {}  # request id -> _Slot
        self.next_id = 0
        self.broken = None  # why the worker can no longer be used
        hello = _readline_within(self.proc, start_timeout)
        try:
            self.info = json.loads(hello)
        except (TypeError, ValueError):
            self.info = None
        if not isinstance(self.info, dict) or not self.info.get("ready"):
            self.abort()
            what = "printed nothing" if not hello else f"printed {hello[:200]!r}"
            raise WorkerError(f"the snippet worker process did not start: it {what} within {start_timeout} s")
        if self.info.get("cuda_initialized"):
            self.close()
            raise WorkerError("the snippet worker initialised CUDA before forking")
        os.set_blocking(self.proc.stdin.fileno(), False)  # requests are written with a deadline
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def alive(self):
        return self.broken is None and self.proc.poll() is None and self.reader.is_alive()

    def serves(self, env):
        """Whether a job with env may run here: the same import environment, PYTHONPATH aside,
        and a PYTHONPATH under which the worker's imports are what a fresh process gets."""
        return _import_env(self.env) == _import_env(env) and same_imports(self.info, self.env, env)

    def _read(self):
        try:
            for line in self.proc.stdout:
                answer = json.loads(line)
                request_id, returncode = answer["id"], int(answer["returncode"])  # all read before the slot is taken
                with self.lock:
                    slot = self.waiting.pop(request_id)
                slot.finish(returncode)
            self._give_up("the snippet worker process ended unexpectedly")
        except (ValueError, KeyError, TypeError) as error:
            self._give_up(f"the snippet worker sent a malformed answer ({type(error).__name__}: {error})")
        except BaseException as error:  # noqa: BLE001 - whatever stops the reader, nobody may hang
            self._give_up(f"reading the snippet worker's answers failed ({error!r})")

    def _give_up(self, reason):
        """Mark the worker broken, stop it and release everyone still waiting."""
        with self.lock:
            self.broken = self.broken or reason
            waiting, self.waiting = list(self.waiting.values()), {}
        for slot in waiting:
            slot.finish(None)
        if self.proc.poll() is None:
            self.abort()

    def _send(self, data, deadline):
        """Write one request before the deadline; False if the worker does not take it in time."""
        fd = self.proc.stdin.fileno()
        while data:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            _, writable, _ = select.select([], [fd], [], min(remaining, 0.2))
            if writable:
                try:
                    data = data[os.write(fd, data) :]
                except BlockingIOError:
                    continue
        return True

    def launch(self, job, env=None):
        env = dict(env if env is not None else os.environ)
        stderr_path = os.path.join(job.out_dir, ".stderr.txt")
        job.dump(os.path.join(job.out_dir, ".job.json"))  # collect() expects it, as after a fresh-process launch
        deadline = time.monotonic() + job.timeout + launch_mod.GRACE_SECONDS + ANSWER_MARGIN_SECONDS
        slot = _Slot()
        with self.lock:
            request_id = self.next_id
            self.next_id += 1
            registered = self.broken is None
            if registered:
                self.waiting[request_id] = slot
        if registered:
            request = {"id": request_id, "job": dataclasses.asdict(job), "env": env, "stderr": stderr_path}
            with self.write_lock:
                try:
                    sent = self.broken is None and self._send((json.dumps(request) + "\n").encode(), deadline)
                except OSError:  # BrokenPipeError: the worker is gone
                    sent = False
            if not sent:
                self._give_up(f"the snippet worker stopped reading jobs (took none within {job.timeout} s + grace)")
        else:
            slot.finish(None)  # the worker was broken before this job could be sent
        while not slot.done.wait(0.2):
            if not self.reader.is_alive():
                self._give_up("the thread reading the snippet worker's answers stopped")
            elif time.monotonic() > deadline:
                self._give_up(f"the snippet worker gave no answer within {job.timeout} s + grace")
            if self.broken is not None:
                slot.finish(None)  # even a slot the reader took but never finished
        if slot.returncode is None:
            reason = self.broken or "the snippet worker process ended unexpectedly"
            with open(stderr_path, "a") as fh:
                fh.write(f"\n{reason}\n")
        result = launch_mod.collect(job, -9 if slot.returncode is None else slot.returncode, stderr_path)
        if slot.returncode is None and result.error is not None:
            error = Failure(
                "WorkerError",
                f"the warm snippet worker failed while running this snippet: {reason}",
                job.display_path,
                None,
                result.error.traceback,
            )
            result = dataclasses.replace(result, error=error)
        return result

    def close(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def abort(self):
        """Stop the worker and every snippet it is running, now."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class _Slot:
    """One job's answer: the first finish() counts, later ones are ignored."""

    def __init__(self):
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.returncode = None

    def finish(self, returncode):
        with self.lock:
            if not self.done.is_set():
                self.returncode = returncode
                self.done.set()


HELLO_LIMIT = 1 << 16


def _readline_within(proc, seconds):
    """The first line the worker prints (decoded), or what it printed by the deadline (None if
    nothing). Read a byte at a time from the pipe, so a worker that prints no newline cannot
    block the read and nothing after the line is taken from the reader thread."""
    deadline = time.monotonic() + seconds
    fd = proc.stdout.fileno()
    line = b""
    while not line.endswith(b"\n") and len(line) < HELLO_LIMIT:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            break
        byte = os.read(fd, 1)
        if not byte:
            break  # the worker ended
        line += byte
    return line.decode("utf-8", "replace") if line else None


IMPORT_ENV_PREFIXES = ("PYTHON", "TORCH", "PYTORCH", "MPL", "CUDA", "NVIDIA", "OMP", "MKL", "OPENBLAS", "LD_")


def _import_env(env):
    """The variables that can change what the preloaded imports do; every other variable
    is handed to each child with its job, so a change there needs no new worker. PYTHONPATH is
    left to ForkServer.serves: each child gets its job's import path (worker._use_import_path)."""
    return {k: v for k, v in env.items() if (k.startswith(IMPORT_ENV_PREFIXES) or k == "PATH") and k != "PYTHONPATH"}


def _path_entries(env):
    return [os.path.abspath(entry) for entry in env.get("PYTHONPATH", "").split(os.pathsep) if entry]


def _module_names(folder):
    """The top-level names a folder on the import path can provide (modules, packages, portions)."""
    try:
        return {name.split(".")[0] for name in os.listdir(folder)}
    except OSError:
        return set()


def same_imports(info, old_env, new_env):
    """Whether a worker started with old_env imported what a fresh process with new_env's
    PYTHONPATH would: it imported nothing from an entry new_env drops, no entry new_env adds
    holds a module of a name it imported, and the entries both keep stay in the same order."""
    old, new = _path_entries(old_env), _path_entries(new_env)
    if old == new:
        return True
    used = info.get("path_used") if isinstance(info, dict) else None
    modules = info.get("modules") if isinstance(info, dict) else None
    if used is None or modules is None:
        return False
    if not set(used) <= set(new):
        return False
    kept = [entry for entry in new if entry in old]
    if kept != [entry for entry in old if entry in new]:
        return False
    imported = set(modules)
    return not any(_module_names(entry) & imported for entry in new if entry not in old)


class WarmWorker:
    """Keeps one worker warm for its owner (the MkDocs plugin for a whole `mkdocs serve` session,
    one runner call, or a whole test session): started on first use, restarted when it died or
    when it cannot serve the environment (ForkServer.serves), stopped by `close()`."""

    def __init__(self, command=SERVER, start_timeout=120):
        self.command = command
        self.start_timeout = start_timeout
        self.lock = threading.Lock()
        self.server = None
        self.starting = None  # the process of a start under way, which close() and abort() end

    def get(self, env, preload=()):
        """preload: modules the new worker also imports once (snippetfiles.preloads_for); a running
        worker without them still serves: its children import them themselves. A start under way
        in another thread is waited for."""
        with self.lock:
            server = self.server
            if server is not None and (not server.alive() or not server.serves(env)):
                server.close()
                server = None
            if server is None:
                command = list(self.command) + (["--preload", ",".join(preload)] if preload else [])
                try:
                    server = ForkServer(env, self.start_timeout, command, on_spawn=self._spawned)
                finally:
                    self.starting = None
                self.server = server
            return server

    def _spawned(self, proc):
        self.starting = proc

    def _end_start(self):
        # a worker still importing torch for a thread (Runner.warm_up_if_stale) is ended, so that a
        # build that stops early does not wait for the import: that thread's get() then fails at once
        proc = self.starting
        if proc is not None and proc.poll() is None:
            proc.kill()

    def close(self):
        self._end_start()
        with self.lock:
            server, self.server = self.server, None
        if server is not None:
            server.close()

    def abort(self):
        self._end_start()
        with self.lock:
            server, self.server = self.server, None
        if server is not None:
            server.abort()


def available():
    return hasattr(os, "fork")
