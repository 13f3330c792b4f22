"""CNN layers one at a time / CNN katmanları tek tek.

Small, printed experiments with each layer type the walkthrough network uses:
the (N, C, H, W) tensor layout, convolution output sizes (kernel, padding,
stride), max pooling, ReLU, flatten and dropout. Needs only torch, runs on the
CPU in well under a second.

    python -m snippets.cnn.layers
"""

from __future__ import annotations

import torch
from torch import nn


# --8<-- [start:layout]
def show_layout() -> None:
    """PyTorch stores a batch of images channels-first: (N, C, H, W)."""
    batch = torch.zeros(8, 3, 48, 48)  # 8 RGB images of 48×48 pixels
    print("batch:", tuple(batch.shape), "= (N, C, H, W)")
    picture = torch.zeros(
        48, 48, 3
    )  # how PIL / NumPy / matplotlib hold one image: (H, W, C)
    print("one image as (H, W, C):", tuple(picture.shape))
    print("permuted to (C, H, W):", tuple(picture.permute(2, 0, 1).shape))
    print(
        "with a batch axis added:",
        tuple(picture.permute(2, 0, 1).unsqueeze(0).shape),
    )


# --8<-- [end:layout]


# --8<-- [start:conv_output_size]
def conv_output_size(
    size: int, kernel: int, padding: int = 0, stride: int = 1
) -> int:
    """Side length after a convolution or pooling window: floor((size +
    2·padding − kernel) / stride) + 1."""
    return (size + 2 * padding - kernel) // stride + 1


def conv_size_table(size: int = 48) -> list[dict[str, int]]:
    """Compare the formula with what ``nn.Conv2d`` really produces for a few
    settings."""
    rows = []
    for kernel, padding, stride in (
        (3, 0, 1),
        (3, 1, 1),
        (5, 2, 1),
        (3, 1, 2),
        (7, 3, 2),
    ):
        conv = nn.Conv2d(
            3, 4, kernel_size=kernel, padding=padding, stride=stride
        )
        measured = conv(torch.zeros(1, 3, size, size)).shape[-1]
        rows.append(
            {
                "kernel": kernel,
                "padding": padding,
                "stride": stride,
                "formula": conv_output_size(size, kernel, padding, stride),
                "measured": measured,
            }
        )
    return rows


# --8<-- [end:conv_output_size]


# --8<-- [start:conv_dims]
def conv_dimensions() -> list[dict[str, object]]:
    """``Conv1d``, ``Conv2d`` and ``Conv3d`` with a 3-wide kernel: layouts and
    shapes.

    The kernel slides along 1, 2 or 3 axes; the channel axis comes right after
    the batch axis in every case."""
    cases = [  # 8 examples each
        # 2 sensors read 100 times: a signal of length L
        ("Conv1d", nn.Conv1d(2, 4, kernel_size=3), (8, 2, 100), "(N, C, L)"),
        # RGB images of height H and width W
        (
            "Conv2d",
            nn.Conv2d(3, 4, kernel_size=3),
            (8, 3, 48, 48),
            "(N, C, H, W)",
        ),
        # RGB videos of D = 16 frames
        (
            "Conv3d",
            nn.Conv3d(3, 4, kernel_size=3),
            (8, 3, 16, 48, 48),
            "(N, C, D, H, W)",
        ),
    ]
    rows = []
    for name, layer, shape, layout in cases:
        rows.append(
            {
                "layer": name,
                "layout": layout,
                "input": shape,
                "output": tuple(layer(torch.zeros(shape)).shape),
                "weight": tuple(layer.weight.shape),
                "params": sum(p.numel() for p in layer.parameters()),
            }
        )
    return rows


# --8<-- [end:conv_dims]


# --8<-- [start:pooling]
def show_pooling() -> None:
    """A 2×2 max pool with stride 2 keeps the largest value of every 2×2
    block."""
    x = torch.tensor(
        [
            [1.0, 3.0, 2.0, 0.0],
            [4.0, 2.0, 1.0, 5.0],
            [0.0, 1.0, 7.0, 2.0],
            [6.0, 2.0, 3.0, 1.0],
        ]
    ).reshape(1, 1, 4, 4)  # (N, C, H, W)
    pooled = nn.MaxPool2d(kernel_size=2, stride=2)(x)
    print("input (4×4):\n", x[0, 0])
    print("max-pooled (2×2):\n", pooled[0, 0])


# --8<-- [end:pooling]


# --8<-- [start:relu_flatten]
def show_relu_and_flatten() -> None:
    """ReLU zeroes the negatives; Flatten turns (N, C, H, W) into (N, C·H·W) for
    a Linear layer."""
    values = torch.tensor([-2.0, -0.5, 0.0, 0.5, 2.0])
    print("relu", values.tolist(), "->", nn.ReLU()(values).tolist())
    features = torch.zeros(8, 128, 12, 12)
    print(
        "flatten",
        tuple(features.shape),
        "->",
        tuple(nn.Flatten()(features).shape),
    )


# --8<-- [end:relu_flatten]


# --8<-- [start:dropout]
def show_dropout(
    p: float = 0.5, size: int = 10_000, seed: int = 0
) -> dict[str, float]:
    """Dropout zeroes a fraction p of its inputs while training and scales the
    rest by 1/(1−p)."""
    torch.manual_seed(seed)
    dropout = nn.Dropout(p)
    ones = torch.ones(size)
    dropout.train()
    trained = dropout(ones)
    dropout.eval()
    evaluated = dropout(ones)
    return {
        "p": p,
        "size": size,
        "zeroed_fraction_train": (trained == 0).float().mean().item(),
        "kept_value_train": trained.max().item(),  # 1 / (1 − p)
        "zeroed_fraction_eval": (evaluated == 0).float().mean().item(),
    }


# --8<-- [end:dropout]


def main() -> None:
    """Print every experiment."""
    show_layout()
    for row in conv_size_table():
        print(row)
    for row in conv_dimensions():
        print(row)
    show_pooling()
    show_relu_and_flatten()
    print(show_dropout())


if __name__ == "__main__":
    main()
