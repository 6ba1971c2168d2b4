# sitekit: device=cpu
"""Drawing the worked example's computational graph from autograd's own graph (grad_fn)."""

import matplotlib.pyplot as plt
import torch

import sitekit

# %% build
x, y_true = torch.tensor(2.0), torch.tensor(4.0)
w = torch.tensor(3.0, requires_grad=True)
b = torch.tensor(1.0, requires_grad=True)
x1 = w * x
y = x1 + b
diff = y_true - y
loss = diff.abs()
names = {t.grad_fn: (n, t) for n, t in [("x1", x1), ("y", y), ("diff", diff), ("loss", loss)]}

# %% walk
nodes, edges, depth = [], [], {}
def visit(node, level):  # depth-first walk from the loss down the next_functions links
    if node not in depth:
        nodes.append(node)
    depth[node] = max(level, depth.get(node, 0))
    for child, _ in node.next_functions:
        if child is not None:  # None: an input that needs no gradient (x, y_true)
            edges.append((child, node))
            visit(child, level + 1)
visit(loss.grad_fn, 0)
grads = {}  # dL/d(node output), and the gradient each node sends to its inputs
for node in nodes:
    if not isinstance(node, torch.autograd.graph.Node) or not node.next_functions:
        continue
    node.register_hook(lambda g_in, g_out, node=node: grads.update({node: (g_out[0], g_in)}))
loss.backward()
labels, short, gradient, local = {}, {}, {}, {}
for node in nodes:
    if node.next_functions:  # an operation
        name, tensor = names[node]
        gradient[node] = grads[node][0].item()
        sends = [g for (c, _), g in zip(node.next_functions, grads[node][1]) if c is not None]
        for child, sent in zip([c for c, _ in node.next_functions if c is not None], sends):
            local[(child, node)] = sent.item() / gradient[node]
    else:  # AccumulateGrad: the leaf tensor it fills
        tensor = node.variable
        name = "w" if tensor is w else "b"
        gradient[node] = tensor.grad.item()
    short[node] = name
    labels[node] = f"{name} = {tensor.item():g}\n{type(node).__name__}\n∂loss/∂{name} = {gradient[node]:g}"
    print(f"{type(node).__name__:<15} {name:<5} giá trị {tensor.item():+g}   ∂loss/∂{name} = {gradient[node]:+g}")
for (child, parent), value in local.items():
    print(f"cạnh {short[child]:>4} → {short[parent]:<4}: đạo hàm cục bộ {value:+g}")
sitekit.report("node_types", [type(n).__name__ for n in nodes])
sitekit.report("node_grads", [gradient[n] for n in nodes])
sitekit.report("edge_locals", [local[e] for e in edges])

# %% draw
top = max(depth.values())  # the loss on the right, the leaves on the left
pos, used = {}, {}
for node in nodes:
    used[depth[node]] = used.get(depth[node], 0) + 1
    pos[node] = (1.6 * (top - depth[node]), -used[depth[node]])
fig, ax = plt.subplots(figsize=(10, 3.2))
boxes = {}
for node, (px, py) in pos.items():
    boxes[node] = ax.text(px, py, labels[node], ha="center", va="center", fontsize=9, linespacing=1.4,
            bbox=dict(boxstyle="round,pad=0.4", facecolor="none", edgecolor="C0"))
for child, parent in edges:
    (x0, y0), (x2, y2) = pos[child], pos[parent]
    ax.annotate("", xy=(x2, y2), xytext=(x0, y0), arrowprops=dict(
        arrowstyle="-|>", color="C6", patchA=boxes[child].get_bbox_patch(), patchB=boxes[parent].get_bbox_patch()))
    ax.text((x0 + x2) / 2, (y0 + y2) / 2 + 0.1, f"×({local[(child, parent)]:g})", color="C1",
            ha="center", fontsize=9)
ax.set(xlim=(-0.7, 1.6 * top + 0.7), ylim=(-2.5, -0.5))
ax.axis("off")
sitekit.show(fig, "graph", alt="Đồ thị tính toán của ví dụ: w và b ở bên trái, qua phép nhân, phép cộng, "
             "phép trừ và trị tuyệt đối tới loss; mỗi nút ghi giá trị và gradient, mỗi cạnh ghi đạo hàm cục bộ.")
