"""Exercise solutions: training / Alıştırma çözümleri: eğitim.

The chapter's tuning runs (64 → 128 → 10 on scikit-learn's digits, 15 epochs,
the same split, seed and batch order) and its augmentation run (200 images,
40 epochs) written out again so that this file runs alone: batch size against
learning rate, two more rates in the sweep, a cosine schedule, Adam's
weight_decay against AdamW's, augmentation without rotation. Needs torch,
torchvision and scikit-learn; a few seconds in all.

    python -m snippets.training.exercises
"""

from __future__ import annotations

import argparse

import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import v2


def digits_split(seed: int = 0) -> tuple[torch.Tensor, ...]:
    """The chapter's 80 / 20 split of the digits, 64 values in [0, 1]."""
    digits = load_digits()
    x = torch.tensor(digits.data, dtype=torch.float32) / 16.0
    y = torch.tensor(digits.target, dtype=torch.int64)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=0.2, stratify=y, random_state=seed
    )
    return x_train, y_train, x_test, y_test


def train(
    lr: float,
    batch_size: int = 128,
    optimizer: str = "SGD",
    weight_decay: float = 0.0,
    schedule: str = "constant",
    epochs: int = 15,
    seed: int = 0,
) -> dict[str, object]:
    """The chapter's training run with these settings: per epoch the mean
    training loss and the test loss; the highest step loss; whether the loss
    stopped being finite; the trained network."""
    x, y, x_test, y_test = digits_split(seed)
    torch.manual_seed(seed)  # the same initial weights for every run
    model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
    kinds = {"SGD": torch.optim.SGD, "Adam": torch.optim.Adam}
    kinds["AdamW"] = torch.optim.AdamW
    opt = kinds[optimizer](model.parameters(), lr=lr, weight_decay=weight_decay)
    steps = -(-len(x) // batch_size) * epochs  # ceil: a last smaller batch
    scheduler = None
    if schedule == "onecycle":
        scheduler = torch.optim.lr_scheduler.OneCycleLR(
            opt, max_lr=lr, total_steps=steps, cycle_momentum=False
        )
    elif schedule == "cosine":
        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    shuffle = torch.Generator().manual_seed(seed)  # the same batch order
    run = {"train": [], "test": [], "highest": 0.0, "diverged": False}
    for _ in range(epochs):
        losses = []
        for index in torch.randperm(len(x), generator=shuffle).split(
            batch_size
        ):
            loss = F.cross_entropy(model(x[index]), y[index])
            if not torch.isfinite(loss):
                run["diverged"] = True
                return run | {"model": model}
            opt.zero_grad()
            loss.backward()
            opt.step()
            if scheduler is not None:
                scheduler.step()
            losses.append(loss.item())
        run["train"].append(sum(losses) / len(losses))
        run["highest"] = max(run["highest"], *losses)
        with torch.inference_mode():
            run["test"].append(F.cross_entropy(model(x_test), y_test).item())
    return run | {"model": model}


# --8<-- [start:batch_and_rate]
def batch_and_rate(n_train: int = 1437) -> dict[str, dict]:
    """Batch 32 at rate 1 against the full batch at rate 10 (and at 1)."""
    return {
        "32, lr 1": train(1.0, batch_size=32),
        "full, lr 10": train(10.0, batch_size=n_train),
        "full, lr 1": train(1.0, batch_size=n_train),
    }


# --8<-- [end:batch_and_rate]


# --8<-- [start:sweep]
def sweep(
    rates: tuple[float, ...] = (0.01, 0.1, 0.3, 1.0, 3.0, 10.0, 100.0),
) -> dict[float, dict]:
    """The chapter's sweep (batch 128, plain SGD) with 0.3 and 3 added."""
    return {lr: train(lr) for lr in rates}


# --8<-- [end:sweep]


# --8<-- [start:cosine]
def one_cycle_or_cosine(lr: float = 0.03) -> dict[str, dict]:
    """Adam at the chapter's rate with OneCycleLR and with
    CosineAnnealingLR."""
    return {
        schedule: train(lr, optimizer="Adam", schedule=schedule)
        for schedule in ("onecycle", "cosine")
    }


# --8<-- [end:cosine]


# --8<-- [start:weight_decay]
def weight_size(model: nn.Module) -> float:
    """The L2 norm of all weight matrices (biases left out)."""
    weights = [p for name, p in model.named_parameters() if "weight" in name]
    return torch.cat([w.detach().flatten() for w in weights]).norm().item()


def adam_decay_versus_adamw(
    lr: float = 0.01, weight_decay: float = 0.01
) -> dict[str, float]:
    """Weight sizes after training: Adam without decay, Adam with
    ``weight_decay`` (an L2 term added to the gradient), AdamW (decoupled)."""
    runs = {
        "Adam": train(lr, optimizer="Adam"),
        "Adam + weight_decay": train(
            lr, optimizer="Adam", weight_decay=weight_decay
        ),
        "AdamW": train(lr, optimizer="AdamW", weight_decay=weight_decay),
    }
    return {name: weight_size(run["model"]) for name, run in runs.items()}


# --8<-- [end:weight_decay]


# --8<-- [start:no_rotation]
def augmentation(rotate: bool) -> v2.Compose:
    """The chapter's digit augmentation, with or without RandomRotation."""
    steps = [v2.RandomRotation(degrees=10)] if rotate else []
    return v2.Compose(
        [
            *steps,
            v2.RandomResizedCrop(8, scale=(0.8, 1.0), ratio=(0.9, 1.1)),
            v2.ColorJitter(brightness=0.2, contrast=0.2),
        ]
    )


# --8<-- [end:no_rotation]


class Transformed(Dataset):
    """Images whose ``transform`` runs at every read: anew every epoch."""

    def __init__(self, images, labels, transform) -> None:
        self.images, self.labels, self.transform = images, labels, transform

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.transform(self.images[index]), self.labels[index]


def augmented_run(
    rotate: bool, train_size: int = 200, epochs: int = 40, seed: int = 0
) -> dict[str, float]:
    """The chapter's augmentation run (Adam 0.01, batches of 50, the same
    images and seed): at the end, training accuracy (unaugmented images)
    minus test accuracy, and the test loss."""
    digits = load_digits()
    images = torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1)
    labels = torch.tensor(digits.target)
    x, x_test, y, y_test = train_test_split(
        images / 16.0,
        labels,
        test_size=0.2,
        stratify=labels,
        random_state=seed,
    )
    x, _, y, _ = train_test_split(
        x, y, train_size=train_size, stratify=y, random_state=seed
    )
    loader = DataLoader(
        Transformed(x, y, augmentation(rotate)),
        batch_size=50,
        shuffle=True,
        generator=torch.Generator().manual_seed(seed),
    )
    torch.manual_seed(seed)  # initial weights; the transforms draw from it too
    model = nn.Sequential(
        nn.Flatten(), nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10)
    )
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(epochs):
        for batch, targets in loader:
            loss = F.cross_entropy(model(batch), targets)
            opt.zero_grad()
            loss.backward()
            opt.step()
    with torch.inference_mode():
        right = lambda a, b: (model(a).argmax(1) == b).float().mean()  # noqa: E731
        return {
            "gap": (right(x, y) - right(x_test, y_test)).item(),
            "test_loss": F.cross_entropy(model(x_test), y_test).item(),
        }


def main(argv: list[str] | None = None) -> None:
    """Print every solution's figures (a few seconds)."""
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(
        argv
    )
    for name, run in batch_and_rate().items():
        print(f"{name}: final training loss {run['train'][-1]:.4f}")
    for lr, run in sweep().items():
        last = "diverged" if run["diverged"] else f"{run['train'][-1]:.4f}"
        print(f"lr {lr:g}: highest loss {run['highest']:.4g}, final {last}")
    for name, run in one_cycle_or_cosine().items():
        print(f"{name}: final test loss {run['test'][-1]:.4f}")
    print(adam_decay_versus_adamw())
    for rotate in (True, False):
        print(f"rotation {rotate}: {augmented_run(rotate)}")


if __name__ == "__main__":
    main()
