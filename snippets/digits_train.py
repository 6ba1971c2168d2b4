"""The digits MLP trained twice from the same start: hand-written backprop and autograd."""

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

import _digits
from _manual_layers import linear_backward, linear_forward, relu_backward, relu_forward
from _manual_layers import softmax_cross_entropy_backward as ce_backward
import sitekit

# %% setup
device = sitekit.device()
data = _digits.load(device)  # float64: the two trainings can then be compared to round-off
sizes, lr, epochs, batch_size = [64, 64, 10], 0.1, 20, 64
hand = {k: v.to(device) for k, v in _digits.init_params(sizes).items()}
auto = {k: v.clone().requires_grad_(True) for k, v in hand.items()}


# %% gradients
def hand_grads(p, x, y):  # the matrix formulas of the backprop page, rows = samples
    z1 = linear_forward(x, p["W1"], p["b1"])
    a1 = relu_forward(z1)
    logits = linear_forward(a1, p["W2"], p["b2"])
    g_logits = ce_backward(logits, y)
    g_a1, g_W2, g_b2 = linear_backward(g_logits, a1, p["W2"])
    _, g_W1, g_b1 = linear_backward(relu_backward(g_a1, z1), x, p["W1"])
    return {"W1": g_W1, "b1": g_b1, "W2": g_W2, "b2": g_b2}


def logits_of(p, x):
    return torch.relu(x @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]


def auto_grads(p, x, y):
    loss = F.cross_entropy(logits_of(p, x), y)
    return dict(zip(p, torch.autograd.grad(loss, list(p.values()))))


# %% train
gen = torch.Generator().manual_seed(0)  # a new shuffle every epoch, the same on every run
curves = {f"{m}_{s}_{q}": [] for m in ("hand", "auto") for s in ("train", "val") for q in ("loss", "acc")}
gaps, first_grads = [], None
for _ in range(epochs):
    for idx in _digits.minibatches(len(data.y_train), batch_size, gen):
        x, y = data.x_train[idx.to(device)], data.y_train[idx.to(device)]
        g_hand, g_auto = hand_grads(hand, x, y), auto_grads(auto, x, y)
        if len(gaps) < 5:  # the first steps: both sets of gradients must agree
            gaps.append(max((g_hand[k] - g_auto[k]).abs().max().item() for k in hand))
            assert gaps[-1] < 1e-6, gaps[-1]
            first_grads = g_hand if len(gaps) == 1 else first_grads
        with torch.no_grad():
            for k in hand:
                hand[k] -= lr * g_hand[k]
                auto[k] -= lr * g_auto[k]
    with torch.no_grad():
        for m, p in (("hand", hand), ("auto", auto)):
            for s, xs, ys in (("train", data.x_train, data.y_train), ("val", data.x_val, data.y_val)):
                out = logits_of(p, xs)
                curves[f"{m}_{s}_loss"].append(F.cross_entropy(out, ys).item())
                curves[f"{m}_{s}_acc"].append((out.argmax(dim=1) == ys).double().mean().item())
param_gap = max((hand[k] - auto[k]).abs().max().item() for k in hand)
print("chênh lệch gradient ở 5 bước đầu:", " ".join(f"{g:.1e}" for g in gaps))
print(f"sau {epochs} epoch: tham số hai bản chênh nhau nhiều nhất {param_gap:.1e}")
print(f"độ chính xác kiểm định: tay {curves['hand_val_acc'][-1]:.4f}, autograd {curves['auto_val_acc'][-1]:.4f}")
for name, value in {"first_gaps": gaps, "max_first_gap": max(gaps), "param_gap": param_gap}.items():
    sitekit.report(name, value, tol=1e-12)  # round-off: its size differs between devices
sitekit.report("first_grads", first_grads, tol="device")
for name, curve in curves.items():  # e.g. hand_val_acc: one value per epoch
    sitekit.report(name, curve, tol="device")
steps_per_epoch = -(-len(data.y_train) // batch_size)  # the last minibatch is smaller
setup = dict(lr=lr, epochs=epochs, hidden=sizes[1], batch_size=batch_size, steps_per_epoch=steps_per_epoch)
for name, value in setup.items():
    sitekit.report(name, value)

# %% curves
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(7.2, 3.2), layout="constrained")
xs = range(1, epochs + 1)
for s, color in (("train", "C0"), ("val", "C1")):
    name = "huấn luyện" if s == "train" else "kiểm định"
    ax_loss.plot(xs, curves[f"hand_{s}_loss"], color, label=f"{name}, tay")
    ax_loss.plot(xs, curves[f"auto_{s}_loss"], "C6:", label=f"{name}, autograd")
    ax_acc.plot(xs, curves[f"hand_{s}_acc"], color, label=name)
ax_loss.set(xlabel="epoch", ylabel="hàm mất mát", yscale="log"), ax_loss.legend(fontsize=8)
ax_acc.set(xlabel="epoch", ylabel="độ chính xác"), ax_acc.legend(fontsize=8)
alt = "Hàm mất mát giảm, độ chính xác tăng theo epoch trên cả hai tập; bản viết tay và bản autograd trùng nhau."
sitekit.show(fig, "curves", alt=alt)
