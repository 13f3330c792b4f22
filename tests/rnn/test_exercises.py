"""snippets/rnn/exercises.py: each solution's claim, on the generated values and the functions."""

from __future__ import annotations

import pytest

from snippets.rnn import cells, exercises


def test_short_window_every_cell_still_beats_the_naive_forecast(outputs):
    """short_window: with 10 past values every cell stays well below the naive forecast and within a
    quarter of its window-40 error (two sines obey a recurrence of order 4: a short window suffices)."""
    short = outputs.json("rnn/exercises.short_window")
    chapter = outputs.json("rnn/forecast.summary")
    for kind, mse in short["test_mse"].items():
        assert mse < 0.75 * short["naive"], kind
        assert abs(mse - chapter["test_mse"][kind]) < 0.25 * chapter["test_mse"][kind], kind


def test_two_sines_obey_a_recurrence_of_order_four():
    """The reason behind short_window: without noise, 4 past values predict the next one exactly."""
    import math

    import torch

    clean = exercises.series(noise=0.0).double()
    x = clean.unfold(0, 4, 1)[:-1]
    coefficients = torch.linalg.lstsq(x, clean[4:, None]).solution
    assert (x @ coefficients - clean[4:, None]).abs().max() < 1e-3  # float32 sines
    assert math.isclose(float(coefficients[-1]), 2 * (math.cos(2 * math.pi / 50) + math.cos(2 * math.pi / 17)),
                        rel_tol=1e-4)


def test_two_layers_formula_matches_the_module(outputs):
    """two_layers: the formula's count equals the module's, and the second layer takes H as its input."""
    counts = outputs.json("rnn/exercises.two_layers")
    assert counts == exercises.two_layer_lstm()
    assert counts["formula"] == counts["module"] == cells.param_count("LSTM", 1, 32, 2)
    assert counts["formula"] == counts["one_layer"] + counts["second_layer"]


def test_gru_update_bias_carries_the_gradient_back(outputs):
    """gru_update_bias: z near 1 keeps the old state, so the first step's gradient grows by orders of
    magnitude while the last input's own gradient shrinks."""
    reach = {name: {k: float(v) for k, v in values.items()}
             for name, values in outputs.json("rnn/exercises.gru_update_bias").items()}
    assert reach["bias3"]["first"] > 1e6 * reach["default"]["first"]
    assert reach["bias3"]["back30"] > 1e3 * reach["default"]["back30"]
    assert reach["bias3"]["last"] < reach["default"]["last"]


def test_gru_update_bias_sets_the_update_block():
    """The bias lands in the second of the three blocks (reset, update, candidate), as PyTorch orders them."""
    default = exercises.gru_reach(steps=8)
    assert exercises.gru_reach(steps=8, update_bias=3.0) != default
    assert exercises.gru_reach(steps=8, update_bias=None) == pytest.approx(default)
