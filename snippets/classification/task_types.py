"""Classification types / Sınıflandırma türleri.

Binary (breast cancer: malignant or benign), multiclass (iris: one of three
species) and multilabel (digits: even? greater than 4? prime? — any number of
labels at once), each a small network trained on data that ships with
scikit-learn. Each example returns what its model's output layer, output
activation and loss are, read off the objects themselves, so the chapter's
hyperparameter table is generated from running code. Needs torch and
scikit-learn; a few seconds.

    python -m snippets.classification.task_types
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

import torch
from sklearn.datasets import load_breast_cancer, load_digits, load_iris
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch import nn


# --8<-- [start:data]
def split(
    x, y, seed: int = 0, stratify: bool = True
) -> tuple[torch.Tensor, ...]:
    """75 % train / 25 % test, features standardised with the training part's
    statistics."""
    x_train, x_test, y_train, y_test = train_test_split(
        x,
        y,
        test_size=0.25,
        random_state=seed,
        stratify=y if stratify else None,
    )
    scaler = StandardScaler().fit(x_train)
    as_float = lambda a: torch.tensor(a, dtype=torch.float32)  # noqa: E731
    return (
        as_float(scaler.transform(x_train)),
        as_float(y_train),
        as_float(scaler.transform(x_test)),
        as_float(y_test),
    )


def binary_data():
    data = (
        load_breast_cancer()
    )  # 569 tumours, 30 measurements, 0 = malignant, 1 = benign
    return split(data.data, data.target)


def multiclass_data():
    data = load_iris()  # 150 flowers, 4 measurements, 3 species
    return split(data.data, data.target)


def multilabel_data():
    data = load_digits()  # 8×8 images; three yes/no labels per image
    digit = data.target
    labels = (
        torch.stack(
            [
                torch.tensor(digit % 2 == 0),
                torch.tensor(digit > 4),
                torch.tensor([d in (2, 3, 5, 7) for d in digit]),
            ],
            dim=1,
        )
        .int()
        .numpy()
    )
    return split(data.data, labels, stratify=False)


# --8<-- [end:data]


# --8<-- [start:models]
@dataclass
class Task:
    """Everything that differs between the three kinds of classification."""

    name: str
    outputs: int  # neurons in the output layer
    loss: nn.Module  # takes raw logits
    predict: str  # how logits become predictions


TASKS = {
    "binary": Task("binary", 1, nn.BCEWithLogitsLoss(), "sigmoid(logit) > 0.5"),
    "multiclass": Task(
        "multiclass", 3, nn.CrossEntropyLoss(), "argmax(softmax(logits))"
    ),
    "multilabel": Task(
        "multilabel",
        3,
        nn.BCEWithLogitsLoss(),
        "sigmoid(logits) > 0.5, per label",
    ),
}


def make_model(inputs: int, outputs: int, hidden: int = 16) -> nn.Sequential:
    """inputs → hidden → hidden → outputs, ReLU in between, no activation at the
    end (logits)."""
    return nn.Sequential(
        nn.Linear(inputs, hidden),
        nn.ReLU(),
        nn.Linear(hidden, hidden),
        nn.ReLU(),
        nn.Linear(hidden, outputs),
    )


def predict(task: Task, logits: torch.Tensor) -> torch.Tensor:
    """Class decisions from logits, the way ``task.predict`` says."""
    if task.name == "multiclass":
        return logits.argmax(dim=1)
    decisions = (torch.sigmoid(logits) > 0.5).float()
    return decisions.squeeze(1) if task.name == "binary" else decisions


# --8<-- [end:models]


# --8<-- [start:train]
def train(
    kind: str,
    epochs: int = 200,
    seed: int = 0,
    device: torch.device | str = "cpu",
):
    """Train the network for ``kind``; returns the model, its optimizer and the
    test accuracy."""
    task = TASKS[kind]
    x_train, y_train, x_test, y_test = {
        "binary": binary_data,
        "multiclass": multiclass_data,
        "multilabel": multilabel_data,
    }[kind]()
    if kind == "multiclass":
        y_train, y_test = (
            y_train.long(),
            y_test.long(),
        )  # CrossEntropyLoss wants class indices
    torch.manual_seed(seed)
    model = make_model(x_train.shape[1], task.outputs).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    x_train, y_train = x_train.to(device), y_train.to(device)
    for _ in range(epochs):
        logits = model(x_train)
        loss = task.loss(
            logits.squeeze(1) if kind == "binary" else logits, y_train
        )
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.inference_mode():
        predicted = predict(task, model(x_test.to(device))).cpu()
    correct = predicted == y_test
    if kind == "multilabel":
        correct = correct.all(
            dim=1
        )  # exact match: every label of the image right
    accuracy = correct.float().mean()
    return model, optimizer, accuracy.item(), (x_test, y_test, predicted)


# --8<-- [end:train]


# --8<-- [start:fused_losses]
def fused_versus_separate() -> dict[str, float]:
    """BCEWithLogitsLoss = Sigmoid + BCELoss and CrossEntropyLoss = LogSoftmax +
    NLLLoss; only fused stays exact."""
    logits, target = (
        torch.tensor([0.3, -1.2, 2.5]),
        torch.tensor([1.0, 0.0, 1.0]),
    )
    extreme, one = (
        torch.tensor([-200.0]),
        torch.tensor([1.0]),
    )  # very confident and very wrong
    scores, classes = torch.tensor([[2.0, 0.5, -1.0]]), torch.tensor([0])
    return {
        "bce_with_logits": nn.BCEWithLogitsLoss()(logits, target).item(),
        "sigmoid_then_bce": nn.BCELoss()(torch.sigmoid(logits), target).item(),
        "extreme_with_logits": nn.BCEWithLogitsLoss()(
            extreme, one
        ).item(),  # = 200, the true value
        "extreme_sigmoid_then_bce": nn.BCELoss()(
            torch.sigmoid(extreme), one
        ).item(),  # sigmoid → 0, log clamped
        "cross_entropy": nn.CrossEntropyLoss()(scores, classes).item(),
        "log_softmax_then_nll": nn.NLLLoss()(
            torch.log_softmax(scores, dim=1), classes
        ).item(),
    }


# --8<-- [end:fused_losses]


# --8<-- [start:evaluation]
def evaluate_binary(
    truth: torch.Tensor, predicted: torch.Tensor
) -> dict[str, float]:
    """Accuracy, precision, recall and F1 of the binary example (scikit-learn's
    metrics on CPU tensors)."""
    from sklearn.metrics import (
        accuracy_score,
        f1_score,
        precision_score,
        recall_score,
    )

    return {
        "accuracy": accuracy_score(truth, predicted),
        "precision": precision_score(truth, predicted),
        "recall": recall_score(truth, predicted),
        "f1": f1_score(truth, predicted),
    }


def plot_confusion(
    truth: torch.Tensor, predicted: torch.Tensor, lang: str = "en"
):
    """Confusion matrix of the binary example, labels in ``lang``."""
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay

    names = {
        "tr": (["kötü huylu", "iyi huylu"], "Gerçek", "Tahmin"),
        "en": (["malignant", "benign"], "True", "Predicted"),
    }[lang]
    fig, axis = plt.subplots(figsize=(4.5, 4))
    ConfusionMatrixDisplay.from_predictions(
        truth,
        predicted,
        display_labels=names[0],
        ax=axis,
        colorbar=False,
        cmap="Blues",
    )
    axis.set(ylabel=names[1], xlabel=names[2])
    fig.tight_layout()
    return fig


# --8<-- [end:evaluation]


def main(argv: list[str] | None = None) -> None:
    """Train the three examples and print their test accuracy; then the loss
    comparison."""
    argparse.ArgumentParser(
        description="Train the three task types; compare the losses."
    ).parse_args(argv)
    for kind in TASKS:
        model, _, accuracy, _ = train(kind)
        print(
            f"{kind:>10}: output layer {model[-1].out_features}, loss "
            f"{type(TASKS[kind].loss).__name__}, "
            f"test accuracy {accuracy:.3f}"
        )
    print(fused_versus_separate())


if __name__ == "__main__":
    main()
