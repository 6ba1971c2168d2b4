"""One neuron z = w·x + b, a = σ(z): ∂L/∂w, ∂L/∂b and ∂L/∂x by the chain rule, against autograd."""

import torch

import sitekit

# %% layer
device = sitekit.device()
x = torch.tensor(0.8, dtype=torch.float64, device=device, requires_grad=True)
w = torch.tensor(-1.5, dtype=torch.float64, device=device, requires_grad=True)
b = torch.tensor(0.3, dtype=torch.float64, device=device, requires_grad=True)
target = 1.0
z = w * x + b
a = torch.sigmoid(z)
loss = 0.5 * (a - target) ** 2
loss.backward()

# %% by-hand
dL_da = (a - target).item()  # L = ½(a − t)²
f_prime = (a * (1 - a)).item()  # σ'(z) = σ(z)(1 − σ(z))
by_hand = {
    "w": dL_da * f_prime * x.item(),  # ∂L/∂a · f'(z) · x
    "b": dL_da * f_prime,  # ∂L/∂a · f'(z)
    "x": dL_da * f_prime * w.item(),  # ∂L/∂a · f'(z) · w
}
print(f"z = {z.item():+.6f}, a = σ(z) = {a.item():.6f}, L = {loss.item():.6f}")
print(f"∂L/∂a = {dL_da:+.6f}, f'(z) = {f_prime:.6f}")
for name, tensor in [("w", w), ("b", b), ("x", x)]:
    print(f"∂L/∂{name}: công thức {by_hand[name]:+.12f}, autograd {tensor.grad.item():+.12f}")
for name, value in [("x", x), ("w", w), ("b", b), ("target", target), ("loss", loss)]:
    sitekit.report(name, value)
sitekit.report("z", z)
sitekit.report("a", a)
sitekit.report("dl_da", dL_da)
sitekit.report("f_prime", f_prime)
for name, tensor in [("w", w), ("b", b), ("x", x)]:
    sitekit.report(f"by_hand_{name}", by_hand[name])
    sitekit.report(f"autograd_{name}", tensor.grad)
