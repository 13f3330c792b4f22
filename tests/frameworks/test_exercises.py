"""snippets/frameworks/exercises.py: the claims of the chapter's exercise solutions."""

from __future__ import annotations

import inspect

import pytest

from snippets.frameworks import exercises as ex
from tools.recipes.frameworks import REGULARISED


def test_sine_adds_a_sin_backward_node(outputs):
    """Section ``sine``: SinBackward0 sits between the square and the sum; autograd equals the chain rule."""
    found = outputs.json("frameworks/exercises.sine")
    assert found["graph"].split(" → ")[:3] == ["PowBackward0", "SinBackward0", "AddBackward0"]
    assert found["autograd"] == pytest.approx(found["by_hand"], rel=1e-6)
    assert "SinBackward0" in ex.graph_with_sine()["graph"]


def test_more_data_flattens_the_validation_curve(outputs):
    """Section ``more_data``: with 1,000 images the best validation loss is far lower, reached later, and the
    climb after it is far smaller; the 100-image run is the chapter's plain run."""
    runs = outputs.json("frameworks/exercises.more_data")
    small, large = runs["100"], runs["1000"]
    assert small["best"] == outputs.json("frameworks/overfitting.runs")["plain"]["best_val_loss"]
    assert large["best"] < small["best"] / 2
    assert large["best_epoch"] > small["best_epoch"]
    assert large["climb"] < small["climb"] / 5


def test_dropout_matters_more_than_weight_decay(outputs):
    """Section ``one_at_a_time``: dropout alone lowers the best and the final validation loss more than weight
    decay alone, and weight decay alone barely moves them."""
    runs = outputs.json("frameworks/exercises.one_at_a_time")
    none, dropout, decay = runs["none"], runs["dropout"], runs["weight_decay"]
    assert runs["settings"] == {k: REGULARISED[k] for k in ("dropout", "weight_decay")}
    assert dropout["best"] < decay["best"] - 0.01 and dropout["final"] < decay["final"] - 0.02
    assert none["best"] - decay["best"] < 0.01
    assert dropout["climb"] < decay["climb"] < none["climb"]


def test_one_at_a_time_defaults_are_the_chapters():
    defaults = inspect.signature(ex.one_at_a_time).parameters
    assert {k: defaults[k].default for k in ("dropout", "weight_decay")} == {
        k: REGULARISED[k] for k in ("dropout", "weight_decay")}


def test_validation_curve_is_the_chapters_plain_run():
    """Section ``run``: the recipe reuses the chapter's plain run as the baseline; both give the same curve
    (checked on 20 epochs)."""
    from snippets.frameworks import overfitting

    assert ex.validation_curve(epochs=20) == pytest.approx(overfitting.train(epochs=20).val_loss, rel=1e-5)
