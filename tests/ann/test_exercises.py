"""snippets/ann/exercises.py: the claims of the chapter's exercise solutions."""

from __future__ import annotations

import inspect

from snippets.ann import digits_ann as ann
from snippets.ann import exercises as ex


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def test_all_relu_ends_close_but_climbs_slower(outputs):
    """Section ``all_relu``: ReLU everywhere ends within a few points of the chapter's mix, below it on
    average over the run."""
    runs = outputs.json("ann/exercises.all_relu")
    mixed, relu = runs["mixed"], runs["relu"]
    assert mixed[-1] == outputs.json("ann/digits_ann.result")["final_accuracy"]
    assert abs(relu[-1] - mixed[-1]) < 0.03
    assert _mean(relu) < _mean(mixed) - 0.02


def test_adam_climbs_faster(outputs):
    """Section ``adam``: Adam is far ahead at the first measurement and reaches the target accuracy in under half the
    iterations; both end high."""
    runs = outputs.json("ann/exercises.adam")
    sgd, adam = runs["sgd"], runs["adam"]
    assert adam[0] > sgd[0] + 0.2
    first_at = lambda curve: next(i for i, a in enumerate(curve) if a >= runs["target"])  # noqa: E731
    assert 2 * first_at(adam) < first_at(sgd)
    assert min(adam[-1], sgd[-1]) > 0.9


def test_run_defaults_are_the_chapters():
    """Section ``run``: the default run is the chapter's (activations, rate, epochs, every)."""
    mine = inspect.signature(ex.test_accuracy_curve).parameters
    theirs = inspect.signature(ann.train).parameters
    assert all(mine[k].default == theirs[k].default for k in ("epochs", "every", "seed"))
    model = ann.AnnModel(64)
    chapter = tuple(type(m) for m in model.layers if not hasattr(m, "weight"))
    assert mine["activations"].default == chapter
