"""The backward pass of BatchNorm, derived by hand through the batch statistics, vs autograd."""

import torch
import torch.nn.functional as F

import _digits
from _manual_layers import linear_backward, linear_forward, relu_backward, relu_forward
from _manual_layers import softmax_cross_entropy_backward as ce_backward
import sitekit

# %% forward
device = sitekit.device()
data = _digits.load(device)
p = {k: v.to(device) for k, v in _digits.init_params([64, 64, 10]).items()}
gamma = (1 + 0.1 * torch.randn(64, dtype=torch.float64)).to(device)  # not 1, so that γ matters
beta = (0.1 * torch.randn(64, dtype=torch.float64)).to(device)
idx = _digits.minibatches(len(data.y_train), 32, torch.Generator().manual_seed(0))[0].to(device)
x, y, eps = data.x_train[idx], data.y_train[idx], 1e-5
z = linear_forward(x, p["W1"], p["b1"])
mu, var = z.mean(dim=0), z.var(dim=0, unbiased=False)  # batch statistics, train mode
sigma = (var + eps).sqrt()
z_hat = (z - mu) / sigma
a = relu_forward(gamma * z_hat + beta)
logits = linear_forward(a, p["W2"], p["b2"])


# %% backward
def bn_backward(g_out, z_hat, sigma, gamma):
    """Gradients of out = γ·(z - μ)/σ + β, where μ and σ are computed from the batch z itself."""
    n = len(z_hat)
    g_gamma, g_beta = (g_out * z_hat).sum(dim=0), g_out.sum(dim=0)
    g_z = gamma / (n * sigma) * (n * g_out - g_beta - z_hat * g_gamma)
    return g_z, g_gamma, g_beta


g_a, g_W2, g_b2 = linear_backward(ce_backward(logits, y), a, p["W2"])
g_bn = relu_backward(g_a, gamma * z_hat + beta)
g_z, g_gamma, g_beta = bn_backward(g_bn, z_hat, sigma, gamma)
_, g_W1, g_b1 = linear_backward(g_z, x, p["W1"])
hand = {"W1": g_W1, "b1": g_b1, "gamma": g_gamma, "beta": g_beta, "W2": g_W2}

# %% check
leaves = {k: v.clone().requires_grad_(True) for k, v in {**p, "gamma": gamma, "beta": beta}.items()}
zz = x @ leaves["W1"] + leaves["b1"]
zz.retain_grad()  # keep dL/dz too, to compare it with g_z
bn_out = F.batch_norm(zz, None, None, leaves["gamma"], leaves["beta"], training=True, eps=eps)
F.cross_entropy(torch.relu(bn_out) @ leaves["W2"] + leaves["b2"], y).backward()
gaps = {k: (hand[k] - leaves[k].grad).abs().max().item() for k in hand}
gaps["z"] = (g_z - zz.grad).abs().max().item()
for k, gap in gaps.items():
    print(f"{k:>5}: viết tay so với autograd, chênh nhiều nhất {gap:.1e}")
naive = gamma / sigma * g_bn  # wrong: treats μ and σ as constants
naive_gap = (naive - zz.grad).abs().max().item()
print(f"coi μ, σ là hằng số: gradient theo z sai tới {naive_gap:.3f} (lớn nhất |dL/dz| = {g_z.abs().max():.3f})")
print(
    f"tổng theo batch của dL/dz: {g_z.sum(dim=0).abs().max().item():.1e} (đúng), {naive.sum(dim=0).abs().max():.3f} (sai)"
)
sitekit.report("gaps", gaps, tol=1e-12)
sitekit.report("max_gap", max(gaps.values()), tol=1e-12)
sitekit.report("naive_colsum", naive.sum(dim=0).abs().max(), tol="device")
sitekit.report("naive_gap", naive_gap, tol="device")
sitekit.report("grad_z_max", g_z.abs().max(), tol="device")
sitekit.report("grad_z_colsum", g_z.sum(dim=0).abs().max().item(), tol=1e-12)
sitekit.report("hand_grads", {k: hand[k] for k in ("gamma", "beta", "b1")}, tol="device")
sitekit.report("gamma", gamma, tol="device")
sitekit.report("beta", beta, tol="device")
