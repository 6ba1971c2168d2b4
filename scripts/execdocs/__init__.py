"""execdocs: build a documentation site whose every example is code that the build runs.

The pipeline, one folder per stage:
  run/        run the snippets (standard library only; works without MkDocs)
  check/      check the text of pages, snippets and outputs, and the finished pages
  render/     render pages: math (KaTeX), code (highlight cache), values, search, fonts, slugs
  notebooks/  each snippet's run as a Jupyter notebook and a site page
  report/     the execution report page
  plugin/     the MkDocs plugin that drives it all
contract.py defines what the stages hand each other; store.py is the one store and atomic write;
patches.py is the one place that changes another package's code.
"""
