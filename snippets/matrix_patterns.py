"""The four patterns of backward flow (add, multiply, max, fork), read off a graph torch built."""

import torch

from _autograd_graph import draw, walk
import sitekit

# %% build
device = sitekit.device()
x, y, z, w = (torch.tensor(v, device=device, requires_grad=True) for v in (3.0, -4.0, 2.0, -1.0))
q = x * y  # multiply
m = torch.maximum(z, w)  # max
s = m + q  # add
f = s * 2.0
L = f + x  # x is used twice: a fork
named = {"x": x, "y": y, "z": z, "w": w, "q": q, "m": m, "s": s, "f": f, "L": L}


def name_of(node):
    """The snippet's name for a graph node (a leaf's AccumulateGrad node holds it as .variable)."""
    for name, tensor in named.items():
        if tensor.grad_fn is node or getattr(node, "variable", None) is tensor:
            return name


# %% walk
nodes, edges, depth = walk(L.grad_fn)
for child, parent in edges:
    print(f"{type(child).__name__:>17} ({name_of(child)}) → {type(parent).__name__} ({name_of(parent)})")

# %% backward
received, sent = {}, {}  # dL/d(node output); the gradient a node sends down each edge


def recorder(node):
    def hook(grad_inputs, grad_outputs):
        received[node] = grad_outputs[0].item()
        for (child, _), grad in zip(node.next_functions, grad_inputs):
            if child is not None:
                sent.setdefault((child, node), []).append(grad.item())

    return hook


for node in nodes:
    if node.next_functions:  # operations; AccumulateGrad nodes write into .grad instead
        node.register_hook(recorder(node))
L.backward()
for node in nodes:
    if not node.next_functions:
        received[node] = node.variable.grad.item()
for child, parent in edges:
    print(f"{name_of(parent):>2} gửi về {name_of(child)}: {sent[(child, parent)][0]:+g}")
for name in "xyzw":
    print(f"∂L/∂{name} = {named[name].grad.item():+g}")
    sitekit.report(f"grad_{name}", named[name].grad)
for name in "xyzw":
    sitekit.report(name, named[name].detach())
sitekit.report("node_types", [type(n).__name__ for n in nodes])
for c, p in edges:  # e.g. sent_q_x: what q sends down to x
    sitekit.report(f"sent_{name_of(p)}_{name_of(c)}".lower(), sent[(c, p)][0])

# %% draw
labels = {}
for node in nodes:
    name = name_of(node)
    labels[node] = f"{name} = {named[name].item():g}\n{type(node).__name__}\n∂L/∂{name} = {received[node]:g}"
edge_labels = {(c, p): f"{sent[(c, p)][0]:g}" for c, p in edges}
fig = draw(nodes, edges, depth, labels, edge_labels)
sitekit.show(
    fig,
    "graph",
    alt="Đồ thị autograd của L = 2(xy + max(z, w)) + x: x, y, z, w ở bên trái, qua phép nhân, max, "
    "phép cộng, phép nhân với 2 và phép cộng cuối tới L; mỗi cạnh ghi gradient chảy ngược qua nó.",
)
