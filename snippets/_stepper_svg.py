"""The stepper's graph as an inline SVG: boxes and arrows in currentColor, ids a script can highlight."""


def svg(graph, prefix, title, box=(150, 44), gap=(24, 30)):
    """The graph top to bottom (inputs first), in currentColor: one <g id=PREFIX-nI> per node."""
    top = max(n["depth"] for n in graph["nodes"])
    rows = [[n for n in graph["nodes"] if top - n["depth"] == r] for r in range(top + 1)]
    (w, h), (gx, gy) = box, gap
    width = max(len(r) for r in rows) * (w + gx) + gx
    at = {}
    for r, row in enumerate(rows):
        left = (width - len(row) * (w + gx) + gx) / 2
        for i, node in enumerate(row):
            at[node["id"]] = (left + i * (w + gx), gy / 2 + r * (h + gy))
    parts = [
        f'<svg class="stepper__graph" viewBox="0 0 {width} {len(rows) * (h + gy)}" role="img" '
        f'aria-labelledby="{prefix}-title"><title id="{prefix}-title">{title}</title>'
        f'<defs><marker id="{prefix}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" '
        'markerHeight="9" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="currentColor"/></marker></defs>'
    ]
    for i, edge in enumerate(graph["edges"]):
        (x0, y0), (x1, y1) = at[edge["source"]], at[edge["target"]]
        parts.append(
            f'<line class="stepper__edge" id="{prefix}-e{i}" data-edge="{i}" x1="{x0 + w / 2:g}" y1="{y0 + h:g}" '
            f'x2="{x1 + w / 2:g}" y2="{y1:g}" stroke="currentColor" marker-end="url(#{prefix}-arrow)"/>'
        )
    for node in graph["nodes"]:
        x, y = at[node["id"]]
        parts.append(
            f'<g class="stepper__node" id="{prefix}-{node["id"]}" data-node="{node["id"]}"><rect x="{x:g}" y="{y:g}" width="{w}" '
            f'height="{h}" rx="8" fill="none" stroke="currentColor"/><text x="{x + w / 2:g}" y="{y + 19:g}" '
            f'text-anchor="middle" fill="currentColor" font-size="15" font-weight="bold">{node["name"]}</text>'
            f'<text x="{x + w / 2:g}" y="{y + 36:g}" text-anchor="middle" fill="currentColor" '
            f'font-size="11">{node["op"]}</text></g>'
        )
    return "".join(parts) + "</svg>"
