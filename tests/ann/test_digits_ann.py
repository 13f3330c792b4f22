"""snippets/ann/digits_ann.py: the CSV path round-trips, the network has the stated size and learns."""

from __future__ import annotations

import json

import pytest
import torch
from sklearn.datasets import load_digits

from snippets.ann import digits_ann as ann
from snippets.cnn import walkthrough


def test_csv_round_trip(tmp_path):
    features, labels = ann.load_csv(ann.write_digits_csv(tmp_path / "d.csv"), max_pixel=16.0)
    digits = load_digits()
    assert features.shape == (1797, 64) and features.max() == 1.0
    assert torch.equal(labels, torch.tensor(digits.target))


@pytest.mark.parametrize("inputs", [64, 784])
def test_parameter_count_formula(inputs):
    expected = (inputs + 1) * 150 + 2 * (150 + 1) * 150 + (150 + 1) * 10
    assert sum(p.numel() for p in ann.AnnModel(inputs).parameters()) == expected


def test_network_learns_on_device(tmp_path, device):
    features, labels = ann.load_csv(ann.write_digits_csv(tmp_path / "d.csv"), max_pixel=16.0)
    _, history = ann.train(features, labels, device=device)
    assert history.accuracy[-1] >= 0.93 > history.accuracy[0]


def test_missing_csv_is_one_clear_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        ann.main(["--csv", str(tmp_path / "train.csv")])
    assert exit_info.value.code == 2 and "does not exist" in capsys.readouterr().err


def test_held_out_split_is_the_cnn_chapters(root):
    """The comparison on the page holds only if both chapters hold out the same digits."""
    published = json.loads((root / "generated/ann/digits_ann.result.json").read_text(encoding="utf-8"))
    cnn = walkthrough.Config()
    assert (published["test_fraction"], published["seed"]) == (cnn.test_fraction, cnn.seed)
