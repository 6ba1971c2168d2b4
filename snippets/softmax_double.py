"""The double-softmax mistake: a softmax before F.cross_entropy (which applies its own) learns slowly."""

import math

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

import sitekit

# %% data
device = sitekit.device()
n_per_class, k = 20, 10  # ten classes around a circle
angles = torch.arange(k) * 2 * math.pi / k
centres = 3 * torch.stack([angles.cos(), angles.sin()], dim=1)
inputs = torch.cat([c + 0.4 * torch.randn(n_per_class, 2) for c in centres]).to(device)
labels = torch.arange(k).repeat_interleave(n_per_class).to(device)


# %% train
def train(double_softmax, steps=200, lr=0.5):
    torch.manual_seed(1)
    model = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, k)).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    seen, true = [], []  # the loss the code computes; the real cross-entropy of the logits
    for _ in range(steps):
        logits = model(inputs)
        out = torch.softmax(logits, dim=1) if double_softmax else logits  # the mistake: softmax first
        loss = F.cross_entropy(out, labels)  # F.cross_entropy applies log_softmax itself
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        seen.append(loss.item())
        true.append(F.cross_entropy(logits, labels).item())
    accuracy = (model(inputs).argmax(dim=1) == labels).float().mean().item()
    return seen, true, accuracy


right_seen, right_true, right_acc = train(double_softmax=False)
wrong_seen, wrong_true, wrong_acc = train(double_softmax=True)
floor = math.log(1 + (k - 1) / math.e)  # the least F.cross_entropy can give on inputs in [0, 1]
print(f"đúng (logit):      mất mát cuối {right_true[-1]:.3f}, độ chính xác {right_acc:.1%}")
print(
    f"sai (softmax hai lần): mất mát in ra {wrong_seen[-1]:.3f}, entropy chéo thật {wrong_true[-1]:.3f}, "
    f"độ chính xác {wrong_acc:.1%}"
)
print(f"mất mát in ra của bản sai không thể xuống dưới log(1 + (K-1)/e) = {floor:.3f}")
for name, value in [("right_true", right_true), ("wrong_seen", wrong_seen), ("wrong_true", wrong_true)]:
    sitekit.report(name, value, tol=1e-4)
sitekit.report("right_acc", right_acc, tol=0.02)
sitekit.report("wrong_acc", wrong_acc, tol=0.02)
sitekit.report("floor", floor)
sitekit.report("k", k)

# %% plot
fig, ax = plt.subplots(figsize=(7, 3.6))
ax.plot(right_true, "C0", label="đúng: F.cross_entropy(logits)")
ax.plot(wrong_true, "C1", label="sai: entropy chéo thật của mô hình")
ax.plot(wrong_seen, "C1--", label="sai: F.cross_entropy(softmax(logits)) in ra")
ax.axhline(floor, color="C6", linestyle=":", label="đáy log(1 + (K−1)/e)")
ax.set(xlabel="bước", ylabel="hàm mất mát", ylim=(0, 3.9))  # room for the legend above the curves
ax.legend(loc="upper right")
sitekit.show(
    fig,
    "curves",
    alt="Hai đường học: bản đúng giảm nhanh về gần 0; bản softmax hai lần giảm chậm, "
    "và mất mát nó in ra dừng ở trên một đáy cố định.",
)
