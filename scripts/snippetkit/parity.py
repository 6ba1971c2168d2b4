"""CPU/CUDA parity: the same snippets on both devices must report the same values.

Each value is compared within the tolerance its snippet stated (`sitekit.report(..., tol=...)`),
DEFAULT_TOL otherwise; `tol="device"` marks a value that differs between devices by design.
Every figure and table produced on one device must be produced on the other.
"""

import json
import math
import os

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
    tolerances = {**cpu.get("tolerances", {}), **cuda.get("tolerances", {})}
    if set(cpu["values"]) != set(cuda["values"]):
        problems.append(f"values reported differ: {sorted(set(cpu['values']) ^ set(cuda['values']))}")
    for name in sorted(set(cpu["values"]) & set(cuda["values"])):
        tol = tolerances.get(name, DEFAULT_TOL)
        problems += compare_values(cpu["values"][name], cuda["values"][name], tol, name)

    def figures(result):
        return sorted(f["name"] for cell in result["cells"] for f in cell["figures"])

    if figures(cpu) != figures(cuda):
        problems.append(f"figures differ: cpu {figures(cpu)}, cuda {figures(cuda)}")
    if sorted(cpu["tables"]) != sorted(cuda["tables"]):
        problems.append(f"tables differ: cpu {sorted(cpu['tables'])}, cuda {sorted(cuda['tables'])}")
    return problems


def load_result(build_dir, name):
    with open(os.path.join(build_dir, "out", name, "result.json"), encoding="utf-8") as fh:
        return json.load(fh)
