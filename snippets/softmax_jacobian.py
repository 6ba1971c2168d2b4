"""The softmax Jacobian diag(p) - ppᵀ and the cross-entropy gradient (P - Y)/N, against autograd."""

import torch
import torch.nn.functional as F

import sitekit

# %% jacobian
device = sitekit.device()
dt = torch.float64
s = torch.randn(4, dtype=dt).to(device)  # the logits of one sample
p = torch.softmax(s, dim=0)
by_hand = torch.diag(p) - torch.outer(p, p)  # J[i, j] = p_i (δ_ij - p_j)
auto = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, dim=0), s)
torch.set_printoptions(precision=4, sci_mode=False)
print("p =", p.cpu())
print("diag(p) - ppᵀ =\n", by_hand.cpu())
gap = (by_hand - auto).abs().max().item()
print(f"so với torch.autograd.functional.jacobian: chênh lệch lớn nhất {gap:.1e}")
col_sums = by_hand.sum(dim=0).abs().max().item()  # the probabilities always sum to 1
print(f"tổng mỗi cột của J bằng 0 (lớn nhất {col_sums:.1e})")
sitekit.report("s", s)
sitekit.report("p", p)
sitekit.report("jacobian", by_hand)
sitekit.report("jacobian_gap", gap, tol=1e-12)

# %% one-sample
y = 2  # the correct class
one_hot = F.one_hot(torch.tensor(y), 4).to(dt).to(device)
# L = -log p_y; dL/dp = -one_hot / p_y; the chain rule through J gives p - one_hot
dl_dp = -one_hot / p[y]
through_jacobian = by_hand.T @ dl_dp
print("Jᵀ (∂L/∂p) =", through_jacobian.cpu())
print("p - y       =", (p - one_hot).cpu())
sitekit.report("label", y)
sitekit.report("through_jacobian", through_jacobian)

# %% batch
n, c = 5, 4
logits = torch.randn(n, c, dtype=dt).to(device).requires_grad_(True)
labels = torch.randint(0, c, (n,)).to(device)
loss = F.cross_entropy(logits, labels)  # the mean over the batch
loss.backward()
Y = F.one_hot(labels, c).to(dt)  # one-hot rows, on the labels' device
formula = (torch.softmax(logits.detach(), dim=1) - Y) / n
gap = (formula - logits.grad).abs().max().item()
print(f"(P - Y)/N so với gradient của F.cross_entropy: chênh lệch lớn nhất {gap:.1e}")
sitekit.report("batch_gap", gap, tol=1e-12)
sitekit.report("logits", logits.detach())
sitekit.report("labels", labels)
sitekit.report("logits_grad", logits.grad)
