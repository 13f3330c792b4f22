"""Solutions of the chapter's exercises / Bölümün alıştırmalarının çözümleri.

The half-moons network trained with tanh and sigmoid instead of ReLU (how
accurate, how fast), and with two hidden neurons per layer instead of 16. The
chapter's data and training are repeated here, so the module runs on its own.
Needs torch and scikit-learn; runs on the CPU in a few seconds.

    python -m snippets.activations.exercises
"""

from __future__ import annotations

import argparse
import sys

import torch
from sklearn.datasets import make_moons
from torch import nn


def moons(n: int = 400, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """The chapter's two interleaving half-moons."""
    x, y = make_moons(n_samples=n, noise=0.15, random_state=seed)
    return torch.tensor(x, dtype=torch.float32), torch.tensor(
        y, dtype=torch.float32
    )


def make_net(activation: nn.Module, width: int = 16) -> nn.Sequential:
    """2 → width → width → 1 with ``activation`` after each hidden layer."""
    return nn.Sequential(
        nn.Linear(2, width),
        activation,
        nn.Linear(width, width),
        activation,
        nn.Linear(width, 1),
    )


def train(
    activation: nn.Module,
    width: int = 16,
    epochs: int = 500,
    target: float = 0.95,
    seed: int = 0,
) -> dict[str, float | None]:
    """The chapter's training (full-batch Adam, BCEWithLogitsLoss): the final
    accuracy and loss, and the first epoch after which the accuracy reached
    ``target`` (None if it never did)."""
    torch.manual_seed(seed)
    x, y = moons(seed=seed)
    net = make_net(activation, width)
    optimizer = torch.optim.Adam(net.parameters(), lr=0.01)
    loss_fn = nn.BCEWithLogitsLoss()
    reached = None
    for epoch in range(1, epochs + 1):
        logits = net(x).squeeze(1)
        loss = loss_fn(logits, y)
        accuracy = ((logits > 0).float() == y).float().mean().item()
        if reached is None and accuracy >= target:
            reached = (
                epoch - 1
            )  # accuracy of the weights after epoch - 1 updates
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.inference_mode():
        logits = net(x).squeeze(1)
        accuracy = ((logits > 0).float() == y).float().mean().item()
        final_loss = loss_fn(logits, y).item()
    return {
        "accuracy": accuracy,
        "loss": final_loss,
        "epochs_to_target": reached,
    }


# --8<-- [start:activations]
def compare_activations() -> dict[str, dict[str, float | None]]:
    """ReLU, tanh and sigmoid in the same net, trained the same way."""
    return {
        name: train(activation)
        for name, activation in (
            ("ReLU", nn.ReLU()),
            ("Tanh", nn.Tanh()),
            ("Sigmoid", nn.Sigmoid()),
        )
    }


# --8<-- [end:activations]


# --8<-- [start:narrow]
def narrow_relu(width: int = 2) -> dict[str, float | None]:
    """The ReLU net with ``width`` neurons in each hidden layer."""
    return train(nn.ReLU(), width=width)


# --8<-- [end:narrow]


def main(argv: list[str] | None = None) -> int:
    """Print the answer of every exercise."""
    parser = argparse.ArgumentParser(
        description="The answers of the exercises of the activations chapter."
    )
    parser.parse_args(argv)
    for name, result in compare_activations().items():
        print(f"{name}: {result}")
    print(f"ReLU, 2 neurons per hidden layer: {narrow_relu()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
