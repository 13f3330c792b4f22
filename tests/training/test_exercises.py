"""snippets/training/exercises.py: the claims of the chapter's exercise solutions."""

from __future__ import annotations

import pytest
import torch

from snippets.training import augmentation, tuning
from snippets.training import exercises as ex


def test_train_is_the_chapters_run():
    """Section ``train``: the same settings give the chapter's numbers (so the recipe reuses its runs)."""
    data = tuning.digits_split()
    theirs = tuning.train(tuning.Setup(lr=1.0, batch_size=len(data[0]), epochs=3), data)
    mine = ex.train(1.0, batch_size=len(data[0]), epochs=3)
    assert mine["train"] == pytest.approx(theirs.train_loss, rel=1e-6)
    assert mine["test"] == pytest.approx(theirs.test_loss, rel=1e-6)


def test_augmented_run_is_the_chapters_run():
    """Section ``no_rotation``: with rotation it is the chapter's augmentation run (checked on 2 epochs)."""
    run = augmentation.train(True, epochs=2)
    mine = ex.augmented_run(rotate=True, epochs=2)
    assert mine["test_loss"] == pytest.approx(run.test_loss[-1], rel=1e-5)


def test_batch_and_rate_full_batch_does_not_tolerate_ten(outputs):
    """Section ``batch_and_rate``: the full batch at lr 10 stays at the loss of guessing; at lr 1 it learns,
    and batch 32 at lr 1 learns most."""
    found = outputs.json("training/exercises.batch_and_rate")
    ten, one, small = found["full, lr 10"], found["full, lr 1"], found["32, lr 1"]
    assert ten["final_train_loss"] > 0.95 * found["uniform_loss"]
    assert one["final_train_loss"] < 0.5 * found["uniform_loss"]
    assert small["final_train_loss"] < one["final_train_loss"] / 10


def test_sweep_breaks_between_one_and_three(outputs):
    """Section ``sweep``: up to lr 1 the final loss falls with the rate; from 3 on it stays at guessing level."""
    found = outputs.json("training/exercises.sweep")
    runs, uniform = found["runs"], found["uniform_loss"]
    assert found["added"] == ["0.3", "3"]
    learning = [runs[r]["final_train_loss"] for r in ("0.01", "0.1", "0.3", "1")]
    assert learning == sorted(learning, reverse=True) and learning[-1] < 0.1 * uniform
    assert all(runs[r]["final_train_loss"] > 0.95 * uniform for r in ("3", "10", "100"))
    assert runs["3"]["highest"] > 2 * uniform  # the loss jumped up before it stuck


def test_cosine_and_one_cycle_end_close(outputs):
    """Section ``cosine``: the two schedules end within a few hundredths of each other (the page names which is
    lower with {% if %} on these values)."""
    found = outputs.json("training/exercises.cosine")
    one, cos = found["onecycle"]["final_test_loss"], found["cosine"]["final_test_loss"]
    assert abs(one - cos) < 0.03
    assert outputs.json("training/tuning.schedule")["onecycle"]["final_test_loss"] == one


def test_adam_weight_decay_shrinks_more_than_adamw(outputs):
    """Section ``weight_decay``: at the same weight_decay, Adam's L2 term leaves far smaller weights than AdamW,
    whose weights are barely smaller than without decay."""
    sizes = outputs.json("training/exercises.weight_decay")["sizes"]
    assert sizes["Adam + weight_decay"] < 0.6 * sizes["AdamW"]
    assert sizes["AdamW"] < sizes["Adam"]
    assert sizes["AdamW"] > 0.9 * sizes["Adam"]


def test_weight_size_is_the_weights_norm():
    model = torch.nn.Sequential(torch.nn.Linear(2, 1))
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[3.0, 4.0]]))
        model[0].bias.fill_(100.0)
    assert ex.weight_size(model) == pytest.approx(5.0)


def test_no_rotation_widens_the_gap(outputs):
    """Section ``no_rotation``: without rotation the train–test gap grows; the test loss moves little."""
    found = outputs.json("training/exercises.no_rotation")
    chapter = outputs.json("training/augmentation.runs")["augmented"]
    assert found["with"]["test_loss"] == chapter["test_loss"]
    assert found["without"]["gap"] > found["with"]["gap"] + 0.01
    assert abs(found["without"]["gap"] - outputs.json("training/augmentation.runs")["plain"]["gap"]) < 0.02
    assert abs(found["without"]["test_loss"] - found["with"]["test_loss"]) < 0.05


def test_weight_decay_settings_are_the_chapters(outputs):
    found = outputs.json("training/exercises.weight_decay")
    assert found["weight_decay"] == outputs.json("training/tuning.optimizers")["adamw_weight_decay"]
    assert found["weight_decay"] == torch.optim.AdamW([torch.zeros(1, requires_grad=True)]).defaults["weight_decay"]
