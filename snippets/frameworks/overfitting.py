"""Overfitting and how to fight it / Aşırı uyum ve ona karşı önlemler.

A network much larger than its data (a 2-hidden-layer MLP on only 100 of
scikit-learn's digits) trained until the training loss is near zero: the
validation loss turns and climbs. The same network with dropout, weight decay
and early stopping keeps the validation loss lower. Needs torch and scikit-learn
(matplotlib for the plot); runs on the CPU in a few seconds.

    python -m snippets.frameworks.overfitting
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn


# --8<-- [start:data]
def small_digits(n_train: int = 100, seed: int = 0) -> tuple[torch.Tensor, ...]:
    """Only ``n_train`` training images (8×8, flattened to 64 values) and 500
    validation images."""
    digits = load_digits()
    x = torch.tensor(digits.data, dtype=torch.float32) / 16.0  # (1797, 64)
    y = torch.tensor(digits.target)
    x_train, x_val, y_train, y_val = train_test_split(
        x, y, train_size=n_train, test_size=500, stratify=y, random_state=seed
    )
    return x_train, y_train, x_val, y_val


# --8<-- [end:data]


# --8<-- [start:model]
def make_mlp(dropout: float = 0.0) -> nn.Sequential:
    """64 → 256 → 256 → 10: about 85 thousand weights for 100 examples."""
    return nn.Sequential(
        nn.Linear(64, 256),
        nn.ReLU(),
        nn.Dropout(dropout),
        nn.Linear(256, 256),
        nn.ReLU(),
        nn.Dropout(dropout),
        nn.Linear(256, 10),
    )


# --8<-- [end:model]


@dataclass
class Run:
    """Loss curves of one training run and the epoch early stopping would
    keep."""

    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    best_epoch: int = 0


# --8<-- [start:train]
def train(
    dropout: float = 0.0,
    weight_decay: float = 0.0,
    patience: int | None = None,
    epochs: int = 300,
    seed: int = 0,
    device: torch.device | str = "cpu",
) -> Run:
    """Full-batch AdamW; with ``patience`` it stops once the validation loss has
    not improved for that long."""
    torch.manual_seed(seed)
    x_train, y_train, x_val, y_val = (
        t.to(device) for t in small_digits(seed=seed)
    )
    model = make_mlp(dropout).to(device)
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=1e-3, weight_decay=weight_decay
    )
    run, best = Run(), float("inf")
    for epoch in range(1, epochs + 1):
        model.train()
        loss = F.cross_entropy(model(x_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        model.eval()
        with torch.inference_mode():
            logits = model(x_val)
            val_loss = F.cross_entropy(logits, y_val).item()
        run.train_loss.append(loss.item())
        run.val_loss.append(val_loss)
        run.val_accuracy.append(
            (logits.argmax(1) == y_val).float().mean().item()
        )
        if val_loss < best:
            best, run.best_epoch = val_loss, epoch
        elif patience is not None and epoch - run.best_epoch >= patience:
            # early stopping: keep the weights of run.best_epoch (saved in a
            # real project)
            break
    return run


# --8<-- [end:train]


LABELS = {
    "tr": {
        "epoch": "Epok",
        "loss": "Kayıp",
        "train": "eğitim",
        "val": "doğrulama",
        "plain": "Düzenlileştirme yok",
        "regular": "Dropout + ağırlık azaltma + erken durdurma",
    },
    "en": {
        "epoch": "Epoch",
        "loss": "Loss",
        "train": "train",
        "val": "validation",
        "plain": "No regularisation",
        "regular": "Dropout + weight decay + early stopping",
    },
}


# --8<-- [start:plot]
def plot_runs(plain: Run, regular: Run, lang: str = "en"):
    """Train and validation loss of both runs side by side, on the same
    scale."""
    import matplotlib.pyplot as plt

    text = LABELS[lang]
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
    for axis, run, title in (
        (axes[0], plain, text["plain"]),
        (axes[1], regular, text["regular"]),
    ):
        epochs = range(1, len(run.train_loss) + 1)
        axis.plot(epochs, run.train_loss, label=text["train"])
        axis.plot(epochs, run.val_loss, label=text["val"])
        axis.axvline(run.best_epoch, color="grey", linestyle=":")
        axis.set(title=title, xlabel=text["epoch"], yscale="log")
        axis.legend()
    axes[0].set_ylabel(text["loss"])
    fig.tight_layout()
    return fig


# --8<-- [end:plot]


def main(argv: list[str] | None = None) -> None:
    """Train both variants and compare their validation losses."""
    argparse.ArgumentParser(
        description="Train with and without regularisation; compare the "
        "validation losses."
    ).parse_args(argv)
    plain = train()
    regular = train(dropout=0.5, weight_decay=0.1, patience=30)
    for name, run in (("no regularisation", plain), ("regularised", regular)):
        print(
            f"{name:>18}: {len(run.train_loss)} epochs, final train loss "
            f"{run.train_loss[-1]:.4f}, "
            f"best val loss {min(run.val_loss):.4f} at epoch {run.best_epoch}, "
            f"final val loss {run.val_loss[-1]:.4f}, final val accuracy "
            f"{run.val_accuracy[-1]:.3f}"
        )


if __name__ == "__main__":
    main()
