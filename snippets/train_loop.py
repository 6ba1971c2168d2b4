"""Plain gradient descent on f(x) = 3x² − 2x + 3 with PyTorch's five-step loop."""

import matplotlib.pyplot as plt
import torch

import sitekit

# %% setup
device = sitekit.device()
x0, lr, steps = -1.0, 0.01, 80
x = torch.tensor([x0], device=device, requires_grad=True)
optimizer = torch.optim.SGD([x], lr=lr)


def f(x):
    return 3 * x**2 - 2 * x + 3


# %% loop
losses, xs, grads = [], [], []
for step in range(steps):
    optimizer.zero_grad()  # 1. xoá gradient của bước trước
    loss = f(x).sum()  # 2. lượt truyền xuôi và hàm mất mát
    loss.backward()  # 3. lượt truyền ngược: tính x.grad
    grads.append(x.grad.item())
    x_before = x.item()  # x_k, the point where f and x.grad were computed
    optimizer.step()  # 4. cập nhật: x = x - lr * x.grad
    losses.append(loss.item())  # 5. theo dõi
    xs.append(x.item())
    if step % 10 == 0 or step == steps - 1:  # one line, one step: x_k, f(x_k), f'(x_k)
        print(f"bước {step:2d}: x = {x_before:.4f}, f(x) = {loss.item():.4f}, x.grad = {grads[-1]:+.4f}")

# %% result
factor = 1 - 6 * lr  # x_{k+1} - 1/3 = (1 - 6 lr)(x_k - 1/3)
closed_form = 1 / 3 + (x0 - 1 / 3) * factor**steps
print(f"x cuối cùng     = {x.item():.6f}")
print(f"công thức đóng  = {closed_form:.6f}")
print(f"cực tiểu đúng   = {1 / 3:.6f}, còn thiếu {1 / 3 - x.item():.6f}")
sitekit.report("final_x", x.item())
sitekit.report("closed_form_x", closed_form)
sitekit.report("gap", 1 / 3 - x.item())
sitekit.report("factor", factor)
sitekit.report("final_loss", f(x).item())
sitekit.report("losses", losses)
sitekit.report("xs", xs)
sitekit.report("grads", grads)
sitekit.report("lr", lr)
sitekit.report("steps", steps)
sitekit.report("x0", x0)

# %% plots
fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.2))
left.plot(range(steps), losses)
left.set(title="Hàm mất mát f(x) theo bước", xlabel="bước", ylabel="f(x)")
right.plot(range(steps), xs, label="x")
right.axhline(1 / 3, linestyle="--", color="C1", label="x* = 1/3")
right.set(title="Giá trị x theo bước", xlabel="bước", ylabel="x")
right.legend()
sitekit.show(fig, "progress", alt="Hai đồ thị: f(x) giảm dần theo bước; x tăng từ −1 tiến gần 1/3.")
