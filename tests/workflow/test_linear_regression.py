"""snippets/workflow/linear_regression.py: the workflow recovers the true line, on any device."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from snippets.workflow import linear_regression as lr

ROOT = Path(__file__).resolve().parents[2]
CONFIG = lr.Config()


def test_data_shapes_and_split():
    x_train, y_train, x_test, y_test = lr.make_data(CONFIG)
    assert x_train.shape == (40, 1) and x_test.shape == (10, 1)
    assert torch.allclose(y_train, CONFIG.weight * x_train + CONFIG.bias)
    assert x_train.max() < x_test.min()  # the test part comes after the training part


@pytest.fixture(scope="module")
def trained(device):
    return lr.train(CONFIG, device, log=lambda _: None)


def test_learned_parameters_approach_the_true_ones(trained):
    model, _ = trained
    assert model.weight.item() == pytest.approx(CONFIG.weight, abs=0.02)
    assert model.bias.item() == pytest.approx(CONFIG.bias, abs=0.02)


def test_test_loss_falls(trained):
    _, history = trained
    assert history.test_loss[-1] < history.test_loss[0] / 10


def test_save_and_load_give_identical_predictions(trained, tmp_path):
    model, _ = trained
    restored = lr.save_and_load(model.cpu(), tmp_path / "line.pt")
    x = lr.make_data(CONFIG)[2]
    assert torch.equal(lr.predict(model, x), lr.predict(restored, x))


def test_published_result_matches_a_cpu_run(trained, device):
    model, _ = trained
    published = json.loads((ROOT / "generated/workflow/linear_regression.result.json").read_text(encoding="utf-8"))
    tolerance = 1e-4 if device.type == "cpu" else 5e-3
    assert model.weight.item() == pytest.approx(published["learned_weight"], abs=tolerance)
    assert published["reload_identical"] is True


def test_predict_uses_inference_mode():
    model = lr.LinearRegression()
    assert not lr.predict(model, torch.zeros(2, 1)).requires_grad
