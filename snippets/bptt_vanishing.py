"""How ||dL/dh_t|| shrinks (or grows) with the distance T - t, for three scales of the recurrent matrix."""

import matplotlib.pyplot as plt
import torch

import sitekit

# %% setup
device = sitekit.device()
hidden, inputs, T = 16, 3, 50
torch.set_default_dtype(torch.float64)  # tiny gradients must not underflow
W0 = torch.randn(hidden, hidden) / hidden**0.5  # spectral radius about 1
U = (0.5 * torch.randn(hidden, inputs)).to(device)
xs = torch.randn(T, inputs).to(device)
scales = [0.5, 1.0, 3.0]


def grad_norms(W):
    """||dL/dh_t|| for t = 1..T, with L = sum(h_T): only the last state is scored."""
    h, states = torch.zeros(hidden, device=device, requires_grad=True), []
    for t in range(T):
        h = torch.tanh(W @ h + U @ xs[t])
        h.retain_grad()
        states.append(h)
    states[-1].sum().backward()
    return [s.grad.norm().item() for s in states]


# %% measure
curves = {}
for scale in scales:
    W = (scale * W0).to(device)
    norms = grad_norms(W)
    curves[scale] = norms
    spectral = torch.linalg.matrix_norm(W, ord=2).item()  # the largest stretch W can apply
    radius = torch.linalg.eigvals(W).abs().max().item()  # the growth rate of W^k for large k
    ratio = norms[0] / norms[-1]
    print(f"W = {scale} W0: ‖W‖₂ = {spectral:.2f}, ρ(W) = {radius:.2f}, ‖∂L/∂h_1‖ / ‖∂L/∂h_{T}‖ = {ratio:.2e}")
    key = str(scale).replace(".", "_")
    sitekit.report(f"norms_{key}", norms, tol=1e-3)
    sitekit.report(f"ratio_{key}", ratio, tol=1e-3)
    sitekit.report(f"spectral_{key}", spectral, tol=1e-5)
    sitekit.report(f"radius_{key}", radius, tol=1e-5)
sitekit.report("w0", W0, tol=1e-6)
sitekit.report("u", U, tol=1e-6)
sitekit.report("xs", xs, tol=1e-6)
sitekit.report("scales", scales)
sitekit.report("steps", T)

# %% plot
fig, ax = plt.subplots()
for scale, norms in curves.items():
    ax.plot(range(1, T + 1), norms, label=f"W = {scale} · W0")
ax.set(yscale="log", xlabel="bước thời gian t", ylabel="‖∂L/∂h_t‖")
ax.set_title(f"Mất mát chỉ tính ở bước cuối, T = {T}")
ax.legend()
sitekit.show(
    fig,
    "over-time",
    alt="Chuẩn gradient theo bước thời gian, thang logarit: với ma trận hồi quy nhỏ, gradient co lại "
    "theo cấp số nhân khi lùi xa bước cuối; với ma trận gấp ba, gradient lại lớn dần: bùng nổ.",
)
