"""A notebook page's HTML made ready for the site, kept between builds.

mkdocs-jupyter's HTML of a notebook goes through three steps on every build (pages.page_html: no
CDN scripts, math for KaTeX; assets.external_styles: the inline CSS to one stylesheet;
assets.linked_figures: base64 figures to the snippet's own SVG files), about a sixth of a
no-change build for 89 notebook pages. Their result depends on the HTML, the page's place (the
relative prefix), the snippet's recorded figures and this code: `finished_html` keeps it under a
key of those, with each stylesheet stored once under its hash.
"""

import os

from execdocs.notebooks import assets, pages
from execdocs.store import content_key, source_of

CSS_KEY = "css "
CODE = content_key(source_of(assets, pages, __name__))


def finished_html(html, name, prefix, out_root, stylesheets, store):
    """html after the three steps; stylesheets ({placeholder: css}) collects the page's CSS."""
    key = content_key(CODE, html, name, prefix, *_figure_files(out_root, name))
    entry = store.get(key)
    # (placeholder, digest, css): a stored stylesheet is found by the digest its page entry holds,
    # not hashed again (the notebooks share one of about 600 KB)
    styles = None if entry is None else [(p, d, store.get(CSS_KEY + d)) for p, d in entry["stylesheets"]]
    if styles is None or any(css is None for _, _, css in styles):
        found = {}
        done = assets.linked_figures(
            assets.external_styles(pages.page_html(html), prefix, found), name, out_root, prefix
        )
        styles = [(p, content_key(css), css) for p, css in sorted(found.items())]
        entry = {"html": done, "stylesheets": [[p, d] for p, d, _ in styles]}
    store.keep(key, entry)
    for placeholder, digest, css in styles:
        store.keep(CSS_KEY + digest, css)
        stylesheets[placeholder] = css
    return entry["html"]


def _figure_files(out_root, name):
    """The recorded run and the light figures linked_figures reads, as (name, bytes) parts."""
    folder = os.path.join(out_root, name)
    parts = []
    try:
        names = sorted(f for f in os.listdir(folder) if f == "result.json" or f.endswith("-light.svg"))
    except FileNotFoundError:
        return ["no outputs"]
    for filename in names:
        with open(os.path.join(folder, filename), "rb") as fh:
            parts += [filename, fh.read()]
    return parts
