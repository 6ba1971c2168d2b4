"""The BPTT page: the gradient through T steps, vanishing over time, clipping, truncated BPTT."""

import numpy as np
import pytest

from conftest import read_page


def rnn_states(W, U, xs, h0=None, start=0):
    """h_t = tanh(W h_{t-1} + U x_t) (b = 0) from step `start`, in numpy; returns h_start .. h_T."""
    h = np.zeros(W.shape[0]) if h0 is None else h0
    states = [h]
    for x in xs[start:]:
        h = np.tanh(W @ h + U @ x)
        states.append(h)
    return states


def test_bptt_gradients_match_finite_differences(outputs):
    v = outputs("bptt_jacobian")
    W, U, xs, y = (np.array(v[k]) for k in ("w", "u", "xs", "y"))
    T = v["steps"]
    assert len(xs) == T
    loss = lambda W: 0.5 * ((rnn_states(W, U, xs)[-1] - y) ** 2).sum()  # noqa: E731
    h = 1e-6
    numeric_W = np.zeros_like(W)
    for i in range(W.shape[0]):
        for j in range(W.shape[1]):
            E = np.zeros_like(W)
            E[i, j] = h
            numeric_W[i, j] = (loss(W + E) - loss(W - E)) / (2 * h)
    assert np.allclose(v["grad_w"], numeric_W, rtol=0, atol=1e-7)
    # dL/dh_t: nudge h_t and run the remaining steps
    states = rnn_states(W, U, xs)
    grad_h = np.array(v["grad_h"])  # rows: t = 0 .. T
    for t in range(T + 1):
        numeric = np.zeros(W.shape[0])
        for i in range(W.shape[0]):
            e = np.zeros(W.shape[0])
            e[i] = h
            up = rnn_states(W, U, xs, states[t] + e, start=t)[-1]
            down = rnn_states(W, U, xs, states[t] - e, start=t)[-1]
            numeric[i] = (0.5 * ((up - y) ** 2).sum() - 0.5 * ((down - y) ** 2).sum()) / (2 * h)
        assert np.allclose(grad_h[t], numeric, rtol=0, atol=1e-7), t
    assert v["gap_h"] < 1e-12 and v["gap_w"] < 1e-12


def test_vanishing_over_time_follows_the_jacobian_product(outputs):
    v = outputs("bptt_vanishing")
    W0, U, xs = (np.array(v[k]) for k in ("w0", "u", "xs"))
    T = v["steps"]
    for scale in v["scales"]:
        key = str(scale).replace(".", "_")
        W = scale * W0
        states = rnn_states(W, U, xs)  # h_0 .. h_T
        g, norms = np.ones(W.shape[0]), []  # L = sum(h_T)
        for t in range(T, 0, -1):
            norms.insert(0, np.linalg.norm(g))
            g = W.T @ ((1 - states[t] ** 2) * g)
        assert np.allclose(v[f"norms_{key}"], norms, rtol=1e-6, atol=0)
        spectral = np.linalg.norm(W, 2)
        assert v[f"spectral_{key}"] == pytest.approx(spectral, rel=1e-6)
        assert v[f"radius_{key}"] == pytest.approx(abs(np.linalg.eigvals(W)).max(), rel=1e-6)
        recorded = v[f"norms_{key}"]
        for earlier, later in zip(recorded, recorded[1:]):
            assert earlier <= spectral * later * (1 + 1e-9)  # each step back: at most ‖W‖₂
    assert v["spectral_0_5"] < 1 and v["ratio_0_5"] < 1e-10
    assert v["ratio_1_0"] < 1e-5
    assert v["ratio_3_0"] > 10


def test_clip_grad_norm_is_redone_by_hand(outputs):
    v = outputs("bptt_clipping")
    before, after = np.array(v["before"]), np.array(v["after"])
    total = np.linalg.norm(before)
    assert v["returned"] == pytest.approx(total, rel=1e-5) and v["total"] == pytest.approx(total, rel=1e-5)
    assert total > v["max_norm"]
    coef = min(1.0, v["max_norm"] / (total + 1e-6))
    assert v["coef"] == pytest.approx(coef, rel=1e-5)
    assert np.allclose(after, before * coef, rtol=1e-5, atol=1e-9)
    assert np.linalg.norm(after) == pytest.approx(v["max_norm"], rel=1e-4)
    assert v["gap"] < 1e-6


def test_truncated_bptt_needs_detach_and_stops_at_the_chunk_border(outputs):
    text = outputs("bptt_truncated", "wrong.out.md")
    assert "RuntimeError: Trying to backward through the graph a second time" in text
    assert "modified by an inplace operation" in outputs("bptt_truncated", "retain-graph.out.md")
    v = outputs("bptt_truncated")
    losses = v["losses"]
    assert len(losses) == 30 * v["chunks"]
    assert losses[-1] < losses[0] / 10
    reach = v["reach"]
    border = (v["chunks"] - 1) * v["chunk"]
    assert len(reach) == v["chunks"] * v["chunk"]
    assert all(r == 0.0 for r in reach[:border])  # no gradient crosses a detached state
    assert all(r > 0.0 for r in reach[border:])


def test_bptt_page_is_built(outputs, site):
    html = read_page(site, "bptt")
    assert "{{" not in html and "katex-error" not in html
    assert html.count('class="katex-display"') >= 4
    assert "../out/bptt_vanishing/over-time-light.svg#only-light" in html
    assert "Trying to backward through the graph a second time" in html
    assert f"{outputs('bptt_clipping')['coef']:.4f}" in html
    assert "Tóm tắt" in html
