"""BatchNorm in train() and eval(): batch statistics vs running statistics, and their update."""

import torch

import _digits
import sitekit

# %% setup
device = sitekit.device()
data = _digits.load(device)
W1 = _digits.init_params([64, 64, 10])["W1"].to(device)
bn = torch.nn.BatchNorm1d(64, momentum=0.1, dtype=torch.float64).to(device)  # γ = 1, β = 0 at the start
gen = torch.Generator().manual_seed(0)
batches = [data.x_train[idx.to(device)] @ W1 for idx in _digits.minibatches(len(data.y_train), 32, gen)[:5]]

# %% running
momentum, eps = bn.momentum, bn.eps
mean, var = torch.zeros(64, dtype=torch.float64, device=device), torch.ones(64, dtype=torch.float64, device=device)
bn.train()
for z in batches:
    out = bn(z)
    mean = (1 - momentum) * mean + momentum * z.mean(dim=0)
    var = (1 - momentum) * var + momentum * z.var(dim=0, unbiased=True)  # n/(n-1): unbiased here
gaps = {"mean": (bn.running_mean - mean).abs().max().item(), "var": (bn.running_var - var).abs().max().item()}
print(f"sau {len(batches)} batch: running_mean lệch công thức tay {gaps['mean']:.1e}, running_var {gaps['var']:.1e}")
print(f"bn.num_batches_tracked = {bn.num_batches_tracked.item()}")
sitekit.report("running_mean_gap", gaps["mean"], tol=1e-12)
sitekit.report("running_var_gap", gaps["var"], tol=1e-12)
sitekit.report("n_batches", len(batches))
sitekit.report("momentum", momentum)

# %% train-vs-eval
z = batches[-1]
bn.train()
out_train = bn(z)  # normalised with this batch's mean and biased variance (and updates the stats)
hand_train = (z - z.mean(dim=0)) / (z.var(dim=0, unbiased=False) + eps).sqrt()
bn.eval()
out_eval = bn(z)  # normalised with the running statistics; nothing is updated
hand_eval = (z - bn.running_mean) / (bn.running_var + eps).sqrt()
diff = (out_train - out_eval).abs().max().item()
print(f"train(): lệch công thức tay {(out_train - hand_train).abs().max().item():.1e}")
print(f"eval():  lệch công thức tay {(out_eval - hand_eval).abs().max().item():.1e}")
print(f"cùng một batch, đầu ra train() và eval() khác nhau tới {diff:.3f}")
sitekit.report("train_gap", (out_train - hand_train).abs().max().item(), tol=1e-12)
sitekit.report("eval_gap", (out_eval - hand_eval).abs().max().item(), tol=1e-12)
sitekit.report("train_eval_diff", diff, tol="device")

# %% one-sample
sample = z[:1]
alone = bn(sample)  # eval(): a sample's output does not depend on the rest of the batch
same = (alone - out_eval[:1]).abs().max().item()
bn.train()
with sitekit.expect(ValueError, match="Expected more than 1 value per channel"):
    bn(sample)  # train(): one sample has no batch variance
print(f"eval(): một ảnh riêng lẻ cho đúng đầu ra như trong batch (lệch {same:.1e})")
sitekit.report("alone_gap", same, tol=1e-12)
