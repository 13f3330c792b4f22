"""snippets/backprop/worked_example.py: the hand-derived gradients equal autograd's to the printed digits."""

from __future__ import annotations

import pytest
import torch

from snippets.backprop import worked_example as we


@pytest.mark.parametrize("name", ["W1", "b1", "W2", "b2"])
def test_hand_gradients_equal_autograd(name):
    hand, auto = we.gradients_by_hand()[name], we.gradients_by_autograd()[name]
    assert torch.allclose(hand, auto, atol=1e-7)
    assert [f"{v:.6f}" for v in hand.reshape(-1).tolist()] == [f"{v:.6f}" for v in auto.reshape(-1).tolist()]


def test_one_step_is_parameter_minus_learning_rate_times_gradient():
    step = we.one_step()
    expected = [w - we.LEARNING_RATE * g for w, g in zip(step["w2_before"], step["w2_grad"], strict=True)]
    assert step["w2_after"] == pytest.approx(expected)
    assert step["loss_after"] < step["loss_before"]


def test_forward_values():
    f = we.forward(we.W1, we.B1, we.W2, we.B2)
    assert f["z1"].tolist() == pytest.approx([0.5, 0.6])  # [0.1·1 + 0.2·2 + 0, −0.3·1 + 0.4·2 + 0.1]
    assert f["loss"].item() == pytest.approx((f["y"].item() - 1.0) ** 2)
