"""The warm worker process: imports torch, matplotlib and numpy once, then forks a fresh child per
snippet (`python -P -m execdocs.run.worker [--preload MODULES]`, started by forkserver.ForkServer).

Importing torch and matplotlib costs more than most snippets' own work, so this process imports
them once and never touches them again: no torch computation and no CUDA call happen in it, so no
thread pool or CUDA context exists to be inherited. Each job runs in a child made by os.fork() from
that clean state: the child starts its own session (the timeout kills its whole process group),
sends fd 1 and 2 to the job's stderr file and runs the snippet with child.run_job, exactly as a
fresh process would.

A child's import path is its job's PYTHONPATH followed by the interpreter's own entries, as in a
fresh `python -P` with that PYTHONPATH: one worker can serve projects with other snippets/ folders
(forkserver.ForkServer.serves says when that is safe, from what the worker reports it imported).

Protocol, one JSON object per line: the worker prints {"ready": ..., "cuda_initialized": ...,
"modules": [top-level names imported], "path_used": [PYTHONPATH entries it imported from]}
once, then reads {"id", "job", "env", "stderr"} requests and answers {"id", "returncode"} when
that child has ended. Jobs run concurrently; the runner decides how many at a time.
"""

import json
import os
import select
import signal
import sys
import time
import traceback

from execdocs.contract import Job
from execdocs.run import launch as launch_mod

# torch._inductor.config: torch.use_deterministic_algorithms (run by sitekit) imports it, 2 s here.
PRELOAD = ("numpy", "torch", "torch._inductor.config", "matplotlib", "matplotlib.pyplot")
POLL_SECONDS = 0.02


def _preload(extra=()):
    import importlib

    for name in PRELOAD + tuple(extra):
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    torch = sys.modules.get("torch")
    # is_initialized only reads a flag; it never starts CUDA.
    return bool(torch is not None and torch.cuda.is_initialized())


def _path_entries(pythonpath):
    return [os.path.abspath(entry) for entry in (pythonpath or "").split(os.pathsep) if entry]


# The import path this process started with: its PYTHONPATH's entries (first: -P adds no script
# folder), then the interpreter's own (standard library, site-packages).
STARTED_WITH = _path_entries(os.environ.get("PYTHONPATH"))
OWN_ENTRIES = sys.path[len(STARTED_WITH) :] if sys.path[: len(STARTED_WITH)] == STARTED_WITH else None


def _imported():
    """Top-level names of every module loaded here, and the PYTHONPATH entries any came from."""
    names = sorted({name.split(".")[0] for name in sys.modules})
    used = set()
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        for entry in STARTED_WITH:
            if path and os.path.abspath(path).startswith(entry + os.sep):
                used.add(entry)
    return names, sorted(used)


def _use_import_path(pythonpath):
    """The child's sys.path: its job's PYTHONPATH entries, then the interpreter's own."""
    entries = _path_entries(pythonpath)
    if entries == STARTED_WITH:
        return
    if OWN_ENTRIES is None:
        raise RuntimeError("the worker cannot tell its PYTHONPATH entries in sys.path apart")
    sys.path[:] = list(dict.fromkeys(entries + OWN_ENTRIES))


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
        _use_import_path(request["env"].get("PYTHONPATH"))
        from execdocs.run import child

        job = Job(**request["job"])
        os.chdir(job.cwd)
        child.run_job(job)
        child._flush_all()
        code = 0
    except BaseException:  # noqa: BLE001 - the runner reports the crash from stderr
        traceback.print_exc()
        sys.stderr.flush()
    os._exit(code)


def serve(extra_preloads=()):
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the runner; the worker follows it
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # abort(): kill the running snippets too
    cuda = _preload(extra_preloads)
    from execdocs.run import child  # noqa: F401 - loaded once here, not in every child

    reply = sys.stdout
    modules, path_used = _imported()
    hello = {"ready": True, "cuda_initialized": cuda, "pid": os.getpid(), "modules": modules, "path_used": path_used}
    if OWN_ENTRIES is None:
        hello["path_used"] = None  # sys.path does not start with PYTHONPATH: serve only this one
    reply.write(json.dumps(hello) + "\n")
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


if __name__ == "__main__":
    # `--preload a,b`: modules to import once besides PRELOAD (snippetfiles.OPTIONAL_PRELOADS)
    preload_args = sys.argv[2].split(",") if sys.argv[1:2] == ["--preload"] and len(sys.argv) > 2 else ()
    serve(preload_args)
    sys.stdout.flush()
    # No interpreter teardown: unloading torch and matplotlib took 8 s on a busy 2-core machine,
    # which a one-shot build waited for in on_shutdown; nothing is left to save.
    os._exit(0)
