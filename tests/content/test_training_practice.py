"""The training-in-practice page: nn.Linear recovers known weights; train/eval/no_grad; devices."""

import math

from conftest import read_page

TRUE_W, TRUE_B, NOISE = [2.0, -3.4, 1.5], 4.2, 0.1


def test_learned_weights_are_close_to_the_true_ones(outputs):
    v = outputs("practice_linear")
    assert all(math.isclose(a, b, rel_tol=1e-6) for a, b in zip(v["true_w"], TRUE_W))
    assert (v["true_b"], v["noise"]) == (TRUE_B, NOISE)
    errors = [abs(a - b) for a, b in zip(v["learned_w"], TRUE_W)] + [abs(v["learned_b"] - TRUE_B)]
    assert max(errors) < 0.02
    assert math.isclose(v["max_error"], max(errors), abs_tol=1e-6)


def test_losses_fall_to_the_noise_level(outputs):
    v = outputs("practice_linear")
    assert math.isclose(v["noise_variance"], NOISE**2)
    assert len(v["train_curve"]) == v["epochs"] * math.ceil(1000 / 32) == v["epochs"] * v["steps_per_epoch"]
    assert len(v["val_curve"]) == v["epochs"]
    assert v["train_curve"][0] > 100 * NOISE**2
    assert 0.7 * NOISE**2 < v["val_curve"][-1] < 1.3 * NOISE**2


def test_every_epoch_shuffles_with_its_own_seeded_generator(outputs):
    import torch

    v = outputs("practice_linear")
    firsts = v["first_batches"]
    assert len(firsts) == v["epochs"] and all(len(batch) == 32 for batch in firsts)
    assert all(len(set(batch)) == 32 and all(0 <= i < 1000 for i in batch) for batch in firsts)
    assert firsts[0] != list(range(32))  # not the data's own order
    assert len({tuple(batch) for batch in firsts}) == v["epochs"]  # a new order every epoch
    generator = torch.Generator().manual_seed(0)  # the snippet's seeded generator, redone here
    expected = [torch.randperm(1000, generator=generator)[:32].tolist() for _ in range(v["epochs"])]
    assert firsts == expected


def test_train_eval_and_no_grad_change_what_the_page_says(outputs):
    v = outputs("practice_modes")
    assert v["train_gap"] > 0.01  # dropout active: two calls differ
    assert v["eval_gap"] == 0.0  # dropout off: identical
    assert v["train_has_graph"] and v["eval_has_graph"]  # eval() alone still records a graph
    assert v["no_grad_requires_grad"] is False
    assert v["no_grad_same_values"] is True


def test_device_snippet_moves_and_shows_the_mismatch_error(outputs):
    assert outputs("practice_device")["same_device"] is True
    text = outputs("practice_device", "mismatch.out.md")
    assert "RuntimeError:" in text and "device" in text


def test_practice_page_is_built(outputs, site):
    html = read_page(site, "huan-luyen-thuc-te")
    assert "{{" not in html and "katex-error" not in html
    assert "../out/practice_linear/curve-light.svg#only-light" in html
    assert f"{outputs('practice_linear')['max_error']:.4f}" in html
    assert "RuntimeError:" in html and "model.eval()" in html


def test_mse_formula_on_the_page_is_what_mse_loss_computes():
    import torch

    torch.manual_seed(0)
    model = torch.nn.Linear(3, 1)
    X, y = torch.randn(32, 3), torch.randn(32, 1)
    by_formula = ((X @ model.weight.T + model.bias - y) ** 2).sum() / len(X)
    assert torch.allclose(torch.nn.MSELoss()(model(X), y), by_formula, rtol=1e-6)
