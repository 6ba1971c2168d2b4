"""Backprop through time by hand: dL/dh_{t-1} = Wᵀ diag(1 − h_t²) dL/dh_t, checked against autograd."""

import torch

import sitekit

# %% setup
device = sitekit.device()
hidden, inputs, T = 4, 3, 6
# columns convention: h_t = tanh(W h_{t-1} + U x_t + b), h_0 = 0, loss on the last state only
W = (0.5 * torch.randn(hidden, hidden, dtype=torch.float64)).to(device).requires_grad_()
U = (0.5 * torch.randn(hidden, inputs, dtype=torch.float64)).to(device).requires_grad_()
b = torch.zeros(hidden, dtype=torch.float64, device=device, requires_grad=True)
xs = torch.randn(T, inputs, dtype=torch.float64).to(device)
y = torch.randn(hidden, dtype=torch.float64).to(device)

# %% unroll
h = torch.zeros(hidden, dtype=torch.float64, device=device)
states = [h]  # h_0 .. h_T
for t in range(T):
    h = torch.tanh(W @ h + U @ xs[t] + b)
    h.retain_grad()
    states.append(h)
loss = 0.5 * (states[-1] - y).pow(2).sum()
loss.backward()

# %% by-hand
with torch.no_grad():
    g = states[-1] - y  # dL/dh_T
    grads_h, grad_W = [g], torch.zeros_like(W)
    for t in range(T, 0, -1):
        g_pre = (1 - states[t] ** 2) * g  # through tanh: diag(1 - h_t²)
        grad_W += torch.outer(g_pre, states[t - 1])  # W is used at every step: the terms add up
        g = W.T @ g_pre  # dL/dh_{t-1} = Wᵀ diag(1 - h_t²) dL/dh_t
        grads_h.insert(0, g)
auto_h = [s.grad for s in states[1:]]
gap_h = max((a - m).abs().max().item() for a, m in zip(auto_h, grads_h[1:]))
gap_W = (grad_W - W.grad).abs().max().item()
print(f"∂L/∂h_t viết tay và autograd lệch nhau nhiều nhất {gap_h:.1e} (t = 1..{T})")
print(f"∂L/∂W viết tay và autograd lệch nhau nhiều nhất {gap_W:.1e}")
print("‖∂L/∂h_t‖:", [round(g.norm().item(), 4) for g in grads_h])
sitekit.report("grad_h", torch.stack(grads_h), tol=1e-12)
sitekit.report("grad_w", grad_W, tol=1e-12)
sitekit.report("gap_h", gap_h, tol=1e-12)
sitekit.report("gap_w", gap_W, tol=1e-12)
sitekit.report("w", W, tol=1e-12)
sitekit.report("u", U, tol=1e-12)
sitekit.report("xs", xs, tol=1e-12)
sitekit.report("y", y, tol=1e-12)
sitekit.report("steps", T)
