"""A topological order of the worked example's graph, computed from autograd's grad_fn graph."""

import torch

from _autograd_graph import walk
import sitekit

# %% graph
device = sitekit.device()
x, y_true = torch.tensor(2.0, device=device), torch.tensor(4.0, device=device)
w = torch.tensor(3.0, device=device, requires_grad=True)
b = torch.tensor(1.0, device=device, requires_grad=True)
x1 = w * x
y = x1 + b
diff = y_true - y
loss = diff.abs()
nodes, edges, _ = walk(loss.grad_fn)  # edges (child, parent): child's output feeds parent
names = {loss.grad_fn: "loss", diff.grad_fn: "diff", y.grad_fn: "y", x1.grad_fn: "x1"}
for node in nodes:
    if hasattr(node, "variable"):  # AccumulateGrad: the leaf parameter it writes into
        names[node] = "w" if node.variable is w else "b"
for child, parent in edges:
    print(f"{names[child]:>4} → {names[parent]}")

# %% order
# Kahn's algorithm: repeatedly take a node none of whose inputs is still waiting.
waiting = {node: sum(1 for _, parent in edges if parent is node) for node in nodes}
ready = [node for node in nodes if waiting[node] == 0]  # the leaves w and b
order = []
while ready:
    node = ready.pop(0)
    order.append(node)
    for child, parent in edges:
        if child is node:
            waiting[parent] -= 1
            if waiting[parent] == 0:
                ready.append(parent)
assert len(order) == len(nodes), "a cycle would leave some node waiting forever"
position = {node: i for i, node in enumerate(order)}
forward = all(position[child] < position[parent] for child, parent in edges)
print("thứ tự tô-pô:", " → ".join(names[node] for node in order))
print("mọi cạnh đều đi tới trước trong thứ tự:", forward)
print("lượt truyền ngược đi theo thứ tự ngược lại:", " → ".join(names[node] for node in reversed(order)))
sitekit.report("order", [names[node] for node in order])
sitekit.report("edges", [[names[child], names[parent]] for child, parent in edges])
sitekit.report("all_forward", forward)
