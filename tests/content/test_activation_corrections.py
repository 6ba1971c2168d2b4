"""ReLU'(0) depends on how ReLU is written; tanh's slope at 0 is four times sigmoid's."""

import math

import torch

import _manual_layers as layers


def slope_at_zero(relu):
    z = torch.tensor(0.0, requires_grad=True)
    relu(z).backward()
    return z.grad.item()


def test_three_ways_of_writing_relu_give_three_slopes_at_zero(outputs):
    v = outputs("backprop_relu_at_zero")
    assert v["relu_at_zero"] == slope_at_zero(torch.relu) == 0.0
    assert v["clamp_at_zero"] == slope_at_zero(lambda z: z.clamp(min=0)) == 1.0
    assert v["maximum_at_zero"] == slope_at_zero(lambda z: torch.maximum(z, torch.zeros_like(z))) == 0.5
    assert v["away_from_zero"] == [[0.0, 1.0]] * 3  # everywhere else, the slope is 0 then 1


def test_manual_layers_relu_is_clamp_but_its_backward_uses_zero():
    assert slope_at_zero(layers.relu_forward) == 1.0  # as the page says: clamp(min=0)
    grad = layers.relu_backward(torch.ones(3), torch.tensor([-1.0, 0.0, 1.0]))
    assert grad.tolist() == [0.0, 0.0, 1.0]


def test_tanh_slope_at_zero_is_four_times_sigmoid(outputs):
    v = outputs("backprop_activations")
    sigmoid_slope = 0.5 * (1 - 0.5)  # σ(0) = 1/2, σ' = σ(1 − σ)
    tanh_slope = 1 - math.tanh(0.0) ** 2
    assert abs(v["z"][200]) < 1e-12  # the grid point at 0
    assert math.isclose(v["tanh_over_sigmoid_at_zero"], tanh_slope / sigmoid_slope, rel_tol=1e-12)
    assert math.isclose(v["tanh_slope"][200], tanh_slope, rel_tol=1e-12)
