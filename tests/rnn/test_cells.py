"""snippets/rnn/cells.py: the loop equals nn.RNN, shapes and parameter formulas equal the modules'."""

from __future__ import annotations

import json

import pytest
import torch

from snippets.rnn import cells
from tests.conftest import declared


def test_loop_equals_nn_rnn():
    assert cells.compare_with_nn_rnn() < 1e-5


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_shapes_follow_batch_first(kind):
    first, second = cells.shapes(kind, True), cells.shapes(kind, False)
    assert first["input"] == (4, 7, 3) and first["output"] == (4, 7, 5)
    assert second["input"] == (7, 4, 3) and second["output"] == (7, 4, 5)
    assert first["h_n"] == second["h_n"] == (2, 4, 5)  # batch_first never changes the state's layout
    assert ("c_n" in first) == (kind == "LSTM")


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("sizes", [(1, 1, 1), (3, 5, 2), (64, 128, 3), (10, 4, 1)])
def test_param_formula_equals_module(kind, sizes):
    assert cells.param_formula(kind, *sizes) == cells.param_count(kind, *sizes)


def test_param_formula_by_hand():
    # One LSTM layer, input 1, hidden 32: four blocks of (32·1 + 32·32 + 2·32).
    assert cells.param_formula("LSTM", 1, 32) == 4 * (32 + 1024 + 64) == 4480


def test_gradient_vanishes_in_plain_rnn_and_forget_bias_keeps_it():
    rnn = cells.gradient_reach("RNN")
    assert rnn[0] < 1e-6 * rnn[-1]  # 60 steps back, the input hardly matters any more
    kept = cells.gradient_reach("LSTM", forget_bias=3.0)
    assert kept[0] > 1e-2 * kept[-1]


def test_by_hand_on_device(device):
    torch.manual_seed(0)
    rnn = torch.nn.RNN(3, 5, batch_first=True).to(device)
    x = torch.randn(2, 6, 3, device=device)
    with torch.no_grad():
        expected, _ = rnn(x)
        ours, _ = cells.rnn_by_hand(x.cpu(), rnn.cpu())
    assert torch.allclose(ours, expected.cpu(), atol=1e-5)


def test_published_reach_is_the_codes(root):
    published = json.loads((root / "generated/rnn/cells.reach.json").read_text(encoding="utf-8"))
    shown = float(f"{cells.gradient_reach('RNN')[0]:.1e}")  # the page shows two significant digits
    expected = pytest.approx(shown, **declared("rnn/cells.reach.json", "RNN.first#0"))
    assert float(published["RNN"]["first"]) == expected
