"""The forward (noising) process / İleri (gürültü ekleme) süreci.

Linear and cosine noise schedules, the cumulative signal level ᾱ_t, the closed
form q(x_t | x_0) = N(√ᾱ_t · x_0, (1 − ᾱ_t) · I), and a check that it matches
adding noise one step at a time. Images come from scikit-learn's 8×8 digits, so
nothing is downloaded.

Needs: torch, scikit-learn, matplotlib (plots only). Runs in a second.

    python -m snippets.diffusion.forward
"""

from __future__ import annotations

import math

import torch
from sklearn.datasets import load_digits


# --8<-- [start:schedules]
def linear_betas(
    steps: int = 1000, start: float = 1e-4, end: float = 0.02
) -> torch.Tensor:
    """β_t rising linearly, as in Ho et al. (2020, DDPM); the defaults are
    theirs for T = 1000."""
    return torch.linspace(start, end, steps, dtype=torch.float64)


def cosine_betas(steps: int = 1000, offset: float = 0.008) -> torch.Tensor:
    """β_t from ᾱ_t = cos²(((t/T + s) / (1 + s)) · π/2), Nichol & Dhariwal
    (2021); clipped at 0.999."""
    t = torch.arange(steps + 1, dtype=torch.float64) / steps
    f = torch.cos((t + offset) / (1 + offset) * math.pi / 2) ** 2
    alpha_bar = f / f[0]
    return (1 - alpha_bar[1:] / alpha_bar[:-1]).clamp(max=0.999)


def alpha_bars(betas: torch.Tensor) -> torch.Tensor:
    """ᾱ_t = ∏_{s≤t} (1 − β_s): how much of the original signal survives after t
    steps."""
    return torch.cumprod(1 - betas, dim=0)


# --8<-- [end:schedules]


# --8<-- [start:closed_form]
def q_sample(
    x0: torch.Tensor, t: int, betas: torch.Tensor, noise: torch.Tensor
) -> torch.Tensor:
    """Jump straight to step ``t``: x_t = √ᾱ_t · x_0 + √(1 − ᾱ_t) · ε, with ε ~
    N(0, I); t = 0 is x_0 itself."""
    if t == 0:
        return x0
    a = alpha_bars(betas)[t - 1]
    return a.sqrt() * x0 + (1 - a).sqrt() * noise


def iterate_steps(
    x0: torch.Tensor, t: int, betas: torch.Tensor, generator: torch.Generator
) -> torch.Tensor:
    """The definition, one step at a time: x_s = √(1 − β_s) · x_(s−1) + √β_s ·
    ε_s, for s = 1 … t."""
    x = x0
    for s in range(t):
        x = (1 - betas[s]).sqrt() * x + betas[s].sqrt() * torch.randn(
            x.shape, generator=generator, dtype=x.dtype
        )
    return x


def compare_closed_form(
    t: int,
    betas: torch.Tensor,
    samples: int = 20000,
    seed: int = 0,
    start: float = 1.5,
) -> dict[str, float]:
    """Mean and variance of x_t for ``samples`` copies of x_0 = ``start``, by
    the closed form and by iterating ``t`` single steps."""
    generator = torch.Generator().manual_seed(seed)
    x0 = torch.full((samples,), start, dtype=torch.float64)
    iterated = iterate_steps(x0, t, betas, generator)
    a = alpha_bars(betas)[t - 1].item()
    return {
        "t": t,
        "samples": samples,
        "start": start,
        "mean_formula": math.sqrt(a) * start,
        "mean_iterated": iterated.mean().item(),
        "var_formula": 1 - a,
        "var_iterated": iterated.var().item(),
    }


# --8<-- [end:closed_form]


def digit_image(index: int = 0) -> torch.Tensor:
    """One 8×8 digit scaled to [−1, 1], the range diffusion models work in."""
    return (
        torch.tensor(load_digits().images[index], dtype=torch.float64) / 8.0
        - 1.0
    )


PLOT_LABELS = {
    "tr": {
        "t": "Adım t",
        "alpha_bar": "ᾱ_t (kalan sinyal)",
        "linear": "doğrusal",
        "cosine": "kosinüs",
    },
    "en": {
        "t": "Step t",
        "alpha_bar": "ᾱ_t (signal left)",
        "linear": "linear",
        "cosine": "cosine",
    },
}


def plot_alpha_bars(schedules: dict[str, torch.Tensor], lang: str = "en"):
    """ᾱ_t against t for every schedule."""
    import matplotlib.pyplot as plt

    text = PLOT_LABELS[lang]
    fig, axis = plt.subplots(figsize=(6, 3.4))
    for name, betas in schedules.items():
        axis.plot(range(1, len(betas) + 1), alpha_bars(betas), label=text[name])
    axis.set(xlabel=text["t"], ylabel=text["alpha_bar"])
    axis.legend()
    axis.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_noising(
    image: torch.Tensor,
    schedules: dict[str, torch.Tensor],
    steps: list[int],
    lang: str = "en",
    seed: int = 0,
):
    """One digit at several steps t, one row per schedule, the same noise for
    both rows."""
    import matplotlib.pyplot as plt

    noise = torch.randn(
        image.shape,
        generator=torch.Generator().manual_seed(seed),
        dtype=image.dtype,
    )
    fig, axes = plt.subplots(
        len(schedules),
        len(steps),
        figsize=(1.3 * len(steps), 1.5 * len(schedules)),
    )
    for row, (name, betas) in zip(axes, schedules.items(), strict=True):
        for axis, t in zip(row, steps, strict=True):
            axis.imshow(
                q_sample(image, t, betas, noise).clamp(-1, 1),
                cmap="gray_r",
                vmin=-1,
                vmax=1,
            )
            axis.set_xticks([])
            axis.set_yticks([])
            axis.set_title(f"t = {t}", fontsize=8)
        row[0].set_ylabel(PLOT_LABELS[lang][name], fontsize=9)
    fig.tight_layout()
    return fig


def main() -> int:
    """Print ᾱ at a few steps and the closed-form check."""
    schedules = {"linear": linear_betas(), "cosine": cosine_betas()}
    for name, betas in schedules.items():
        a = alpha_bars(betas)
        values = ", ".join(f"{a[t - 1]:.4f}" for t in (1, 250, 500, 750, 1000))
        print(f"{name:6}: ᾱ at t = 1, 250, 500, 750, 1000: {values}")
    for t in (10, 100, 500):
        c = compare_closed_form(t, schedules["linear"])
        print(
            f"t = {t:3}: mean {c['mean_formula']:.4f} (formula) vs "
            f"{c['mean_iterated']:.4f} (iterated), "
            f"variance {c['var_formula']:.4f} vs {c['var_iterated']:.4f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
