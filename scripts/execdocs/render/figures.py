"""Figures with their size in the page: each `<img>` of a snippet's SVG gets the width and height of
that SVG, so a browser lays the page out before the image arrives and nothing jumps when it does
(no layout shift). The stylesheet still scales the image to the column (max-width: 100%; height:
auto); the attributes give the aspect ratio."""

import os
import re

FIGURE = re.compile(
    r'<img\b(?![^>]*\bwidth=)(?P<attrs>[^>]*?\bsrc="(?:\.\./)*out/(?P<name>[a-z0-9_-]+)/(?P<file>[a-z0-9_-]+\.svg)#[^"]*")'
)
SVG_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="(?P<w>[\d.]+)(?P<wu>pt|px)?"[^>]*?\bheight="(?P<h>[\d.]+)(?P<hu>pt|px)?"')
PX_PER_UNIT = {"pt": 4 / 3, "px": 1.0, None: 1.0}


def svg_size(path):
    """(width, height) in CSS pixels from an SVG's root element, or None."""
    try:
        with open(path, encoding="utf-8") as fh:
            head = fh.read(4096)
    except OSError:
        return None
    match = SVG_SIZE.search(head)
    if not match:
        return None
    return (
        round(float(match["w"]) * PX_PER_UNIT[match["wu"]]),
        round(float(match["h"]) * PX_PER_UNIT[match["hu"]]),
    )


def sized_figures(html, out_root, sizes):
    """html with width and height on every snippet figure that lacks them. sizes: a memo
    {path: (w, h)} the caller keeps for one build."""

    def add(match):
        path = os.path.join(out_root, match["name"], match["file"])
        if path not in sizes:
            sizes[path] = svg_size(path)
        if sizes[path] is None:
            return match.group(0)
        width, height = sizes[path]
        return f'<img width="{width}" height="{height}"{match["attrs"]}'

    return FIGURE.sub(add, html)
