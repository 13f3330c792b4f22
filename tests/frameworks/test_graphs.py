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
