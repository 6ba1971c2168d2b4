"""CPU/CUDA parity: the same snippets on both devices must report the same values.

Each value is compared within the tolerance its snippet stated (`sitekit.report(..., tol=...)`),
DEFAULT_TOL otherwise; `tol="device"` marks a value that differs between devices by design.
Every figure and table produced on one device must be produced on the other, and a table's text
must be the same on both unless the table stated its own tolerance (`sitekit.table(..., tol=...)`):
then its numbers (the value `table-NAME`) are compared within it, and its text is not.
"""

import dataclasses
import json
import math
import os

from execdocs import contract
from execdocs.run.runner import Runner, SnippetFailure

DEFAULT_TOL = 1e-6


def compare_values(cpu, cuda, tol, path):
    """Mismatches between two recorded values, as readable strings."""
    if tol == "device":
        return []
    if isinstance(cpu, bool) or isinstance(cuda, bool) or isinstance(cpu, str):
        return [] if cpu == cuda else [f"{path}: cpu {cpu!r} != cuda {cuda!r}"]
    if isinstance(cpu, (int, float)) and isinstance(cuda, (int, float)):
        if math.isclose(cpu, cuda, rel_tol=tol, abs_tol=tol):
            return []
        return [f"{path}: cpu {cpu!r} vs cuda {cuda!r} differ by {abs(cpu - cuda):.3g} > tol {tol:g}"]
    if isinstance(cpu, list) and isinstance(cuda, list):
        if len(cpu) != len(cuda):
            return [f"{path}: {len(cpu)} items on cpu, {len(cuda)} on cuda"]
        found = []
        for i, (a, b) in enumerate(zip(cpu, cuda)):
            found += compare_values(a, b, tol, f"{path}[{i}]")
        return found[:5]
    if isinstance(cpu, dict) and isinstance(cuda, dict):
        if set(cpu) != set(cuda):
            return [f"{path}: keys differ: {sorted(set(cpu) ^ set(cuda))}"]
        found = []
        for key in sorted(cpu):
            found += compare_values(cpu[key], cuda[key], tol, f"{path}[{key!r}]")
        return found
    return [] if cpu == cuda else [f"{path}: cpu {cpu!r} != cuda {cuda!r}"]


def compare_results(cpu, cuda):
    """Every difference between a snippet's CPU result and its CUDA result."""
    problems = []
    tolerances = {**cpu.tolerances, **cuda.tolerances}
    if set(cpu.values) != set(cuda.values):
        problems.append(f"values reported differ: {sorted(set(cpu.values) ^ set(cuda.values))}")
    for name in sorted(set(cpu.values) & set(cuda.values)):
        tol = tolerances.get(name, DEFAULT_TOL)
        problems += compare_values(cpu.values[name], cuda.values[name], tol, name)

    def figures(result):
        return sorted(f.name for f in result.figures)

    if figures(cpu) != figures(cuda):
        problems.append(f"figures differ: cpu {figures(cpu)}, cuda {figures(cuda)}")
    if sorted(cpu.tables) != sorted(cuda.tables):
        problems.append(f"tables differ: cpu {sorted(cpu.tables)}, cuda {sorted(cuda.tables)}")
    for name in sorted(set(cpu.tables) & set(cuda.tables)):
        if f"table-{name}" not in tolerances and cpu.tables[name] != cuda.tables[name]:
            problems.append(f"table {name!r}: its text differs between cpu and cuda (give it tol= if numbers may)")
    return problems


def load_result(build_dir, name):
    return contract.load_result(os.path.join(build_dir, "out", name, "result.json"))


def gpu_name():
    import torch

    return torch.cuda.get_device_name() if torch.cuda.is_available() else None


def run_parity(root=".", force=False, log=print):
    base = os.path.join(root, "_build", "parity")
    reports, failures = {}, []
    for device in ("cpu", "cuda"):
        runner = Runner(root, os.path.join(base, device), device=device, log=log)
        try:
            reports[device] = runner.run(force=force)
        except SnippetFailure as failure:  # compare what did run; the failures are listed
            failures.append(f"[{device}] {failure}")
            reports[device] = contract.load_report(os.path.join(base, device, "report.json")).snippets
        reports[device] = {name: dataclasses.asdict(run) for name, run in reports[device].items()}
    rows = {}
    for name in sorted(reports["cpu"]):
        cpu, cuda = reports["cpu"][name], reports["cuda"].get(name, {"device": "?", "status": "failed"})
        if "failed" in (cpu.get("status"), cuda.get("status")):
            problems = [f"failed on {d}" for d, r in (("cpu", cpu), ("cuda", cuda)) if r.get("status") == "failed"]
        else:
            problems = compare_results(
                load_result(os.path.join(base, "cpu"), name), load_result(os.path.join(base, "cuda"), name)
            )
        rows[name] = {
            "cpu_seconds": cpu.get("seconds"),
            "cuda_seconds": cuda.get("seconds"),
            "ran_on": cuda["device"],
            "problems": problems,
        }
    import torch

    summary = {"gpu": gpu_name(), "torch": torch.__version__, "snippets": rows, "failures": failures}
    with open(os.path.join(root, "_build", "parity.json"), "w", encoding="utf-8") as fh:
        json.dump(summary, fh, ensure_ascii=False, indent=1, sort_keys=True)
    return summary


def print_table(summary):
    print(f"GPU: {summary['gpu']}, torch {summary['torch']}")
    print(f"{'snippet':34} {'cpu s':>8} {'cuda s':>8} {'speed-up':>9}  parity")
    for name, row in summary["snippets"].items():
        cpu, cuda = row["cpu_seconds"] or 0.0, row["cuda_seconds"] or 0.0
        ratio = f"{cpu / cuda:.2f}x" if cuda else "-"
        status = "ok" if not row["problems"] else "DIFFERS"
        if row["ran_on"] == "cpu":
            status += " (cpu-only snippet)"
        print(f"{name:34} {cpu:8.3f} {cuda:8.3f} {ratio:>9}  {status}")
        for problem in row["problems"]:
            print(f"    {problem}")
    for failure in summary.get("failures", []):
        print(failure)
    bad = sum(1 for row in summary["snippets"].values() if row["problems"])
    print(f"parity: {len(summary['snippets']) - bad} agree, {bad} differ")
    return bad
