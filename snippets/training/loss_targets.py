"""Targets for CrossEntropyLoss / CrossEntropyLoss için hedefler.

Feeds the same logits to ``nn.CrossEntropyLoss`` with targets of different
dtypes and shapes and reports either the loss or the exception PyTorch raises,
word for word. Class indices must be integers of shape ``(N,)`` (``int64``);
class probabilities must be floats of the logits' shape ``(N, C)``. Needs torch;
runs in a moment.

    python -m snippets.training.loss_targets
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


# --8<-- [start:targets]
def example_batch(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Logits of a 4-image batch over 10 classes, and its labels: no 8 and no
    9."""
    torch.manual_seed(seed)
    logits = torch.randn(4, 10)  # (N, C): what the model returns
    # (N,): int64, the default integer dtype
    labels = torch.tensor([3, 0, 7, 7])
    return logits, labels


def targets(
    labels: torch.Tensor, num_classes: int = 10
) -> dict[str, torch.Tensor]:
    """The same labels in the forms they often arrive in; two of them are
    right."""
    return {
        "labels": labels,  # class indices, int64: right
        "labels.float()": labels.float(),  # e.g. read from a CSV as float32
        "labels.int()": labels.int(),  # int32
        "labels.unsqueeze(1)": labels.unsqueeze(1),  # a column (N, 1)
        # int64, width = largest label + 1
        "F.one_hot(labels)": F.one_hot(labels),
        # float, but (N, 8)
        "F.one_hot(labels).float()": F.one_hot(labels).float(),
        # int64
        f"F.one_hot(labels, {num_classes})": F.one_hot(labels, num_classes),
        # probabilities (N, C): right
        f"F.one_hot(labels, {num_classes}).float()": (
            F.one_hot(labels, num_classes).float()
        ),
    }


def try_loss(logits: torch.Tensor, target: torch.Tensor) -> str:
    """The loss, or the first line of the exception CrossEntropyLoss raises."""
    try:
        return f"loss = {nn.CrossEntropyLoss()(logits, target).item():.4f}"
    except (RuntimeError, IndexError, ValueError) as error:
        return f"{type(error).__name__}: {str(error).splitlines()[0]}"


# --8<-- [end:targets]


def main() -> None:
    """One line per target form: its shape, its dtype, what CrossEntropyLoss
    says."""
    logits, labels = example_batch()
    print(f"logits {tuple(logits.shape)} {logits.dtype}")
    for name, target in targets(labels).items():
        print(
            f"{name:30} {str(tuple(target.shape)):8} {str(target.dtype):14} "
            f"{try_loss(logits, target)}"
        )


if __name__ == "__main__":
    main()
