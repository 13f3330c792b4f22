"""Exercise solutions: an ANN on digits / Alıştırma çözümleri: rakamlarda YSA.

The chapter's network (three hidden layers of 150 units) and training loop
(30 epochs of mini-batches of 100, the same split and seed) written out again
so that this file runs alone, with the hidden activations and the optimizer
as arguments: ReLU in every hidden layer, and Adam instead of SGD. Needs torch
and scikit-learn; a few seconds.

    python -m snippets.ann.exercises
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

Optimizer = Callable[[list[nn.Parameter]], torch.optim.Optimizer]


# --8<-- [start:run]
def test_accuracy_curve(
    activations: tuple[type[nn.Module], ...] = (nn.ReLU, nn.Tanh, nn.ELU),
    optimizer: Optimizer = lambda p: torch.optim.SGD(p, lr=0.1),
    epochs: int = 30,
    every: int = 25,
    seed: int = 0,
) -> list[float]:
    """Train the chapter's network with these hidden ``activations`` and
    ``optimizer``; the test accuracy every ``every`` iterations."""
    digits = load_digits()
    x = torch.tensor(digits.data, dtype=torch.float32) / 16.0
    y = torch.tensor(digits.target)
    x, x_test, y, y_test = train_test_split(
        x, y, test_size=0.2, random_state=seed, stratify=y
    )
    torch.manual_seed(seed)
    loader = DataLoader(
        TensorDataset(x, y),
        batch_size=100,
        shuffle=True,
        generator=torch.Generator().manual_seed(seed),
    )
    sizes = [x.shape[1], 150, 150, 150]
    layers: list[nn.Module] = []
    for n_in, n_out, activation in zip(
        sizes[:-1], sizes[1:], activations, strict=True
    ):
        layers += [nn.Linear(n_in, n_out), activation()]
    model = nn.Sequential(*layers, nn.Linear(150, 10))
    step = optimizer(list(model.parameters()))
    curve, iteration = [], 0
    for _ in range(epochs):
        for images, targets in loader:
            loss = nn.functional.cross_entropy(model(images), targets)
            step.zero_grad()
            loss.backward()
            step.step()
            iteration += 1
            if iteration % every == 0:
                with torch.inference_mode():
                    right = model(x_test).argmax(1) == y_test
                curve.append(right.float().mean().item())
    return curve


# --8<-- [end:run]


# --8<-- [start:all_relu]
def all_relu() -> dict[str, list[float]]:
    """The chapter's mix of activations against ReLU in every hidden
    layer."""
    return {
        "mixed": test_accuracy_curve(),
        "relu": test_accuracy_curve(activations=(nn.ReLU,) * 3),
    }


# --8<-- [end:all_relu]


# --8<-- [start:adam]
def adam_instead_of_sgd() -> dict[str, list[float]]:
    """The chapter's SGD (lr 0.1) against Adam (lr 1e-3)."""
    return {
        "sgd": test_accuracy_curve(),
        "adam": test_accuracy_curve(
            optimizer=lambda p: torch.optim.Adam(p, lr=1e-3)
        ),
    }


# --8<-- [end:adam]


def main(argv: list[str] | None = None) -> None:
    """Print the first and last test accuracies of every run (a few seconds)."""
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(
        argv
    )
    for name, runs in (
        ("activations", all_relu()),
        ("optimizer", adam_instead_of_sgd()),
    ):
        for key, curve in runs.items():
            print(f"{name} {key}: first {curve[0]:.3f}, last {curve[-1]:.3f}")


if __name__ == "__main__":
    main()
