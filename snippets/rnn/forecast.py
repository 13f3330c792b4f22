"""Forecasting a noisy signal with RNN, LSTM and GRU / Gürültülü bir sinyali
RNN, LSTM ve GRU ile tahmin etmek.

A periodic signal (two sine waves plus noise) is cut into windows of past
values; each recurrent cell reads a window and predicts the next value. The
three cells are trained with the same settings and compared with a naive
forecast that repeats the last value.

Needs: torch, matplotlib (plots only). The data is generated, nothing is
downloaded. Runs in a few seconds on a CPU.

    python -m snippets.rnn.forecast --device auto --epochs 12
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from dataclasses import dataclass

import torch
from torch import nn


# --8<-- [start:config]
@dataclass(frozen=True)
class Config:
    """Settings shared by the three cells."""

    length: int = 1200  # points in the whole series
    window: int = 40  # past values the network reads
    train_fraction: float = (
        0.8  # the first 80 % trains, the last 20 % tests (no shuffling in time)
    )
    noise: float = 0.1  # standard deviation of the added noise
    hidden: int = 32
    epochs: int = 12
    batch_size: int = 64
    learning_rate: float = 1e-2
    seed: int = 0
    periods: tuple[int, int] = (50, 17)  # steps per cycle of the two sine waves


# --8<-- [end:config]


# --8<-- [start:data]
def make_series(config: Config) -> torch.Tensor:
    """Two sine waves (``config.periods`` steps per cycle) plus Gaussian noise,
    ``(length,)``."""
    generator = torch.Generator().manual_seed(config.seed)
    t = torch.arange(config.length, dtype=torch.float32)
    slow, fast = config.periods
    clean = torch.sin(2 * math.pi * t / slow) + 0.5 * torch.sin(
        2 * math.pi * t / fast
    )
    return clean + config.noise * torch.randn(
        config.length, generator=generator
    )


def make_windows(
    series: torch.Tensor, window: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """Every run of ``window`` values ``(N, window, 1)`` and the value that
    follows it ``(N, 1)``."""
    inputs = series.unfold(0, window, 1)[:-1]  # (N, window): sliding windows
    targets = series[window:]  # the next value after each window
    return inputs.unsqueeze(-1), targets.unsqueeze(-1)


def split(
    config: Config,
) -> tuple[
    tuple[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]
]:
    """Train windows from the start of the series, test windows from its end
    (they never overlap)."""
    x, y = make_windows(make_series(config), config.window)
    cut = int(config.train_fraction * config.length) - config.window
    return (x[:cut], y[:cut]), (
        x[cut + config.window :],
        y[cut + config.window :],
    )


# --8<-- [end:data]


# --8<-- [start:model]
class Forecaster(nn.Module):
    """A recurrent cell reads the window; a linear layer turns its last hidden
    state into the forecast."""

    def __init__(self, kind: str, hidden: int = 32) -> None:
        super().__init__()
        cell = {"RNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU}[kind]
        self.recurrent = cell(
            input_size=1, hidden_size=hidden, batch_first=True
        )
        self.head = nn.Linear(hidden, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(B, window, 1)`` → ``(B, 1)``."""
        output, _ = self.recurrent(
            x
        )  # (B, window, hidden): the hidden state after every step
        return self.head(
            output[:, -1]
        )  # only the last step has read the whole window


# --8<-- [end:model]


@dataclass
class Result:
    """One trained cell: its parameters, loss curve, test error, forecasts and
    training time."""

    kind: str
    parameters: int
    train_loss: list[float]
    test_mse: float
    predictions: torch.Tensor
    seconds: float


# --8<-- [start:train]
def train(
    kind: str, config: Config, device: torch.device | str = "cpu"
) -> Result:
    """Train one cell with mean squared error and Adam; every cell sees the same
    batches."""
    torch.manual_seed(config.seed)
    (x_train, y_train), (x_test, y_test) = split(config)
    model = Forecaster(kind, config.hidden).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.learning_rate)
    order = torch.Generator().manual_seed(config.seed)
    losses = []
    start = time.perf_counter()
    for _ in range(config.epochs):
        model.train()
        total = 0.0
        for batch in torch.randperm(len(x_train), generator=order).split(
            config.batch_size
        ):
            x, y = x_train[batch].to(device), y_train[batch].to(device)
            loss = nn.functional.mse_loss(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        losses.append(total / len(x_train))
    seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        predictions = model(x_test.to(device)).cpu()
    test_mse = nn.functional.mse_loss(predictions, y_test).item()
    parameters = sum(p.numel() for p in model.parameters())
    return Result(
        kind, parameters, losses, test_mse, predictions[:, 0], seconds
    )


def naive_mse(config: Config) -> float:
    """Error of the forecast "the next value equals the last one": the bar every
    model must clear."""
    _, (x_test, y_test) = split(config)
    return nn.functional.mse_loss(x_test[:, -1], y_test).item()


# --8<-- [end:train]


PLOT_LABELS = {
    "tr": {
        "step": "Test bölümündeki adım",
        "value": "Değer",
        "truth": "gerçek sinyal",
        "epoch": "Epok",
        "loss": "Eğitim kaybı (MSE)",
    },
    "en": {
        "step": "Step in the test part",
        "value": "Value",
        "truth": "true signal",
        "epoch": "Epoch",
        "loss": "Training loss (MSE)",
    },
}


def plot_results(
    results: list[Result],
    truth: torch.Tensor,
    lang: str = "en",
    shown: int = 120,
):
    """Left: training loss per epoch; right: the first ``shown`` test forecasts
    against the truth."""
    import matplotlib.pyplot as plt

    text = PLOT_LABELS[lang]
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(10, 3.6), gridspec_kw={"width_ratios": [1, 2]}
    )
    right.plot(
        truth[:shown],
        color="black",
        linewidth=2.5,
        alpha=0.35,
        label=text["truth"],
    )
    for result in results:
        left.plot(
            range(1, len(result.train_loss) + 1),
            result.train_loss,
            marker="o",
            markersize=3,
            label=result.kind,
        )
        right.plot(result.predictions[:shown], linewidth=1.2, label=result.kind)
    left.set(xlabel=text["epoch"], ylabel=text["loss"], yscale="log")
    left.xaxis.get_major_locator().set_params(
        integer=True
    )  # epochs are whole numbers
    right.set(xlabel=text["step"], ylabel=text["value"])
    for axis in (left, right):
        axis.legend(fontsize=8)
        axis.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def pick_device(requested: str) -> torch.device:
    """``auto`` → CUDA when available, else CPU; ``cuda`` without CUDA is an
    error that says what to do."""
    if requested == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if requested == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(
            "CUDA was requested but torch.cuda.is_available() is False; use "
            "--device cpu"
        )
    return torch.device(requested)


def main(argv: list[str] | None = None) -> int:
    """Train the three cells and print the comparison."""
    parser = argparse.ArgumentParser(
        description="Forecast a noisy signal with RNN, LSTM and GRU."
    )
    parser.add_argument(
        "--device", default="auto", choices=["auto", "cpu", "cuda"]
    )
    parser.add_argument("--epochs", type=int, default=Config.epochs)
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error("--epochs must be at least 1")
    try:
        device = pick_device(args.device)
    except RuntimeError as error:
        parser.error(str(error))
    config = Config(epochs=args.epochs)
    print(
        "naive forecast (repeat the last value): test MSE "
        f"{naive_mse(config):.4f}"
    )
    for kind in ("RNN", "LSTM", "GRU"):
        result = train(kind, config, device)
        print(
            f"{kind:4}: {result.parameters:5d} parameters, final train loss "
            f"{result.train_loss[-1]:.4f}, "
            f"test MSE {result.test_mse:.4f}, {result.seconds:.1f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
