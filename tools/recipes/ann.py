"""Outputs of the chapter "An artificial neural network on handwritten digits" (docs/*/ann/index.md)."""

from __future__ import annotations

import inspect
import tempfile
from pathlib import Path

import torch

from snippets.ann import digits_ann as ann
from tools.generate import Outputs
from tools.verify import TRAINED


def generate(out: Outputs) -> None:
    """The CSV's first lines, the parameter count, the curves and the final metrics."""
    with tempfile.TemporaryDirectory() as folder:
        path = ann.write_digits_csv(Path(folder) / "digits.csv")
        head = [",".join(line.split(",")[:9]) + ",…" for line in path.read_text().splitlines()[:4]]
        features, labels = ann.load_csv(path, max_pixel=16.0)
        by_pandas = ann.load_csv_pandas(path, max_pixel=16.0)
    out.text("digits_ann.csv_head", "\n".join(head))
    out.json("digits_ann.pandas", {
        "same_features": bool(torch.equal(by_pandas[0], features)),
        "same_labels": bool(torch.equal(by_pandas[1], labels)),
        "feature_dtype": str(by_pandas[0].dtype), "label_dtype": str(by_pandas[1].dtype)})
    facts = ann.numpy_to_torch()
    out.json("digits_ann.dtypes", {**facts, "long_label_loss": round(facts["long_label_loss"], 4)})
    model, history = ann.train(features, labels)
    out.figure("digits_ann.curves", lambda lang: ann.plot_history(history, lang))
    layers = [m for m in model.layers if hasattr(m, "weight")]
    out.json("digits_ann.result", {
        "inputs": features.shape[1], "rows": len(labels), "mnist_inputs": 28 * 28,
        "parameters": sum(p.numel() for p in model.parameters()),
        "layer_params": [m.weight.numel() + m.bias.numel() for m in layers],
        "mnist_parameters": sum(p.numel() for p in ann.AnnModel(28 * 28).parameters()),
        "iterations": history.iterations[-1], "final_accuracy": round(history.accuracy[-1], 4),
        "final_loss": round(history.loss[-1], 4), "first_accuracy": round(history.accuracy[0], 4),
        # the settings train() ran with (its defaults), for the page's prose
        **{name: p.default for name, p in inspect.signature(ann.train).parameters.items()
           if name in ("test_fraction", "every", "seed", "epochs", "batch_size", "learning_rate")},
    })
    _exercises(out, history)


def _exercises(out: Outputs, history: ann.History) -> None:
    """The exercises' solutions: ReLU in every hidden layer; Adam instead of SGD. The chapter's run (above) is
    the baseline of both: exercises.test_accuracy_curve() with its defaults gives the same curve."""
    from snippets.ann import exercises as ex

    chapter = [round(a, 4) for a in history.accuracy]
    curve = lambda **knobs: [round(a, 4) for a in ex.test_accuracy_curve(**knobs)]  # noqa: E731
    every = inspect.signature(ex.test_accuracy_curve).parameters["every"].default
    out.json("exercises.all_relu", {"every": every, "mixed": chapter,
                                    "relu": curve(activations=(torch.nn.ReLU,) * 3)}, tolerance=TRAINED)
    out.json("exercises.adam", {"every": every, "target": 0.9, "sgd": chapter,
                                "adam": curve(optimizer=lambda p: torch.optim.Adam(p, lr=1e-3))}, tolerance=TRAINED)
