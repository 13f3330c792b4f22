"""Universal approximation, shown / Evrensel yaklaşım, gösterilerek.

A network with one hidden layer of tanh units fits a wavy curve, and the wider
the hidden layer, the closer the fit. The universal approximation theorem
(Cybenko 1989, Hornik 1991) says that for every continuous curve on a closed
interval and every tolerance, *some* such network comes within the tolerance; it
says neither how wide it must be nor that training finds it. To measure what
width alone does, the hidden units are drawn at random once (a narrower net uses
the first units of a wider one) and only the output layer is fitted, exactly, by
least squares. Needs torch (matplotlib for the plot); runs in well under a
second.

    python -m snippets.basics.universal_approximation --widths 1 2 4 8 16 32
"""

from __future__ import annotations

import argparse
import math
import sys

import torch
from torch import nn

WIDTHS = (1, 2, 4, 8, 16, 32)
POOL = 1024  # the random units every width takes its first units from


# --8<-- [start:fit]
def target(x: torch.Tensor) -> torch.Tensor:
    """The curve to approximate: a wave whose swing grows with x."""
    return torch.sin(2 * x) * (1 + 0.3 * x)


def curve(n: int = 200) -> tuple[torch.Tensor, torch.Tensor]:
    """n points of the curve on [−π, π], each of shape (n, 1)."""
    x = torch.linspace(-math.pi, math.pi, n).unsqueeze(1)
    return x, target(x)


def random_hidden_layer(width: int, seed: int = 0) -> nn.Linear:
    """``width`` units tanh(a·(x − c)) with random slopes a and centres c in
    [−π, π].

    One seed gives the same first units for every width: a wider layer only adds
    units."""
    generator = torch.Generator().manual_seed(seed)
    slopes = torch.empty(POOL).uniform_(1, 4, generator=generator)
    signs = torch.randint(0, 2, slopes.shape, generator=generator) * 2 - 1
    centres = torch.empty(slopes.shape).uniform_(
        -math.pi, math.pi, generator=generator
    )
    layer = nn.Linear(1, width)
    with torch.no_grad():
        layer.weight.copy_((slopes * signs)[:width].unsqueeze(1))  # a
        layer.bias.copy_(-(slopes * signs * centres)[:width])  # −a·c
    return layer


def fit(width: int, seed: int = 0) -> tuple[nn.Sequential, float]:
    """1 → ``width`` tanh units → 1; the output layer solved by least squares.

    Returns the network and its mean squared error on the curve.
    """
    x, y = curve()
    hidden = nn.Sequential(random_hidden_layer(width, seed), nn.Tanh())
    with torch.no_grad():
        features = hidden(x).double()  # (n, width)
        ones = torch.ones(len(x), 1, dtype=torch.float64)  # the output bias
        design = torch.cat([features, ones], dim=1)
        solution = torch.linalg.lstsq(
            design, y.double()
        ).solution  # (width + 1, 1)
        output = nn.Linear(width, 1)
        output.weight.copy_(solution[:-1].T)
        output.bias.copy_(solution[-1])
        net = nn.Sequential(*hidden, output)
        return net, nn.functional.mse_loss(net(x), y).item()


# --8<-- [end:fit]


LABELS = {
    "tr": ("hedef eğri", "{} gizli nöron"),
    "en": ("target curve", "{} hidden units"),
}


# --8<-- [start:plot]
def plot_fits(nets: dict[int, nn.Sequential], lang: str = "en"):
    """The target curve and what each width fitted, on one axis."""
    import matplotlib.pyplot as plt

    target_label, width_label = LABELS[lang]
    x, y = curve()
    fig, axis = plt.subplots(figsize=(7, 4))
    axis.plot(x, y, color="black", linewidth=4, alpha=0.3, label=target_label)
    with torch.no_grad():
        for width, net in nets.items():
            axis.plot(x, net(x), linewidth=1.3, label=width_label.format(width))
    axis.set(xlabel="x", ylabel="y")
    axis.legend(fontsize=8, ncols=2)
    fig.tight_layout()
    return fig


# --8<-- [end:plot]


def main(argv: list[str] | None = None) -> int:
    """Fit the curve with each width and print the error."""
    parser = argparse.ArgumentParser(
        description="Fit a curve with ever wider one-hidden-layer nets."
    )
    parser.add_argument("--widths", type=int, nargs="+", default=list(WIDTHS))
    args = parser.parse_args(argv)
    if min(args.widths) < 1 or max(args.widths) > POOL:
        parser.error(
            f"--widths must be between 1 and {POOL}, e.g. --widths 1 4 16"
        )
    for width in args.widths:
        _, error = fit(width)
        print(f"width {width:3d}: mean squared error {error:.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
