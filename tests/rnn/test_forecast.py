"""snippets/rnn/forecast.py: every cell learns the signal and beats the naive forecast."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import torch

from snippets.rnn import forecast
from tests.conftest import declared

CONFIG = forecast.Config()


def test_windows_do_not_overlap_between_train_and_test():
    (x_train, y_train), (x_test, y_test) = forecast.split(CONFIG)
    assert x_train.shape[1:] == x_test.shape[1:] == (CONFIG.window, 1)
    series = forecast.make_series(CONFIG)
    cut = int(CONFIG.train_fraction * CONFIG.length)
    assert torch.equal(y_train[-1, 0], series[cut - 1])  # the last training target
    assert torch.equal(x_test[0, 0, 0], series[cut])  # the first test window starts after it


@pytest.fixture(scope="module")
def results(device):
    return {kind: forecast.train(kind, CONFIG, device) for kind in ("RNN", "LSTM", "GRU")}


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_cell_beats_naive_forecast(results, kind):
    assert results[kind].test_mse < 0.75 * forecast.naive_mse(CONFIG)
    assert results[kind].train_loss[-1] < results[kind].train_loss[0] / 4


def test_published_comparison_is_this_run(results, device, root):
    summary = json.loads((root / "generated/rnn/forecast.summary.json").read_text(encoding="utf-8"))
    for kind, result in results.items():
        tolerance = declared("rnn/forecast.summary.json", f"test_mse.{kind}") if device.type == "cpu" else {"abs": 0.01}
        assert round(result.test_mse, 4) == pytest.approx(summary["test_mse"][kind], **tolerance)


@pytest.mark.parametrize("argv", [["--epochs", "0"], ["--device", "tpu"], ["--window", "3"]])
def test_cli_rejects_bad_flags(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        forecast.main(argv)
    assert exit_info.value.code == 2 and "usage:" in capsys.readouterr().err


def test_module_runs_as_a_script(root):
    result = subprocess.run([sys.executable, "-m", "snippets.rnn.forecast", "--epochs", "1", "--device", "cpu"],
                            cwd=root, capture_output=True, text=True)
    assert result.returncode == 0 and "GRU" in result.stdout
