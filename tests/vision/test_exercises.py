"""snippets/vision/exercises.py: the claims of the solutions of the chapter's exercises."""

from __future__ import annotations

import math

from torchvision import models


def test_detection_lists_this_torchvisions_detection_models(outputs):
    """detection: the published list is what this torchvision lists, and part of all its models."""
    listed = outputs.json("vision/exercises.detection")["models"]
    assert listed == models.list_models(module=models.detection)
    assert set(listed) < set(models.list_models())
    assert not set(listed) & set(models.list_models(module=models))  # not classification models
    families = ("fasterrcnn", "fcos", "keypointrcnn", "maskrcnn", "retinanet", "ssd")  # named on the page
    assert all(any(name.startswith(f) for name in listed) for f in families)
    assert all(name.startswith(families) for name in listed)


def test_resize_gives_28_by_28_batches(outputs):
    """resize: a batch of 32 digits resized to 28×28, one channel."""
    assert outputs.json("vision/exercises.resize")["shape"] == [32, 1, 28, 28]


def test_drop_last_drops_the_one_incomplete_batch(outputs):
    """drop_last: "one batch fewer: the last, incomplete one"."""
    result = outputs.json("vision/exercises.drop_last")
    samples, size = result["samples"], result["batch_size"]
    assert result["batches"] == math.ceil(samples / size)
    assert result["batches_drop_last"] == samples // size == result["batches"] - 1
    assert result["last_batch"] == samples % size > 0
