"""snippets/frameworks/overfitting.py: the plain run overfits, the regularised one generalises better."""

from __future__ import annotations

import pytest

from snippets.frameworks import overfitting


@pytest.fixture(scope="module")
def runs(device):
    plain = overfitting.train(device=device)
    regular = overfitting.train(dropout=0.5, weight_decay=0.1, patience=30, device=device)
    return plain, regular


def test_plain_run_memorises_and_its_validation_loss_turns_up(runs):
    plain, _ = runs
    assert plain.train_loss[-1] < 0.01  # the training set is memorised
    assert plain.val_loss[-1] > min(plain.val_loss) * 1.1  # validation got worse after its best epoch
    assert plain.best_epoch < len(plain.val_loss) // 2


def test_regularised_run_has_lower_validation_loss(runs):
    plain, regular = runs
    assert min(regular.val_loss) < plain.val_loss[-1]
    assert min(regular.val_loss) < min(plain.val_loss)


def test_early_stopping_stops(runs):
    _, regular = runs
    assert len(regular.val_loss) < 300
    assert len(regular.val_loss) - regular.best_epoch == 30


def test_small_training_set():
    x_train, y_train, x_val, _ = overfitting.small_digits()
    assert x_train.shape == (100, 64) and x_val.shape == (500, 64)
    assert sum(p.numel() for p in overfitting.make_mlp().parameters()) > 500 * len(y_train)
