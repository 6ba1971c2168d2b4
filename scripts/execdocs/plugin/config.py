"""The plugin's options, under `plugins: - execdocs:` in mkdocs.yml.

Environment overrides go through MkDocs' own `!ENV` tag, for example
`device: !ENV [DOCS_DEVICE, cpu]`; the plugin reads no environment variable itself.
"""

from mkdocs.config import base
from mkdocs.config import config_options as c


class ExecDocsConfig(base.Config):
    # Where the snippets put their tensors; auto picks cuda when torch sees a GPU.
    device = c.Choice(("cpu", "cuda", "auto"), default="cpu")
    # Snippets run at once (default: one per core).
    jobs = c.Optional(c.Type(int))
    # False: build from the outputs already in build_dir/out without running anything (for timing
    # the build itself, or a build from merged shards).
    run_snippets = c.Type(bool, default=True)
    # Fork each snippet from a warm worker that imported torch once; False: a fresh Python each.
    warm_worker = c.Type(bool, default=True)
    # Reuse a page's Markdown rendered to HTML while none of its inputs changed (render/pagestore.py).
    page_store = c.Type(bool, default=True)
    # The snippet notebooks' pages: mkdocs-jupyter's options (notebooks/jupyterpages.py), its
    # converter imported only when a notebook changed. None: left to the mkdocs-jupyter plugin.
    notebook_pages = c.Optional(c.Type(dict))
    # Outputs, caches and stores, relative to mkdocs.yml's folder.
    build_dir = c.Type(str, default="_build")
    snippets_dir = c.Type(str, default="snippets")
    # Pages of the nav left out of the print page (ban-in.md); generated pages always are.
    print_leave_out = c.Type(list, default=[])
