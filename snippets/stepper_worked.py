"""The worked example of the chain-rule page, step by step on the graph autograd built."""

import torch

from _stepper import record, steps
from _stepper_svg import svg
import sitekit

# %% forward
device = sitekit.device()
x, y_true = torch.tensor(2.0, device=device), torch.tensor(4.0, device=device)
w = torch.tensor(3.0, device=device, requires_grad=True)
b = torch.tensor(1.0, device=device, requires_grad=True)
x1 = w * x
y = x1 + b
diff = y_true - y
loss = diff.abs()
tensors = {"x": x, "y_true": y_true, "w": w, "b": b, "x₁": x1, "y": y, "d": diff, "loss": loss}
exprs = {"x₁": "{w} · {x}", "y": "{x₁} + {b}", "d": "{y_true} − {y}", "loss": "|{d}|"}

# %% record
graph = record(loss, tensors)  # hooks on every node, then loss.backward()
for node in graph["nodes"]:
    value, grad = node["value"].item(), node["grad"].item()
    print(f"{node['id']:>3} {node['name']:>4} {node['op']:<14} giá trị {value:+g}  gradient {grad:+g}")
for edge in graph["edges"]:
    print(f"cạnh {edge['source']} → {edge['target']}: đạo hàm cục bộ {edge['local']:+g}")
print("thứ tự torch chạy lượt ngược:", " → ".join(graph["backward"]))

# %% steps
walk = steps(graph, tensors, exprs, of="loss")
for number, step in enumerate(walk, 1):
    print(f"{number:>2}. {step['text']}")
sitekit.table(
    "steps",
    ["Bước", "Lượt", "Nút", "Phép tính"],
    [[i, "xuôi" if s["phase"] == "forward" else "ngược", s["name"], s["text"]] for i, s in enumerate(walk, 1)],
)
sitekit.report("graph", graph)
sitekit.report("step_count", len(walk))
sitekit.report("steps", walk)
sitekit.report("svg", svg(graph, "stepper-worked", "Đồ thị autograd của ví dụ: w và b ở trên, loss ở dưới."))
