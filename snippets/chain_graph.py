"""Drawing the worked example's computational graph from autograd's own graph (grad_fn)."""

import torch

from _autograd_graph import draw, walk
import sitekit

# %% build
device = sitekit.device()
x, y_true = torch.tensor(2.0, device=device), torch.tensor(4.0, device=device)
w = torch.tensor(3.0, device=device, requires_grad=True)
b = torch.tensor(1.0, device=device, requires_grad=True)
x1 = w * x
y = x1 + b
diff = y_true - y
loss = diff.abs()
named = [("w", w), ("b", b), ("x1", x1), ("y", y), ("diff", diff), ("loss", loss)]


def describe(node):
    """The snippet's own name and tensor for a graph node (a leaf's node holds it as .variable)."""
    for name, tensor in named:
        if tensor.grad_fn == node or getattr(node, "variable", None) is tensor:
            return name, tensor


# %% walk
nodes, edges, depth = walk(loss.grad_fn)  # follows next_functions from the loss down
for child, parent in edges:
    print(f"{type(child).__name__:>14} ({describe(child)[0]:>4}) → {type(parent).__name__} ({describe(parent)[0]})")

# %% backward
received, sent = {}, {}  # dloss/d(node output); what a node sends down each edge


def recorder(node):
    def hook(grad_inputs, grad_outputs):
        received[node] = grad_outputs[0].item()
        for (child, _), grad in zip(node.next_functions, grad_inputs):
            if child is not None:
                sent[(child, node)] = grad.item()

    return hook


for node in nodes:
    if node.next_functions:  # operations; an AccumulateGrad node writes into .grad instead
        node.register_hook(recorder(node))
loss.backward()
for node in nodes:
    if not node.next_functions:
        received[node] = node.variable.grad.item()
local = {(child, parent): sent[(child, parent)] / received[parent] for child, parent in edges}
for node in nodes:
    name, tensor = describe(node)
    print(f"{name:>4} = {tensor.item():+g}   ∂loss/∂{name} = {received[node]:+g}")
for child, parent in edges:
    print(f"cạnh {describe(child)[0]:>4} → {describe(parent)[0]:<4}: đạo hàm cục bộ {local[(child, parent)]:+g}")
sitekit.report("node_types", [type(n).__name__ for n in nodes])
sitekit.report("node_grads", [received[n] for n in nodes])
sitekit.report("edge_locals", [local[e] for e in edges])

# %% draw
labels = {}
for node in nodes:
    name, tensor = describe(node)
    labels[node] = f"{name} = {tensor.item():g}\n{type(node).__name__}\n∂loss/∂{name} = {received[node]:g}"
fig = draw(nodes, edges, depth, labels, {edge: f"×({value:g})" for edge, value in local.items()})
sitekit.show(
    fig,
    "graph",
    alt="Đồ thị tính toán của ví dụ: w và b ở bên trái, qua phép nhân, phép cộng, "
    "phép trừ và trị tuyệt đối tới loss; mỗi nút ghi giá trị và gradient, mỗi cạnh ghi đạo hàm cục bộ.",
)
