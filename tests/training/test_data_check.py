"""snippets/training/data_check.py: the checks name real problems, the split is the
other chapters'."""

from __future__ import annotations

import torch
from sklearn.datasets import load_digits

from snippets.ann import digits_ann
from snippets.cnn import walkthrough
from snippets.training import data_check, tuning


def test_raw_arrays_have_the_two_problems_the_page_names():
    digits = load_digits()
    found = data_check.problems(
        torch.from_numpy(digits.images), torch.from_numpy(digits.target), 10
    )
    assert len(found) == 2
    assert "float64" in found[0] and "[0, 16]" in found[1]


def test_prepared_data_has_no_problems_and_the_stated_layout():
    x_train, y_train, x_test, y_test = data_check.prepare()
    assert data_check.problems(x_train, y_train, 10) == []
    assert x_train.shape == (1437, 1, 8, 8) and x_test.shape == (360, 1, 8, 8)
    assert x_train.dtype == torch.float32 and y_train.dtype == torch.int64
    assert x_train.min() == 0 and x_train.max() == 1


def test_problems_names_each_kind_of_mistake():
    images, labels = torch.rand(4, 1, 8, 8), torch.tensor([0, 1, 2, 3])
    assert data_check.problems(images, labels, 10) == []
    assert "int32" in data_check.problems(images, labels.int(), 10)[0]
    assert "[0, 10]" in data_check.problems(images, torch.tensor([0, 1, 2, 10]), 10)[0]
    assert "4 images but 3 labels" in data_check.problems(images, labels[:3], 10)[0]
    assert "float64" in data_check.problems(images.double(), labels, 10)[0]


def test_split_is_the_one_of_the_ann_and_cnn_chapters():
    x_train, _, x_test, y_test = data_check.prepare()
    assert torch.equal(x_test.flatten(1), tuning.digits_split()[2])
    config = walkthrough.Config()
    assert (config.test_fraction, config.seed) == (0.2, 0)
    import inspect

    defaults = inspect.signature(digits_ann.train).parameters
    assert (defaults["test_fraction"].default, defaults["seed"].default) == (0.2, 0)


def test_class_balance_on_the_page_is_stratified(outputs):
    _, y_train, _, y_test = data_check.prepare()
    summary = outputs.json("training/data_check.summary")
    train, test = data_check.class_counts(y_train), data_check.class_counts(y_test)
    assert (summary["train_min"], summary["train_max"]) == (min(train), max(train))
    assert (summary["test_min"], summary["test_max"]) == (min(test), max(test))
    total = data_check.class_counts(torch.from_numpy(load_digits().target))
    assert all(abs(t - 0.2 * n) <= 1 for t, n in zip(test, total, strict=True))


def test_sample_grid_titles_are_the_labels():
    x_train, y_train, _, _ = data_check.prepare()
    fig = data_check.plot_samples(x_train, y_train, "tr")
    titles = [axis.get_title() for axis in fig.axes]
    assert titles == [f"etiket {int(y)}" for y in y_train[:20]]
