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


def test_from_numpy_shares_memory_and_keeps_the_dtype():
    facts = ann.numpy_to_torch()
    assert facts["numpy_dtype"] == "float64" and facts["tensor_dtype"] == "torch.float64"
    assert facts["from_numpy_sees_change"] is True and facts["torch_tensor_sees_change"] is False


def test_float64_inputs_and_float_labels_fail_with_todays_messages():
    facts = ann.numpy_to_torch()
    assert "same dtype" in facts["float64_error"] and facts["float32_output"] == "torch.float32"
    assert "Long" in facts["float_label_error"] and facts["long_label_loss"] > 0


def test_published_dtype_facts_are_todays(root):
    published = json.loads((root / "generated/ann/digits_ann.dtypes.json").read_text(encoding="utf-8"))
    facts = ann.numpy_to_torch()
    assert published == {**facts, "long_label_loss": round(facts["long_label_loss"], 4)}


def test_load_csv_gives_float32_features_and_int64_labels(tmp_path):
    features, labels = ann.load_csv(ann.write_digits_csv(tmp_path / "d.csv"), max_pixel=16.0)
    assert features.dtype == torch.float32 and labels.dtype == torch.int64


def test_a_float_target_of_class_probabilities_is_accepted():
    """The page's aside: a float target shaped (N, classes) is read as probabilities."""
    logits = torch.zeros(2, 10)
    probabilities = torch.full((2, 10), 0.1)
    assert torch.nn.CrossEntropyLoss()(logits, probabilities).item() > 0


def test_pandas_reads_the_same_tensors_as_numpy(tmp_path):
    path = ann.write_digits_csv(tmp_path / "d.csv")
    features, labels = ann.load_csv(path, max_pixel=16.0)
    by_pandas = ann.load_csv_pandas(path, max_pixel=16.0)
    assert torch.equal(by_pandas[0], features) and torch.equal(by_pandas[1], labels)
    assert (by_pandas[0].dtype, by_pandas[1].dtype) == (torch.float32, torch.int64)


def test_page_states_what_the_pandas_path_gives(outputs):
    facts = outputs.json("ann/digits_ann.pandas")
    assert facts["same_features"] and facts["same_labels"]
    assert (facts["feature_dtype"], facts["label_dtype"]) == ("torch.float32", "torch.int64")
