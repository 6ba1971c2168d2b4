"""Truncated BPTT: a long sequence in chunks; the hidden state must be detached between chunks."""

import torch
from torch import nn

import sitekit

# %% setup
device = sitekit.device()
chunk, chunks = 10, 4
seq = torch.sin(torch.linspace(0, 12, chunk * chunks + 1)).reshape(-1, 1, 1).to(device)  # (time, batch, 1)
inputs, targets = seq[:-1], seq[1:]  # predict the next value


def make():
    sitekit.seed(0)
    rnn, head = nn.RNN(1, 16).to(device), nn.Linear(16, 1).to(device)
    return rnn, head, torch.optim.SGD([*rnn.parameters(), *head.parameters()], lr=0.05)


# %% wrong
rnn, head, optimizer = make()
h = torch.zeros(1, 1, 16, device=device)
out, h = rnn(inputs[:chunk], h)
loss = nn.functional.mse_loss(head(out), targets[:chunk])
loss.backward()  # chunk 0: fine, and its graph is freed
optimizer.step()
out, h = rnn(inputs[chunk : 2 * chunk], h)  # h still hangs on the graph of chunk 0
loss = nn.functional.mse_loss(head(out), targets[chunk : 2 * chunk])
optimizer.zero_grad()
with sitekit.expect(RuntimeError, match="Trying to backward through the graph a second time"):
    loss.backward()  # walks back through h into chunk 0's freed graph

# %% retain-graph
rnn, head, optimizer = make()
out, h = rnn(inputs[:chunk], torch.zeros(1, 1, 16, device=device))
nn.functional.mse_loss(head(out), targets[:chunk]).backward(retain_graph=True)  # keep chunk 0's graph
optimizer.step()  # ...but this updates, in place, weights that the kept graph still needs
out, h = rnn(inputs[chunk : 2 * chunk], h)
optimizer.zero_grad()
with sitekit.expect(RuntimeError, match="modified by an inplace operation"):
    nn.functional.mse_loss(head(out), targets[chunk : 2 * chunk]).backward()

# %% right
rnn, head, optimizer = make()
h = torch.zeros(1, 1, 16, device=device)
losses = []
for _ in range(30):
    for i in range(chunks):
        x, y = inputs[i * chunk : (i + 1) * chunk], targets[i * chunk : (i + 1) * chunk]
        h = h.detach()  # keep the value, cut the graph: gradients stop at the chunk border
        out, h = rnn(x, h)
        loss = nn.functional.mse_loss(head(out), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    h = torch.zeros(1, 1, 16, device=device)  # a new pass over the sequence starts from zero
print(f"mất mát của đoạn đầu: {losses[0]:.4f}, của đoạn cuối sau 30 lượt: {losses[-1]:.4f}")
sitekit.report("losses", losses, tol=1e-3)

# %% reach
rnn, head, _ = make()
x = inputs.clone().requires_grad_()
h = torch.zeros(1, 1, 16, device=device)
for i in range(chunks):
    h = h.detach()
    out, h = rnn(x[i * chunk : (i + 1) * chunk], h)
nn.functional.mse_loss(head(out), targets[-chunk:]).backward()  # the loss of the LAST chunk
reach = x.grad.flatten().abs().tolist()  # |dL/dx_t| for every time step t
print(f"|∂L/∂x_t| khác 0 ở {sum(r > 0 for r in reach)} bước cuối, bằng 0 ở {sum(r == 0 for r in reach)} bước đầu")
sitekit.report("reach", reach, tol=1e-4)
sitekit.report("chunk", chunk)
sitekit.report("chunks", chunks)
