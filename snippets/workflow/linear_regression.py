"""The PyTorch workflow / PyTorch iş akışı.

The whole workflow on the smallest real problem: data from a straight line with
known weight and bias → a model → a loss and an optimizer → a training loop →
evaluation and predictions → saving and loading the weights. The learned
parameters can be compared with the true ones. Needs torch (matplotlib for the
plots); runs on the CPU in about a second.

    python -m snippets.workflow.linear_regression --device auto
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import torch
from torch import nn


# --8<-- [start:data]
@dataclass(frozen=True)
class Config:
    """The true line, the data, and the training settings."""

    weight: float = 0.7  # the values the model must discover
    bias: float = 0.3
    n_points: int = 50  # x evenly spaced in [0, 1)
    train_fraction: float = 0.8  # first 80 % to train, last 20 % to test
    learning_rate: float = 0.01
    epochs: int = 300
    seed: int = 42


def make_data(
    config: Config,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """x and y = weight · x + bias, split into train and test parts; each of
    shape (N, 1)."""
    x = (
        torch.arange(config.n_points, dtype=torch.float32).unsqueeze(1)
        / config.n_points
    )  # (N, 1)
    y = config.weight * x + config.bias  # (N, 1)
    split = int(config.train_fraction * config.n_points)
    return x[:split], y[:split], x[split:], y[split:]


# --8<-- [end:data]


# --8<-- [start:model]
class LinearRegression(nn.Module):
    """y = w · x + b with one learnable weight and one learnable bias."""

    def __init__(self) -> None:
        super().__init__()
        self.weight = nn.Parameter(
            torch.randn(1)
        )  # random start: training must find 0.7
        self.bias = nn.Parameter(torch.randn(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.weight * x + self.bias


# --8<-- [end:model]


@dataclass
class History:
    """Loss values recorded every ``every`` epochs."""

    epochs: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)


# --8<-- [start:train]
def train(
    config: Config, device: torch.device, every: int = 20, log=print
) -> tuple[LinearRegression, History]:
    """Fit the model with mean absolute error (L1) and plain SGD; log and record
    the loss every ``every`` epochs."""
    torch.manual_seed(config.seed)
    x_train, y_train, x_test, y_test = (t.to(device) for t in make_data(config))
    model = LinearRegression().to(device)
    loss_fn = nn.L1Loss()  # mean absolute error
    optimizer = torch.optim.SGD(model.parameters(), lr=config.learning_rate)
    history = History()
    for epoch in range(1, config.epochs + 1):
        model.train()
        loss = loss_fn(model(x_train), y_train)  # 1. forward, 2. loss
        optimizer.zero_grad()  # 3. clear old gradients
        loss.backward()  # 4. backpropagate
        optimizer.step()  # 5. update the parameters
        if epoch % every == 0 or epoch == 1:
            model.eval()
            with torch.inference_mode():
                test_loss = loss_fn(model(x_test), y_test)
            history.epochs.append(epoch)
            history.train_loss.append(loss.item())
            history.test_loss.append(test_loss.item())
            log(
                f"epoch {epoch:3d} | train loss {loss.item():.4f} | test loss "
                f"{test_loss.item():.4f} | "
                f"w {model.weight.item():.4f} b {model.bias.item():.4f}"
            )
    return model, history


# --8<-- [end:train]


# --8<-- [start:predict]
@torch.inference_mode()
def predict(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """Predictions without tracking gradients (evaluation mode, inference
    mode)."""
    model.eval()
    return model(x.to(next(model.parameters()).device)).cpu()


# --8<-- [end:predict]


# --8<-- [start:save_load]
def save_and_load(model: LinearRegression, path: Path) -> LinearRegression:
    """Save only the learned values (state_dict) and load them into a fresh
    model."""
    torch.save(model.state_dict(), path)
    restored = LinearRegression()
    restored.load_state_dict(torch.load(path, weights_only=True))
    return restored


# --8<-- [end:save_load]


LABELS = {
    "tr": {
        "train": "eğitim verisi",
        "test": "test verisi",
        "pred": "tahminler",
        "epoch": "Epok",
        "loss": "Kayıp (MAE)",
        "train_loss": "eğitim kaybı",
        "test_loss": "test kaybı",
    },
    "en": {
        "train": "training data",
        "test": "test data",
        "pred": "predictions",
        "epoch": "Epoch",
        "loss": "Loss (MAE)",
        "train_loss": "train loss",
        "test_loss": "test loss",
    },
}


# --8<-- [start:plots]
def plot_predictions(
    config: Config, predictions: torch.Tensor | None = None, lang: str = "en"
):
    """Training and test points, and the model's predictions on the test
    inputs."""
    import matplotlib.pyplot as plt

    text = LABELS[lang]
    x_train, y_train, x_test, y_test = make_data(config)
    fig, axis = plt.subplots(figsize=(6, 4))
    axis.scatter(x_train, y_train, s=12, c="tab:blue", label=text["train"])
    axis.scatter(x_test, y_test, s=12, c="tab:green", label=text["test"])
    if predictions is not None:
        axis.scatter(x_test, predictions, s=12, c="tab:red", label=text["pred"])
    axis.set(xlabel="x", ylabel="y")
    axis.legend()
    fig.tight_layout()
    return fig


def plot_losses(history: History, lang: str = "en"):
    """Train and test loss over the epochs."""
    import matplotlib.pyplot as plt

    text = LABELS[lang]
    fig, axis = plt.subplots(figsize=(6, 4))
    axis.plot(history.epochs, history.train_loss, label=text["train_loss"])
    axis.plot(history.epochs, history.test_loss, label=text["test_loss"])
    axis.set(xlabel=text["epoch"], ylabel=text["loss"])
    axis.legend()
    fig.tight_layout()
    return fig


# --8<-- [end:plots]


def main(argv: list[str] | None = None) -> int:
    """Train, compare the learned parameters with the true ones, save and
    reload."""
    parser = argparse.ArgumentParser(
        description="Fit a straight line with the PyTorch workflow."
    )
    parser.add_argument(
        "--device", default="auto", choices=["auto", "cpu", "cuda", "mps"]
    )
    parser.add_argument("--epochs", type=int, default=Config.epochs)
    args = parser.parse_args(argv)
    if args.device == "auto":
        args.device = (
            "cuda"
            if torch.cuda.is_available()
            else "mps"
            if torch.backends.mps.is_available()
            else "cpu"
        )
    if args.device == "cuda" and not torch.cuda.is_available():
        parser.error(
            "CUDA was requested but torch.cuda.is_available() is False: use "
            "--device cpu"
        )
    if args.device == "mps" and not torch.backends.mps.is_available():
        parser.error("MPS was requested but is not available: use --device cpu")
    config = Config(epochs=args.epochs)
    model, _ = train(config, torch.device(args.device))
    print(
        f"learned w = {model.weight.item():.4f} (true {config.weight}), "
        f"b = {model.bias.item():.4f} (true {config.bias})"
    )
    with tempfile.TemporaryDirectory() as folder:
        restored = save_and_load(model.cpu(), Path(folder) / "line.pt")
    x_test = make_data(config)[2]
    print(
        "reloaded model predicts the same:",
        torch.equal(predict(model, x_test), predict(restored, x_test)),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
