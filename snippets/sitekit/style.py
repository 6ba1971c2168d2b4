"""One plot style for the site, drawn once and shown in a light and a dark variant.

Figures are drawn with the light palette. The dark variant is the same SVG with each light
colour swapped for its dark partner, so both variants always show the same data.
"""

LIGHT_TO_DARK = {
    "#1f2328": "#e6edf3",  # text, axes, ticks
    "#d0d7de": "#3d444d",  # grid
    "#0969da": "#58a6ff",  # C0 blue
    "#cf222e": "#ff7b72",  # C1 red
    "#1a7f37": "#3fb950",  # C2 green
    "#8250df": "#d2a8ff",  # C3 purple
    "#bc4c00": "#ffa657",  # C4 orange
    "#1b7c83": "#39c5cf",  # C5 teal
    "#6e7781": "#9198a1",  # C6 grey
}
FOREGROUND, GRID = "#1f2328", "#d0d7de"
CYCLE = ["#0969da", "#cf222e", "#1a7f37", "#8250df", "#bc4c00", "#1b7c83", "#6e7781"]

RC = {
    "figure.figsize": (6.4, 3.8),
    "figure.dpi": 100,
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "savefig.facecolor": "none",
    "savefig.transparent": True,
    "savefig.bbox": "tight",
    "text.color": FOREGROUND,
    "axes.labelcolor": FOREGROUND,
    "axes.edgecolor": FOREGROUND,
    "axes.titlecolor": FOREGROUND,
    "xtick.color": FOREGROUND,
    "ytick.color": FOREGROUND,
    "grid.color": GRID,
    "axes.grid": True,
    "legend.facecolor": "none",
    "legend.edgecolor": GRID,
    "legend.labelcolor": FOREGROUND,
    "font.size": 11,
    "font.family": "DejaVu Sans",  # ships with matplotlib and covers Vietnamese
    "svg.hashsalt": "sitekit",  # fixed ids: the same figure gives the same bytes
    "svg.fonttype": "path",
    "lines.linewidth": 2.0,
}


def apply_style():
    try:
        import matplotlib
    except ImportError:
        return
    from cycler import cycler

    matplotlib.rcParams.update(RC)
    matplotlib.rcParams["axes.prop_cycle"] = cycler(color=CYCLE)


def dark_variant(svg_text):
    """The dark-theme SVG: every light palette colour replaced by its dark partner."""
    import re

    pattern = re.compile("|".join(re.escape(c) for c in LIGHT_TO_DARK), re.IGNORECASE)
    return pattern.sub(lambda m: LIGHT_TO_DARK[m.group(0).lower()], svg_text)
