"""Non-linear regression / Doğrusal olmayan regresyon.

The workflow of the chapter on data that do not lie on a line: noisy points
around a curve. A straight line (``nn.Linear(1, 1)``) and a small multilayer
perceptron are trained with the same loop, loss and optimizer; the line cannot
bend, the MLP follows the curve. Needs torch (matplotlib for the plot); runs on
the CPU in a few seconds.

    python -m snippets.workflow.nonlinear_regression --device auto
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

import torch
from torch import nn

NOISE = 0.1  # standard deviation of the noise on y


# --8<-- [start:data]
def make_curve(
    n: int = 200, noise: float = NOISE, seed: int = 0
) -> tuple[torch.Tensor, ...]:
    """Points y = sin(2x) + x/2 + noise on [−3, 3]; every fifth one kept for
    testing.

    Returns x_train, y_train, x_test, y_test, each of shape (N, 1).
    """
    generator = torch.Generator().manual_seed(seed)
    x = torch.linspace(-3, 3, n).unsqueeze(1)
    y = (
        torch.sin(2 * x)
        + x / 2
        + noise * torch.randn(n, 1, generator=generator)
    )
    test = torch.arange(n) % 5 == 2  # test points lie between training points
    return x[~test], y[~test], x[test], y[test]


# --8<-- [end:data]


# --8<-- [start:models]
def straight_line() -> nn.Module:
    """y = w·x + b: the model of the linear regression above."""
    return nn.Linear(1, 1)


def small_mlp(hidden: int = 32) -> nn.Module:
    """1 → hidden → hidden → 1 with tanh between the layers: it can bend."""
    return nn.Sequential(
        nn.Linear(1, hidden),
        nn.Tanh(),
        nn.Linear(hidden, hidden),
        nn.Tanh(),
        nn.Linear(hidden, 1),
    )


# --8<-- [end:models]


# --8<-- [start:train]
def train(
    make_model: Callable[[], nn.Module],
    data: tuple[torch.Tensor, ...],
    epochs: int = 600,
    lr: float = 0.01,
    seed: int = 0,
    device: torch.device | str = "cpu",
) -> tuple[nn.Module, float, float]:
    """Build the model from a seed; fit it by full-batch Adam on the mean
    squared error.

    Returns the model, its train MSE and its test MSE.
    """
    torch.manual_seed(seed)  # the same start on every run
    x_train, y_train, x_test, y_test = (t.to(device) for t in data)
    model = make_model().to(device)
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(epochs):
        model.train()
        loss = loss_fn(model(x_train), y_train)  # forward, loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.inference_mode():
        train_mse = loss_fn(model(x_train), y_train).item()
        return model, train_mse, loss_fn(model(x_test), y_test).item()


# --8<-- [end:train]


LABELS = {
    "tr": ("eğitim verisi", "test verisi", "doğru (nn.Linear)", "MLP"),
    "en": ("training data", "test data", "straight line (nn.Linear)", "MLP"),
}


# --8<-- [start:plot]
def plot_fits(
    data: tuple[torch.Tensor, ...],
    line: nn.Module,
    mlp: nn.Module,
    lang: str = "en",
):
    """The noisy points and both fitted curves."""
    import matplotlib.pyplot as plt

    train_label, test_label, line_label, mlp_label = LABELS[lang]
    x_train, y_train, x_test, y_test = data
    grid = torch.linspace(-3, 3, 300).unsqueeze(1)
    fig, axis = plt.subplots(figsize=(6.5, 4))
    axis.scatter(
        x_train, y_train, s=10, c="tab:blue", alpha=0.6, label=train_label
    )
    axis.scatter(x_test, y_test, s=14, c="tab:green", label=test_label)
    with torch.inference_mode():
        axis.plot(
            grid, line.cpu()(grid), c="tab:red", linewidth=2, label=line_label
        )
        axis.plot(
            grid, mlp.cpu()(grid), c="tab:purple", linewidth=2, label=mlp_label
        )
    axis.set(xlabel="x", ylabel="y")
    axis.legend(fontsize=8)
    fig.tight_layout()
    return fig


# --8<-- [end:plot]


def main(argv: list[str] | None = None) -> int:
    """Train the line and the MLP and print their errors."""
    parser = argparse.ArgumentParser(
        description="A straight line and an MLP on a noisy curve."
    )
    parser.add_argument(
        "--device", default="auto", choices=["auto", "cpu", "cuda", "mps"]
    )
    parser.add_argument("--epochs", type=int, default=600)
    args = parser.parse_args(argv)
    if args.device == "auto":
        args.device = "cuda" if torch.cuda.is_available() else "cpu"
    if args.device == "cuda" and not torch.cuda.is_available():
        parser.error(
            "CUDA was requested but torch.cuda.is_available() is False: "
            "use --device cpu"
        )
    if args.device == "mps" and not torch.backends.mps.is_available():
        parser.error("MPS was requested but is not available: use --device cpu")
    if args.epochs < 1:
        parser.error("--epochs must be a positive integer, e.g. --epochs 600")
    data = make_curve()
    for name, make_model in (("line", straight_line), ("mlp", small_mlp)):
        _, train_mse, test_mse = train(
            make_model, data, args.epochs, device=args.device
        )
        print(f"{name:4s} train MSE {train_mse:.4f} | test MSE {test_mse:.4f}")
    print(
        f"noise variance {NOISE**2:.4f} "
        "(about the best any model can do on new points)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
