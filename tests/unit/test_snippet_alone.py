"""A snippet run alone (`python snippets/NAME.py`) writes its figures beside it and says where."""

import os
import shutil
import subprocess
import sys

from conftest import ROOT

PLOT = """\
import matplotlib.pyplot as plt
import sitekit

fig, ax = plt.subplots()
ax.plot([0, 1, 4])
sitekit.show(fig, "curve", alt="Một đường cong đi lên.")
print("done")
"""


def run_alone(tmp_path, env=None):
    snippets = tmp_path / "snippets"
    shutil.copytree(os.path.join(ROOT, "snippets", "sitekit"), snippets / "sitekit")
    (snippets / "plot.py").write_text(PLOT, encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SITEKIT_")}
    environment.update(MPLBACKEND="Agg", **(env or {}))
    return subprocess.run(
        [sys.executable, "snippets/plot.py"], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120
    )


def test_alone_a_snippet_writes_its_figures_beside_it(tmp_path):
    done = run_alone(tmp_path)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "snippets" / "_figures" / "plot"
    assert sorted(os.listdir(folder)) == ["curve-dark.svg", "curve-light.svg"]
    assert (folder / "curve-light.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert "sitekit: figure 'curve' written to snippets/_figures/plot/curve-light.svg" in done.stderr
    assert done.stdout == "done\n"


def test_the_folder_can_be_stated(tmp_path):
    done = run_alone(tmp_path, {"SITEKIT_FIGURES": str(tmp_path / "figs")})
    assert done.returncode == 0, done.stderr
    assert sorted(os.listdir(tmp_path / "figs")) == ["curve-dark.svg", "curve-light.svg"]
