"""snippets/basics/rules_vs_learning.py: learning approaches the rule, and never beats it."""

from __future__ import annotations

import pytest
import torch

from snippets.basics import rules_vs_learning as rvl


def test_rule_is_exact():
    assert rvl.fahrenheit_by_rule(torch.tensor([0.0, 100.0])).tolist() == pytest.approx([32.0, 212.0])


def test_noise_free_examples_give_the_rule_back():
    slope, intercept = rvl.learn_rule(*rvl.readings(noise=0.0))
    assert (slope, intercept) == pytest.approx((1.8, 32.0), abs=1e-3)


def test_more_examples_bring_the_fit_closer():
    errors = [abs(sum(c * x for c, x in zip(rvl.learn_rule(*rvl.readings(n=n)), (100, 1), strict=True)) - 212)
              for n in (3, 100, 1000)]
    assert errors[0] > errors[1] > 0 and errors[2] > 0
