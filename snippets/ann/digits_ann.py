"""An ANN on handwritten digits / El yazısı rakamlarda yapay sinir ağı.

The classic MNIST network — fully connected layers of 150 units with three
different activations (ReLU, tanh, ELU), cross-entropy loss and plain SGD on
mini-batches — trained on data read from a CSV file in the layout of Kaggle's
MNIST ``train.csv`` (a ``label`` column, then one column per pixel). Offline the
CSV is written from scikit-learn's 8×8 digits (64 pixel columns); with the real
MNIST CSV the same code reads 784 pixel columns. Needs torch and scikit-learn;
about 10 s.

    python -m snippets.ann.digits_ann --csv train.csv  # MNIST's own CSV
    python -m snippets.ann.digits_ann  # offline: packaged digits
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


# --8<-- [start:csv]
def write_digits_csv(path: Path) -> Path:
    """scikit-learn's digits as a CSV laid out like MNIST's train.csv: label,
    pixel0, pixel1, …"""
    digits = load_digits()
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["label", *(f"pixel{i}" for i in range(digits.data.shape[1]))]
        )
        for label, pixels in zip(
            digits.target, digits.data.astype(int), strict=True
        ):
            writer.writerow([label, *pixels])
    return path


def load_csv(path: Path, max_pixel: float) -> tuple[torch.Tensor, torch.Tensor]:
    """Features scaled to [0, 1] (``max_pixel`` is 16 for the packaged digits,
    255 for MNIST) and labels."""
    table = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float32)
    return torch.from_numpy(table[:, 1:] / max_pixel), torch.from_numpy(
        table[:, 0]
    ).long()


# --8<-- [end:csv]


# --8<-- [start:csv_pandas]
def load_csv_pandas(
    path: Path, max_pixel: float
) -> tuple[torch.Tensor, torch.Tensor]:
    """The same with pandas, as most MNIST notebooks read it: DataFrame → NumPy
    → tensor."""
    frame = pd.read_csv(path)  # integer columns are read as int64
    pixels = frame.drop(columns="label").to_numpy(dtype=np.float32)
    # int64 already, what CrossEntropyLoss wants; pandas hands out read-only
    # views of its columns, so ask for a copy that torch may write to
    labels = frame["label"].to_numpy(copy=True)
    return torch.from_numpy(pixels / max_pixel), torch.from_numpy(labels)


# --8<-- [end:csv_pandas]


# --8<-- [start:dtypes]
def numpy_to_torch() -> dict[str, object]:
    """What ``torch.from_numpy`` keeps (memory, dtype); the label dtype losses
    want."""
    torch.manual_seed(0)
    table = np.loadtxt(
        io.StringIO("3,0,16\n7,8,4"), delimiter=","
    )  # two CSV rows
    facts: dict[str, object] = {
        "numpy_dtype": str(table.dtype)
    }  # float64 by default
    shared, copied = torch.from_numpy(table), torch.tensor(table)
    facts["tensor_dtype"] = str(shared.dtype)  # the dtype is kept
    table[0, 0] = 9  # change the NumPy array…
    facts["from_numpy_sees_change"] = shared[0, 0].item() == 9  # …same memory
    facts["torch_tensor_sees_change"] = copied[0, 0].item() == 9  # a copy
    layer = nn.Linear(2, 10)  # its weights are float32
    facts["float64_error"] = _error(lambda: layer(shared[:, 1:]))
    facts["float32_output"] = str(layer(shared[:, 1:].float()).dtype)
    logits = layer(shared[:, 1:].float())  # (2, 10): one score per class
    labels = shared[:, 0]  # the label column, still float64
    loss_fn = nn.CrossEntropyLoss()
    facts["float_label_error"] = _error(lambda: loss_fn(logits, labels))
    facts["long_label_loss"] = loss_fn(
        logits, labels.long()
    ).item()  # int64 indices
    return facts


def _error(run: Callable[[], object]) -> str:
    """The message of the RuntimeError ``run()`` raises, or "" when it runs."""
    try:
        run()
    except RuntimeError as error:
        return str(error)
    return ""


# --8<-- [end:dtypes]


# --8<-- [start:model]
class AnnModel(nn.Module):
    """input → 150 (ReLU) → 150 (tanh) → 150 (ELU) → 10 logits."""

    def __init__(
        self, input_dim: int, hidden_dim: int = 150, output_dim: int = 10
    ) -> None:
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(input_dim, hidden_dim),
            nn.ReLU(),
            nn.Linear(hidden_dim, hidden_dim),
            nn.Tanh(),
            nn.Linear(hidden_dim, hidden_dim),
            nn.ELU(),
            nn.Linear(hidden_dim, output_dim),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)


# --8<-- [end:model]


@dataclass
class History:
    """Test loss and accuracy, recorded every ``every`` iterations
    (mini-batches)."""

    iterations: list[int] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)


# --8<-- [start:train]
def train(
    features: torch.Tensor,
    labels: torch.Tensor,
    epochs: int = 30,
    batch_size: int = 100,
    learning_rate: float = 0.1,
    every: int = 25,
    seed: int = 0,
    test_fraction: float = 0.2,
    device: torch.device | str = "cpu",
) -> tuple[AnnModel, History]:
    """SGD on mini-batches with CrossEntropyLoss; test metrics on the held-out
    ``test_fraction`` every ``every`` iterations."""
    x_train, x_test, y_train, y_test = train_test_split(
        features,
        labels,
        test_size=test_fraction,
        random_state=seed,
        stratify=labels,
    )
    torch.manual_seed(seed)
    loader = DataLoader(
        TensorDataset(x_train, y_train),
        batch_size=batch_size,
        shuffle=True,
        generator=torch.Generator().manual_seed(seed),
    )
    model = AnnModel(features.shape[1]).to(device)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
    history, iteration = History(), 0
    for _ in range(epochs):
        model.train()
        for images, targets in loader:
            loss = loss_fn(model(images.to(device)), targets.to(device))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            iteration += 1
            if iteration % every == 0:
                model.eval()
                with torch.inference_mode():
                    logits = model(x_test.to(device))
                    history.iterations.append(iteration)
                    history.loss.append(
                        loss_fn(logits, y_test.to(device)).item()
                    )
                    history.accuracy.append(
                        (logits.argmax(1).cpu() == y_test).float().mean().item()
                    )
                model.train()
    return model, history


# --8<-- [end:train]


LABELS = {
    "tr": ("Yineleme (küçük yığın)", "Test kaybı", "Test doğruluğu"),
    "en": ("Iteration (mini-batch)", "Test loss", "Test accuracy"),
}


# --8<-- [start:plot]
def plot_history(history: History, lang: str = "en"):
    """Test loss and accuracy over the iterations, side by side."""
    import matplotlib.pyplot as plt

    x_label, loss_label, accuracy_label = LABELS[lang]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
    left.plot(history.iterations, history.loss, color="tab:red")
    left.set(xlabel=x_label, ylabel=loss_label)
    right.plot(history.iterations, history.accuracy, color="tab:green")
    right.set(xlabel=x_label, ylabel=accuracy_label)
    for axis in (left, right):
        axis.grid(alpha=0.3)
    fig.tight_layout()
    return fig


# --8<-- [end:plot]


def main(argv: list[str] | None = None) -> int:
    """Train on a CSV (MNIST's, or the packaged digits written as one) and print
    the test accuracy."""
    parser = argparse.ArgumentParser(
        description="Train the ANN on a digits CSV."
    )
    parser.add_argument(
        "--csv",
        type=Path,
        help="MNIST-style CSV (label, pixel0, …); default: packaged digits",
    )
    parser.add_argument(
        "--max-pixel",
        type=float,
        help="largest pixel value (default: 255 with --csv, else 16)",
    )
    args = parser.parse_args(argv)
    if args.csv is not None and not args.csv.exists():
        parser.error(
            f"{args.csv} does not exist: download MNIST's train.csv or leave "
            "out --csv"
        )
    with tempfile.TemporaryDirectory() as folder:
        path = args.csv or write_digits_csv(Path(folder) / "digits.csv")
        features, labels = load_csv(
            path, args.max_pixel or (255.0 if args.csv else 16.0)
        )
    model, history = train(features, labels)
    print(
        f"{features.shape[1]} inputs, "
        f"{sum(p.numel() for p in model.parameters()):,} parameters, "
        f"final test accuracy {history.accuracy[-1]:.4f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
