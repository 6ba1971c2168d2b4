"""A linear layer on a batch, Z = XW + b: dL/dW = XᵀG, dL/dX = GWᵀ, dL/db = sum of G over the batch."""

import torch

import sitekit

# %% setup
device = sitekit.device()
n, d, h = 4, 3, 2  # batch size, inputs, outputs
dt = torch.float64
X = torch.randn(n, d, dtype=dt).to(device).requires_grad_(True)
W = torch.randn(d, h, dtype=dt).to(device).requires_grad_(True)
b = torch.randn(h, dtype=dt).to(device).requires_grad_(True)
T = torch.randn(n, h, dtype=dt).to(device)  # targets

Z = X @ W + b  # rows are samples: Z[i] = X[i] @ W + b
Z.retain_grad()  # keep dL/dZ, the gradient the layer receives from behind
L = ((Z - T) ** 2).sum() / n
L.backward()
G = Z.grad
print(f"L = {L.item():.6f}")


# %% shapes
def shape(t):
    return " × ".join(map(str, t.shape))


rows = [
    ["X", "N × D", shape(X)],
    ["W", "D × H", shape(W)],
    ["b", "H", shape(b)],
    ["Z = XW + b", "N × H", shape(Z)],
    ["G = ∂L/∂Z", "N × H", shape(G)],
    ["∂L/∂W = XᵀG", "(D × N)(N × H) = D × H", shape(X.T @ G)],
    ["∂L/∂X = GWᵀ", "(N × H)(H × D) = N × D", shape(G @ W.T)],
    ["∂L/∂b = Σₙ Gₙ", "H", shape(G.sum(dim=0))],
]
for name, size in [("n", n), ("d", d), ("h", h)]:
    sitekit.report(name, size)
sitekit.table("shapes", ["tensor", "cỡ", f"ở đây (N={n}, D={d}, H={h})"], rows)

# %% formulas
by_hand = {"W": X.T @ G, "X": G @ W.T, "b": G.sum(dim=0)}
for name, leaf in [("W", W), ("X", X), ("b", b)]:
    gap = (by_hand[name] - leaf.grad).abs().max().item()
    print(f"∂L/∂{name}: công thức khớp autograd, chênh lệch lớn nhất {gap:.1e}")
    sitekit.report(f"gap_{name.lower()}", gap, tol=1e-12)

# %% batch
# dL/dW is a sum over the batch of one outer product per sample: x_iᵀ g_i
per_sample = [torch.outer(X[i], G[i]) for i in range(n)]
gap = (sum(per_sample) - W.grad).abs().max().item()
print(f"tổng {n} tích ngoài xᵢᵀgᵢ so với W.grad: chênh lệch {gap:.1e}")
sitekit.report("gap_outer", gap, tol=1e-12)

for name, tensor in [("x", X), ("w", W), ("b", b), ("t", T), ("g", G)]:
    sitekit.report(name, tensor.detach())
for name, leaf in [("x", X), ("w", W), ("b", b)]:
    sitekit.report(f"grad_{name}", leaf.grad)
