"""Solutions of the chapter's exercises / Bölümün alıştırmalarının çözümleri.

The detection models torchvision lists, a resize transform on the 8×8 digits,
and what ``drop_last=True`` does to the number of batches. The chapter's
``DigitsDataset`` is repeated here, so the module runs on its own. Needs torch,
torchvision and scikit-learn; runs offline in about a second.

    python -m snippets.vision.exercises
"""

from __future__ import annotations

import argparse
import sys

import torch
from sklearn.datasets import load_digits
from torch.utils.data import DataLoader, Dataset
from torchvision import models
from torchvision.transforms import v2


# --8<-- [start:detection]
def detection_models() -> list[str]:
    """The names of the models in ``torchvision.models.detection``."""
    return models.list_models(module=models.detection)


# --8<-- [end:detection]


class DigitsDataset(Dataset):
    """The chapter's dataset: scikit-learn's 8×8 digits, (1, 8, 8) in 0…1."""

    def __init__(self, transform=None) -> None:
        digits = load_digits()
        images = torch.tensor(digits.images, dtype=torch.float32)
        self.images = images.unsqueeze(1) / 16.0  # (N, 1, 8, 8)
        self.labels = torch.tensor(digits.target)
        self.transform = transform

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        image = self.images[index]
        if self.transform:
            image = self.transform(image)
        return image, self.labels[index]


# --8<-- [start:resize]
def upscaled_batch(size: int = 28, batch_size: int = 32) -> list[int]:
    """The shape of a batch when every image is resized to size × size."""
    resize = v2.Resize((size, size), antialias=True)
    loader = DataLoader(DigitsDataset(transform=resize), batch_size=batch_size)
    images, _ = next(iter(loader))
    return list(images.shape)


# --8<-- [end:resize]


# --8<-- [start:drop_last]
def batch_counts(batch_size: int = 32) -> dict[str, int]:
    """Batches per epoch with and without ``drop_last``, and the last batch's
    size when it is kept."""
    dataset = DigitsDataset()
    kept = DataLoader(dataset, batch_size=batch_size)
    dropped = DataLoader(dataset, batch_size=batch_size, drop_last=True)
    *_, (last_images, _) = iter(kept)
    return {
        "samples": len(dataset),
        "batch_size": batch_size,
        "batches": len(kept),
        "batches_drop_last": len(dropped),
        "last_batch": len(last_images),
    }


# --8<-- [end:drop_last]


def main(argv: list[str] | None = None) -> int:
    """Print the answer of every exercise."""
    parser = argparse.ArgumentParser(
        description="The answers of the exercises of the torchvision chapter."
    )
    parser.parse_args(argv)
    print("detection models:", ", ".join(detection_models()))
    print("batch of upscaled digits:", upscaled_batch())
    print("batches:", batch_counts())
    return 0


if __name__ == "__main__":
    sys.exit(main())
