"""Exercise solutions: classification / Alıştırma çözümleri: sınıflandırma.

The chapter's binary (breast cancer) and multilabel (digits) examples, written
out again so that this file runs alone (same split, seed, network and
optimizer, so the same models): the binary decision at another threshold,
and a fourth label, "divisible by 3?". Needs torch and scikit-learn; a few
seconds.

    python -m snippets.classification.exercises
"""

from __future__ import annotations

import torch
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.metrics import precision_score, recall_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch import nn


def split(x, y, stratify: bool = True) -> tuple[torch.Tensor, ...]:
    """The chapter's 75 / 25 split, standardised with the training part."""
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=0.25, random_state=0, stratify=y if stratify else None
    )
    scaler = StandardScaler().fit(x_train)
    as_float = lambda a: torch.tensor(a, dtype=torch.float32)  # noqa: E731
    return (
        as_float(scaler.transform(x_train)),
        as_float(y_train),
        as_float(scaler.transform(x_test)),
        as_float(y_test),
    )


def fit(
    x: torch.Tensor, y: torch.Tensor, outputs: int, epochs: int = 200
) -> nn.Sequential:
    """The chapter's network (two hidden layers of 16, ReLU) trained full
    batch with Adam and BCEWithLogitsLoss; returns the trained model."""
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Linear(x.shape[1], 16),
        nn.ReLU(),
        nn.Linear(16, 16),
        nn.ReLU(),
        nn.Linear(16, outputs),
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(epochs):
        logits = model(x)
        if y.dim() == 1:  # binary: one logit per example
            logits = logits.squeeze(1)
        loss = nn.BCEWithLogitsLoss()(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.eval()


# --8<-- [start:threshold]
def binary_probabilities() -> tuple[torch.Tensor, torch.Tensor]:
    """The chapter's binary model (1 = benign): its test probabilities
    ``sigmoid(logit)`` and the test labels."""
    data = load_breast_cancer()
    x_train, y_train, x_test, y_test = split(data.data, data.target)
    model = fit(x_train, y_train, outputs=1)
    with torch.inference_mode():
        return torch.sigmoid(model(x_test)).squeeze(1), y_test


def metrics_at_thresholds(
    probability: torch.Tensor,
    truth: torch.Tensor,
    thresholds: tuple[float, ...] = (0.5, 0.3),
) -> dict[float, dict[str, float]]:
    """Precision and recall when ``probability > threshold`` decides,
    for each threshold, and how many examples are called positive."""
    found = {}
    for threshold in thresholds:
        predicted = (probability > threshold).float()
        found[threshold] = {
            "precision": precision_score(truth, predicted),
            "recall": recall_score(truth, predicted),
            "positives": int(predicted.sum()),
        }
    return found


# --8<-- [end:threshold]


# --8<-- [start:fourth_label]
def digit_labels(digit: torch.Tensor) -> torch.Tensor:
    """Four yes/no labels per digit: even? > 4? prime? divisible by 3?"""
    prime = torch.isin(digit, torch.tensor([2, 3, 5, 7]))
    return torch.stack(
        [digit % 2 == 0, digit > 4, prime, digit % 3 == 0], dim=1
    ).float()


def four_labels() -> dict[str, object]:
    """Train with the fourth label: the output layer needs one neuron per
    label; the loss and the decision rule stay as they are."""
    data = load_digits()
    labels = digit_labels(torch.tensor(data.target)).numpy()
    x_train, y_train, x_test, y_test = split(data.data, labels, False)
    try:  # the three-output model of the chapter cannot take four labels
        fit(x_train, y_train, outputs=3, epochs=1)
        old_model_error = ""
    except (RuntimeError, ValueError) as error:
        old_model_error = str(error).splitlines()[0]
    model = fit(x_train, y_train, outputs=y_train.shape[1])
    with torch.inference_mode():
        predicted = (torch.sigmoid(model(x_test)) > 0.5).float()
    right = predicted == y_test
    return {
        "labels": y_train.shape[1],
        "output_neurons": model[-1].out_features,
        "old_model_error": old_model_error,
        "per_label_accuracy": right.float().mean(dim=0).tolist(),
        "exact_match": right.all(dim=1).float().mean().item(),
    }


# --8<-- [end:fourth_label]


def main() -> None:
    """Print both solutions."""
    found_at = metrics_at_thresholds(*binary_probabilities())
    for threshold, found in found_at.items():
        print(f"threshold {threshold}: {found}")
    print(four_labels())


if __name__ == "__main__":
    main()
