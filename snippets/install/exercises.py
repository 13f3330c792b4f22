"""Solutions of the chapter's exercises / Bölümün alıştırmalarının çözümleri.

A GPU adds the terms of a matrix product in another order than the CPU, so
``smoke_test`` finds a small difference even when both are right. The same
difference appears on the CPU alone when the order of the sum is changed; here
it is measured in float32 and in float64. Needs only torch; runs instantly.

    python -m snippets.install.exercises
"""

from __future__ import annotations

import argparse
import sys

import torch


# --8<-- [start:precision]
def order_gap(dtype: torch.dtype, size: int = 256) -> float:
    """Largest difference between a @ b and the same product with its sum
    taken in reverse order (what another device's kernel may do)."""
    generator = torch.Generator().manual_seed(0)
    a = torch.randn(size, size, generator=generator).to(dtype)
    b = torch.randn(size, size, generator=generator).to(dtype)
    reversed_order = a.flip(1) @ b.flip(0)  # same terms, summed backwards
    return (a @ b - reversed_order).abs().max().item()


def gaps() -> dict[str, float]:
    """The gap in float32 and in float64, and the machine epsilon of each."""
    return {
        "float32": order_gap(torch.float32),
        "float64": order_gap(torch.float64),
        "eps32": torch.finfo(torch.float32).eps,
        "eps64": torch.finfo(torch.float64).eps,
    }


# --8<-- [end:precision]


def main(argv: list[str] | None = None) -> int:
    """Print the gap in both precisions."""
    parser = argparse.ArgumentParser(
        description="The answers of the exercises of the installation chapter."
    )
    parser.parse_args(argv)
    for name, value in gaps().items():
        print(f"{name}: {value:.1e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
