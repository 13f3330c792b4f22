"""Outputs of the chapter "The PyTorch workflow" (docs/*/workflow/index.md)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import torch

from snippets.workflow import exercises as ex
from snippets.workflow import linear_regression as lr
from snippets.workflow import nonlinear_regression as nl
from tools.generate import Outputs
from tools.verify import TRAINED


def _nonlinear(out: Outputs) -> None:
    data = nl.make_curve()
    line, line_train, line_test = nl.train(nl.straight_line, data)
    mlp, mlp_train, mlp_test = nl.train(nl.small_mlp, data)
    out.figure("nonlinear_regression.fits", lambda lang: nl.plot_fits(data, line, mlp, lang))
    out.json("nonlinear_regression.result", {
        "n_train": len(data[0]), "n_test": len(data[2]), "noise_variance": round(nl.NOISE ** 2, 6),
        "line": {"train_mse": round(line_train, 4), "test_mse": round(line_test, 4)},
        "mlp": {"train_mse": round(mlp_train, 4), "test_mse": round(mlp_test, 4)},
        "mlp_parameters": sum(p.numel() for p in mlp.parameters()),
    })


def _rounded(result: dict) -> dict:
    return {key: [round(v, 4) for v in value] if isinstance(value, list) else round(value, 4)
            for key, value in result.items()}


def _exercises(out: Outputs) -> None:
    out.json("exercises.learning_rate", {"rates": [{"rate": rate, **_rounded(result)}
                                                   for rate, result in ex.by_learning_rate().items()]},
             tolerance=TRAINED)
    out.json("exercises.mse", {name: _rounded(result) for name, result in ex.l1_and_mse().items()},
             tolerance=TRAINED)
    out.json("exercises.state_dict", ex.both_models())
    out.json("exercises.no_tanh", {name: _rounded(result) for name, result in ex.without_tanh().items()},
             tolerance=TRAINED)


def generate(out: Outputs) -> None:
    """Data plot, untrained and trained predictions, the training log, loss curves, save/load check."""
    config = lr.Config()
    x_train, _, x_test, _ = lr.make_data(config)
    torch.manual_seed(config.seed)
    untrained = lr.LinearRegression()
    out.figure("linear_regression.data", lambda lang: lr.plot_predictions(config, None, lang))
    before = lr.predict(untrained, x_test)
    out.figure("linear_regression.before", lambda lang: lr.plot_predictions(config, before, lang))
    model, history = out.capture("linear_regression.train", lr.train, config, torch.device("cpu"))
    after = lr.predict(model, x_test)
    out.figure("linear_regression.after", lambda lang: lr.plot_predictions(config, after, lang))
    out.figure("linear_regression.losses", lambda lang: lr.plot_losses(history, lang))
    with tempfile.TemporaryDirectory() as folder:
        restored = lr.save_and_load(model, Path(folder) / "line.pt")
    out.json("linear_regression.result", {
        "true_weight": config.weight, "true_bias": config.bias,
        "initial_weight": round(untrained.weight.item(), 4), "initial_bias": round(untrained.bias.item(), 4),
        "learned_weight": round(model.weight.item(), 4), "learned_bias": round(model.bias.item(), 4),
        "n_train": len(x_train), "n_test": len(x_test), "epochs": config.epochs,
        "learning_rate": config.learning_rate,
        "first_test_loss": round(history.test_loss[0], 4), "final_test_loss": round(history.test_loss[-1], 4),
        "reload_identical": bool(torch.equal(lr.predict(restored, x_test), after)),
        "state_dict_keys": sorted(model.state_dict()),
    })
    _nonlinear(out)
    _exercises(out)
