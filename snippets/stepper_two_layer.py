"""The two-layer network of the backprop page, step by step on the graph autograd built (float64)."""

import torch

from _stepper import record, steps
from _stepper_svg import svg
import sitekit

# %% forward
device = sitekit.device()
n, d, h, c = 6, 4, 5, 3  # the network of backprop_two_layer.py: same sizes, same random draws
dt = torch.float64
X = torch.randn(n, d, dtype=dt).to(device)
y = torch.randint(0, c, (n,)).to(device)
W1 = (torch.randn(d, h, dtype=dt) * 0.5).to(device).requires_grad_(True)
b1 = (torch.randn(h, dtype=dt) * 0.1).to(device).requires_grad_(True)
W2 = (torch.randn(h, c, dtype=dt) * 0.5).to(device).requires_grad_(True)
b2 = (torch.randn(c, dtype=dt) * 0.1).to(device).requires_grad_(True)
XW1 = X @ W1
Z1 = XW1 + b1
A1 = torch.relu(Z1)
A1W2 = A1 @ W2
S = A1W2 + b2  # the logits
logP = torch.log_softmax(S, dim=1)
L = torch.nn.functional.nll_loss(logP, y)  # log_softmax then nll_loss: cross_entropy in two nodes
print(f"L = {L.item():.10f}")

# %% record
tensors = {"X": X, "y": y, "W₁": W1, "b₁": b1, "W₂": W2, "b₂": b2, "XW₁": XW1, "Z₁": Z1, "A₁": A1,
           "A₁W₂": A1W2, "S": S, "logP": logP, "L": L}  # fmt: skip
exprs = {"XW₁": "{X} · {W₁}", "Z₁": "{XW₁} + {b₁}", "A₁": "ReLU({Z₁})", "A₁W₂": "{A₁} · {W₂}",
         "S": "{A₁W₂} + {b₂}", "logP": "log_softmax({S})", "L": "nll_loss({logP}, {y})"}  # fmt: skip
rules = {  # how each gradient is made from the one above it (tests/content/test_stepper_graph.py checks each)
    "logP": f"−Y/N (Y: nhãn dạng one-hot, N = {n})",
    "S": "G − softmax(S) · (tổng mỗi hàng của G), với G = ∂L/∂logP",
    "A₁W₂": "∂L/∂S",
    "b₂": "Σₙ ∂L/∂S[n, :]",
    "A₁": "∂L/∂A₁W₂ · W₂⊤",
    "W₂": "A₁⊤ · ∂L/∂A₁W₂",
    "Z₁": "∂L/∂A₁ ⊙ 1[Z₁ > 0]",
    "XW₁": "∂L/∂Z₁",
    "b₁": "Σₙ ∂L/∂Z₁[n, :]",
    "W₁": "X⊤ · ∂L/∂XW₁",
}
graph = record(L, tensors)
for node in graph["nodes"]:
    print(f"{node['id']:>3} {node['name']:>4} {node['op']:<19} dạng {tuple(node['shape'])}")
print("thứ tự torch chạy lượt ngược:", " → ".join(graph["backward"]))

# %% steps
walk = steps(graph, tensors, exprs, rules, of="L")
for number, step in enumerate(walk, 1):
    print(f"{number:>2}. {step['text']}")
sitekit.table(
    "steps",
    ["Bước", "Lượt", "Nút", "Phép tính"],
    [[i, "xuôi" if s["phase"] == "forward" else "ngược", s["name"], s["text"]] for i, s in enumerate(walk, 1)],
    tol=1e-12,  # the last printed digit of a float64 sum may differ between devices
)
sitekit.report("graph", graph, tol=1e-12)
sitekit.report("node_count", len(graph["nodes"]))
sitekit.report("largest", max(len(node["value"].flatten()) for node in graph["nodes"]))
sitekit.report("step_count", len(walk))
sitekit.report("steps", walk, tol="device")  # the same texts, compared through the table
sitekit.report("labels", y)
sitekit.report("svg", svg(graph, "stepper-two-layer", "Đồ thị autograd của mạng hai tầng: W₁, b₁ ở trên, L ở dưới."))
