"""snippets/workflow/nonlinear_regression.py: the MLP follows the curve, a line cannot."""

from __future__ import annotations

import torch

from snippets.workflow import nonlinear_regression as nl
from tests.conftest import cli_error


def test_test_points_lie_between_training_points():
    x_train, y_train, x_test, y_test = nl.make_curve()
    assert x_train.shape == (160, 1) and x_test.shape == y_test.shape == (40, 1)
    assert x_train.min() <= x_test.min() and x_test.max() <= x_train.max()
    assert not set(x_test.flatten().tolist()) & set(x_train.flatten().tolist())


def test_the_same_seed_gives_the_same_model():
    data = nl.make_curve()
    first, *_ = nl.train(nl.small_mlp, data, epochs=2)
    second, *_ = nl.train(nl.small_mlp, data, epochs=2)
    pairs = zip(first.parameters(), second.parameters(), strict=True)
    assert all(torch.equal(a, b) for a, b in pairs)


def test_mlp_beats_the_line_after_a_short_run(device):
    data = nl.make_curve()
    _, _, line_test = nl.train(nl.straight_line, data, epochs=150, device=device)
    _, _, mlp_test = nl.train(nl.small_mlp, data, epochs=150, device=device)
    assert mlp_test < line_test / 2


def test_published_mlp_is_far_better_and_near_the_noise(outputs):
    result = outputs.json("workflow/nonlinear_regression.result")
    line, mlp, noise = result["line"], result["mlp"], result["noise_variance"]
    assert mlp["test_mse"] < line["test_mse"] / 10  # "follows the curve"
    assert mlp["test_mse"] < 2 * noise  # "close to the variance of the noise"
    assert line["test_mse"] > 10 * noise  # the line cannot bend
    parameters = sum(p.numel() for p in nl.small_mlp().parameters())
    assert result["mlp_parameters"] == parameters


def test_bad_epochs_is_one_clear_error(capsys):
    error = cli_error(nl.main, ["--device", "cpu", "--epochs", "0"], capsys)
    assert "positive integer" in error
