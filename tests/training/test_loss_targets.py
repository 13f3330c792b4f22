"""snippets/training/loss_targets.py: the page's messages are PyTorch's, and the two
right forms agree."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from snippets.training import loss_targets

RIGHT = ("labels", "F.one_hot(labels, 10).float()")


def test_published_results_are_what_pytorch_says_now(outputs):
    logits, labels = loss_targets.example_batch()
    fresh = {
        name: loss_targets.try_loss(logits, target)
        for name, target in loss_targets.targets(labels).items()
    }
    assert outputs.json("training/loss_targets.summary")["results"] == fresh


def test_only_indices_and_probabilities_work(outputs):
    results = outputs.json("training/loss_targets.summary")["results"]
    for name, result in results.items():
        assert result.startswith("loss =") == (name in RIGHT), (name, result)
    assert results[RIGHT[0]] == results[RIGHT[1]]
    assert "Float" in results["labels.float()"]  # the message names the dtype it got


def test_probability_targets_equal_index_targets():
    logits, labels = loss_targets.example_batch()
    by_index = F.cross_entropy(logits, labels)
    by_probability = F.cross_entropy(logits, F.one_hot(labels, 10).float())
    assert torch.allclose(by_index, by_probability)


def test_one_hot_without_num_classes_is_too_narrow(outputs):
    _, labels = loss_targets.example_batch()
    assert 8 not in labels and 9 not in labels  # the page's explanation depends on it
    width = outputs.json("training/loss_targets.summary")["onehot_width"]
    assert F.one_hot(labels).shape[1] == width == int(labels.max()) + 1 < 10
