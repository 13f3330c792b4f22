"""Exercise solutions: frameworks / Alıştırma çözümleri: çerçeveler.

The chapter's overfitting experiment (64 → 256 → 256 → 10 on a few of
scikit-learn's digits, full-batch AdamW, 300 epochs, the same seed) written
out again so that this file runs alone: more training images, dropout and
weight decay one at a time; and a sine in the autograd example. Needs torch
and scikit-learn; a few seconds.

    python -m snippets.frameworks.exercises
"""

from __future__ import annotations

import argparse
import math

import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn


# --8<-- [start:run]
def validation_curve(
    n_train: int = 100,
    dropout: float = 0.0,
    weight_decay: float = 0.0,
    epochs: int = 300,
    seed: int = 0,
) -> list[float]:
    """The chapter's run without early stopping: the validation loss after
    every epoch (500 validation images)."""
    digits = load_digits()
    x = torch.tensor(digits.data, dtype=torch.float32) / 16.0
    y = torch.tensor(digits.target)
    x, x_val, y, y_val = train_test_split(
        x, y, train_size=n_train, test_size=500, stratify=y, random_state=seed
    )
    torch.manual_seed(seed)
    model = nn.Sequential(
        nn.Linear(64, 256),
        nn.ReLU(),
        nn.Dropout(dropout),
        nn.Linear(256, 256),
        nn.ReLU(),
        nn.Dropout(dropout),
        nn.Linear(256, 10),
    )
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=1e-3, weight_decay=weight_decay
    )
    curve = []
    for _ in range(epochs):
        model.train()
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        model.eval()
        with torch.inference_mode():
            curve.append(F.cross_entropy(model(x_val), y_val).item())
    return curve


def summary(curve: list[float]) -> dict[str, float]:
    """Where the validation loss bottoms out and how far it climbs after."""
    best = min(curve)
    return {
        "best": best,
        "best_epoch": curve.index(best) + 1,
        "final": curve[-1],
        "climb": curve[-1] - best,
    }


# --8<-- [end:run]


# --8<-- [start:more_data]
def more_data(sizes: tuple[int, ...] = (100, 1000)) -> dict[int, dict]:
    """The unregularised validation curve for each training-set size."""
    return {n: summary(validation_curve(n_train=n)) for n in sizes}


# --8<-- [end:more_data]


# --8<-- [start:one_at_a_time]
def one_at_a_time(
    dropout: float = 0.5, weight_decay: float = 0.1
) -> dict[str, dict]:
    """No regularisation, only dropout, only weight decay (the chapter's
    values), each on the 100 images."""
    return {
        "none": summary(validation_curve()),
        "dropout": summary(validation_curve(dropout=dropout)),
        "weight_decay": summary(validation_curve(weight_decay=weight_decay)),
    }


# --8<-- [end:one_at_a_time]


# --8<-- [start:sine]
def graph_with_sine(
    x: float = 2.0, w: float = 3.0, b: float = 1.0
) -> dict[str, object]:
    """loss = sin(w·x + b)²: the nodes autograd recorded, and dloss/dw next to
    the chain rule's 2·sin(z)·cos(z)·x."""
    w_t = torch.tensor(w, requires_grad=True)
    b_t = torch.tensor(b, requires_grad=True)
    loss = torch.sin(w_t * x + b_t) ** 2
    chain, node = [], loss.grad_fn
    while node is not None:  # the first input of every node, to the leaves
        chain.append(type(node).__name__)
        node = node.next_functions[0][0] if node.next_functions else None
    loss.backward()
    z = w * x + b
    return {
        "graph": " → ".join(chain),
        "autograd": w_t.grad.item(),
        "by_hand": 2 * math.sin(z) * math.cos(z) * x,
    }


# --8<-- [end:sine]


def main(argv: list[str] | None = None) -> None:
    """Print the three solutions (a few seconds)."""
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(
        argv
    )
    print(graph_with_sine())
    for n, found in more_data().items():
        print(f"{n} training images: {found}")
    for name, found in one_at_a_time().items():
        print(f"{name}: {found}")


if __name__ == "__main__":
    main()
