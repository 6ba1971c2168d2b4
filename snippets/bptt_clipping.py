"""clip_grad_norm_ on an RNN whose gradient explodes, redone by hand from its definition."""

import torch
from torch import nn

import sitekit

# %% setup
device = sitekit.device()
rnn = nn.RNN(input_size=3, hidden_size=8, nonlinearity="tanh").to(device)
head = nn.Linear(8, 1).to(device)
with torch.no_grad():
    rnn.weight_hh_l0.mul_(6.0)  # a large recurrent matrix makes a large gradient
xs = torch.randn(40, 1, 3).to(device)  # (time, batch, features)
y = torch.randn(1, 1).to(device)
params = list(rnn.parameters()) + list(head.parameters())
max_norm = 1.0

# %% clip
out, h_last = rnn(xs)
loss = nn.functional.mse_loss(head(out[-1]), y)
loss.backward()
before = [p.grad.clone() for p in params]
returned = nn.utils.clip_grad_norm_(params, max_norm=max_norm)  # the norm BEFORE clipping
after = [p.grad.clone() for p in params]

# %% by-hand
total = torch.sqrt(sum((g**2).sum() for g in before))  # one norm over ALL parameters together
coef = min(1.0, max_norm / (total.item() + 1e-6))  # PyTorch adds 1e-6 to avoid dividing by 0
by_hand = [g * coef for g in before]
gap = max((a - b).abs().max().item() for a, b in zip(after, by_hand))
print(f"chuẩn trả về {returned.item():.4f}, chuẩn tính tay {total.item():.4f}")
print(f"hệ số thu nhỏ {coef:.3e}; chuẩn sau khi gọt {torch.sqrt(sum((g**2).sum() for g in after)).item():.4f}")
print(f"gradient sau khi gọt và tính tay lệch nhau nhiều nhất {gap:.1e}")
sitekit.report("returned", returned.item(), tol=1e-4)
sitekit.report("total", total.item(), tol=1e-4)
sitekit.report("coef", coef, tol=1e-4)
sitekit.report("gap", gap, tol=1e-6)
sitekit.report("before", torch.cat([g.flatten() for g in before]), tol=1e-4)
sitekit.report("after", torch.cat([g.flatten() for g in after]), tol=1e-4)
sitekit.report("max_norm", max_norm)
