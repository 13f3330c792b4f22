"""snippets/basics/exercises.py: the claims of the solutions of the chapter's exercises."""

from __future__ import annotations

import pytest

from snippets.basics import exercises as ex
from snippets.basics import rules_vs_learning as rvl


def test_noise_the_slope_error_is_proportional_to_the_noise(outputs):
    """noise: "without noise the slope is the rule's; ten times the noise, ten times the error"."""
    result = outputs.json("basics/exercises.noise")
    errors = dict(zip(result["noises"], result["errors"], strict=True))
    assert errors[0.0] < 1e-4
    assert errors[5.0] / errors[0.5] == pytest.approx(10, rel=0.01)


def test_noise_the_solution_reads_the_chapters_readings():
    """The repeated functions are the chapter's: same readings, same slope."""
    assert ex.readings()[1].tolist() == rvl.readings()[1].tolist()
    assert ex.learn_rule(*ex.readings()) == pytest.approx(rvl.learn_rule(*rvl.readings()), rel=1e-4)


def test_narrow_readings_miss_the_boiling_point_by_more(outputs):
    """narrow: "readings in [0, 10] °C miss 100 °C by more than the chapter's readings" (twice, at least)."""
    result = outputs.json("basics/exercises.narrow")
    assert result["narrow_error"] > 2 * result["wide_error"]


def test_half_masked_leaves_as_many_labels_as_clues(outputs):
    """half_masked: with rate 0.5 half the words become labels; with BERT's rate, one."""
    result = outputs.json("basics/exercises.half_masked")
    for lang, rates in result.items():
        assert rates["0.15"]["hidden"] == 1, lang
        half = rates["0.5"]
        assert half["hidden"] == half["masked"].count("[MASK]") == round(0.5 * (half["hidden"] + half["visible"]))
        assert half["visible"] <= half["hidden"] + 1, lang


def test_outside_the_interval_the_fit_breaks_down(outputs):
    """outside: "outside [−π, π] the error is many thousand times larger" (at least 1000×)."""
    result = outputs.json("basics/exercises.outside")
    assert result["outside_mse"] > 1000 * result["inside_mse"]
    assert result["ratio"] == pytest.approx(result["outside_mse"] / result["inside_mse"], rel=0.1)
