"""snippets/diffusion/forward.py: schedule properties and the closed form q(x_t | x_0)."""

from __future__ import annotations

import pytest
import torch

from snippets.diffusion import forward

SCHEDULES = {"linear": forward.linear_betas(), "cosine": forward.cosine_betas()}


@pytest.mark.parametrize("name", SCHEDULES)
def test_alpha_bar_falls_from_one_to_zero(name):
    betas = SCHEDULES[name]
    assert torch.all((betas > 0) & (betas < 1))
    a = forward.alpha_bars(betas)
    assert torch.all(a[1:] < a[:-1])  # strictly decreasing: every step adds noise
    assert a[0] > 0.999 and a[-1] < 1e-3  # starts as the image, ends as (almost) pure noise


def test_cosine_keeps_more_signal_in_the_middle():
    linear, cosine = (forward.alpha_bars(b) for b in SCHEDULES.values())
    assert cosine[499] > 5 * linear[499]


@pytest.mark.parametrize("name", SCHEDULES)
@pytest.mark.parametrize("t", [10, 100, 500])
def test_closed_form_matches_iterating_single_steps(name, t):
    c = forward.compare_closed_form(t, SCHEDULES[name], samples=20000)
    assert c["mean_iterated"] == pytest.approx(c["mean_formula"], abs=0.03)
    assert c["var_iterated"] == pytest.approx(c["var_formula"], rel=0.05, abs=1e-4)


def test_q_sample_at_zero_is_the_image():
    image = forward.digit_image()
    assert torch.equal(forward.q_sample(image, 0, SCHEDULES["linear"], torch.randn(8, 8)), image)
    assert image.min() == -1 and image.max() <= 1
