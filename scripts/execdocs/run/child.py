"""Runs one snippet in the current process, cell by cell, and writes result.json.

Used as `python -P -m execdocs.run.child JOB.json` in a fresh process, or called in a process
forked by the warm worker. The job (contract.Job) names the snippet, its output folder, device and
timeout. The runner puts snippets/ first on the child's PYTHONPATH, as `python snippets/NAME.py`
would put it first on the import path.
"""

import ctypes
import dataclasses
import faulthandler
import os
import resource
import sys
import time
import traceback

from execdocs.contract import Cell, Failure, Figure, Job, RunResult
from execdocs.store import write_if_changed
from execdocs.run import limits
from execdocs.run.cells import CellError, compile_cell, split_cells

_libc = ctypes.CDLL(None)


def _flush_all():
    sys.stdout.flush()
    sys.stderr.flush()
    _libc.fflush(None)  # C-level stdio buffers, e.g. printf from a native library


def _error(exc, filename):
    """A JSON description of an exception, pointing at the snippet's own deepest line."""
    te = traceback.TracebackException.from_exception(exc)
    stack = list(te.stack)
    mine = [i for i, frame in enumerate(stack) if frame.filename == filename]
    line = None
    if mine:
        line = stack[mine[-1]].lineno
        te.stack = traceback.StackSummary.from_list(stack[mine[0] :])
    else:  # the error is about the file itself (syntax, cell names): no runner frames
        te.stack = traceback.StackSummary.from_list([])
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        line = exc.lineno
    if isinstance(exc, CellError):
        line = exc.line
    return Failure(type(exc).__name__, str(exc), filename, line, "".join(te.format()))


def _registry():
    return sys.modules.get("sitekit.record")


def _published():
    record = _registry()
    if record is None:
        return [], {}
    return list(record.figures), dict(record.tables)


def _resources():
    info = {"peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}
    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_initialized():
        info["cuda_max_allocated_bytes"] = int(torch.cuda.max_memory_allocated())
        info["gpu_name"] = torch.cuda.get_device_name()
    return info


def run_cells(job, cell_out_dir):
    """Execute the snippet's cells; return (cells, error)."""
    filename = job.display_path
    with open(job.snippet, encoding="utf-8") as fh:
        source = fh.read()
    try:
        cells = split_cells(source, filename)
    except (SyntaxError, CellError) as exc:
        return [], _error(exc, filename)
    namespace = {"__name__": "__main__", "__file__": filename, "__builtins__": __builtins__}
    done, error = [], None
    for cell in cells:
        figures_before, tables_before = _published()
        capture = os.path.join(cell_out_dir, f".stdout-{cell.name}")
        _flush_all()
        saved = os.dup(1)
        with open(capture, "wb") as sink:
            os.dup2(sink.fileno(), 1)
            try:
                exec(compile_cell(cell, filename), namespace)
            except BaseException as exc:  # noqa: BLE001 - every failure is reported
                error = _error(exc, filename)
                if job.memory_limit_bytes and limits.is_out_of_memory(exc):
                    message = limits.memory_message(filename, job.memory_limit_bytes)
                    error = dataclasses.replace(error, type="MemoryLimit", message=message)
            finally:
                _flush_all()
                os.dup2(saved, 1)
                os.close(saved)
        with open(capture, encoding="utf-8", errors="replace") as fh:
            stdout, cut = limits.cut_output(fh.read(), job.max_output_lines)
        os.remove(capture)
        figures_after, tables_after = _published()
        done.append(
            Cell(
                name=cell.name,
                first_line=cell.first_line,
                last_line=cell.last_line,
                code=cell.code,
                stdout=stdout,
                stdout_cut_lines=cut,
                figures=tuple(Figure(f["name"], f["alt"]) for f in figures_after[len(figures_before) :]),
                tables=tuple(t for t in tables_after if t not in tables_before),
            )
        )
        if error:
            break
    return done, error


def _unpublished_figures():
    pyplot = sys.modules.get("matplotlib.pyplot")
    return len(pyplot.get_fignums()) if pyplot else 0


THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _limit_threads(threads):
    """Snippets run side by side; each gets its share of the cores. In a fresh process the
    variables take effect when torch loads; in a forked one torch is already loaded."""
    if not threads:
        return
    for variable in THREAD_VARIABLES:
        os.environ[variable] = str(threads)
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(threads)


def run_job(job):
    out_dir = job.out_dir
    _limit_threads(job.threads)
    os.environ["SITEKIT_OUT"] = out_dir
    os.environ["SITEKIT_DEVICE"] = job.device
    os.environ.setdefault("MPLBACKEND", "Agg")
    snippets_dir = os.path.dirname(os.path.abspath(job.snippet))
    faulthandler.dump_traceback_later(job.timeout, exit=True)
    limits.limit_memory(job.memory_limit_bytes, job.device)
    started = time.perf_counter()
    cells, error = run_cells(job, out_dir)
    seconds = time.perf_counter() - started
    faulthandler.cancel_dump_traceback_later()
    if error is None and _unpublished_figures():
        error = Failure(
            "UnpublishedFigure",
            f"{_unpublished_figures()} figure(s) drawn but never published: "
            "call sitekit.show(fig, name, alt) for each figure",
            job.display_path,
        )
    record = _registry()
    result = RunResult(
        snippet=job.display_path,
        device=job.device,
        cells=tuple(cells),
        error=error,
        values=dict(record.values) if record else {},
        tables=dict(record.tables) if record else {},
        tolerances=dict(getattr(record, "tolerances", {})) if record else {},
        seconds=round(seconds, 4),
        local_modules=tuple(_local_modules(snippets_dir, job.snippet)),
        **_resources(),
    )
    write_if_changed(os.path.join(out_dir, "result.json"), result.to_json())


def _local_modules(snippets_dir, snippet):
    """Files under snippets/ that this run imported (besides the snippet itself)."""
    root = os.path.abspath(snippets_dir) + os.sep
    found = set()
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if not path:
            continue
        if not os.path.isabs(path) or ".." in path:  # normalising thousands of torch paths costs ~10 ms a run
            path = os.path.abspath(path)
        if path.startswith(root):
            found.add(os.path.relpath(path, snippets_dir))
    found.discard(os.path.relpath(os.path.abspath(snippet), snippets_dir))
    return sorted(found)


def main(argv):
    job = Job.load(argv[1])
    os.chdir(job.cwd)
    run_job(job)
    _flush_all()
    os._exit(0)  # skip interpreter teardown: nothing of the snippet runs after its cells


if __name__ == "__main__":
    main(sys.argv)
