"""Solutions to the chapter's exercises / Bölümün alıştırmalarının çözümleri.

How the linear and cosine schedules spend their steps, DDIM with very few
steps and a very large guidance scale on a trained noise predictor, and why
guidance needs ``p_uncond > 0``. Self-contained: the schedules and the DDIM
sampler of ``forward.py`` and ``ddpm.py`` are repeated here; the samplers take
the trained model as an argument.

Needs: torch. Runs in a second on a CPU (without a trained model, ``main``
shows the schedules and the gradient check).

    python -m snippets.diffusion.exercises
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn


# --8<-- [start:cosine]
def alpha_bars(name: str, steps: int = 1000) -> torch.Tensor:
    """ᾱ_t of the linear schedule (Ho et al., 2020) or of the cosine one
    (Nichol & Dhariwal, 2021), as in ``forward.py``."""
    if name == "linear":
        betas = torch.linspace(1e-4, 0.02, steps, dtype=torch.float64)
    else:
        t = torch.arange(steps + 1, dtype=torch.float64) / steps
        f = torch.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2
        betas = (1 - f[1:] / f[:-1]).clamp(max=0.999)
    return torch.cumprod(1 - betas, dim=0)


def schedule_use(noisy: float = 0.01, clean: float = 0.99) -> dict:
    """How many of the T steps each schedule spends nearly clean
    (ᾱ_t > ``clean``) and nearly pure noise (ᾱ_t < ``noisy``): the network
    is trained on every step equally often."""
    return {
        name: {
            "nearly_clean": int((bars > clean).sum()),
            "nearly_noise": int((bars < noisy).sum()),
        }
        for name, bars in (
            (name, alpha_bars(name)) for name in ("linear", "cosine")
        )
    }


# --8<-- [end:cosine]


# --8<-- [start:few_steps]
@torch.no_grad()
def ddim(
    model: nn.Module,
    bars: torch.Tensor,
    labels: torch.Tensor,
    steps: int,
    guidance: float = 3.0,
    seed: int = 1,
) -> torch.Tensor:
    """The chapter's DDIM (η = 0) with classifier-free guidance and x̂_0
    clipped to [−1, 1]: ``steps`` evenly spaced steps of the T.

    ``model(x, t, labels)`` predicts the noise; label ``model.num_classes``
    means "no label"."""
    n = len(labels)
    x = torch.randn(n, 64, generator=torch.Generator().manual_seed(seed))
    times = torch.linspace(len(bars) - 1, 0, steps).round().long().tolist()
    no_label = torch.full_like(labels, model.num_classes)
    for i, t in enumerate(times):
        both = model(
            torch.cat([x, x]),
            torch.full((2 * n,), t),
            torch.cat([labels, no_label]),
        )
        conditional, unconditional = both.chunk(2)
        eps = unconditional + guidance * (conditional - unconditional)
        a = bars[t].item()
        x0 = (x - math.sqrt(1 - a) * eps) / math.sqrt(a)
        x0 = x0.clamp(-1, 1)
        eps = (x - math.sqrt(a) * x0) / math.sqrt(1 - a)
        if i + 1 == len(times):
            return x0
        previous = bars[times[i + 1]].item()
        x = math.sqrt(previous) * x0 + math.sqrt(1 - previous) * eps
    return x


def judge_by_steps(
    model: nn.Module,
    bars: torch.Tensor,
    judge: Any,
    labels: torch.Tensor,
    steps: tuple[int, ...] = (10, 5, 3),
) -> dict[int, float]:
    """Share of DDIM samples (w = 3) the judge reads as the requested digit,
    for every number of steps."""
    accuracy = {}
    for k in steps:
        samples = ddim(model, bars, labels, k).numpy()
        predicted = torch.as_tensor(judge.predict(samples))
        accuracy[k] = float((predicted == labels).float().mean())
    return accuracy


# --8<-- [end:few_steps]


# --8<-- [start:large_guidance]
def guidance_effect(
    model: nn.Module,
    bars: torch.Tensor,
    judge: Any,
    labels: torch.Tensor,
    real: torch.Tensor,
    scales: tuple[float, ...] = (3.0, 15.0),
    steps: int = 20,
) -> dict[float, dict[str, float]]:
    """For every guidance scale: the judge's accuracy, the share of pixels
    at the clip limits ±1 (saturated), and the mean distance to the nearest
    real digit."""
    result = {}
    for w in scales:
        samples = ddim(model, bars, labels, steps, guidance=w)
        predicted = torch.as_tensor(judge.predict(samples.numpy()))
        nearest = torch.cdist(samples.double(), real.double()).min(dim=1)
        result[w] = {
            "accuracy": float((predicted == labels).float().mean()),
            "saturated": float((samples.abs() > 0.99).float().mean()),
            "nearest_real": float(nearest.values.mean()),
        }
    return result


# --8<-- [end:large_guidance]


# --8<-- [start:no_uncond]
def null_label_gradient(
    p_uncond: float, num_classes: int = 10, batch: int = 256, seed: int = 0
) -> float:
    """Size of the gradient that the "no label" embedding row receives in
    one training step, labels hidden with probability ``p_uncond`` as in
    the chapter's ``train``.

    With ``p_uncond = 0`` the row is never looked up: it keeps its random
    start, and ε(x, t, no label), the unconditional half of guidance, is
    never trained."""
    generator = torch.Generator().manual_seed(seed)
    label = nn.Embedding(num_classes + 1, 32)
    net = nn.Sequential(nn.SiLU(), nn.Linear(32, 64))
    x0 = torch.randn(batch, 64, generator=generator)
    y = torch.randint(num_classes, (batch,), generator=generator)
    y[torch.rand(batch, generator=generator) < p_uncond] = num_classes
    loss = F.mse_loss(net(label(y)), x0)
    loss.backward()
    return label.weight.grad[num_classes].norm().item()


# --8<-- [end:no_uncond]


def main() -> int:
    """Print the solutions that need no trained model."""
    print("steps spent nearly clean / nearly noise:", schedule_use())
    for p in (0.0, 0.1):
        print(
            f"p_uncond = {p}: gradient of the no-label row "
            f"{null_label_gradient(p):.2e}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
