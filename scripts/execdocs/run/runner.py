"""Running every snippet that changed, in parallel, and laying out their outputs for the site.

Layout under the build folder (git ignores it):
  out/<snippet>/   what pages include: fragments, figures, values.json, result.json
  cache/<snippet>/<key>/   stored successful runs, copied to out/ on a cache hit
  report.json      what ran, where, how long, how much memory (for the report page)
"""

import fcntl
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext

import execdocs
from execdocs.contract import Job, Report, SnippetRun
from execdocs.run import cache as cache_mod
from execdocs.run import forkserver
from execdocs.run.fragments import write_fragments
from execdocs.run.launch import Launcher
from execdocs.run.snippetfiles import directives, discover, job_settings, preloads_for
from execdocs.store import remove_tree, sync_dir, write_if_changed

# Where `import execdocs` resolves: the child runs `python -P -m execdocs.run.child`.
PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(execdocs.__file__)))
# What the runner sets for every child, whatever the caller's environment (part of the cache key).
CHILD_VARIABLES = {"MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"}


def _threads_per_snippet(workers):
    """Torch threads per snippet: the cores shared among the snippets running at once."""
    wanted = os.environ.get("OMP_NUM_THREADS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return max(1, (os.cpu_count() or 1) // workers)


def child_env(snippets_dir):
    """The environment of a snippet's process: the caller's, plus CHILD_VARIABLES, and an import
    path with snippets/ first (as `python snippets/NAME.py` has) and then this package."""
    env = dict(os.environ)
    env.update(CHILD_VARIABLES)
    env["PYTHONPATH"] = os.pathsep.join([snippets_dir, PACKAGE_PARENT])
    env.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    return env


def warm_up(worker, snippets_dir, log=print):
    """Start the warm worker before it is needed (under `mkdocs serve`, so that the first edit
    does not wait for torch to import). It imports torch in its own process, never in ours, and
    the heavy libraries any snippet imports (snippetfiles.preloads_for), as an edit may touch any."""
    started = time.perf_counter()
    try:
        paths = [os.path.join(snippets_dir, name + ".py") for name in discover(snippets_dir)]
        worker.get(child_env(snippets_dir), preloads_for(paths, snippets_dir))
    except (OSError, RuntimeError, ValueError):
        return  # the runner falls back to fresh processes and says so
    log(f"snippets: warm worker ready ({time.perf_counter() - started:.1f} s)")


class SnippetFailure(Exception):
    """One or more snippets failed; the message names each file, line and traceback."""


GPU_DEVICE_FILES = ("/dev/nvidiactl", "/dev/nvidia0", "/dev/kfd")


def resolve_device(device):
    if device != "auto":
        return device
    if not any(os.path.exists(path) for path in GPU_DEVICE_FILES):
        return "cpu"  # no GPU here: no need to start a Python that imports torch to ask
    probe = "import torch; print('cuda' if torch.cuda.is_available() else 'cpu')"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    return out.stdout.strip() or "cpu"


class Runner:
    """Runs the snippets of one project. warm_worker: fork each snippet from a warm worker that
    imported torch once (False: a fresh Python process per snippet; same results). worker: a
    forkserver.WarmWorker kept by the caller across runs (the MkDocs plugin's, under serve);
    without one, the runner starts its own and stops it when the run ends."""

    def __init__(
        self, root, build_dir=None, device="cpu", jobs=None, log=print, warm_worker=True, worker=None, on_todo=None
    ):
        """on_todo(names): called with the snippets that will run, before any runs, when some will
        (the build starts what their new outputs will need meanwhile)."""
        self.root = os.path.abspath(root)
        self.snippets_dir = os.path.join(self.root, "snippets")
        self.build_dir = os.path.abspath(build_dir or os.path.join(self.root, "_build"))
        self.out_root = os.path.join(self.build_dir, "out")
        self.cache = cache_mod.Cache(os.path.join(self.build_dir, "cache"), self.snippets_dir)
        self.device = resolve_device(device)
        self.jobs = jobs or os.cpu_count() or 1
        self.log = log
        self.warm_worker = warm_worker and forkserver.available()
        self.worker = worker
        self._gpu_lock = threading.Lock()  # GPU snippets run one at a time, CPU ones in parallel
        self.fresh = Launcher()  # fresh-process launches, stopped all at once on Ctrl-C
        self.on_todo = on_todo

    def run(self, names=None, force=False):
        """Bring out/ up to date for the named snippets (all by default). Returns the report."""
        os.makedirs(self.build_dir, exist_ok=True)
        with open(os.path.join(self.build_dir, ".lock"), "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self.log("snippets: another build holds the lock; waiting for it")
                fcntl.flock(lock, fcntl.LOCK_EX)
            own_worker = self.worker is None and self.warm_worker
            if own_worker:
                self.worker = forkserver.WarmWorker()
            try:
                return self._run_locked(names, force)
            finally:
                if own_worker:
                    self.worker.close()
                    self.worker = None

    def _run_locked(self, names, force):
        started = time.perf_counter()
        self.cache.clear_staging()
        everything = discover(self.snippets_dir)
        names = everything if names is None else names
        unknown = sorted(set(names) - set(everything))
        if unknown:
            raise SnippetFailure(f"no such snippet: {', '.join(unknown)} (in {self.snippets_dir})")
        self._remove_orphans(everything)
        todo, hits = self._plan(names, force)
        report = {}
        for name, (hit, device) in hits.items():
            sync_dir(hit, os.path.join(self.out_root, name))
            report[name] = SnippetRun(status="cached", device=device, **self._run_info(hit))
        if todo and self.on_todo is not None:
            self.on_todo([name for name, *_ in todo])
        workers = max(1, min(self.jobs, len(todo) or 1))
        self._threads = _threads_per_snippet(workers)
        preload = preloads_for([path for _, path, _, _ in todo], self.snippets_dir)
        self._launch = self._launcher(preload) if todo else self.fresh.launch
        with ThreadPoolExecutor(max_workers=workers) as pool:
            try:
                results = list(pool.map(lambda t: self._run_one(*t), todo))
            except BaseException:  # Ctrl-C: end the snippets now, not at their timeout
                pool.shutdown(wait=False, cancel_futures=True)
                self.fresh.stop_all()
                if self.worker is not None:
                    self.worker.abort()
                raise
        failures = []
        for (name, _, device, _), (ok, info, failure) in zip(todo, results):
            report[name] = SnippetRun(status="ran" if ok else "failed", device=device, **info)
            if failure:
                failures.append(failure)
        ran = len(todo)
        summary = (
            f"snippets: {ran - len(failures)} ran, {len(names) - ran} from cache, "
            f"{len(failures)} failed ({time.perf_counter() - started:.1f} s, device {self.device})"
        )
        self._write_report(report, summary)
        self.log(summary)
        if failures:
            raise SnippetFailure("\n\n".join(failures))
        return report

    def _plan(self, names, force=False):
        """(todo, hits): (name, path, device, key) of each snippet to run, in the order of names,
        and {name: (its stored run's folder, device)} for the others."""
        runner_hash = cache_mod.runner_fingerprint(CHILD_VARIABLES)
        todo, hits = [], {}
        for name in names:
            path = os.path.join(self.snippets_dir, name + ".py")
            device = self._device_for(path)
            key = cache_mod.snippet_key(path, device, runner_hash)
            hit = None if force else self.cache.lookup(name, key)
            if hit:
                hits[name] = (hit, device)
            else:
                todo.append((name, path, device, key))
        return todo, hits

    def warm_up_if_stale(self):
        """When a run now would run some snippet, start the caller's warm worker in a thread and
        return at once: torch imports while the build does its other work, and the run takes the
        worker when it is ready (WarmWorker.get waits for a start under way)."""
        if not self.warm_worker or self.worker is None:
            return
        try:
            todo, _ = self._plan(discover(self.snippets_dir))
        except (OSError, ValueError):  # an unreadable snippet: the page checks that follow name it
            return
        if todo:
            preload = preloads_for([path for _, path, _, _ in todo], self.snippets_dir)
            threading.Thread(target=self._start_worker, args=(preload,), daemon=True).start()

    def _start_worker(self, preload):
        try:
            self.worker.get(self._child_env(), preload)
        except (OSError, RuntimeError, ValueError):
            pass  # the run tries again and, if that fails too, says why and uses fresh processes

    def _device_for(self, path):
        wanted = directives(path).get("device")
        return "cpu" if wanted == "cpu" else self.device

    def _run_one(self, name, path, device, key):
        """Run one snippet; returns (ok, run info, failure text). Never raises for a snippet's
        own failure."""
        out_dir = os.path.join(self.out_root, name)
        found = directives(path)
        try:
            settings = job_settings(found)
        except ValueError as error:
            remove_tree(out_dir)
            return False, {}, f"{os.path.relpath(path, self.root)}:1: {error}"
        staging = self.cache.staging_dir(name, key)
        job = Job(
            snippet=path,
            display_path=os.path.relpath(path, self.root),
            out_dir=staging,
            device=device,
            cwd=self.root,
            threads=self._threads,
            **settings,
        )
        with self._gpu_lock if device == "cuda" else nullcontext():
            result = self._launch(job, env=self._child_env())
        info = result.run_info()
        if result.error:
            remove_tree(staging)
            remove_tree(out_dir)  # an old output must never pass for the current one
            return False, info, str(result.error)
        if result.stderr.strip():  # warnings of a run that succeeded: shown, not lost
            self.log(f"snippets: {job.display_path} wrote to stderr:\n" + _indent(result.stderr))
        stable = result.stable()
        write_if_changed(os.path.join(staging, "result.json"), stable.to_json())
        write_if_changed(os.path.join(staging, ".run.json"), json.dumps(info, indent=1, sort_keys=True))
        write_fragments(staging, name, stable)
        stored = self.cache.store(name, key, staging, stable.local_modules)
        sync_dir(stored, out_dir)
        return True, info, None

    def _launcher(self, preload=()):
        """The warm worker's launch (torch imported once, and the preload modules) or, with
        warm_worker off or where the worker cannot start, a fresh Python process per snippet.
        Both give the same results."""
        if not self.warm_worker:
            return self.fresh.launch
        try:
            return self.worker.get(self._child_env(), preload).launch
        except (OSError, RuntimeError, ValueError) as error:
            self.log(f"snippets: warm worker unavailable ({error}); using a fresh process per snippet")
            return self.fresh.launch

    def _child_env(self):
        return child_env(self.snippets_dir)

    @staticmethod
    def _run_info(folder):
        try:
            with open(os.path.join(folder, ".run.json"), encoding="utf-8") as fh:
                return json.load(fh)
        except FileNotFoundError:
            return {}

    def _remove_orphans(self, names):
        """Outputs of snippets that no longer exist are removed from out/."""
        if os.path.isdir(self.out_root):
            for name in os.listdir(self.out_root):
                if name not in names:
                    shutil.rmtree(os.path.join(self.out_root, name), ignore_errors=True)

    def _write_report(self, report, summary):
        env = cache_mod.environment_fingerprint(self.device)
        data = Report(environment=env, summary=summary, snippets=report)
        write_if_changed(os.path.join(self.build_dir, "report.json"), data.to_json())


def _indent(text, limit=4000):
    text = text if len(text) <= limit else "..." + text[-limit:]
    return "\n".join("    " + line for line in text.rstrip().splitlines())
