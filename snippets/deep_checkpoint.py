"""Activation checkpointing: keep only each segment's input, recompute the rest during backward."""

import torch
from torch import nn
from torch.utils.checkpoint import checkpoint

import sitekit

# %% setup
device = sitekit.device()
depth, width, batch, segments = 16, 256, 64, 4
x = torch.randn(batch, width).to(device)
forward_calls = 0


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(width, width)

    def forward(self, a):
        global forward_calls
        forward_calls += 1
        return torch.relu(self.linear(a))  # Linear saves its input, ReLU its output


model = nn.Sequential(*[Block() for _ in range(depth)]).to(device)
params = {p.untyped_storage().data_ptr() for p in model.parameters()}


def run(use_checkpoint):
    """Bytes of activations saved for backward, forward calls, and the gradients."""
    global forward_calls
    forward_calls, saved = 0, {}
    model.zero_grad()

    def pack(t):  # called for every tensor autograd keeps for the backward pass
        ptr = t.untyped_storage().data_ptr()  # count each memory block once (ReLU out = next input)
        if ptr not in params:  # weights are stored anyway: count activations only
            saved[ptr] = t.untyped_storage().nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        h, size = x, depth // segments
        for i in range(0, depth, size):
            part = model[i : i + size]
            h = checkpoint(part, h, use_reentrant=False) if use_checkpoint else part(h)
    saved_bytes = sum(saved.values())
    h.square().mean().backward()
    return saved_bytes, forward_calls, [p.grad.clone() for p in model.parameters()]


# %% compare
plain_bytes, plain_calls, plain_grads = run(False)
ckpt_bytes, ckpt_calls, ckpt_grads = run(True)
gap = max((a - b).abs().max().item() for a, b in zip(plain_grads, ckpt_grads))
print(f"không checkpoint: giữ {plain_bytes / 1024:.0f} KiB, {plain_calls} lần gọi forward của tầng")
print(f"checkpoint {segments} đoạn: giữ {ckpt_bytes / 1024:.0f} KiB, {ckpt_calls} lần gọi forward của tầng")
print(f"gradient lệch nhau nhiều nhất: {gap:.1e}")
sitekit.report("plain_kib", plain_bytes / 1024)
sitekit.report("ckpt_kib", ckpt_bytes / 1024)
sitekit.report("plain_calls", plain_calls)
sitekit.report("ckpt_calls", ckpt_calls)
sitekit.report("grad_gap", gap, tol=1e-6)
sitekit.report("depth", depth)
sitekit.report("width", width)
sitekit.report("batch", batch)
sitekit.report("segments", segments)
