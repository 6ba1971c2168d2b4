"""A real dataset end to end: the digits loader, hand-written backprop vs autograd, the errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits

import _digits
import _manual_layers as layers
from conftest import read_page

SIZES, LR, EPOCHS, BATCH = [64, 64, 10], 0.1, 20, 64  # the settings the page states
# Both trainings run in float64: one step's round-off is ~1e-16 and 460 SGD steps of this small,
# well-conditioned network do not amplify it past ~1e-12 (the runs give ~1e-15). A wrong formula
# (a missing 1/N, a missing ReLU mask, a transposed product) is off by ~lr·|grad| ~ 1e-3 after one step.
AGREE = 1e-9
VAL_ACC_FLOOR = 0.93  # it reaches about 0.96; the floor leaves room for ~10 more mistakes out of 360


def hand_grads(p, x, y):
    z1 = layers.linear_forward(x, p["W1"], p["b1"])
    a1 = layers.relu_forward(z1)
    logits = layers.linear_forward(a1, p["W2"], p["b2"])
    g_a1, g_W2, g_b2 = layers.linear_backward(layers.softmax_cross_entropy_backward(logits, y), a1, p["W2"])
    _, g_W1, g_b1 = layers.linear_backward(layers.relu_backward(g_a1, z1), x, p["W1"])
    return {"W1": g_W1, "b1": g_b1, "W2": g_W2, "b2": g_b2}


def autograd_grads(p, x, y):
    leaves = {k: v.clone().requires_grad_(True) for k, v in p.items()}
    F.cross_entropy(torch.relu(x @ leaves["W1"] + leaves["b1"]) @ leaves["W2"] + leaves["b2"], y).backward()
    return {k: v.grad for k, v in leaves.items()}


def first_batches(data, count):
    gen = torch.Generator().manual_seed(0)
    return _digits.minibatches(len(data.y_train), BATCH, gen)[:count]


def test_loader_split_and_standardisation():
    data = _digits.load("cpu")
    raw = load_digits()
    train, val = data.train_index.numpy(), data.val_index.numpy()
    assert len(train) == 1437 and len(val) == 360
    assert sorted(np.concatenate([train, val]).tolist()) == list(range(1797))
    x = raw.data.astype(np.float64)
    mean, std = x[train].mean(axis=0), x[train].std(axis=0, ddof=1)
    std[std == 0] = 1.0
    np.testing.assert_allclose(data.x_train.numpy(), (x[train] - mean) / std, atol=1e-12)
    np.testing.assert_allclose(data.x_val.numpy(), (x[val] - mean) / std, atol=1e-12)  # train statistics
    np.testing.assert_array_equal(data.y_val.numpy(), raw.target[val])
    assert np.abs(data.x_train.numpy().mean(axis=0)).max() < 1e-12


def test_hand_gradients_equal_autograd_on_digits():
    data = _digits.load("cpu")
    params = _digits.init_params(SIZES)
    for idx in first_batches(data, 3):
        hand = hand_grads(params, data.x_train[idx], data.y_train[idx])
        auto = autograd_grads(params, data.x_train[idx], data.y_train[idx])
        for k in params:
            assert (hand[k] - auto[k]).abs().max().item() < 1e-12, k
            assert auto[k].abs().max().item() > 1e-3  # a real gradient


def test_snippet_gradients_on_the_first_steps(outputs):
    v = outputs("digits_train")
    assert len(v["first_gaps"]) == 5 and max(v["first_gaps"]) < 1e-6 and v["max_first_gap"] < 1e-12
    data = _digits.load("cpu")
    idx = first_batches(data, 1)[0]
    expected = autograd_grads(_digits.init_params(SIZES), data.x_train[idx], data.y_train[idx])
    for k, grad in expected.items():
        got = torch.tensor(v["first_grads"][k], dtype=torch.float64)
        assert got.shape == grad.shape and (got - grad).abs().max().item() < 1e-10, k


def test_the_two_trainings_agree_and_match_torch_sgd(outputs):
    v = outputs("digits_train")
    assert v["param_gap"] < AGREE
    curves = v
    for key in ("train_loss", "val_loss", "train_acc", "val_acc"):
        np.testing.assert_allclose(curves[f"hand_{key}"], curves[f"auto_{key}"], atol=AGREE)
    data = _digits.load("cpu")  # the same run again, this time with nn.Linear and torch.optim.SGD
    model = _digits.mlp(SIZES)
    history = _digits.fit(model, data, torch.optim.SGD(model.parameters(), lr=LR), EPOCHS, BATCH)
    np.testing.assert_allclose(curves["hand_val_loss"], history["val_loss"], atol=AGREE)
    np.testing.assert_allclose(curves["hand_train_loss"], history["train_loss"], atol=AGREE)
    assert curves["hand_train_loss"][-1] < curves["hand_train_loss"][0] / 3
    train, val = curves["hand_train_loss"], curves["hand_val_loss"]
    assert train[-1] / train[9] < 0.6 < val[-1] / val[9] < 1  # the page: the two curves part after epoch 10


def test_validation_accuracy_floor(outputs):
    v = outputs("digits_train")
    assert v["hand_val_acc"][-1] > VAL_ACC_FLOOR and v["auto_val_acc"][-1] > VAL_ACC_FLOOR
    assert (v["epochs"], v["lr"], v["batch_size"], v["hidden"]) == (EPOCHS, LR, BATCH, SIZES[1])
    assert v["steps_per_epoch"] == -(-1437 // BATCH)


def test_confusion_matrix_is_consistent(outputs):
    v, trained = outputs("digits_errors"), outputs("digits_train")
    confusion = np.array(v["confusion"])
    data = _digits.load("cpu")
    np.testing.assert_array_equal(confusion.sum(axis=1), np.bincount(data.y_val.numpy(), minlength=10))
    assert confusion.sum() == 360 and v["n_wrong"] == 360 - np.trace(confusion)
    assert np.trace(confusion) / 360 == pytest.approx(v["val_acc"], abs=1e-12)
    assert v["val_acc"] == pytest.approx(trained["hand_val_acc"][-1], abs=1e-12)  # the same model
    off = confusion - np.diag(np.diag(confusion))
    assert off[v["worst_truth"], v["worst_predicted"]] == off.max() == v["worst_count"]


def test_page_is_built_with_figures(outputs, site):
    html = read_page(site, "du-lieu-that")
    assert "{{" not in html and "katex-error" not in html and "Tóm tắt" in html
    for figure in ("samples", "curves", "confusion", "mistakes"):
        assert f"{figure}-light.svg" in html, figure
    assert f"{outputs('digits_train')['hand_val_acc'][-1]:.4f}" in html
    assert 'href="../du-lieu-that/"' in read_page(site, "huan-luyen-thuc-te")
