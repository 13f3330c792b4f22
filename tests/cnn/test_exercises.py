"""snippets/cnn/exercises.py: the claims of the chapter's exercise solutions."""

from __future__ import annotations

from snippets.cnn import exercises as ex


def test_padding_zero_formula_equals_the_network(outputs):
    """Section ``padding``: 48 → 46 → 44 → 22 → 20 → 10 without padding; fc1 takes 128 · 10 · 10 inputs."""
    found = outputs.json("cnn/exercises.padding")
    assert found["side"] == 10 and found["formula"] == found["model"] == 128 * 10 * 10
    assert found["chapter"] == outputs.json("cnn/walkthrough.model")["flatten_features"]
    assert ex.side_after(48, padding=1) == 12


def test_second_pool_quadruples_fc1(outputs):
    """Section ``second_pool``: without the pool fc1 sees 4 × the features; the total grows by about 4."""
    counts = outputs.json("cnn/exercises.second_pool")
    assert counts["with"] == outputs.json("cnn/walkthrough.model")["total_params"]
    assert counts["factor"] == round(counts["without"] / counts["with"], 2)
    assert 3.9 < counts["factor"] < 4
    fc1 = 128 * 12 * 12 * 512
    assert counts["without"] - counts["with"] == 3 * fc1  # 4 × fc1's weights instead of 1 ×


def test_dropout_heavy_keeps_the_training_curve_above(outputs):
    """Section ``dropout``: at 0.8 the training loss stays above 0.0's every epoch and ends above its own test loss,
    while at 0.0 it ends below; after the short run 0.8 is further behind on test loss."""
    runs = outputs.json("cnn/exercises.dropout")
    off, heavy = runs["0.0"], runs["0.8"]
    assert all(h > o for h, o in zip(heavy["train"], off["train"], strict=True))
    assert heavy["train"][-1] > heavy["test"][-1] * 1.3
    assert off["train"][-1] < off["test"][-1]
    assert heavy["test"][-1] > off["test"][-1] * 2


def test_avg_pool_learns_slower_in_the_short_run(outputs):
    """Section ``avg_pool``: after the short run max pooling has the higher test accuracy."""
    runs = outputs.json("cnn/exercises.avg_pool")
    assert runs["MaxPool2d"] == outputs.json("cnn/exercises.dropout")["0.0"]
    assert runs["MaxPool2d"]["accuracy"][-1] > runs["AvgPool2d"]["accuracy"][-1] + 0.03


def test_build_matches_the_chapter_sizes():
    """Section ``build``: the default knobs give the chapter's network."""
    assert ex.parameters(ex.on_meta()) == ex.without_second_pool()["with"]
