"""snippets/diffusion/exercises.py: each solution's claim, on the generated values and the functions."""

from __future__ import annotations

import torch

from snippets.diffusion import exercises, forward


def test_cosine_spends_fewer_steps_on_pure_noise(outputs):
    """cosine: the cosine schedule spends far fewer of its steps nearly pure noise, more nearly clean."""
    use = outputs.json("diffusion/exercises.cosine")
    assert use["cosine"]["nearly_noise"] * 3 < use["linear"]["nearly_noise"]
    assert use["cosine"]["nearly_clean"] > use["linear"]["nearly_clean"]
    assert 0.25 < use["linear"]["nearly_noise"] / 1000 < 0.4  # "about a third" of the T = 1000 steps


def test_cosine_copies_the_chapters_schedules():
    assert torch.equal(exercises.alpha_bars("linear"), forward.alpha_bars(forward.linear_betas()))
    cosine = forward.alpha_bars(forward.cosine_betas())
    assert torch.allclose(exercises.alpha_bars("cosine"), cosine, atol=1e-12, rtol=0)


def test_few_steps_ddim_copy_reproduces_the_chapters_ten_steps(outputs):
    """few_steps: the copied sampler at 10 steps scores what the chapter's DDIM 10 scored."""
    few = outputs.json("diffusion/exercises.few_steps")
    assert abs(few["10"] - outputs.json("diffusion/ddpm.summary")["digits"]["samplers"]["DDIM 10"]) <= 0.02


def test_few_steps_never_beat_ten_steps(outputs):
    """few_steps: the page names the first step count where the accuracy falls below 10 steps' (chosen by
    {% if %}); fewer steps never score higher here."""
    few = outputs.json("diffusion/exercises.few_steps")
    assert few["3"] <= few["5"] <= few["10"]


def test_large_guidance_saturates_and_moves_away_from_real_digits(outputs):
    """large_guidance: at w = 15 more pixels sit at the clip limits and the samples are further from every
    real digit, while the judge still reads (nearly) all of them as the requested digit."""
    effect = outputs.json("diffusion/exercises.large_guidance")
    assert effect["15"]["saturated"] > effect["3"]["saturated"]
    assert effect["15"]["nearest_real"] > effect["3"]["nearest_real"] + 0.5
    assert effect["15"]["accuracy"] >= 0.95


def test_no_uncond_leaves_the_null_label_untrained(outputs):
    """no_uncond: with p_uncond = 0 the "no label" row gets exactly no gradient; with 0.1 it does."""
    gradient = outputs.json("diffusion/exercises.no_uncond")
    assert gradient["0"] == 0.0 and gradient["0.1"] > 0


def test_no_uncond_for_other_seeds():
    for seed in (1, 2):
        assert exercises.null_label_gradient(0.0, seed=seed) == 0.0
        assert exercises.null_label_gradient(0.5, seed=seed) > 0
