"""A warm worker: imports torch, matplotlib and numpy once, then forks a fresh child per snippet.

Importing torch and matplotlib costs more than most snippets' own work, so a worker process
(`python forkserver.py`, started by `ForkServer`) imports them once and never touches them
again: no torch computation and no CUDA call happen in it, so no thread pool or CUDA context
exists to be inherited. Each job runs in a child made by os.fork() from that clean state: the
child starts its own session (the timeout kills its whole process group), sends fd 1 and 2 to
the job's stderr file and runs the snippet with child.run_job, exactly as a fresh process would.

Protocol, one JSON object per line: the worker prints {"ready": ..., "cuda_initialized": ...}
once, then reads {"id", "job", "env", "stderr"} requests and answers {"id", "returncode"} when
that child has ended. Jobs run concurrently; the runner decides how many at a time.
"""

import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
import traceback

if __package__ in (None, ""):  # started as a script: make `snippetkit` importable
    sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from snippetkit import launch as launch_mod  # noqa: E402

SERVER = os.path.abspath(__file__)
# torch._inductor.config: torch.use_deterministic_algorithms (run by sitekit) imports it, 2 s here.
PRELOAD = ("numpy", "torch", "torch._inductor.config", "matplotlib", "matplotlib.pyplot")
POLL_SECONDS = 0.02


# --- the worker (runs in its own process) ---------------------------------------------------


def _preload():
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    torch = sys.modules.get("torch")
    # is_initialized only reads a flag; it never starts CUDA.
    return bool(torch is not None and torch.cuda.is_initialized())


def _child(request):
    """In the forked child: isolate, redirect, run the snippet, exit. Never returns."""
    code = 1
    try:
        os.setsid()
        fd = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a fresh interpreter
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the worker's abort handler
        os.environ.clear()
        os.environ.update(request["env"])
        from snippetkit import child

        job = request["job"]
        os.chdir(job["cwd"])
        child.run_job(job)
        child._flush_all()
        code = 0
    except BaseException:  # noqa: BLE001 - the runner reports the crash from stderr
        traceback.print_exc()
        sys.stderr.flush()
    os._exit(code)


def serve():
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the runner; the worker follows it
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # abort(): kill the running snippets too
    cuda = _preload()
    from snippetkit import child  # noqa: F401 - loaded once here, not in every child

    reply = sys.stdout
    reply.write(json.dumps({"ready": True, "cuda_initialized": cuda, "pid": os.getpid()}) + "\n")
    reply.flush()
    running = {}  # pid -> (request id, hard deadline)
    stdin = sys.stdin.buffer
    pending = b""
    try:
        while True:
            ready, _, _ = select.select([stdin], [], [], POLL_SECONDS)
            if ready:
                chunk = os.read(stdin.fileno(), 1 << 16)
                if not chunk:
                    # The runner closed us, or died (killed, even by SIGKILL): nobody waits for
                    # what still runs, so it is stopped in `finally`, at once.
                    return
                pending += chunk
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    request = json.loads(line)
                    deadline = time.monotonic() + request["job"]["timeout"] + launch_mod.GRACE_SECONDS
                    sys.stdout.flush()
                    pid = os.fork()
                    if pid == 0:
                        _child(request)
                    running[pid] = (request["id"], deadline)
            for pid, (request_id, deadline) in list(running.items()):
                ended = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
                if ended is None and time.monotonic() < deadline:
                    continue
                launch_mod.kill_group(pid)  # also anything the snippet started; before reaping, so the id is ours
                _, status = os.waitpid(pid, 0)
                del running[pid]
                reply.write(json.dumps({"id": request_id, "returncode": os.waitstatus_to_exitcode(status)}) + "\n")
                reply.flush()
    finally:
        for pid in running:
            launch_mod.kill_group(pid)


# --- the client (runs in the runner's process) ----------------------------------------------


class ForkServer:
    """One warm worker process; `launch(job, env)` is a drop-in for launch.launch."""

    def __init__(self, env):
        self.env = dict(env)
        self.proc = subprocess.Popen(
            [sys.executable, SERVER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=self.env,
            cwd=os.path.dirname(SERVER),
        )
        self.lock = threading.Lock()
        self.waiting = {}  # request id -> [event, returncode]
        self.next_id = 0
        hello = self.proc.stdout.readline()
        if not hello:
            raise RuntimeError("the snippet worker process did not start")
        self.info = json.loads(hello)
        if self.info["cuda_initialized"]:
            self.close()
            raise RuntimeError("the snippet worker initialised CUDA before forking")
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def alive(self):
        return self.proc.poll() is None

    def _read(self):
        for line in self.proc.stdout:
            answer = json.loads(line)
            with self.lock:
                slot = self.waiting.pop(answer["id"])
            slot[1] = answer["returncode"]
            slot[0].set()
        with self.lock:  # the worker died: release everyone still waiting
            for slot in self.waiting.values():
                slot[0].set()
            self.waiting.clear()

    def launch(self, job, env=None):
        env = dict(env if env is not None else os.environ)
        out_dir = job["out_dir"]
        stderr_path = os.path.join(out_dir, ".stderr.txt")
        with open(os.path.join(out_dir, ".job.json"), "w", encoding="utf-8") as fh:
            json.dump(job, fh)  # collect() expects it, as after a fresh-process launch
        slot = [threading.Event(), None]
        with self.lock:
            request_id = self.next_id
            self.next_id += 1
            self.waiting[request_id] = slot
            request = {"id": request_id, "job": job, "env": env, "stderr": stderr_path}
            try:
                self.proc.stdin.write((json.dumps(request) + "\n").encode())
                self.proc.stdin.flush()
            except (BrokenPipeError, OSError):
                self.waiting.pop(request_id, None)
                slot[0].set()
        slot[0].wait()
        if slot[1] is None:
            slot[1] = -9
        if not os.path.exists(stderr_path):
            with open(stderr_path, "w") as fh:
                fh.write("" if slot[1] == 0 else "the snippet worker process ended unexpectedly\n")
        return launch_mod.collect(job, slot[1], stderr_path)

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


IMPORT_ENV_PREFIXES = ("PYTHON", "TORCH", "PYTORCH", "MPL", "CUDA", "NVIDIA", "OMP", "MKL", "OPENBLAS", "LD_")


def _import_env(env):
    """The variables that can change what the preloaded imports do; every other variable
    is handed to each child with its job, so a change there needs no new worker."""
    return {k: v for k, v in env.items() if k.startswith(IMPORT_ENV_PREFIXES) or k == "PATH"}


_servers = {"current": None, "lock": threading.Lock()}


def shared(env):
    """The process-wide worker for this environment, started on first use and kept warm
    (a `mkdocs serve` session pays the imports once); restarted when the environment differs."""
    with _servers["lock"]:
        server = _servers["current"]
        if server is not None and (not server.alive() or _import_env(server.env) != _import_env(env)):
            server.close()
            server = None
        if server is None:
            server = ForkServer(env)
            _servers["current"] = server
        return server


def shutdown():
    with _servers["lock"]:
        if _servers["current"] is not None:
            _servers["current"].close()
            _servers["current"] = None


def abort():
    """The runner was interrupted: stop the worker and every snippet it is running, now."""
    with _servers["lock"]:
        server, _servers["current"] = _servers["current"], None
    if server is not None and server.proc.poll() is None:
        server.proc.terminate()
        try:
            server.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait()


def available():
    return hasattr(os, "fork") and os.environ.get("SNIPPETS_FORKSERVER", "1") != "0"


if __name__ == "__main__":
    serve()
