"""snippets/activations/functions.py: autograd's derivatives equal the formulas; non-linearity matters."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from snippets.activations import functions as fn

X = torch.linspace(-3, 3, 61)
FORMULAS = {
    "sigmoid": lambda x: torch.sigmoid(x) * (1 - torch.sigmoid(x)),
    "tanh": lambda x: 1 - torch.tanh(x) ** 2,
    "ReLU": lambda x: (x > 0).float(),
    "LeakyReLU": lambda x: torch.where(x > 0, 1.0, 0.1),
    "ELU": lambda x: torch.where(x > 0, 1.0, torch.exp(x)),
}


@pytest.mark.parametrize("name", FORMULAS)
def test_autograd_derivative_equals_formula(name):
    _, derivative = fn.value_and_derivative(name, X[X != 0])  # the kink at 0 has no single derivative
    assert torch.allclose(derivative, FORMULAS[name](X[X != 0]), atol=1e-6)


def test_softmax_sums_to_one_and_ignores_a_shift():
    probabilities, shifted = fn.softmax_example()
    assert sum(probabilities) == pytest.approx(1.0)
    assert probabilities == pytest.approx(shifted, abs=1e-6)


def test_linear_only_net_is_one_linear_map():
    net = fn.make_net(None)
    weight = net[4].weight @ net[2].weight @ net[0].weight
    bias = net[4].weight @ (net[2].weight @ net[0].bias + net[2].bias) + net[4].bias
    x = torch.randn(5, 2)
    assert torch.allclose(net(x), x @ weight.T + bias, atol=1e-5)


def test_nonlinearity_separates_the_moons():
    _, linear = fn.train_on_moons(None)
    _, relu = fn.train_on_moons(nn.ReLU())
    assert linear < 0.9 < 0.97 < relu
