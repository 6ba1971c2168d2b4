"""The resources one snippet may use: lines of printed output shown on a page, and memory.

Both have a default and a per-snippet directive at the top of the snippet:
`# sitekit: output-lines=N` (default DEFAULT_OUTPUT_LINES) and `# sitekit: memory-gb=N` (default
DEFAULT_MEMORY_GB). Output beyond the limit is cut, with a visible note where it was cut; the
build warns about it (a failure under --strict). Memory beyond the limit is a named error, not a
machine brought down by the kernel's out-of-memory killer. The memory limit caps the child's
address space (RLIMIT_AS) above what it had mapped when the snippet started; CUDA reserves far more
address space than it uses, so a snippet on cuda runs without it.
"""

import os
import resource

from execdocs.contract import load_result

DEFAULT_OUTPUT_LINES = 300
MAX_OUTPUT_CHARS = 200_000  # a few very long lines are cut too
DEFAULT_MEMORY_GB = 4
ALLOCATION_FAILED = ("can't allocate memory", "not enough memory", "Cannot allocate memory")


def cut_output(stdout, max_lines):
    """(stdout as the page shows it, number of lines cut): at most max_lines lines and
    MAX_OUTPUT_CHARS characters, then a note saying how much was left out."""
    lines = stdout.splitlines(keepends=True)
    kept = "".join(lines[:max_lines])[:MAX_OUTPUT_CHARS]
    if kept == stdout:
        return stdout, 0
    cut = len(lines) - kept.count("\n")
    note = f"[... còn {cut} dòng nữa không hiện ở đây: snippet in quá {max_lines} dòng]\n"
    return kept + ("" if kept.endswith("\n") else "\n") + note, cut


def limit_memory(limit_bytes, device):
    """Cap this process's address space at what it maps now plus limit_bytes (cpu only)."""
    if not limit_bytes or device != "cpu":
        return
    with open("/proc/self/statm") as fh:
        mapped = int(fh.read().split()[0]) * resource.getpagesize()
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = mapped + limit_bytes
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def is_out_of_memory(exc):
    return isinstance(exc, MemoryError) or (
        isinstance(exc, RuntimeError) and any(text in str(exc) for text in ALLOCATION_FAILED)
    )


def memory_message(display_path, limit_bytes):
    gb = limit_bytes / 2**30
    return (
        f"{display_path} used more than {gb:g} GB, its memory limit: make the example smaller, or, if it "
        "really needs more, raise the limit with `# sitekit: memory-gb=N` at the top of the snippet"
    )


def cut_outputs(out_root):
    """Warnings for every cell whose printed output was cut (over its snippet's output limit);
    read from the results in out/, so a run taken from the cache warns as the first one did."""
    warnings = []
    for name in sorted(os.listdir(out_root)) if os.path.isdir(out_root) else []:
        path = os.path.join(out_root, name, "result.json")
        if os.path.exists(path):
            for cell in load_result(path).cells:
                if cell.stdout_cut_lines:
                    warnings.append(
                        f"snippets/{name}.py:{cell.first_line}: cell '{cell.name}' printed "
                        f"{cell.stdout_cut_lines} line(s) more than its page shows: print less, or raise the limit "
                        f"with `# sitekit: output-lines=N` at the top of the snippet"
                    )
    return warnings
