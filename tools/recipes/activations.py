"""Outputs of the chapter "Neural networks and activation functions" (docs/*/activations/index.md)."""

from __future__ import annotations

import inspect

import torch
from torch import nn

from snippets.activations import exercises as ex
from snippets.activations import functions as fn
from snippets.activations import stacked_logistic as sl
from snippets.ann import digits_ann
from tools.generate import Outputs
from tools.verify import FORMULA, TRAINED, Tol


def generate(out: Outputs) -> None:
    """Values and derivatives at three points, softmax, the two plots and the moons accuracies."""
    points = torch.tensor([-2.0, 0.0, 2.0])
    rows = []
    for name in fn.ACTIVATIONS:
        y, dy = fn.value_and_derivative(name, points)
        rows.append([f"`{name}`", *[round(v, 4) for v in y.tolist()], *[round(v, 4) for v in dy.tolist()]])
    out.table("functions.values", {"tr": ["Fonksiyon", "f(−2)", "f(0)", "f(2)", "f′(−2)", "f′(0)", "f′(2)"],
                                   "en": ["Function", "f(−2)", "f(0)", "f(2)", "f′(−2)", "f′(0)",
                                          "f′(2)"]}, rows)
    probabilities, shifted = fn.softmax_example()
    out.json("functions.softmax", {"probabilities": [round(p, 4) for p in probabilities],
                                   "shifted": [round(p, 4) for p in shifted], "sum": round(sum(probabilities), 4)})
    out.figure("functions.curves", fn.plot_activations, tolerance=FORMULA)
    linear, linear_accuracy = fn.train_on_moons(None)
    relu, relu_accuracy = fn.train_on_moons(nn.ReLU())
    out.json("functions.moons", {"linear_accuracy": round(linear_accuracy, 4),
                                 "relu_accuracy": round(relu_accuracy, 4)})
    out.figure("functions.boundaries",
               lambda lang: fn.plot_boundaries(linear, relu, (linear_accuracy, relu_accuracy), lang))
    _layers(out)
    _exercises(out)


def _layers(out: Outputs) -> None:
    networks = [({"tr": "Lojistik regresyon", "en": "Logistic regression"}, sl.logistic_regression(2)),
                ({"tr": "İki katman (`stacked`)", "en": "Two layers (`stacked`)"}, sl.stacked(2)),
                ({"tr": "Yarım ay ağı (`make_net`)", "en": "Half-moons net (`make_net`)"},
                 fn.make_net(nn.ReLU())),
                ({"tr": "[Rakam ağı](../ann/index.md) (`AnnModel`)",
                  "en": "[Digits ANN](../ann/index.md) (`AnnModel`)"}, digits_ann.AnnModel(64))]
    rows = []
    for name, net in networks:
        c = sl.count_layers(net)
        hidden = " → ".join(map(str, c["hidden_sizes"])) or "–"
        rows.append([name, c["inputs"], hidden, c["outputs"], c["layers"]])
    out.table("stacked_logistic.layers",
              {"tr": ["Ağ", "Girdi", "Gizli katmanlar", "Çıktı", "Katman sayısı"],
               "en": ["Network", "Inputs", "Hidden layers", "Outputs", "Layers"]}, rows)
    out.json("stacked_logistic.result", {
        "units_match": sl.units_match(), "hidden": sl.stacked(2)[0].out_features,
        "xor_logistic": sl.train_on_xor(sl.logistic_regression(2)),
        "xor_stacked": sl.train_on_xor(sl.stacked(2)),
    })


def _rounded(result: dict) -> dict:
    return {key: value if value is None or isinstance(value, int) else round(value, 4) for key, value in result.items()}


def _exercises(out: Outputs) -> None:
    epochs = {"runs.*.epochs_to_target": Tol(rel=0.1, abs=5)}  # the first epoch at 95 %: trained, in whole epochs
    target = inspect.signature(ex.train).parameters["target"].default
    out.json("exercises.activations",
             {"target": target, "runs": {name: _rounded(r) for name, r in ex.compare_activations().items()}},
             tolerance={"runs.*": TRAINED, **epochs})
    out.json("exercises.narrow", _rounded(ex.narrow_relu()), tolerance={"*": TRAINED, "epochs_to_target": Tol(abs=5)})
