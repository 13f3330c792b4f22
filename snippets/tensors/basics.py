"""Tensors / Tensörler.

Creating tensors, their dtype, shape and device, indexing, reshaping (view,
reshape, permute), broadcasting, matrix multiplication and its shape rule, NumPy
interop, and reproducible random numbers. Needs only torch and NumPy; every
function prints what it shows and runs in milliseconds.

    python -m snippets.tensors.basics
"""

from __future__ import annotations

import numpy as np
import torch


# --8<-- [start:creation]
def show_creation() -> None:
    """Scalars, vectors, matrices and the usual factory functions."""
    scalar = torch.tensor(7)
    vector = torch.tensor([1.0, 2.0, 3.0])
    matrix = torch.tensor([[1, 2], [3, 4]])
    for name, t in (("scalar", scalar), ("vector", vector), ("matrix", matrix)):
        print(f"{name}: ndim={t.ndim} shape={tuple(t.shape)} dtype={t.dtype}")
    print("zeros(2, 3):", torch.zeros(2, 3).tolist())
    print("arange(0, 10, 3):", torch.arange(0, 10, 3).tolist())
    print("linspace(0, 1, 5):", torch.linspace(0, 1, 5).tolist())
    print("full((2, 2), 0.5):", torch.full((2, 2), 0.5).tolist())


# --8<-- [end:creation]


# --8<-- [start:dtypes]
def show_dtypes() -> None:
    """Default dtypes, casting, and what half precision loses."""
    print("torch.tensor([1, 2]).dtype:", torch.tensor([1, 2]).dtype)
    print("torch.tensor([1.0, 2.0]).dtype:", torch.tensor([1.0, 2.0]).dtype)
    print(
        "int tensor / 2:",
        (torch.tensor([1, 2]) / 2).tolist(),
        "(true division gives floats)",
    )
    print("int tensor // 2:", (torch.tensor([1, 2]) // 2).tolist())
    x = torch.tensor([1.0001, 1000.1])
    print("float32:", x.tolist())
    print("float16:", x.half().tolist())
    print(
        "bytes per element: float32",
        x.element_size(),
        "| float16",
        x.half().element_size(),
    )


# --8<-- [end:dtypes]


# --8<-- [start:indexing]
def show_indexing() -> None:
    """Indexing and slicing follow NumPy: [row, column], slices, boolean
    masks."""
    x = torch.arange(12).reshape(3, 4)
    print("x =\n", x)
    print("x[1] =", x[1].tolist())
    print("x[:, 2] =", x[:, 2].tolist())
    print("x[1:, ::2] =", x[1:, ::2].tolist())
    print("x[x % 5 == 0] =", x[x % 5 == 0].tolist())


# --8<-- [end:indexing]


# --8<-- [start:reshaping]
def show_reshaping() -> None:
    """reshape/view change the shape, permute reorders axes, (un)squeeze adds or
    removes size-1 axes."""
    x = torch.arange(6)
    print("x.view(2, 3):", tuple(x.view(2, 3).shape))
    print(
        "x.reshape(3, -1):",
        tuple(x.reshape(3, -1).shape),
        "(-1: worked out from the rest)",
    )
    image = torch.zeros(32, 48, 3)  # (H, W, C)
    print("permute(2, 0, 1):", tuple(image.permute(2, 0, 1).shape))
    print("unsqueeze(0):", tuple(image.unsqueeze(0).shape))
    print(
        "squeeze() of (1, 3, 1):", tuple(torch.zeros(1, 3, 1).squeeze().shape)
    )
    transposed = x.view(2, 3).T  # shares memory but is not contiguous
    print("transposed.is_contiguous():", transposed.is_contiguous())
    try:
        transposed.view(6)
    except RuntimeError as error:
        print("transposed.view(6) -> RuntimeError:", str(error).split(".")[0])
    print(
        "transposed.reshape(6):",
        transposed.reshape(6).tolist(),
        "(reshape copies when it must)",
    )


# --8<-- [end:reshaping]


# --8<-- [start:broadcasting]
def show_broadcasting() -> None:
    """Shapes are compared from the right; a size-1 axis (or a missing one) is
    stretched."""
    column = torch.tensor([[0], [10], [20]])  # (3, 1)
    row = torch.tensor([1, 2, 3, 4])  # (4,)
    result = column + row
    print("(3, 1) + (4,) ->", tuple(result.shape))
    print(result)
    try:
        torch.zeros(3, 2) + torch.zeros(3)
    except RuntimeError as error:
        print("(3, 2) + (3,) -> RuntimeError:", str(error))


# --8<-- [end:broadcasting]


# --8<-- [start:matmul]
def show_matmul() -> None:
    """(n, k) @ (k, m) -> (n, m): the inner sizes must agree. Batched: (b, n, k)
    @ (b, k, m)."""
    a, b = torch.ones(2, 3), torch.ones(3, 4)
    print("(2, 3) @ (3, 4) ->", tuple((a @ b).shape))
    print(
        "(5, 2, 3) @ (5, 3, 4) ->",
        tuple((torch.ones(5, 2, 3) @ torch.ones(5, 3, 4)).shape),
    )
    print("elementwise (2, 3) * (2, 3) ->", tuple((a * a).shape))
    try:
        a @ a
    except RuntimeError as error:
        print("(2, 3) @ (2, 3) -> RuntimeError:", str(error))
    print("fix with a transpose: (2, 3) @ (3, 2) ->", tuple((a @ a.T).shape))


# --8<-- [end:matmul]


# --8<-- [start:numpy]
def show_numpy() -> None:
    """torch.from_numpy shares memory with the array; NumPy's default float64
    stays float64."""
    array = np.arange(3, dtype=np.float64)
    shared = torch.from_numpy(array)
    copied = torch.tensor(array)
    array[0] = 100.0
    print("from_numpy:", shared.tolist(), shared.dtype, "(sees the change)")
    print("torch.tensor:", copied.tolist(), "(a copy)")
    print("as float32 for a model:", torch.from_numpy(array).float().dtype)
    print("back to NumPy:", type(torch.ones(2).numpy()).__name__)


# --8<-- [end:numpy]


# --8<-- [start:seeds]
def show_seeds(seed: int = 42) -> None:
    """The same seed gives the same random numbers."""
    torch.manual_seed(seed)
    first = torch.rand(3)
    torch.manual_seed(seed)
    second = torch.rand(3)
    print("first: ", [round(v, 4) for v in first.tolist()])
    print("second:", [round(v, 4) for v in second.tolist()])
    print("equal:", torch.equal(first, second))
    generator = torch.Generator().manual_seed(
        seed
    )  # a private stream, untouched by other code
    print(
        "own generator:",
        [round(v, 4) for v in torch.rand(3, generator=generator).tolist()],
    )


# --8<-- [end:seeds]


def main() -> None:
    """Print every demonstration."""
    for show in (
        show_creation,
        show_dtypes,
        show_indexing,
        show_reshaping,
        show_broadcasting,
        show_matmul,
        show_numpy,
        show_seeds,
    ):
        print(f"--- {show.__name__}")
        show()


if __name__ == "__main__":
    main()
