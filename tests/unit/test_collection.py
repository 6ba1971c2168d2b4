"""The whole suite is what runs: every test file under tests/ is collected by plain `pytest`."""

import glob
import os
import subprocess
import sys

from conftest import ROOT


def test_plain_pytest_collects_every_test_file():
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    collected = {line.split("::")[0] for line in done.stdout.splitlines() if "::" in line}
    on_disk = {
        os.path.relpath(p, ROOT) for p in glob.glob(os.path.join(ROOT, "tests", "**", "test_*.py"), recursive=True)
    }
    assert on_disk - collected == set()
    assert {"tests/build", "tests/browser", "tests/content", "tests/unit"} <= {os.path.dirname(p) for p in collected}
