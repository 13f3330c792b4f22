"""Outputs of the chapter "Classification types and hyperparameters" (docs/*/classification/index.md)."""

from __future__ import annotations

import torch
from torch import nn

from snippets.classification import task_types
from tools.generate import Outputs
from tools.verify import TRAINED

KIND = {"binary": {"tr": "İkili", "en": "Binary"}, "multiclass": {"tr": "Çok sınıflı", "en": "Multiclass"},
        "multilabel": {"tr": "Çok etiketli", "en": "Multilabel"}}
DATA = {"binary": {"tr": "göğüs kanseri: kötü huylu mu?", "en": "breast cancer: malignant?"},
        "multiclass": {"tr": "iris: üç türden hangisi?", "en": "iris: which of three species?"},
        "multilabel": {"tr": "rakamlar: çift mi, 4'ten büyük mü, asal mı?",
                       "en": "digits: even? greater than 4? prime?"}}


def _hidden(model: nn.Sequential) -> tuple[int, int, str]:
    linears = [m for m in model if isinstance(m, nn.Linear)]
    activations = {type(m).__name__ for m in model if not isinstance(m, nn.Linear)}
    return len(linears) - 1, linears[0].out_features, ", ".join(sorted(activations))


def generate(out: Outputs) -> None:
    """The three trained examples, the hyperparameter table read off their models, the loss comparison."""
    runs = {kind: task_types.train(kind) for kind in task_types.TASKS}
    out.table("task_types.examples",
              {"tr": ["Tür", "Veri", "Çıktı katmanı", "Logit şekli (test)", "Kayıp", "Test doğruluğu"],
               "en": ["Type", "Data", "Output layer", "Logit shape (test)", "Loss", "Test accuracy"]},
              [[KIND[k], DATA[k], model[-1].out_features, f"`{tuple(model(x_test).shape)}`",
                f"`{type(task_types.TASKS[k].loss).__name__}`", {"percent": round(accuracy, 4)}]
               for k, (model, _, accuracy, (x_test, _, _)) in runs.items()])
    columns = {}
    for kind in ("binary", "multiclass"):
        model, optimizer, _, _ = runs[kind]
        layers, width, activation = _hidden(model)
        columns[kind] = [f"`in_features={model[0].in_features}`", str(layers), str(width),
                         f"`out_features={model[-1].out_features}`", f"`nn.{activation}`",
                         f"`{task_types.TASKS[kind].predict}`", f"`nn.{type(task_types.TASKS[kind].loss).__name__}`",
                         f"`torch.optim.{type(optimizer).__name__}`"]
    names = [({"tr": "Girdi katmanı şekli", "en": "Input layer shape"}),
             ({"tr": "Gizli katman sayısı", "en": "Hidden layers"}),
             ({"tr": "Gizli katman başına nöron", "en": "Neurons per hidden layer"}),
             ({"tr": "Çıktı katmanı şekli", "en": "Output layer shape"}),
             ({"tr": "Gizli katman etkinleştirmesi", "en": "Hidden activation"}),
             ({"tr": "Çıktı etkinleştirmesi (tahminde)", "en": "Output activation (at prediction)"}),
             ({"tr": "Kayıp fonksiyonu", "en": "Loss function"}),
             ({"tr": "Optimizer", "en": "Optimizer"})]
    out.table("task_types.hyperparameters",
              {"tr": ["Hiperparametre", "İkili", "Çok sınıflı"], "en": ["Hyperparameter", "Binary", "Multiclass"]},
              [[name, columns["binary"][i], columns["multiclass"][i]] for i, name in enumerate(names)])
    out.json("task_types.losses", {k: round(v, 6) for k, v in task_types.fused_versus_separate().items()})
    _, _, _, (_, binary_truth, binary_predicted) = runs["binary"]
    out.json("task_types.binary_metrics", {k: round(float(v), 4)
                                      for k, v in task_types.evaluate_binary(binary_truth, binary_predicted).items()}
             | {"errors": int((binary_truth != binary_predicted).sum()), "test_size": len(binary_truth)})
    out.figure("task_types.confusion", lambda lang: task_types.plot_confusion(binary_truth, binary_predicted, lang))
    _, _, _, (_, truth, predicted) = runs["multiclass"]
    from sklearn.metrics import classification_report

    out.text("task_types.report", classification_report(truth.int(), predicted, digits=3,
                                                    target_names=["setosa", "versicolor", "virginica"]))
    _exercises(out, runs)


def _exercises(out: Outputs, runs: dict) -> None:
    """The exercises' solutions: the binary model's precision and recall at 0.5 and 0.3; a fourth label."""
    from snippets.classification import exercises as ex

    model, _, _, (x_test, y_test, _) = runs["binary"]
    with torch.inference_mode():
        probability = torch.sigmoid(model(x_test)).squeeze(1)
    found = ex.metrics_at_thresholds(probability, y_test)
    out.json("exercises.threshold", {str(t): {k: v if isinstance(v, int) else round(float(v), 4) for k, v in m.items()}
                                     for t, m in found.items()})
    four = ex.four_labels()
    out.json("exercises.fourth_label", four | {
        "per_label_accuracy": [round(a, 4) for a in four["per_label_accuracy"]],
        "exact_match": round(four["exact_match"], 4)}, tolerance={"per_label_accuracy.*": TRAINED,
                                                                  "exact_match": TRAINED})
