"""Look at the data before training / Eğitmeden önce veriye bakmak.

Shows sample images of scikit-learn's 8×8 digits with their labels, and checks
what a training loop silently depends on: the shapes, the dtypes, the range of
the values and the balance of the classes, in the raw arrays and after preparing
them for PyTorch (float32 in [0, 1], int64 labels, the ANN and CNN chapters'
stratified 80/20 split). Needs torch and scikit-learn (matplotlib for the grid);
runs in a second.

    python -m snippets.training.data_check
"""

from __future__ import annotations

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


# --8<-- [start:describe]
def describe(name: str, values: np.ndarray | torch.Tensor) -> str:
    """One line: shape, dtype and the range of the values."""
    return (
        f"{name:8} shape {str(tuple(values.shape)):16} {str(values.dtype):14} "
        f"min {float(values.min()):g}  max {float(values.max()):g}"
    )


def problems(
    images: torch.Tensor, labels: torch.Tensor, num_classes: int
) -> list[str]:
    """What would go wrong in training: empty when the data is ready for the
    network."""
    found = []
    if images.dtype != torch.float32:
        found.append(
            f"images are {images.dtype}; the layers' weights are float32"
        )
    if images.min() < 0 or images.max() > 1:
        found.append(
            f"pixel values span [{images.min():g}, {images.max():g}], "
            "not [0, 1]"
        )
    if labels.dtype != torch.int64:
        found.append(
            f"labels are {labels.dtype}; CrossEntropyLoss wants int64 "
            "class indices"
        )
    if labels.min() < 0 or labels.max() >= num_classes:
        found.append(
            f"labels span [{labels.min()}, {labels.max()}], "
            f"not [0, {num_classes - 1}]"
        )
    if len(images) != len(labels):
        found.append(f"{len(images)} images but {len(labels)} labels")
    return found


# --8<-- [end:describe]


# --8<-- [start:prepare]
def prepare(
    test_fraction: float = 0.2, seed: int = 0
) -> tuple[torch.Tensor, ...]:
    """Images (N, 1, 8, 8), float32 in [0, 1]; int64 labels; an 80/20 split by
    class."""
    digits = load_digits()
    images = (
        torch.tensor(digits.images, dtype=torch.float32).unsqueeze(1) / 16.0
    )
    labels = torch.tensor(digits.target, dtype=torch.int64)
    x_train, x_test, y_train, y_test = train_test_split(
        images,
        labels,
        test_size=test_fraction,
        stratify=labels,
        random_state=seed,
    )
    return x_train, y_train, x_test, y_test


def class_counts(labels: torch.Tensor, num_classes: int = 10) -> list[int]:
    """How many examples each class has."""
    return torch.bincount(labels, minlength=num_classes).tolist()


# --8<-- [end:prepare]


# --8<-- [start:report]
def report() -> None:
    """Print the raw arrays, the prepared tensors and what is wrong with
    each."""
    digits = load_digits()
    print(describe("images", digits.images))
    print(describe("labels", digits.target))
    raw = problems(
        torch.from_numpy(digits.images), torch.from_numpy(digits.target), 10
    )
    print("raw:", *raw, sep="\n  - ")
    x_train, y_train, x_test, y_test = prepare()
    prepared = {
        "x_train": x_train,
        "y_train": y_train,
        "x_test": x_test,
        "y_test": y_test,
    }
    for name, values in prepared.items():
        print(describe(name, values))
    print("prepared:", problems(x_train, y_train, 10) or "no problems found")


# --8<-- [end:report]


LABELS = {"tr": "etiket", "en": "label"}


# --8<-- [start:plot]
def plot_samples(
    images: torch.Tensor,
    labels: torch.Tensor,
    lang: str = "en",
    count: int = 20,
):
    """The first ``count`` images with their labels above them."""
    import matplotlib.pyplot as plt

    columns = 10
    rows = count // columns
    fig, axes = plt.subplots(rows, columns, figsize=(7, 1.6 * rows))
    for axis, image, label in zip(axes.flat, images, labels, strict=False):
        axis.imshow(image.squeeze(0).numpy(), cmap="gray_r", vmin=0, vmax=1)
        axis.set_title(f"{LABELS[lang]} {int(label)}", fontsize=8)
        axis.axis("off")
    fig.tight_layout()
    return fig


# --8<-- [end:plot]


def main() -> None:
    """Describe the data and show its class balance."""
    report()
    x_train, y_train, _, y_test = prepare()
    print("train per class:", class_counts(y_train))
    print("test per class: ", class_counts(y_test))


if __name__ == "__main__":
    main()
