"""Adam with an L2 term vs AdamW: each written by hand, checked against torch.optim."""

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F

import _digits
import sitekit

# %% update
lr, lam, betas, eps = 0.01, 0.1, (0.9, 0.999), 1e-8


def adam_update(p, g, state, decoupled):
    """One Adam step on tensor p; decoupled=True is AdamW. state: m, v, t (updated in place)."""
    if decoupled:
        p.mul_(1 - lr * lam)  # AdamW: shrink the weight itself, outside the moments
    else:
        g = g + lam * p  # Adam + L2: the penalty's gradient λp joins the moments
    state["t"] += 1
    state["m"] = betas[0] * state["m"] + (1 - betas[0]) * g
    state["v"] = betas[1] * state["v"] + (1 - betas[1]) * g * g
    m_hat = state["m"] / (1 - betas[0] ** state["t"])
    v_hat = state["v"] / (1 - betas[1] ** state["t"])
    p.sub_(lr * m_hat / (v_hat.sqrt() + eps))


# %% run
device = sitekit.device()
data = _digits.load(device)
names = ["adam_l2_hand", "adam_l2_torch", "adamw_hand", "adamw_torch"]
models = {n: _digits.mlp([64, 32, 10]).to(device) for n in names}
torch_opts = {
    "adam_l2_torch": torch.optim.Adam(models["adam_l2_torch"].parameters(), lr, betas, eps, weight_decay=lam),
    "adamw_torch": torch.optim.AdamW(models["adamw_torch"].parameters(), lr, betas, eps, weight_decay=lam),
}
states = {n: [{"m": 0, "v": 0, "t": 0} for _ in models[n].parameters()] for n in names}
gen = torch.Generator().manual_seed(0)
norms = {n: [] for n in names}
for _ in range(100):
    idx = torch.randint(len(data.y_train), (64,), generator=gen).to(device)
    for n, model in models.items():
        model.zero_grad()
        F.cross_entropy(model(data.x_train[idx]), data.y_train[idx]).backward()
        if n in torch_opts:
            torch_opts[n].step()
        else:
            with torch.no_grad():
                for p, state in zip(model.parameters(), states[n]):
                    adam_update(p, p.grad, state, decoupled=n.startswith("adamw"))
        norms[n].append(model[0].weight.norm().item())
flat = {n: torch.cat([p.detach().flatten() for p in m.parameters()]) for n, m in models.items()}
gaps = {
    "adam_l2": (flat["adam_l2_hand"] - flat["adam_l2_torch"]).abs().max().item(),
    "adamw": (flat["adamw_hand"] - flat["adamw_torch"]).abs().max().item(),
    "l2_vs_adamw": (flat["adam_l2_torch"] - flat["adamw_torch"]).abs().max().item(),
}
print(f"Adam + L2: tay so với torch.optim.Adam(weight_decay={lam}): {gaps['adam_l2']:.1e}")
print(f"AdamW:     tay so với torch.optim.AdamW(weight_decay={lam}): {gaps['adamw']:.1e}")
print(f"sau 100 bước, Adam + L2 và AdamW lệch nhau tới {gaps['l2_vs_adamw']:.3f}")
print(f"‖W1‖: Adam + L2 {norms['adam_l2_torch'][-1]:.3f}, AdamW {norms['adamw_torch'][-1]:.3f}")
for name, gap in gaps.items():
    sitekit.report(f"gap_{name}", gap, tol=1e-12 if name != "l2_vs_adamw" else "device")
sitekit.report("norm_start", torch.linalg.norm(_digits.init_params([64, 32, 10])["W1"]).item())
sitekit.report("norms", norms, tol="device")
for name, value in {"lr": lr, "lam": lam, "beta1": betas[0], "beta2": betas[1], "eps": eps}.items():
    sitekit.report(name, value)

# %% plot
fig, ax = plt.subplots()
ax.plot(norms["adam_l2_torch"], label="Adam + L2 (weight_decay của Adam)")
ax.plot(norms["adamw_torch"], "C1", label="AdamW")
ax.plot(norms["adam_l2_hand"], "C6:", label="viết tay")
ax.plot(norms["adamw_hand"], "C6:")
ax.set(xlabel="bước", ylabel="‖W1‖ (chuẩn Frobenius)")
ax.legend()
alt = "Chuẩn của W1 theo bước: đường Adam với L2 và đường AdamW tách xa nhau; bản viết tay trùng bản của torch."
sitekit.show(fig, "norms", alt=alt)
