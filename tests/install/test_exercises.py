"""snippets/install/exercises.py: the claim of the solution of the chapter's second exercise."""

from __future__ import annotations

import torch

from snippets.install import exercises as ex


def test_precision_float64_shrinks_the_gap_about_as_much_as_its_epsilon(outputs):
    """precision: "in float64 the gap is some hundred million times smaller, about the ratio of the two
    precisions' machine epsilons" (within a factor of ten)."""
    result = outputs.json("install/exercises.precision")
    assert 0 < result["float64"] < result["float32"]
    assert result["ratio"] > 1e7
    assert result["eps_ratio"] / 10 < result["ratio"] < result["eps_ratio"] * 10


def test_precision_the_gap_is_rounding_not_a_wrong_result():
    """Both orders are right up to rounding: the gap is a millionth of the product's largest entry."""
    gap = ex.order_gap(torch.float32)
    generator = torch.Generator().manual_seed(0)
    a, b = torch.randn(256, 256, generator=generator), torch.randn(256, 256, generator=generator)
    assert 0 < gap < 1e-5 * (a @ b).abs().max().item()
