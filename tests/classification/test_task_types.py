"""snippets/classification/task_types.py: each type trains, and the table's claims hold for the models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from torch import nn

from snippets.classification import task_types

ROOT = Path(__file__).resolve().parents[2]
MIN_ACCURACY = {"binary": 0.93, "multiclass": 0.9, "multilabel": 0.9}


@pytest.fixture(scope="module", params=list(task_types.TASKS))
def run(request, device):
    return request.param, task_types.train(request.param, device=device)


def test_accuracy_on_held_out_data(run):
    kind, (_, _, accuracy, _) = run
    assert accuracy >= MIN_ACCURACY[kind]


def test_output_layer_and_loss_fit_the_type(run):
    kind, (model, _, _, (x_test, _, predicted)) = run
    logits = model(x_test.to(next(model.parameters()).device))
    expected = {"binary": (1, nn.BCEWithLogitsLoss), "multiclass": (3, nn.CrossEntropyLoss),
                "multilabel": (3, nn.BCEWithLogitsLoss)}[kind]
    assert model[-1].out_features == logits.shape[1] == expected[0]
    assert isinstance(task_types.TASKS[kind].loss, expected[1])
    assert not isinstance(model[-1], (nn.Sigmoid, nn.Softmax))  # models end in logits
    assert predicted.shape == ((len(x_test),) if kind != "multilabel" else (len(x_test), 3))


def test_generated_table_matches_the_models():
    table = json.loads((ROOT / "generated/classification/task_types.hyperparameters.table.json").read_text("utf-8"))
    cells = {row[0]["en"]: row[1:] for row in table["rows"]}
    assert cells["Output layer shape"] == ["`out_features=1`", "`out_features=3`"]
    assert cells["Loss function"] == ["`nn.BCEWithLogitsLoss`", "`nn.CrossEntropyLoss`"]
    assert cells["Input layer shape"] == ["`in_features=30`", "`in_features=4`"]


def test_fused_losses_equal_separate_ones_and_stay_exact():
    losses = task_types.fused_versus_separate()
    assert losses["bce_with_logits"] == pytest.approx(losses["sigmoid_then_bce"], abs=1e-6)
    assert losses["cross_entropy"] == pytest.approx(losses["log_softmax_then_nll"], abs=1e-6)
    assert losses["extreme_with_logits"] == pytest.approx(200.0)
    assert losses["extreme_sigmoid_then_bce"] == pytest.approx(100.0)  # BCELoss clamps log(0) to -100


def test_binary_metrics_are_consistent():
    truth, predicted = torch.tensor([1, 1, 0, 0, 1]), torch.tensor([1, 0, 0, 1, 1])
    metrics = task_types.evaluate_binary(truth, predicted)
    assert metrics["precision"] == pytest.approx(2 / 3) and metrics["recall"] == pytest.approx(2 / 3)
    assert metrics["f1"] == pytest.approx(2 / 3) and metrics["accuracy"] == pytest.approx(0.6)
