"""Data augmentation with torchvision.transforms.v2 / Veri artırma.

Random rotations, random resized crops and brightness/contrast jitter applied
to scikit-learn's 8×8 digits, a new random version of every image in every
epoch; colour jitter (saturation and hue too) on one of scikit-learn's bundled
photos. A small network trained on a few hundred digits with and without
augmentation shows the effect on overfitting, measured on the same held-out
digits. Needs torch, torchvision and scikit-learn (matplotlib for the grids);
about ten seconds on a CPU.

    python -m snippets.training.augmentation --train-size 200 --epochs 40
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits, load_sample_image
from sklearn.model_selection import train_test_split
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import v2


# --8<-- [start:transforms]
def digit_augmentation() -> v2.Compose:
    """A new random variant of an (1, 8, 8) digit each time it is called."""
    return v2.Compose(
        [
            v2.RandomRotation(degrees=10),  # tilt by up to ±10°
            # 80–100 % area
            v2.RandomResizedCrop(8, scale=(0.8, 1.0), ratio=(0.9, 1.1)),
            # greyscale: no saturation, hue
            v2.ColorJitter(brightness=0.2, contrast=0.2),
        ]
    )


def photo_augmentation(size: int = 64) -> v2.Compose:
    """The same for a colour photo: crop, rotate, jitter all four colour
    properties."""
    return v2.Compose(
        [
            v2.RandomResizedCrop(size, scale=(0.3, 1.0)),
            v2.RandomRotation(degrees=15),
            v2.ColorJitter(
                brightness=0.4, contrast=0.4, saturation=0.6, hue=0.1
            ),
        ]
    )


# --8<-- [end:transforms]


# --8<-- [start:dataset]
class AugmentedDigits(Dataset):
    """Digits whose ``transform`` runs at every read of an image: anew every
    epoch."""

    def __init__(
        self, images: torch.Tensor, labels: torch.Tensor, transform=None
    ) -> None:
        self.images, self.labels, self.transform = images, labels, transform

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        image = self.images[index]  # (1, 8, 8) float32 in [0, 1]
        if self.transform is not None:
            image = self.transform(image)
        return image, self.labels[index]


# --8<-- [end:dataset]


# --8<-- [start:data]
def small_split(
    train_size: int = 200, seed: int = 0
) -> tuple[torch.Tensor, ...]:
    """``train_size`` images of the 80/20 split's training part; all its test
    part."""
    digits = load_digits()
    images = (
        torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16.0
    )
    labels = torch.tensor(digits.target, dtype=torch.int64)
    x_train, x_test, y_train, y_test = train_test_split(
        images, labels, test_size=0.2, stratify=labels, random_state=seed
    )
    x_small, _, y_small, _ = train_test_split(
        x_train,
        y_train,
        train_size=train_size,
        stratify=y_train,
        random_state=seed,
    )
    return x_small, y_small, x_test, y_test


# --8<-- [end:data]


@dataclass
class Run:
    """Accuracy on the unaugmented training images and on the test images, per
    epoch."""

    train_accuracy: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)


# --8<-- [start:train]
def train(
    augment: bool,
    train_size: int = 200,
    epochs: int = 40,
    batch_size: int = 50,
    lr: float = 0.01,
    seed: int = 0,
    device: torch.device | str = "cpu",
) -> Run:
    """Adam on a 64 → 128 → 10 network; ``augment`` turns the random transforms
    on."""
    x_train, y_train, x_test, y_test = small_split(train_size, seed)
    data = AugmentedDigits(
        x_train, y_train, digit_augmentation() if augment else None
    )
    loader = DataLoader(
        data,
        batch_size=batch_size,
        shuffle=True,
        generator=torch.Generator().manual_seed(seed),
    )
    # same initial weights; the transforms draw from it too
    torch.manual_seed(seed)
    model = nn.Sequential(
        nn.Flatten(), nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10)
    ).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    run = Run()
    for _ in range(epochs):
        model.train()
        for images, labels in loader:
            loss = F.cross_entropy(model(images.to(device)), labels.to(device))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.inference_mode():
            train_logits = model(x_train.to(device))
            run.train_accuracy.append(
                accuracy(train_logits, y_train.to(device))
            )
            logits = model(x_test.to(device))
            run.test_accuracy.append(accuracy(logits, y_test.to(device)))
            run.test_loss.append(
                F.cross_entropy(logits, y_test.to(device)).item()
            )
    return run


def accuracy(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """Fraction of the argmax predictions that equal the labels."""
    return (logits.argmax(1) == labels).float().mean().item()


# --8<-- [end:train]


LABELS = {
    "tr": {
        "original": "özgün",
        "epoch": "Epok",
        "accuracy": "Doğruluk",
        "train": "eğitim",
        "test": "test",
        "plain": "artırmasız",
        "augmented": "artırmalı",
    },
    "en": {
        "original": "original",
        "epoch": "Epoch",
        "accuracy": "Accuracy",
        "train": "train",
        "test": "test",
        "plain": "no augmentation",
        "augmented": "augmented",
    },
}


def augmented_digits(
    images: torch.Tensor, variants: int = 7, seed: int = 0
) -> torch.Tensor:
    """Each image followed by ``variants`` random versions of it:
    (N, 1 + V, 8, 8)."""
    torch.manual_seed(seed)
    transform = digit_augmentation()
    rows = [
        torch.stack([image, *(transform(image) for _ in range(variants))])
        for image in images
    ]
    return torch.stack(rows).squeeze(2)


def augmented_photo(
    variants: int = 4, size: int = 64, seed: int = 0
) -> torch.Tensor:
    """scikit-learn's flower.jpg cut to ``size``², then ``variants``
    versions."""
    torch.manual_seed(seed)
    # (H, W, 3) uint8
    photo = torch.from_numpy(load_sample_image("flower.jpg").copy())
    photo = photo.permute(2, 0, 1)  # (3, H, W): channels first, as v2 expects
    # the shorter side becomes ``size``
    photo = v2.functional.resize(photo, size)
    photo = v2.functional.center_crop(photo, size)
    transform = photo_augmentation(size)
    return torch.stack([photo, *(transform(photo) for _ in range(variants))])


def plot_grid(
    rows: list[torch.Tensor],
    lang: str = "en",
    cmap: str | None = None,
    tile: float = 1.0,
):
    """One row of images per tensor, ``tile`` inches each; the first is the
    original."""
    import matplotlib.pyplot as plt

    columns = len(rows[0])
    size = (tile * columns, tile * len(rows) + 0.5)  # room for the titles
    fig, axes = plt.subplots(len(rows), columns, figsize=size, squeeze=False)
    for row_axes, images in zip(axes, rows, strict=True):
        for column, (axis, image) in enumerate(
            zip(row_axes, images, strict=True)
        ):
            # HWC colour
            shown = image.permute(1, 2, 0) if image.ndim == 3 else image
            shown = shown.numpy()
            axis.imshow(shown, cmap=cmap, vmin=0, vmax=1 if cmap else None)
            axis.axis("off")
            if column == 0:
                axis.set_title(LABELS[lang]["original"], fontsize=8)
    fig.tight_layout(pad=0.5)
    return fig


def plot_runs(plain: Run, augmented: Run, lang: str = "en"):
    """Training and test accuracy per epoch, without and with augmentation."""
    import matplotlib.pyplot as plt

    text = LABELS[lang]
    fig, axis = plt.subplots(figsize=(6, 2.8))
    styles = ((plain, "plain", "tab:red"), (augmented, "augmented", "tab:blue"))
    for run, key, color in styles:
        epochs = range(1, len(run.test_accuracy) + 1)
        axis.plot(
            epochs,
            run.train_accuracy,
            color=color,
            linestyle="--",
            label=f"{text[key]}: {text['train']}",
        )
        axis.plot(
            epochs,
            run.test_accuracy,
            color=color,
            label=f"{text[key]}: {text['test']}",
        )
    axis.set(xlabel=text["epoch"], ylabel=text["accuracy"])
    axis.legend(fontsize=8)
    axis.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def main(argv: list[str] | None = None) -> int:
    """Train with and without augmentation and print the gap between train and
    test."""
    parser = argparse.ArgumentParser(
        description="Digits with and without augmentation"
    )
    parser.add_argument("--train-size", type=int, default=200)
    parser.add_argument("--epochs", type=int, default=40)
    args = parser.parse_args(argv)
    if not 10 <= args.train_size <= 1400 or args.epochs < 1:
        parser.error(
            "--train-size must be between 10 and 1400, --epochs at least 1"
        )
    for augment in (False, True):
        run = train(augment, args.train_size, args.epochs)
        print(
            f"augment={augment}: train accuracy {run.train_accuracy[-1]:.4f}, "
            f"test accuracy {run.test_accuracy[-1]:.4f}, "
            f"test loss {run.test_loss[-1]:.4f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
