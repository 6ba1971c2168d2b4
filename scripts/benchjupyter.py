"""Benchmark part 5: the same site with its notebooks executed by mkdocs-jupyter, and the snippets
alone as notebooks in a bare Material site."""

import json
import os
import re
import shutil


from benchkit import ENV, KERNEL_ENV, MKDOCS, build, interleaved_builds, paired_summary, say, target, timed
from execdocs.run.cells import split_cells


# --- 5: the same site, its notebooks executed by mkdocs-jupyter ----------------------------


MKDOCS_JUPYTER = """\
  - mkdocs-jupyter:
      include: ["*.ipynb"]
      ignore: ["*.md"]
      include_source: false
      cache_dir: _build/jupyter-cache
{options}
"""
NOTEBOOK_PAGES = re.compile(r"(?m)^      notebook_pages:.*\n((?:        .*\n)+)")


def jupyter_site_project(project, folder):
    """The same site built the way a mkdocs-jupyter user would: our runner off (DOCS_RUN_SNIPPETS=false,
    the lesson pages keep the outputs already recorded) and every notebook executed by the
    mkdocs-jupyter plugin (`execute: true`, the site's `notebook_pages` options otherwise), its cache
    starting empty. Same pages, same theme, same hooks otherwise: the two builds differ only in who
    runs the code and how it is cached (so the page store, which reuses a lesson page's rendered
    HTML, is off there: DOCS_PAGE_STORE=false; and the plugin, not execdocs, makes the notebook
    pages)."""
    ignore = shutil.ignore_patterns("site", "jupyter-cache", "serve.log", "_build_cold")
    shutil.copytree(project, folder, symlinks=True, ignore=ignore)
    path = os.path.join(folder, "mkdocs.yml")
    with open(path, encoding="utf-8") as fh:
        config = fh.read()
    found = NOTEBOOK_PAGES.search(config)
    if not found:
        raise SystemExit("mkdocs.yml: no `notebook_pages:` under execdocs to hand to mkdocs-jupyter")
    options = re.sub(r"(?m)^  ", "", found.group(1)).rstrip("\n")
    executed = re.sub(r"(?m)^(\s+execute:) false\b", r"\1 true", options)
    if executed == options:
        raise SystemExit("mkdocs.yml: no `execute: false` under notebook_pages to switch on")
    config = config.replace(found.group(0), "")
    config = config.replace("  - execdocs:\n", MKDOCS_JUPYTER.format(options=executed) + "  - execdocs:\n", 1)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(config)
    return folder


def notebooks_only_project(project, folder, names):
    """Only the snippets, one notebook each, in a bare Material site: the smallest mkdocs-jupyter
    site that runs the same code (printed for reference, not a target)."""
    import nbformat

    docs = os.path.join(folder, "docs")
    os.makedirs(docs)
    for name in names:
        path = os.path.join(project, "snippets", name + ".py")
        with open(path, encoding="utf-8") as fh:
            source = fh.read()
        cells = [nbformat.v4.new_code_cell(c.code) for c in split_cells(source, path)]
        notebook = nbformat.v4.new_notebook(cells=cells)
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(notebook, os.path.join(docs, name + ".ipynb"))
    with open(os.path.join(docs, "index.md"), "w", encoding="utf-8") as fh:
        fh.write("# Notebooks\n")
    config = {
        "site_name": "notebooks",
        "theme": {"name": "material", "font": False},
        "plugins": ["search", {"mkdocs-jupyter": {"execute": True, "kernel_name": "python3"}}],
    }
    with open(os.path.join(folder, "mkdocs.yml"), "w", encoding="utf-8") as fh:
        json.dump(config, fh)  # JSON is YAML
    return folder


def measure_jupyter(project, names, repeat, figures, skip):
    workspace = os.path.dirname(project)
    jupyter = jupyter_site_project(project, os.path.join(workspace, "jupyter-site"))
    jupyter_env = {
        **KERNEL_ENV,
        "DOCS_RUN_SNIPPETS": "false",
        "DOCS_PAGE_STORE": "false",
        # sitekit for the kernels; execdocs of the copy (not an installed one from another checkout)
        "PYTHONPATH": os.pathsep.join([os.path.join(jupyter, "snippets"), os.path.join(jupyter, "scripts")]),
    }
    say("the same site with mkdocs-jupyter executing the notebooks: cold build ...")
    figures["jupyter_cold_build_s"], _ = build(jupyter, os.path.join(jupyter, "site"), jupyter_env)
    say("no-change builds, ours and the mkdocs-jupyter site's (notebooks from its cache), interleaved ...")
    times = interleaved_builds(
        repeat,
        {
            "ours": (project, os.path.join(project, "site"), ENV),
            "jupyter": (jupyter, os.path.join(jupyter, "site"), jupyter_env),
        },
    )
    best = {name: min(seconds) for name, seconds in times.items()}
    figures["nochange_vs_jupyter_paired"] = paired_summary(times["ours"], times["jupyter"])
    figures["nochange_build_interleaved_s"] = best["ours"]
    figures["jupyter_nochange_build_s"] = best["jupyter"]
    cold = min(figures["cold_stage_s"], figures["cold_stage_direct_s"])
    ratio = figures["jupyter_cold_build_s"] / cold
    figures["cold_stage_vs_jupyter_cold"] = ratio
    target(
        "cold snippet stage >= 5x faster than mkdocs-jupyter's cold build",
        ratio >= 5,
        f"{figures['jupyter_cold_build_s']:.2f} s / {cold:.2f} s = {ratio:.1f}x "
        f"(our whole cold build: {figures['cold_build_s']:.2f} s)",
    )
    ratio = best["ours"] / best["jupyter"]
    figures["nochange_vs_jupyter_ratio"] = ratio
    target(
        "no-change build <= 0.5x mkdocs-jupyter's cached rebuild",
        ratio <= 0.5,
        f"{best['ours']:.2f} s vs {best['jupyter']:.2f} s = {ratio:.2f}x (fastest of {repeat} each; "
        f"{figures['nochange_vs_jupyter_paired']})",
    )
    if "notebooks-only" in skip:
        return
    folder = notebooks_only_project(project, os.path.join(workspace, "notebooks-only"), names)
    env = {**KERNEL_ENV, "PYTHONPATH": os.path.join(project, "snippets")}
    site = os.path.join(folder, "site")
    say("for reference, the snippets alone as notebooks in a bare mkdocs-jupyter site: cold build ...")
    figures["notebooks_only_cold_build_s"], _ = timed([MKDOCS, "build", "--site-dir", site], folder, env)
    figures["notebooks_only_nochange_build_s"] = min(
        timed([MKDOCS, "build", "--site-dir", site], folder, env)[0] for _ in range(repeat)
    )
