"""snippets/activations/stacked_logistic.py: hidden units are logistic regressions."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from snippets.activations import stacked_logistic as sl


def test_every_hidden_unit_is_a_logistic_regression():
    assert sl.units_match(hidden=6, seed=3) == [True] * 6


def test_a_changed_weight_breaks_the_equivalence():
    net = sl.stacked(2)
    single = sl.unit_as_logistic_regression(net[0], 0)
    with torch.no_grad():
        single[0].weight += 1.0
    x = torch.rand(3, 2)
    assert not torch.allclose(net[1](net[0](x))[:, :1], single(x))


@pytest.mark.parametrize(("model", "layers", "hidden"), [
    (sl.logistic_regression(3), 1, []),
    (sl.stacked(3, 5), 2, [5]),
    (nn.Sequential(nn.Linear(784, 150), nn.ReLU(), nn.Linear(150, 150), nn.ReLU(),
                   nn.Linear(150, 10)), 3, [150, 150]),
])
def test_the_input_layer_is_not_counted(model, layers, hidden):
    count = sl.count_layers(model)
    assert count["layers"] == layers == count["hidden_layers"] + 1
    assert count["hidden_sizes"] == hidden


def test_published_table_counts_the_ann_chapters_network_as_four_layers(outputs):
    rows = outputs.json("activations/stacked_logistic.layers.table")["rows"]
    assert [row[-1] for row in rows] == [1, 2, 3, 4]


def test_stacking_learns_xor_and_one_logistic_regression_cannot(outputs):
    logistic = sl.train_on_xor(sl.logistic_regression(2))
    stacked = sl.train_on_xor(sl.stacked(2))
    assert logistic <= 0.75 and stacked == 1.0  # a line separates at most 3 of the 4
    result = outputs.json("activations/stacked_logistic.result")
    assert (result["xor_logistic"], result["xor_stacked"]) == (logistic, stacked)
    assert all(result["units_match"])
