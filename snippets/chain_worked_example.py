"""The worked example: x = 2, y_true = 4, w = 3, b = 1, loss = |y_true − (w·x + b)|."""

import torch

import sitekit

# %% forward
device = sitekit.device()
x, y_true = torch.tensor(2.0, device=device), torch.tensor(4.0, device=device)
w = torch.tensor(3.0, device=device, requires_grad=True)
b = torch.tensor(1.0, device=device, requires_grad=True)
x1 = w * x  # 6
y = x1 + b  # 7
diff = y_true - y  # −3
loss = diff.abs()  # 3
print(
    f"x1 = w·x = {x1.item():g},  y = x1 + b = {y.item():g},  "
    f"y_true − y = {diff.item():g},  loss = |y_true − y| = {loss.item():g}"
)

# %% edges
edges = {  # local derivative on each edge of the graph, from the formulas
    "∂loss/∂diff": torch.sign(diff).item(),  # d|d|/dd = sign(d)
    "∂diff/∂y": -1.0,  # diff = y_true − y
    "∂y/∂x1": 1.0,  # y = x1 + b
    "∂y/∂b": 1.0,
    "∂x1/∂w": x.item(),  # x1 = w·x
}
for name, value in edges.items():
    print(f"{name:<12} = {value:+g}")

# %% paths
to_y = edges["∂loss/∂diff"] * edges["∂diff/∂y"]
dloss_dw = to_y * edges["∂y/∂x1"] * edges["∂x1/∂w"]
dloss_db = to_y * edges["∂y/∂b"]
print(
    f"∂loss/∂w = ({edges['∂loss/∂diff']:+g})·({edges['∂diff/∂y']:+g})·({edges['∂y/∂x1']:+g})·"
    f"({edges['∂x1/∂w']:+g}) = {dloss_dw:g}"
)
print(f"∂loss/∂b = ({edges['∂loss/∂diff']:+g})·({edges['∂diff/∂y']:+g})·({edges['∂y/∂b']:+g}) = {dloss_db:g}")
loss.backward()
print(f"autograd: w.grad = {w.grad.item():g}, b.grad = {b.grad.item():g}")
for name, tensor in [("x", x), ("y_true", y_true), ("w", w), ("b", b)]:
    sitekit.report(name, tensor)
sitekit.report("x1", x1)
sitekit.report("y", y)
sitekit.report("diff", diff)
sitekit.report("loss", loss)
sitekit.report("edge_loss_diff", edges["∂loss/∂diff"])
sitekit.report("edge_diff_y", edges["∂diff/∂y"])
sitekit.report("edge_y_x1", edges["∂y/∂x1"])
sitekit.report("edge_y_b", edges["∂y/∂b"])
sitekit.report("edge_x1_w", edges["∂x1/∂w"])
sitekit.report("dloss_dy", to_y)
sitekit.report("dloss_dw", dloss_dw)
sitekit.report("dloss_db", dloss_db)
sitekit.report("w_grad", w.grad)
sitekit.report("b_grad", b.grad)
