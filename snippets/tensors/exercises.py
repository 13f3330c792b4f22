"""Solutions of the chapter's exercises / Bölümün alıştırmalarının çözümleri.

Three questions about shapes: the result of a broadcast, the shape a batch of
images takes before a fully connected layer, and why ``.contiguous()`` lets a
transposed tensor be viewed as a flat one. Needs only torch; runs instantly.

    python -m snippets.tensors.exercises
"""

from __future__ import annotations

import argparse
import sys

import torch
from torch import nn


# --8<-- [start:broadcast]
def broadcast_shape() -> dict[str, list[int]]:
    """(2, 1, 3) + (4, 1): the rule's answer and the shape torch computes."""
    by_rule = torch.broadcast_shapes((2, 1, 3), (4, 1))
    result = torch.zeros(2, 1, 3) + torch.zeros(4, 1)
    return {"rule": list(by_rule), "result": list(result.shape)}


# --8<-- [end:broadcast]


# --8<-- [start:flatten]
def flatten_for_linear(
    shape: tuple[int, ...] = (8, 3, 48, 48),
) -> dict[str, list[int]]:
    """Keep the batch axis, join the rest: what ``nn.Linear`` needs."""
    images = torch.zeros(shape)
    flat = images.reshape(images.shape[0], -1)  # or images.flatten(1)
    layer = nn.Linear(flat.shape[1], 10)  # in_features = 3 · 48 · 48
    return {
        "flat": list(flat.shape),
        "nn_flatten": list(nn.Flatten()(images).shape),
        "linear_out": list(layer(flat).shape),
    }


# --8<-- [end:flatten]


# --8<-- [start:contiguous]
def view_after_transpose() -> dict[str, object]:
    """Why ``.T.view(6)`` fails and ``.T.contiguous().view(6)`` works."""
    grid = torch.arange(6).view(2, 3)
    transposed = grid.T  # same memory, strides swapped: no copy
    try:
        transposed.view(6)
        view_error = ""
    except RuntimeError as error:
        view_error = str(error).split(".")[0]
    copy = transposed.contiguous()  # a copy, laid out row by row
    return {
        "strides": [list(grid.stride()), list(transposed.stride())],
        "transposed_is_contiguous": transposed.is_contiguous(),
        "view_error": view_error,
        "copy_strides": list(copy.stride()),
        "shares_memory": copy.data_ptr() == grid.data_ptr(),
        "result": copy.view(6).tolist(),
    }


# --8<-- [end:contiguous]


def main(argv: list[str] | None = None) -> int:
    """Print the answer of every exercise."""
    parser = argparse.ArgumentParser(
        description="The answers of the exercises of the tensors chapter."
    )
    parser.parse_args(argv)
    print("broadcast:", broadcast_shape())
    print("flatten:", flatten_for_linear())
    print("contiguous:", view_after_transpose())
    return 0


if __name__ == "__main__":
    sys.exit(main())
