"""Run every snippet on CPU and on CUDA and compare what they report.

`python scripts/parity.py [--force]`: needs a CUDA device, torch and matplotlib (no site tools).
Builds into _build/parity/cpu and _build/parity/cuda, prints a per-snippet table (times on each
device, speed-up, problems) and writes _build/parity.json, which the report page shows.
Exit code 1 if any value, figure or table differs beyond its tolerance.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from snippetkit.parity import compare_results, load_result  # noqa: E402
from snippetkit.runner import Runner, SnippetFailure  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def gpu_name():
    import torch

    return torch.cuda.get_device_name() if torch.cuda.is_available() else None


def run_parity(root=ROOT, force=False, log=print):
    base = os.path.join(root, "_build", "parity")
    reports, failures = {}, []
    for device in ("cpu", "cuda"):
        runner = Runner(root, os.path.join(base, device), device=device, log=log)
        try:
            reports[device] = runner.run(force=force)
        except SnippetFailure as failure:  # compare what did run; the failures are listed
            failures.append(f"[{device}] {failure}")
            with open(os.path.join(base, device, "report.json"), encoding="utf-8") as fh:
                reports[device] = json.load(fh)["snippets"]
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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="re-run cached snippets too")
    args = parser.parse_args(argv)
    if not gpu_name():
        print("parity: no CUDA device here; nothing to compare", file=sys.stderr)
        return 2
    return 1 if print_table(run_parity(force=args.force)) else 0


if __name__ == "__main__":
    sys.exit(main())
