"""Real image datasets through torchvision / torchvision ile gerçek görüntü veri
kümeleri.

The loaders a reader with internet uses instead of the packaged digits: MNIST
(grey digits, resized to 48×48 and repeated into 3 channels) or CIFAR-10
(colour photos), each batch shaped (B, 3, 48, 48) for the walkthrough network.
``fake`` gives random images of the same shape and needs no download.

Needs: torch, torchvision. ``--download`` fetches MNIST (about 12 MB) or
CIFAR-10 (about 170 MB) into ``--root`` the first time.

    python -m snippets.cnn.torchvision_data --dataset mnist --root data \
        --download
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch
from torch.utils.data import DataLoader, Dataset
from torchvision import datasets
from torchvision.transforms import v2

# --8<-- [start:transforms]
MNIST_MEAN, MNIST_STD = 0.1307, 0.3081  # statistics of MNIST's training pixels
CIFAR10_MEAN, CIFAR10_STD = (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)


def mnist_transform(image_size: int = 48) -> v2.Compose:
    """PIL grey image → float tensor (3, image_size, image_size), normalised."""
    return v2.Compose(
        [
            v2.ToImage(),  # PIL (H, W) → tensor (1, H, W), uint8
            v2.Resize((image_size, image_size), antialias=True),
            v2.Grayscale(
                num_output_channels=3
            ),  # repeat the grey channel: (3, H, W)
            v2.ToDtype(torch.float32, scale=True),  # 0…255 → 0.0…1.0
            v2.Normalize([MNIST_MEAN] * 3, [MNIST_STD] * 3),
        ]
    )


def cifar10_transform(image_size: int = 48) -> v2.Compose:
    """PIL colour image (32×32) → float tensor (3, image_size, image_size),
    normalised."""
    return v2.Compose(
        [
            v2.ToImage(),
            v2.Resize((image_size, image_size), antialias=True),
            v2.ToDtype(torch.float32, scale=True),
            v2.Normalize(list(CIFAR10_MEAN), list(CIFAR10_STD)),
        ]
    )


# --8<-- [end:transforms]


# --8<-- [start:datasets]
def load_datasets(
    name: str, root: Path, download: bool = False, image_size: int = 48
) -> tuple[Dataset, Dataset]:
    """Train and test sets of ``name`` ("mnist", "cifar10" or "fake") stored
    under ``root``."""
    if name == "mnist":
        transform = mnist_transform(image_size)
        return (
            datasets.MNIST(
                root, train=True, download=download, transform=transform
            ),
            datasets.MNIST(
                root, train=False, download=download, transform=transform
            ),
        )
    if name == "cifar10":
        transform = cifar10_transform(image_size)
        return (
            datasets.CIFAR10(
                root, train=True, download=download, transform=transform
            ),
            datasets.CIFAR10(
                root, train=False, download=download, transform=transform
            ),
        )
    if (
        name == "fake"
    ):  # random images, for trying the pipeline without any download
        transform = v2.Compose(
            [v2.ToImage(), v2.ToDtype(torch.float32, scale=True)]
        )
        shape = (3, image_size, image_size)
        return (
            datasets.FakeData(
                512, shape, num_classes=10, transform=transform, random_offset=0
            ),
            datasets.FakeData(
                128,
                shape,
                num_classes=10,
                transform=transform,
                random_offset=512,
            ),
        )
    raise ValueError(f"unknown dataset {name!r}: choose mnist, cifar10 or fake")


def make_loaders(
    train_set: Dataset, test_set: Dataset, batch_size: int = 64, seed: int = 0
) -> tuple[DataLoader, DataLoader]:
    """Shuffled training batches (same order for the same seed) and ordered test
    batches."""
    shuffle = torch.Generator().manual_seed(seed)
    return (
        DataLoader(
            train_set, batch_size=batch_size, shuffle=True, generator=shuffle
        ),
        DataLoader(test_set, batch_size=256),
    )


# --8<-- [end:datasets]


def main(argv: list[str] | None = None) -> int:
    """Load a dataset and print the shape of its first batch."""
    parser = argparse.ArgumentParser(
        description="Load MNIST, CIFAR-10 or fake images "
        "for the walkthrough CNN."
    )
    parser.add_argument(
        "--dataset", default="fake", choices=["mnist", "cifar10", "fake"]
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=Path("data"),
        help="folder that holds the dataset files",
    )
    parser.add_argument(
        "--download",
        action="store_true",
        help="fetch the files if they are missing",
    )
    args = parser.parse_args(argv)
    try:
        train_set, test_set = load_datasets(
            args.dataset, args.root, args.download
        )
    # torchvision: "Dataset not found. You can use download=True ..."
    except RuntimeError as error:
        parser.error(f"{error} (looked in {args.root}/)")
    train_loader, _ = make_loaders(train_set, test_set)
    images, labels = next(iter(train_loader))
    print(
        f"{args.dataset}: {len(train_set)} training and {len(test_set)} test "
        "images"
    )
    print(
        f"one batch: images {tuple(images.shape)} {images.dtype}, labels "
        f"{tuple(labels.shape)} {labels.dtype}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
