"""Running the snippets: each file of snippets/ in its own process, cached by content.

Standard library only (no MkDocs), so the runner works on any machine that has Python, torch and
matplotlib: `python scripts/run_snippets.py` or `python -m execdocs.run`. Modules: runner (what
runs, in parallel), snippetfiles (which snippets, their directives), limits (output and memory),
cache (stored runs), launch (a fresh process per snippet), forkserver and worker (the
warm worker), child (inside the snippet's process), cells (`# %%` cells), fragments (what pages
include), shards (splitting across machines), parity (CPU against CUDA).
"""
