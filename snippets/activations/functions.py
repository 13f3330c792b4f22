"""Activation functions / Etkinleştirme fonksiyonları.

The common activations (sigmoid, tanh, ReLU, LeakyReLU, ELU, GELU, softmax),
their derivatives computed by autograd, and why non-linearity matters: a network
of linear layers only cannot separate two interleaving half-moons, the same
network with ReLU can. Needs torch and scikit-learn (matplotlib for the plots);
runs on the CPU in a few seconds.

    python -m snippets.activations.functions
"""

from __future__ import annotations

import argparse

import torch
from sklearn.datasets import make_moons
from torch import nn

# --8<-- [start:functions]
ACTIVATIONS = {
    "sigmoid": nn.Sigmoid(),  # 1 / (1 + e^-x): squeezes into (0, 1)
    "tanh": nn.Tanh(),  # squeezes into (-1, 1), centred on 0
    "ReLU": nn.ReLU(),  # max(0, x)
    "LeakyReLU": nn.LeakyReLU(0.1),  # x for x > 0, 0.1·x otherwise
    "ELU": nn.ELU(),  # x for x > 0, e^x - 1 otherwise
    "GELU": nn.GELU(),  # x · Φ(x), used in transformers
}


def value_and_derivative(
    name: str, x: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """f(x) and f'(x) for every point of x; autograd computes the derivative."""
    x = x.clone().requires_grad_(True)
    y = ACTIVATIONS[name](x)
    (grad,) = torch.autograd.grad(
        y.sum(), x
    )  # sum: each y_i depends only on x_i
    return y.detach(), grad


def softmax_example() -> tuple[list[float], list[float]]:
    """Softmax turns logits into probabilities that sum to 1; adding a constant
    changes nothing."""
    logits = torch.tensor([2.0, 1.0, 0.1])
    return torch.softmax(logits, dim=0).tolist(), torch.softmax(
        logits + 100, dim=0
    ).tolist()


# --8<-- [end:functions]


# --8<-- [start:moons]
def moons(n: int = 400, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Two interleaving half-moons: a data set no straight line can split."""
    x, y = make_moons(n_samples=n, noise=0.15, random_state=seed)
    return torch.tensor(x, dtype=torch.float32), torch.tensor(
        y, dtype=torch.float32
    )


def make_net(activation: nn.Module | None) -> nn.Sequential:
    """2 → 16 → 16 → 1; with ``activation=None`` every layer is linear, so the
    whole net is one linear map."""

    def act() -> nn.Module:
        return nn.Identity() if activation is None else activation

    return nn.Sequential(
        nn.Linear(2, 16), act(), nn.Linear(16, 16), act(), nn.Linear(16, 1)
    )


def train_on_moons(
    activation: nn.Module | None, epochs: int = 500, seed: int = 0
) -> tuple[nn.Sequential, float]:
    """Full-batch Adam with BCEWithLogitsLoss; returns the net and its training
    accuracy."""
    torch.manual_seed(seed)
    x, y = moons(seed=seed)
    net = make_net(activation)
    optimizer = torch.optim.Adam(net.parameters(), lr=0.01)
    loss_fn = nn.BCEWithLogitsLoss()
    for _ in range(epochs):
        loss = loss_fn(net(x).squeeze(1), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.inference_mode():
        accuracy = ((net(x).squeeze(1) > 0).float() == y).float().mean().item()
    return net, accuracy


# --8<-- [end:moons]


TEXT = {
    "tr": {
        "f": "fonksiyon",
        "df": "türev",
        "linear": "Yalnızca doğrusal katmanlar",
        "relu": "ReLU ile",
        "acc": "doğruluk",
    },
    "en": {
        "f": "function",
        "df": "derivative",
        "linear": "Linear layers only",
        "relu": "With ReLU",
        "acc": "accuracy",
    },
}


# --8<-- [start:plots]
def plot_activations(lang: str = "en"):
    """Each activation and its derivative on [-4, 4]."""
    import matplotlib.pyplot as plt

    x = torch.linspace(-4, 4, 401)
    fig, axes = plt.subplots(2, 3, figsize=(10, 5.5), sharex=True)
    for axis, name in zip(axes.flat, ACTIVATIONS, strict=True):
        y, dy = value_and_derivative(name, x)
        axis.plot(x, y, label=TEXT[lang]["f"])
        axis.plot(x, dy, linestyle="--", label=TEXT[lang]["df"])
        axis.set_title(name)
        axis.axhline(0, color="grey", linewidth=0.5)
        axis.grid(alpha=0.3)
    axes[0, 0].legend()
    fig.tight_layout()
    return fig


def plot_boundaries(
    linear: nn.Module,
    nonlinear: nn.Module,
    accuracies: tuple[float, float],
    lang: str = "en",
):
    """Decision regions of the two nets over the moons."""
    import matplotlib.pyplot as plt

    x, y = moons()
    grid_x, grid_y = torch.meshgrid(
        torch.linspace(-1.5, 2.5, 200),
        torch.linspace(-1, 1.5, 200),
        indexing="xy",
    )
    grid = torch.stack([grid_x.flatten(), grid_y.flatten()], dim=1)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for axis, net, title, accuracy in zip(
        axes,
        (linear, nonlinear),
        (TEXT[lang]["linear"], TEXT[lang]["relu"]),
        accuracies,
        strict=True,
    ):
        with torch.inference_mode():
            region = (net(grid) > 0).float().reshape(grid_x.shape)
        axis.contourf(grid_x, grid_y, region, alpha=0.25, cmap="coolwarm")
        axis.scatter(x[:, 0], x[:, 1], c=y, s=8, cmap="coolwarm")
        share = (
            f"%{accuracy * 100:.1f}".replace(".", ",")
            if lang == "tr"
            else f"{accuracy:.1%}"
        )
        axis.set_title(f"{title} ({TEXT[lang]['acc']} {share})")
    fig.tight_layout()
    return fig


# --8<-- [end:plots]


def main(argv: list[str] | None = None) -> None:
    """Print derivatives at a few points, softmax, and the two moons
    accuracies."""
    argparse.ArgumentParser(
        description="Print derivatives, a softmax and the two moons accuracies."
    ).parse_args(argv)
    points = torch.tensor([-2.0, 0.0, 2.0])
    for name in ACTIVATIONS:
        y, dy = value_and_derivative(name, points)
        print(
            f"{name:>9}: f={[round(v, 4) for v in y.tolist()]} "
            f"f'={[round(v, 4) for v in dy.tolist()]}"
        )
    print("softmax:", softmax_example())
    for label, activation in (("linear only", None), ("ReLU", nn.ReLU())):
        print(
            f"moons, {label}: training accuracy "
            f"{train_on_moons(activation)[1]:.3f}"
        )


if __name__ == "__main__":
    main()
