"""snippets/basics/universal_approximation.py: a wider hidden layer fits better."""

from __future__ import annotations

import pytest
import torch

from snippets.basics import universal_approximation as ua
from tests.conftest import cli_error


def test_published_error_falls_with_every_widening(outputs):
    result = outputs.json("basics/universal_approximation.errors")
    errors = result["errors"]
    assert result["widths"] == sorted(result["widths"]) == list(ua.WIDTHS)
    assert all(wide < narrow for narrow, wide in zip(errors, errors[1:], strict=False))
    assert errors[-1] < errors[0] / 1000  # the widest fit is close


def test_published_errors_are_what_the_code_gives(outputs):
    errors = outputs.json("basics/universal_approximation.errors")["errors"]
    assert [ua.fit(width)[1] for width in ua.WIDTHS] == pytest.approx(errors, rel=1e-3)


def test_a_wider_layer_keeps_the_narrower_layers_units():
    narrow, wide = ua.random_hidden_layer(4), ua.random_hidden_layer(16)
    assert torch.equal(wide.weight[:4], narrow.weight)
    assert torch.equal(wide.bias[:4], narrow.bias)


def test_the_fitted_net_is_a_one_hidden_layer_mlp():
    net, error = ua.fit(8)
    x, y = ua.curve()
    assert [type(m).__name__ for m in net] == ["Linear", "Tanh", "Linear"]
    assert net[0].out_features == 8
    assert torch.nn.functional.mse_loss(net(x), y).item() == pytest.approx(error)


def test_bad_width_is_one_clear_error(capsys):
    assert "between 1 and" in cli_error(ua.main, ["--widths", "0"], capsys)
