"""snippets/training/augmentation.py: the transforms change images per call, the split
is the chapter's, and augmentation reduced overfitting in the published runs."""

from __future__ import annotations

import pytest
import torch

from snippets.training import augmentation, tuning
from tests.conftest import cli_error


def test_digit_transform_keeps_shape_dtype_and_range():
    torch.manual_seed(0)
    image = augmentation.small_split()[0][0]
    out = augmentation.digit_augmentation()(image)
    assert out.shape == (1, 8, 8) and out.dtype == torch.float32
    assert 0 <= out.min() and out.max() <= 1


def test_one_call_on_a_batch_uses_one_set_of_parameters():
    torch.manual_seed(0)
    image = augmentation.small_split()[0][0]
    transform = augmentation.digit_augmentation()
    batch = transform(image.expand(4, 1, 8, 8).clone())
    assert all(torch.equal(batch[0], other) for other in batch[1:])
    one_by_one = [transform(image) for _ in range(4)]
    assert not all(torch.equal(one_by_one[0], other) for other in one_by_one[1:])


def test_dataset_gives_a_new_version_at_every_read():
    torch.manual_seed(0)
    x, y, _, _ = augmentation.small_split()
    augmented = augmentation.AugmentedDigits(x, y, augmentation.digit_augmentation())
    plain = augmentation.AugmentedDigits(x, y)
    assert not torch.equal(augmented[0][0], augmented[0][0])
    assert torch.equal(plain[0][0], x[0]) and augmented[0][1] == y[0]


def test_small_split_is_stratified_and_tests_on_the_chapters_test_set():
    x, y, x_test, _ = augmentation.small_split(200)
    assert x.shape == (200, 1, 8, 8)
    assert torch.bincount(y).tolist() == [20] * 10
    assert torch.equal(x_test.flatten(1), tuning.digits_split()[2])


def test_photo_grid_shape():
    photos = augmentation.augmented_photo(variants=3, size=32)
    assert photos.shape == (4, 3, 32, 32) and photos.dtype == torch.uint8


def test_short_run_on_device(device):
    run = augmentation.train(True, train_size=50, epochs=2, device=device)
    assert len(run.train_accuracy) == len(run.test_accuracy) == len(run.test_loss) == 2


def test_augmentation_reduced_overfitting_in_the_published_runs(outputs):
    runs = outputs.json("training/augmentation.runs")
    plain, augmented = runs["plain"], runs["augmented"]
    assert (
        plain["train_accuracy"] == 1.0
    )  # the plain network memorised its training images
    assert augmented["gap"] < plain["gap"]
    assert augmented["test_loss"] < plain["test_loss"]
    for run in (plain, augmented):
        assert run["gap"] == pytest.approx(
            run["train_accuracy"] - run["test_accuracy"], abs=1e-4
        )


@pytest.mark.parametrize("argv", [["--train-size", "5"], ["--epochs", "0"]])
def test_cli_errors(argv, capsys):
    assert "--train-size must be between" in cli_error(augmentation.main, argv, capsys)
