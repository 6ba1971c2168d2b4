"""Gradient-check page corrections: what gradcheck requires, how it numbers inputs, float32's real floor."""

import numpy as np
import torch
from torch.autograd.gradcheck import GradcheckError


def test_gradcheck_warns_on_float32_and_requires_an_input_with_requires_grad(outputs):
    v = outputs("gradcheck_requirements")
    assert v["float32_warns"] is True and v["float32_default"] is False and v["float32_loose"] is True
    assert "not a double precision" in outputs("gradcheck_requirements", "float32.out.md")
    text = outputs("gradcheck_requirements", "no-requires-grad.out.md")
    assert "ValueError: gradcheck expects at least one input tensor to require gradient" in text


def test_gradcheck_numbers_inputs_from_zero(outputs):
    assert "with respect to input 1" in outputs("gradcheck_requirements", "indices.out.md")  # b, the second
    # independently: the same check on a function whose first input's gradient is wrong names input 0
    a = torch.randn(2, dtype=torch.float64, requires_grad=True)
    b = torch.randn(2, dtype=torch.float64, requires_grad=True)

    class WrongFirst(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            ctx.save_for_backward(a, b)
            return a * b

        @staticmethod
        def backward(ctx, grad_out):
            a, b = ctx.saved_tensors
            return 2 * grad_out * b, grad_out * a

    try:
        torch.autograd.gradcheck(WrongFirst.apply, (a, b))
        raise AssertionError("gradcheck passed a wrong gradient")
    except GradcheckError as error:
        assert "with respect to input 0" in str(error)


def test_float32_check_reaches_about_1e_4_not_1e_9(outputs):
    v = outputs("gradcheck_float32")
    correct, buggy = np.array(v["correct"]), np.array(v["buggy"])
    best = int(np.argmin(correct))
    assert np.all(buggy[: best + 1] > 10 * correct[: best + 1])  # up to the best ε, the bug stands out
    assert v["best_error"] == correct.min() and v["best_eps"] == v["eps"][int(np.argmin(correct))]
    assert 1e-6 < v["best_error"] < 1e-3  # far better than "no ε works", far worse than float64
    assert v["best_error"] > 1e3 * outputs("gradcheck_relative")["rel_correct64"]
    assert v["buggy_at_best"] > 100 * v["best_error"]  # a gross bug is still caught
    assert correct[0] > 10 * v["best_error"] and correct[-1] > 10 * v["best_error"]  # round-off, then kinks
