"""Rules versus learning / Kurallar ve öğrenme.

Traditional programming writes the rule (Fahrenheit = 1.8 · Celsius + 32) and
applies it to data. Machine learning is given examples — inputs and the answers
— and finds the rule itself. Here a least-squares fit learns the conversion from
a handful of noisy thermometer readings; comparing it with the exact rule shows
why ML is the wrong tool where the rule is known. Needs only torch.

    python -m snippets.basics.rules_vs_learning
"""

from __future__ import annotations

import torch


# --8<-- [start:rule]
def fahrenheit_by_rule(celsius: torch.Tensor) -> torch.Tensor:
    """Traditional programming: a person wrote the rule."""
    return 1.8 * celsius + 32


# --8<-- [end:rule]


# --8<-- [start:learn]
def readings(
    n: int = 10, noise: float = 0.5, seed: int = 0
) -> tuple[torch.Tensor, torch.Tensor]:
    """Examples: Celsius values and what an (imperfect) thermometer showed in
    Fahrenheit."""
    generator = torch.Generator().manual_seed(seed)
    celsius = torch.linspace(-10, 40, n)
    fahrenheit = fahrenheit_by_rule(celsius) + noise * torch.randn(
        n, generator=generator
    )
    return celsius, fahrenheit


def learn_rule(
    celsius: torch.Tensor, fahrenheit: torch.Tensor
) -> tuple[float, float]:
    """Machine learning in one line: the slope and intercept that fit the
    examples best (least squares)."""
    design = torch.stack(
        [celsius, torch.ones_like(celsius)], dim=1
    )  # (n, 2): [C, 1]
    solution = torch.linalg.lstsq(
        design, fahrenheit.unsqueeze(1)
    ).solution  # (2, 1)
    return solution[0].item(), solution[1].item()


# --8<-- [end:learn]


def main() -> None:
    """Learn the conversion and compare it with the exact rule at 100 °C."""
    slope, intercept = learn_rule(*readings())
    print(
        f"learned: F = {slope:.3f} · C + {intercept:.3f}   (rule: F = 1.8 · C "
        "+ 32)"
    )
    learned_100 = slope * 100 + intercept
    print(
        f"at 100 °C: learned {learned_100:.2f} °F, rule "
        f"{fahrenheit_by_rule(torch.tensor(100.0)).item():.2f} °F"
    )


if __name__ == "__main__":
    main()
