"""The chain rule for fg(x) = f(g(x)) and for a chain of four functions, against autograd."""

import torch

import sitekit


# %% two
device = sitekit.device()


def g(x):
    return x**2


def f(x1):
    return torch.sin(x1)


x = torch.tensor(1.2, dtype=torch.float64, device=device, requires_grad=True)
x1 = g(x)
y = f(x1)
y.backward()
dy_dx1 = torch.cos(x1)  # f'(x1)
dx1_dx = 2 * x  # g'(x)
print(f"grad(y, x1) = {dy_dx1.item():+.6f}, grad(x1, x) = {dx1_dx.item():+.6f}")
print(f"tích        = {(dy_dx1 * dx1_dx).item():+.10f}")
print(f"autograd    = {x.grad.item():+.10f}")
sitekit.report("two_x", x)
sitekit.report("two_product", dy_dx1 * dx1_dx)
sitekit.report("two_autograd", x.grad)

# %% four
chain = [  # (name, function, its derivative), applied from the first to the last
    ("j(x) = 3x + 1", lambda t: 3 * t + 1, lambda t: 3 + 0 * t),
    ("h(x1) = tanh(x1)", torch.tanh, lambda t: 1 - torch.tanh(t) ** 2),
    ("g(x2) = x2²", lambda t: t**2, lambda t: 2 * t),
    ("f(x3) = exp(x3)", torch.exp, torch.exp),
]
x = torch.tensor(0.1, dtype=torch.float64, device=device, requires_grad=True)
value, local = x, []
for name, fn, derivative in chain:
    local.append(derivative(value).detach())
    print(f"{name:<17} tại {value.item():+.4f}: đạo hàm cục bộ {local[-1].item():+.6f}")
    value = fn(value)
value.backward()
product = torch.stack(local).prod()
print(f"tích bốn đạo hàm = {product.item():+.10f}")
print(f"autograd         = {x.grad.item():+.10f}")
sitekit.report("four_x", x)
sitekit.report("four_local", torch.stack(local))
sitekit.report("four_product", product)
sitekit.report("four_autograd", x.grad)
