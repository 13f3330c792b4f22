"""snippets/workflow/exercises.py: the claims of the solutions of the chapter's exercises."""

from __future__ import annotations

import pytest
from torch import nn

from snippets.workflow import exercises as ex
from snippets.workflow import linear_regression as lr


def test_learning_rate_the_chapters_rate_ends_closest(outputs):
    """learning_rate: "0.001 is too small to get there in 300 epochs; 0.1 gets near within a few epochs
    but ends further from the true values than 0.01" (each at least twice as far)."""
    rates = {r["rate"]: r for r in outputs.json("workflow/exercises.learning_rate")["rates"]}
    distance = {rate: r["distance"] for rate, r in rates.items()}
    assert distance[0.001] > 2 * distance[0.1] > 4 * distance[0.01]
    assert rates[0.1]["test_loss"][1] < rates[0.01]["test_loss"][1] < rates[0.001]["test_loss"][1]


def test_learning_rate_0_1_jumps_back_and_forth_around_the_true_values():
    """learning_rate: "its steps are big enough to jump back and forth around the true values"."""
    even, odd = ex.fit_line(learning_rate=0.1, epochs=100), ex.fit_line(learning_rate=0.1, epochs=101)
    assert abs(even["bias"] - odd["bias"]) > 0.05
    assert (even["bias"] - ex.BIAS) * (odd["bias"] - ex.BIAS) < 0  # one above, one below


def test_learning_rate_the_repeated_loop_is_the_chapters():
    """The solution trains exactly as the chapter does: same learned values (20 epochs suffice)."""
    model, _ = lr.train(lr.Config(epochs=20), device="cpu", log=lambda _: None)
    result = ex.fit_line(epochs=20)
    assert (result["weight"], result["bias"]) == pytest.approx((model.weight.item(), model.bias.item()), abs=1e-6)


def test_mse_the_curve_flattens_and_the_line_ends_further(outputs):
    """mse: "the MSE curve flattens as the error shrinks and is still falling at the end, while the L1
    curve has settled; after the same 300 epochs the MSE line is further from the true values"."""
    result = outputs.json("workflow/exercises.mse")
    l1, mse = result["L1Loss"]["test_loss"], result["MSELoss"]["test_loss"]
    assert mse[-1] < mse[-6] and mse[1] - mse[2] > mse[-6] - mse[-1]
    assert max(l1[-6:]) - min(l1[-6:]) < 1e-3
    assert result["MSELoss"]["distance"] > 10 * result["L1Loss"]["distance"]


def test_state_dict_nn_linear_stores_a_weight_matrix(outputs):
    """state_dict: the same two keys; nn.Linear's weight is a (1, 1) matrix, the hand-written one a (1,)."""
    result = outputs.json("workflow/exercises.state_dict")
    assert result == {"LinearRegression": {"weight": [1], "bias": [1]},
                      "nn.Linear": {"weight": [1, 1], "bias": [1]}}
    assert set(nn.Linear(1, 1).state_dict()) == set(lr.LinearRegression().state_dict())
    with pytest.raises(RuntimeError, match="size mismatch"):  # "cannot be loaded as it is"
        nn.Linear(1, 1).load_state_dict(lr.LinearRegression().state_dict())


def test_no_tanh_the_mlp_is_the_straight_line(outputs):
    """no_tanh: "without tanh the MLP is one straight line: the same slope, bias and test error as
    nn.Linear(1, 1)" (within 1 %), far above the MLP with tanh."""
    result = outputs.json("workflow/exercises.no_tanh")
    line, mlp = result["line"], result["mlp"]
    for key in ("test_mse", "weight"):
        assert mlp[key] == pytest.approx(line[key], rel=0.01), key
    assert mlp["bias"] == pytest.approx(line["bias"], abs=1e-3)
    assert mlp["test_mse"] > 10 * outputs.json("workflow/nonlinear_regression.result")["mlp"]["test_mse"]
