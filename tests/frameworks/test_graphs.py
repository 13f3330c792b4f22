"""snippets/frameworks/graphs.py: autograd equals the chain rule; fx captures the forward pass."""

from __future__ import annotations

import pytest
import torch

from snippets.frameworks import graphs


@pytest.mark.parametrize(("x", "w", "b"), [(2.0, 3.0, 1.0), (-1.5, 0.5, 2.0)])
def test_autograd_equals_hand_derivative(x, w, b):
    result = graphs.autograd_graph(x, w, b)
    assert result["autograd"] == pytest.approx(result["by_hand"])
    assert result["graph"].startswith("PowBackward0 → AddBackward0 → MulBackward0")


def test_fx_graph_runs_like_the_module(device):
    net = graphs.TinyNet().to(device)
    traced = torch.fx.symbolic_trace(net)
    x = torch.randn(3, 4, device=device)
    assert torch.equal(traced(x), net(x))
    assert [line.split()[0] for line in graphs.traced_graph().splitlines()] == [
        "placeholder", "call_module", "call_function", "call_module", "output"]


def test_old_variable_code_gives_plain_tensors_and_the_same_gradient():
    result = graphs.old_variable_code()
    assert result["old_type"] == "torch.Tensor" and result["old_is_tensor"] is True
    assert result["same_gradient"] is True
    assert "no_grad" in result["volatile_warning"] and result["volatile_requires_grad"] is False
    assert "item()" in result["data0_error"] and result["item"] == 6.0


def test_published_variable_facts_are_todays(root):
    import json

    path = root / "generated/frameworks/graphs.variable.json"
    assert json.loads(path.read_text(encoding="utf-8")) == graphs.old_variable_code()


def test_data_hides_an_in_place_change_that_detach_reports():
    result = graphs.old_variable_code()
    assert result["true_gradient"] == 0.25 and result["data_gradient"] == 0.0
    assert "modified by an inplace operation" in result["detach_error"]
