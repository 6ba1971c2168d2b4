"""Walking autograd's graph from a tensor's grad_fn, and drawing it as boxes and arrows."""

import matplotlib.pyplot as plt


def walk(root):
    """Nodes (first-seen order), edges (child, parent) and each node's depth below root.

    Depth is the longest path to the root. A None in next_functions stands for an input that
    needs no gradient; it is not part of the graph.
    """
    nodes, edges, depth = [], [], {}

    def visit(node, level):
        if node not in depth:
            nodes.append(node)
        depth[node] = max(level, depth.get(node, 0))
        for child, _ in node.next_functions:
            if child is not None:
                edges.append((child, node))
                visit(child, level + 1)

    visit(root, 0)
    return nodes, edges, depth


def draw(nodes, edges, depth, labels, edge_labels, spacing=1.6):
    """A figure with the root on the right, the leaves on the left, one column per depth."""
    top = max(depth.values())
    pos, used = {}, {}
    for node in nodes:
        used[depth[node]] = used.get(depth[node], 0) + 1
        pos[node] = (spacing * (top - depth[node]), -used[depth[node]])
    fig, ax = plt.subplots(figsize=(10, 1.2 + max(used.values())))
    boxes = {
        node: ax.text(
            x,
            y,
            labels[node],
            ha="center",
            va="center",
            fontsize=9,
            linespacing=1.4,
            bbox=dict(boxstyle="round,pad=0.4", facecolor="none", edgecolor="C0"),
        )
        for node, (x, y) in pos.items()
    }
    for child, parent in edges:
        (x0, y0), (x1, y1) = pos[child], pos[parent]
        ax.annotate(
            "",
            xy=(x1, y1),
            xytext=(x0, y0),
            arrowprops=dict(
                arrowstyle="-|>",
                color="C6",
                patchA=boxes[child].get_bbox_patch(),
                patchB=boxes[parent].get_bbox_patch(),
            ),
        )
        ax.text((x0 + x1) / 2, (y0 + y1) / 2 + 0.1, edge_labels[(child, parent)], color="C1", ha="center", fontsize=9)
    ax.set(xlim=(-0.7, spacing * top + 0.7), ylim=(-max(used.values()) - 0.5, -0.5))
    ax.axis("off")
    return fig
