"""Saddle points outnumber minima in many dimensions: random Hessians and a small network."""

import torch

import sitekit

# %% random
device = sitekit.device()
# A critical point's Hessian, drawn at random: symmetric, Gaussian entries (the GOE).
samples, rows = 20000, []
for n in (1, 2, 3, 4, 6, 10):
    a = torch.randn(samples, n, n, dtype=torch.float64).to(device)
    eig = torch.linalg.eigvalsh((a + a.transpose(1, 2)) / 2)
    minima, maxima = (eig > 0).all(1).double().mean().item(), (eig < 0).all(1).double().mean().item()
    rows.append([n, minima, maxima, 1 - minima - maxima, (eig < 0).double().mean().item()])
sitekit.table("kinds", ["số chiều", "cực tiểu", "cực đại", "điểm yên ngựa", "tỉ lệ trị riêng âm"], rows, fmt=".4f")
sitekit.report("samples", samples)
sitekit.report("kinds", rows)
sitekit.report("first_no_minimum", min(row[0] for row in rows if row[1] == 0))

# %% network
# A 2 -> 3 -> 1 tanh network without biases: all-zero weights are a critical point.
x = torch.randn(32, 2, dtype=torch.float64).to(device)
y = torch.sin(x[:, :1] - 2 * x[:, 1:])


def loss_of(theta):
    w1, w2 = theta[:6].reshape(2, 3), theta[6:].reshape(3, 1)
    return ((torch.tanh(x @ w1) @ w2 - y) ** 2).mean()


origin = torch.zeros(9, dtype=torch.float64, device=device, requires_grad=True)
loss_of(origin).backward()
hessian = torch.autograd.functional.hessian(loss_of, origin.detach())
eigenvalues = torch.linalg.eigvalsh(hessian)
print(f"‖gradient‖ tại gốc = {origin.grad.norm().item():.1e}")
print("trị riêng của ma trận Hessian:", " ".join(f"{v:+.3f}" for v in eigenvalues.tolist()))
negative = (eigenvalues < -1e-9).sum().item()
print(f"{negative} trên {len(eigenvalues)} trị riêng âm: gốc là một điểm yên ngựa, không phải cực tiểu")
sitekit.report("net_x", x)
sitekit.report("net_y", y)
sitekit.report("net_grad_norm", origin.grad.norm().item())
sitekit.report("net_eigenvalues", eigenvalues, tol=1e-9)
sitekit.report("net_negative", negative)
sitekit.report("net_params", len(eigenvalues))
