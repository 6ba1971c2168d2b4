"""The usual cause of "backward through the graph a second time": a tensor carried across iterations."""

import torch

import sitekit

# %% setup
device = sitekit.device()
# drawn on the CPU, then moved: the same numbers on every device
W = (0.5 * torch.randn(3, 3)).to(device).requires_grad_()
sequence = torch.randn(4, 3).to(device)  # four steps of a tiny recurrent network

# %% carried
h = torch.zeros(3, device=device)
with sitekit.expect(RuntimeError, match="backward through the graph a second time"):
    for x_t in sequence:
        h = torch.tanh(W @ h + x_t)  # h still holds the graph of every earlier step
        loss = h.pow(2).sum()
        loss.backward()  # step 2 goes back through step 1's graph, already freed

# %% detach
W.grad = None
h = torch.zeros(3, device=device)
for x_t in sequence:
    h = torch.tanh(W @ h.detach() + x_t)  # cut the history: each backward stays inside one step
    h.pow(2).sum().backward()
print(f"h.detach(): chạy hết {len(sequence)} bước, chuẩn của W.grad = {W.grad.norm().item():.4f}")
sitekit.report("detach_norm", W.grad.norm(), tol="device")

# %% item
W.grad = None
running = 0.0
for x_t in sequence:
    loss = torch.tanh(W @ x_t).pow(2).sum()
    loss.backward()
    running += loss.item()  # a number, not a tensor: `running += loss` would keep every graph alive
print(f"tổng mất mát để theo dõi, bằng .item(): {running:.4f}")

# %% sum-once
W.grad = None
h, losses = torch.zeros(3, device=device), []
for x_t in sequence:
    h = torch.tanh(W @ h + x_t)
    losses.append(h.pow(2).sum())
torch.stack(losses).sum().backward()  # one backward through the whole sequence
print(f"một backward cho tổng mất mát: chuẩn của W.grad = {W.grad.norm().item():.4f}")
sitekit.report("sum_once_grad", W.grad, tol="device")
sitekit.report("sum_once_norm", W.grad.norm(), tol="device")
sitekit.report("weights", W)
sitekit.report("sequence", sequence)
