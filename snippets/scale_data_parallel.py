"""Data parallelism with torch.distributed: two processes, half a batch each, one all-reduce."""
# sitekit: device=cpu
# Two CPU processes talking over the gloo backend: this demonstration runs on CPU by nature.

import os
import tempfile

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn

import sitekit

# %% setup
world = 2
x = torch.randn(16, 4)
y = torch.randn(16, 1)
model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))
loss_fn = nn.MSELoss()
# No backward() in this process before the fork: autograd's worker threads do not survive a fork.


# %% worker
def worker(rank, init, results):
    torch.set_num_threads(1)
    os.environ.setdefault("GLOO_SOCKET_IFNAME", "lo")
    dist.init_process_group("gloo", init_method=init, rank=rank, world_size=world)
    part_x, part_y = x.chunk(world)[rank], y.chunk(world)[rank]  # this process's shard
    loss_fn(model(part_x), part_y).backward()
    local = torch.cat([p.grad.flatten() for p in model.parameters()])
    for p in model.parameters():  # what DistributedDataParallel does, bucket by bucket
        dist.all_reduce(p.grad, op=dist.ReduceOp.SUM)
        p.grad /= world
    averaged = torch.cat([p.grad.flatten() for p in model.parameters()])
    results.put((rank, local.tolist(), averaged.tolist()))
    dist.destroy_process_group()


# %% launch
context = mp.get_context("fork")  # children inherit x, y and the model as they are now
results = context.SimpleQueue()
with tempfile.TemporaryDirectory() as folder:
    init = "file://" + os.path.join(folder, "rendezvous")
    mp.start_processes(worker, args=(init, results), nprocs=world, start_method="fork")
received = sorted(results.get() for _ in range(world))

# %% compare
loss_fn(model(x), y).backward()  # reference: one process, the whole batch
full = torch.cat([p.grad.flatten() for p in model.parameters()])
local = [torch.tensor(r[1]) for r in received]
averaged = [torch.tensor(r[2]) for r in received]
gap = max((a - full).abs().max().item() for a in averaged)
print(f"tiến trình 0: chuẩn gradient cục bộ = {local[0].norm():.6f}")
print(f"tiến trình 1: chuẩn gradient cục bộ = {local[1].norm():.6f}")
identical = torch.equal(averaged[0], averaged[1])
print(f"sau all-reduce, hai tiến trình có cùng gradient: {identical}")
print(f"trung bình so với gradient cả batch (1 tiến trình): sai khác lớn nhất {gap:.2e}")

sitekit.report("world", world)
sitekit.report("batch", x.shape[0])
sitekit.report("max_gap", gap)
sitekit.report("identical", identical)
sitekit.report("full_grad", full)
sitekit.report("local_grads", local)
sitekit.report("averaged_grads", averaged)
sitekit.report("x", x)
sitekit.report("y", y)
sitekit.report("params", [p.detach() for p in model.parameters()])
