"""torchvision at a glance / torchvision'a hızlı bakış.

The parts of torchvision a project uses: datasets, transforms
(``transforms.v2``), models built by name with ``models.get_model`` and their
weights enums, and the ``Dataset`` / ``DataLoader`` pair from
``torch.utils.data``. Everything here runs offline: no dataset or weights are
downloaded. Needs torch, torchvision and scikit-learn.

    python -m snippets.vision.tour
"""

from __future__ import annotations

import torch
import torchvision
from sklearn.datasets import load_digits
from torch.utils.data import DataLoader, Dataset
from torchvision import datasets, models
from torchvision.transforms import v2


# --8<-- [start:catalogue]
def catalogue() -> dict[str, int]:
    """How many datasets and models this torchvision offers."""
    return {
        "datasets": len(datasets.__all__),
        "models": len(models.list_models()),
        "classification models": len(models.list_models(module=models)),
    }


# --8<-- [end:catalogue]


# --8<-- [start:transforms]
def show_transforms() -> None:
    """A v2 pipeline on one fake image: PIL image → resized, normalised float
    tensor."""
    image, label = datasets.FakeData(
        size=1, image_size=(3, 64, 80), random_offset=0
    )[0]
    pipeline = v2.Compose(
        [
            v2.ToImage(),  # PIL → uint8 tensor (C, H, W)
            v2.Resize((32, 32), antialias=True),
            v2.ToDtype(torch.float32, scale=True),  # 0…255 → 0…1
            v2.Normalize(mean=[0.5] * 3, std=[0.5] * 3),  # → about −1…1
        ]
    )
    tensor = pipeline(image)
    print(
        f"input: {type(image).__name__} {image.size[0]}×{image.size[1]} (W×H), "
        f"label {label}"
    )
    print(
        f"output: {tuple(tensor.shape)} {tensor.dtype}, min "
        f"{tensor.min():.2f}, max {tensor.max():.2f}"
    )


# --8<-- [end:transforms]


# --8<-- [start:models]
def show_model(name: str = "resnet18") -> dict[str, object]:
    """Build a model by name without downloading weights, and read its weights
    enum offline."""
    model = models.get_model(
        name, weights=None
    )  # random weights, nothing downloaded
    weights = models.get_model_weights(
        name
    ).DEFAULT  # only metadata until .get_state_dict() is called
    return {
        "name": name,
        "parameters": sum(p.numel() for p in model.parameters()),
        "default_weights": str(weights),
        "weights_num_params": weights.meta["num_params"],
        "categories": len(weights.meta["categories"]),
        "output_shape": tuple(model.eval()(torch.zeros(1, 3, 224, 224)).shape),
    }


# --8<-- [end:models]


# --8<-- [start:dataset]
class DigitsDataset(Dataset):
    """scikit-learn's 8×8 digits as a PyTorch Dataset: ``len()`` and ``[index]``
    are all it needs."""

    def __init__(self, transform=None) -> None:
        digits = load_digits()
        self.images = (
            torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16.0
        )  # (N, 1, 8, 8)
        self.labels = torch.tensor(digits.target)
        self.transform = transform

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        image = self.images[index]
        return (
            self.transform(image) if self.transform else image
        ), self.labels[index]


def show_dataloader(batch_size: int = 32, seed: int = 0) -> None:
    """A DataLoader batches, shuffles (reproducibly with a generator) and
    iterates a Dataset."""
    dataset = DigitsDataset()
    loader = DataLoader(
        dataset,
        batch_size=batch_size,
        shuffle=True,
        generator=torch.Generator().manual_seed(seed),
    )
    images, labels = next(iter(loader))
    print(
        f"dataset: {len(dataset)} samples, one sample "
        f"{tuple(dataset[0][0].shape)}"
    )
    print(f"loader: {len(loader)} batches of up to {batch_size}")
    print(
        f"first batch: images {tuple(images.shape)}, labels "
        f"{labels[:8].tolist()}…"
    )


# --8<-- [end:dataset]


def main() -> None:
    """Print the tour."""
    print("torchvision", torchvision.__version__.split("+")[0], catalogue())
    show_transforms()
    print(show_model())
    show_dataloader()


if __name__ == "__main__":
    main()
