"""Solutions of the chapter's exercises / Bölümün alıştırmalarının çözümleri.

Each solution is a named section: the noise of the readings and the learned
slope, readings from a narrow range and the error far outside it, half of a
sentence masked, and a fitted net outside the interval it was fitted on. The
chapter's functions are repeated here, so the module runs on its own. Needs only
torch; runs in well under a second.

    python -m snippets.basics.exercises
"""

from __future__ import annotations

import argparse
import math
import sys

import torch
from torch import nn


def fahrenheit_by_rule(celsius: torch.Tensor) -> torch.Tensor:
    """The exact rule: F = 1.8 · C + 32."""
    return 1.8 * celsius + 32


def readings(
    n: int = 10,
    noise: float = 0.5,
    seed: int = 0,
    low: float = -10.0,
    high: float = 40.0,
) -> tuple[torch.Tensor, torch.Tensor]:
    """n noisy thermometer readings between ``low`` and ``high`` °C."""
    generator = torch.Generator().manual_seed(seed)
    celsius = torch.linspace(low, high, n)
    fahrenheit = fahrenheit_by_rule(celsius) + noise * torch.randn(
        n, generator=generator
    )
    return celsius, fahrenheit


def learn_rule(
    celsius: torch.Tensor, fahrenheit: torch.Tensor
) -> tuple[float, float]:
    """The least-squares slope and intercept (in float64)."""
    design = torch.stack([celsius, torch.ones_like(celsius)], dim=1).double()
    solution = torch.linalg.lstsq(
        design, fahrenheit.double().unsqueeze(1)
    ).solution
    return solution[0].item(), solution[1].item()


# --8<-- [start:noise]
def slope_by_noise(
    noises: tuple[float, ...] = (0.0, 0.5, 5.0),
) -> dict[float, float]:
    """The learned slope for each noise level (same seed, same draws)."""
    return {noise: learn_rule(*readings(noise=noise))[0] for noise in noises}


# --8<-- [end:noise]


# --8<-- [start:narrow]
def error_at_100(low: float, high: float) -> float:
    """How many °F the rule learned from readings in [low, high] °C misses
    the boiling point (100 °C = 212 °F) by."""
    slope, intercept = learn_rule(*readings(low=low, high=high))
    return abs(slope * 100 + intercept - 212)


# --8<-- [end:narrow]


# --8<-- [start:half_masked]
def masked_pairs(
    words: list[str], rate: float = 0.15, seed: int = 0
) -> tuple[list[str], dict[int, str]]:
    """Hide about ``rate`` of the words (at least one) behind ``[MASK]``."""
    count = max(1, round(rate * len(words)))
    generator = torch.Generator().manual_seed(seed)
    positions = sorted(
        torch.randperm(len(words), generator=generator)[:count].tolist()
    )
    masked = ["[MASK]" if i in positions else w for i, w in enumerate(words)]
    return masked, {i: words[i] for i in positions}


def clues(sentence: str, rate: float) -> dict[str, object]:
    """The masked sentence, its labels and how many words are left as
    clues."""
    words = sentence.split()
    masked, hidden = masked_pairs(words, rate=rate)
    return {
        "masked": " ".join(masked),
        "hidden": len(hidden),
        "visible": len(words) - len(hidden),
    }


# --8<-- [end:half_masked]


# --8<-- [start:outside]
def target(x: torch.Tensor) -> torch.Tensor:
    """The chapter's curve: a wave whose swing grows with x."""
    return torch.sin(2 * x) * (1 + 0.3 * x)


def fit(width: int = 32, seed: int = 0) -> nn.Sequential:
    """Random tanh units on [−π, π], output layer by least squares."""
    generator = torch.Generator().manual_seed(seed)
    slopes = torch.empty(1024).uniform_(1, 4, generator=generator)
    signs = torch.randint(0, 2, slopes.shape, generator=generator) * 2 - 1
    centres = torch.empty(1024).uniform_(-math.pi, math.pi, generator=generator)
    a = (slopes * signs)[:width]
    hidden = nn.Linear(1, width)
    with torch.no_grad():
        hidden.weight.copy_(a.unsqueeze(1))
        hidden.bias.copy_(-(a * centres[:width]))
        x = torch.linspace(-math.pi, math.pi, 200).unsqueeze(1)
        features = torch.tanh(hidden(x)).double()
        design = torch.cat([features, torch.ones(len(x), 1).double()], 1)
        solution = torch.linalg.lstsq(design, target(x).double()).solution
        output = nn.Linear(width, 1)
        output.weight.copy_(solution[:-1].T)
        output.bias.copy_(solution[-1])
    return nn.Sequential(hidden, nn.Tanh(), output)


@torch.no_grad()
def errors_inside_and_outside(net: nn.Module) -> tuple[float, float]:
    """Mean squared error on [−π, π] and on the rest of [−2π, 2π]."""
    x = torch.linspace(-2 * math.pi, 2 * math.pi, 400).unsqueeze(1)
    squared = (net(x) - target(x)).squeeze(1) ** 2
    inside = x.squeeze(1).abs() <= math.pi
    return squared[inside].mean().item(), squared[~inside].mean().item()


# --8<-- [end:outside]


def main(argv: list[str] | None = None) -> int:
    """Print the answer of every exercise."""
    parser = argparse.ArgumentParser(
        description="The answers of the exercises of the basics chapter."
    )
    parser.parse_args(argv)
    for noise, slope in slope_by_noise().items():
        print(f"noise {noise}: learned slope {slope:.4f} (rule: 1.8)")
    print(
        f"error at 100 °C, readings in [-10, 40]: {error_at_100(-10, 40):.2f}"
    )
    print(f"error at 100 °C, readings in [0, 10]: {error_at_100(0, 10):.2f}")
    for rate in (0.15, 0.5):
        print(f"rate {rate}: {clues('the cat slept on the mat', rate)}")
    inside, outside = errors_inside_and_outside(fit())
    print(f"MSE inside [-π, π]: {inside:.2e}, outside: {outside:.2e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
