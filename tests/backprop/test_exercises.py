"""snippets/backprop/exercises.py: the claims of the chapter's exercise solutions."""

from __future__ import annotations

from snippets.backprop import exercises as ex


def test_tanh_passes_with_its_own_derivative_only(outputs):
    """Section ``tanh``: with 1 − tanh² the hand gradients equal autograd's; with σ's factor left in, not."""
    published = outputs.json("backprop/exercises.tanh")
    assert published["tanh_factor"]["equal"] and published["tanh_factor"]["largest_difference"] < 1e-4
    assert not published["sigmoid_factor"]["equal"] and published["sigmoid_factor"]["largest_difference"] > 0.1
    assert ex.hand_versus_autograd("tanh", "tanh")[0] and not ex.hand_versus_autograd("tanh", "sigmoid")[0]
    assert ex.hand_versus_autograd("sigmoid", "sigmoid")[0]


def test_learning_rate_one_overshoots(outputs):
    """Section ``learning_rate``: lr 0.1 lowers the loss in one step, lr 1.0 raises it (overshoots)."""
    steps = outputs.json("backprop/exercises.learning_rate")
    assert steps["0.1"]["after"] < steps["0.1"]["before"]
    assert steps["1.0"]["after"] > steps["1.0"]["before"]
    assert steps["1.0"]["before"] == steps["0.1"]["before"]
