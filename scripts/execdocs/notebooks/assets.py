"""Lighter notebook pages: mkdocs-jupyter inlines ~600 KB of CSS and every figure as base64 in
each page. Here the CSS moves to one shared, cacheable stylesheet (less the ~95% of JupyterLab's
rules that no static notebook page matches), and each figure becomes the
site's own light/dark SVG files (lazy, as on the lesson pages, with the snippet's alt text).
The .ipynb downloads are untouched: they stay self-contained.
"""

import base64
import binascii
import glob
import hashlib
import html
import os
import re

from execdocs.contract import load_result
from execdocs.notebooks import csspurge
from execdocs.store import write_if_changed

STYLESHEETS = "assets/stylesheets"
_SVG_IMAGE = re.compile(r'<img\b[^>]*\bsrc="data:image/svg\+xml;base64,([A-Za-z0-9+/=\s]+)"[^>]*>')


def root_prefix(page_url):
    """The relative path from a page's URL ("notebooks/NAME/") back to the site root."""
    return "../" * page_url.count("/")


def external_styles(content, prefix, stylesheets):
    """content with its <style> blocks replaced by one <link>; stylesheets ({placeholder name: css})
    collects them. The file's real name, a hash of its purged content, is set by `write`."""
    kept, blocks, cursor = [], [], 0
    while (start := content.find("<style", cursor)) != -1:  # str.find: a regex crawls these 600 KB
        body = content.find(">", start) + 1
        end = content.find("</style>", body)
        if body == 0 or end == -1:
            break
        kept.append(content[cursor:start])
        blocks.append(content[body:end].strip())
        cursor = end + len("</style>")
    if not blocks:
        return content
    css = "\n".join(blocks) + "\n"
    placeholder = f"notebook-pending-{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
    stylesheets[placeholder] = css
    kept[0] += f'<link rel="stylesheet" href="{prefix}{STYLESHEETS}/{placeholder}">'
    return "".join(kept) + content[cursor:]


def _figures(out_root, name):
    """{svg text: (figure name, alt)} of the light variants a snippet's recorded run drew."""
    try:
        result = load_result(os.path.join(out_root, name, "result.json"))
    except FileNotFoundError:
        return {}
    found = {}
    for figure in result.figures:
        with open(os.path.join(out_root, name, f"{figure.name}-light.svg"), encoding="utf-8") as fh:
            found[fh.read()] = (figure.name, figure.alt)
    return found


def linked_figures(content, name, out_root, prefix):
    """content with each base64 SVG figure that matches one of the snippet's figure files replaced
    by the two lazy theme variants; an image that matches none is left as it is."""
    figures = _figures(out_root, name)

    def replace(match):
        try:
            svg = base64.b64decode(match.group(1)).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return match.group(0)
        if svg not in figures:
            return match.group(0)
        figure, alt = figures[svg]
        alt = html.escape(" ".join(alt.split()))
        base = f"{prefix}out/{name}/{figure}"
        return (
            f'<img alt="{alt}" src="{base}-light.svg#only-light" loading="lazy">'
            f'<img alt="{alt}" src="{base}-dark.svg#only-dark" loading="lazy">'
        )

    return _SVG_IMAGE.sub(replace, content)


def write(site_dir, stylesheets, used_classes, page_files, store=None):
    """Write each collected stylesheet less the rules no notebook page can match (csspurge), named
    by a hash of what is written (a cached old copy is never mistaken for it), and point the
    built notebook pages at that name."""
    scripts = glob.glob(os.path.join(site_dir, "assets", "javascripts", "**", "*.js"), recursive=True)
    used_classes = set(used_classes) | csspurge.names_in_scripts(scripts)
    names = {}
    for placeholder, css in stylesheets.items():
        css = csspurge.purge(css, used_classes, store)
        names[placeholder] = f"notebook-{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
        write_if_changed(os.path.join(site_dir, STYLESHEETS, names[placeholder]), css)
    for path in page_files:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        for placeholder, name in names.items():
            text = text.replace(f"{STYLESHEETS}/{placeholder}", f"{STYLESHEETS}/{name}")
        write_if_changed(path, text)
