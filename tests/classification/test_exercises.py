"""snippets/classification/exercises.py: the claims of the chapter's exercise solutions."""

from __future__ import annotations

import torch

from snippets.classification import exercises as ex


def test_threshold_lower_finds_more_positives(outputs):
    """Section ``threshold``: at 0.3 the model calls more tumours benign; recall rises, precision falls.
    At 0.5 the numbers are the chapter's own (the same model)."""
    found = outputs.json("classification/exercises.threshold")
    page = outputs.json("classification/task_types.binary_metrics")
    assert (found["0.5"]["precision"], found["0.5"]["recall"]) == (page["precision"], page["recall"])
    assert found["0.3"]["positives"] > found["0.5"]["positives"]
    assert found["0.3"]["recall"] > found["0.5"]["recall"]
    assert found["0.3"]["precision"] < found["0.5"]["precision"]


def test_threshold_metrics_on_a_small_case():
    probability, truth = torch.tensor([0.9, 0.4, 0.2, 0.35]), torch.tensor([1.0, 1.0, 0.0, 0.0])
    found = ex.metrics_at_thresholds(probability, truth)
    assert found[0.5] == {"precision": 1.0, "recall": 0.5, "positives": 1}
    assert found[0.3] == {"precision": 2 / 3, "recall": 1.0, "positives": 3}


def test_fourth_label_needs_four_output_neurons(outputs):
    """Section ``fourth_label``: four labels need four output neurons; the three-output model fails."""
    four = outputs.json("classification/exercises.fourth_label")
    assert four["labels"] == four["output_neurons"] == 4
    assert "must be the same as input size" in four["old_model_error"]
    assert four["exact_match"] <= min(four["per_label_accuracy"])
    assert four["per_label_accuracy"][3] > 0.9


def test_digit_labels_divisible_by_three():
    labels = ex.digit_labels(torch.arange(10))
    assert labels[:, 3].tolist() == [1.0, 0, 0, 1, 0, 0, 1, 0, 0, 1]
