"""A DDPM trained and sampled / Eğitilen ve örneklenen bir DDPM.

Denoising diffusion probabilistic model (Ho et al., 2020) with a small MLP that
predicts the added noise from x_t, the step t (sinusoidal embedding) and,
optionally, a class label. Trains on two moons (2-D points) or on scikit-learn's
8×8 digits (64-dimensional vectors); samples with DDPM ancestral sampling or
with DDIM (Song et al., 2021) in fewer steps; steers the digits with
classifier-free guidance (Ho & Salimans, 2021). Everything ships offline.

Needs: torch, scikit-learn, matplotlib (plots only). Each model trains in
seconds on a CPU.

    python -m snippets.diffusion.ddpm --data moons
    python -m snippets.diffusion.ddpm --data digits --guidance 3 --device auto
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits, make_moons
from torch import nn


# --8<-- [start:schedule]
@dataclass(frozen=True)
class Schedule:
    """β_t, α_t = 1 − β_t and ᾱ_t = ∏ α_s for t = 0 … T−1 (0-based here),
    float32."""

    betas: torch.Tensor
    alphas: torch.Tensor
    alpha_bars: torch.Tensor

    @property
    def steps(self) -> int:
        return len(self.betas)


def linear_schedule(
    steps: int = 1000, start: float = 1e-4, end: float = 0.02
) -> Schedule:
    """β_t rising linearly from ``start`` to ``end``: the schedule and values of
    Ho et al. (2020)."""
    betas = torch.linspace(start, end, steps, dtype=torch.float64)
    alphas = 1 - betas
    return Schedule(
        betas.float(), alphas.float(), torch.cumprod(alphas, dim=0).float()
    )


# --8<-- [end:schedule]


# --8<-- [start:denoiser]
def timestep_embedding(t: torch.Tensor, dim: int) -> torch.Tensor:
    """Sinusoidal embedding of integer steps ``t`` ``(B,)`` → ``(B, dim)``, as
    for token positions."""
    half = dim // 2
    frequency = torch.exp(
        -math.log(10000.0) * torch.arange(half, device=t.device) / half
    )
    angle = t.float()[:, None] * frequency[None]
    return torch.cat([angle.sin(), angle.cos()], dim=1)


class Denoiser(nn.Module):
    """MLP ε_θ(x_t, t, y): predicts the noise in ``x_t``; residual blocks;
    optional class label.

    With ``num_classes`` set, label ``num_classes`` means "no label": the same
    network then learns the conditional and the unconditional model at once
    (needed for classifier-free guidance)."""

    def __init__(
        self,
        data_dim: int,
        hidden: int = 256,
        depth: int = 3,
        num_classes: int | None = None,
        time_dim: int = 64,
    ) -> None:
        super().__init__()
        self.time_dim, self.num_classes = time_dim, num_classes
        self.inp = nn.Linear(data_dim, hidden)
        self.time = nn.Sequential(
            nn.Linear(time_dim, hidden), nn.SiLU(), nn.Linear(hidden, hidden)
        )
        self.label = (
            nn.Embedding(num_classes + 1, hidden) if num_classes else None
        )
        self.blocks = nn.ModuleList(
            nn.Sequential(
                nn.LayerNorm(hidden), nn.SiLU(), nn.Linear(hidden, hidden)
            )
            for _ in range(depth)
        )
        self.out = nn.Sequential(
            nn.LayerNorm(hidden), nn.SiLU(), nn.Linear(hidden, data_dim)
        )

    def forward(
        self,
        x: torch.Tensor,
        t: torch.Tensor,
        labels: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """``x`` ``(B, D)``, ``t`` ``(B,)`` integer steps, ``labels`` ``(B,)``
        or None → noise ``(B, D)``."""
        h = self.inp(x) + self.time(timestep_embedding(t, self.time_dim))
        if self.label is not None:
            if labels is None:
                labels = torch.full(
                    (len(x),), self.num_classes, device=x.device
                )
            h = h + self.label(labels)
        for block in self.blocks:
            h = h + block(h)  # residual: each block adds a correction
        return self.out(h)


# --8<-- [end:denoiser]


# --8<-- [start:data]
def moons(n: int = 4000, seed: int = 0) -> torch.Tensor:
    """Two interleaving half circles, standardised to mean 0 and standard
    deviation 1: ``(n, 2)``."""
    points, _ = make_moons(n, noise=0.05, random_state=seed)
    points = torch.tensor(points, dtype=torch.float32)
    return (points - points.mean(0)) / points.std(0)


def digits() -> tuple[torch.Tensor, torch.Tensor]:
    """The 1,797 8×8 digits as 64-vectors in [−1, 1], and their labels."""
    data = load_digits()
    return torch.tensor(
        data.data, dtype=torch.float32
    ) / 8.0 - 1.0, torch.tensor(data.target)


# --8<-- [end:data]


@dataclass(frozen=True)
class TrainConfig:
    """Training settings; the defaults are those of the chapter's 2-D model."""

    steps: int = 3000  # optimizer steps
    batch_size: int = 256
    learning_rate: float = 2e-3
    hidden: int = 128
    depth: int = 3
    diffusion_steps: int = 1000  # T
    # share of labels hidden during training (for classifier-free guidance)
    p_uncond: float = 0.1
    seed: int = 0


DIGITS_CONFIG = TrainConfig(
    steps=2000, hidden=256
)  # the chapter's digits model


# --8<-- [start:train]
def train(
    data: torch.Tensor,
    config: TrainConfig,
    labels: torch.Tensor | None = None,
    device: torch.device | str = "cpu",
    log=print,
) -> tuple[Denoiser, Schedule, list[float]]:
    """Noise-prediction training: pick x_0, a step t and noise ε; teach ε_θ(x_t,
    t) to recover ε."""
    torch.manual_seed(config.seed)
    schedule = linear_schedule(config.diffusion_steps)
    alpha_bars = schedule.alpha_bars.to(device)
    num_classes = int(labels.max()) + 1 if labels is not None else None
    model = Denoiser(
        data.shape[1], config.hidden, config.depth, num_classes
    ).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.learning_rate)
    lr_schedule = torch.optim.lr_scheduler.CosineAnnealingLR(
        optimizer, T_max=config.steps
    )
    generator = torch.Generator().manual_seed(config.seed)
    losses, running = [], 0.0
    for step in range(1, config.steps + 1):
        index = torch.randint(
            len(data), (config.batch_size,), generator=generator
        )
        x0 = data[index].to(device)
        t = torch.randint(
            config.diffusion_steps, (config.batch_size,), generator=generator
        ).to(device)
        noise = torch.randn(x0.shape, generator=generator).to(device)
        a = alpha_bars[t][:, None]
        x_t = (
            a.sqrt() * x0 + (1 - a).sqrt() * noise
        )  # the closed form q(x_t | x_0)
        y = None
        if labels is not None:
            y = labels[index].clone()
            y[torch.rand(len(y), generator=generator) < config.p_uncond] = (
                num_classes  # "no label"
            )
            y = y.to(device)
        loss = F.mse_loss(model(x_t, t, y), noise)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        lr_schedule.step()
        running += loss.item()
        if step % 100 == 0:
            losses.append(running / 100)
            running = 0.0
            if step % 1000 == 0:
                log(f"step {step:5d}: loss {losses[-1]:.4f}")
    return model.eval(), schedule, losses


# --8<-- [end:train]


# --8<-- [start:guidance]
def predict_noise(
    model: Denoiser,
    x: torch.Tensor,
    t: torch.Tensor,
    labels: torch.Tensor | None,
    guidance: float,
) -> torch.Tensor:
    """ε for sampling. With labels, classifier-free guidance: ε_u + w · (ε_c −
    ε_u).

    w = 0 ignores the label (unconditional), w = 1 is the plain conditional
    model, w > 1 pushes the sample further towards what distinguishes the class.
    """
    if labels is None:
        return model(x, t)
    if guidance == 1.0:
        return model(x, t, labels)
    no_label = torch.full_like(labels, model.num_classes)
    both = model(
        torch.cat([x, x]), torch.cat([t, t]), torch.cat([labels, no_label])
    )  # one batched call
    conditional, unconditional = both.chunk(2)
    return unconditional + guidance * (conditional - unconditional)


# --8<-- [end:guidance]


# --8<-- [start:samplers]
def estimate_x0(
    x: torch.Tensor, eps: torch.Tensor, alpha_bar: float, clip: float | None
) -> tuple[torch.Tensor, torch.Tensor]:
    """x̂_0 = (x_t − √(1 − ᾱ_t) · ε) / √ᾱ_t, optionally clipped to the data
    range; ε made consistent with it."""
    x0 = (x - math.sqrt(1 - alpha_bar) * eps) / math.sqrt(alpha_bar)
    if clip is not None:
        x0 = x0.clamp(-clip, clip)
        eps = (x - math.sqrt(alpha_bar) * x0) / math.sqrt(1 - alpha_bar)
    return x0, eps


@torch.no_grad()
def ddpm_sample(
    model: Denoiser,
    schedule: Schedule,
    n: int,
    dim: int,
    labels: torch.Tensor | None = None,
    guidance: float = 1.0,
    seed: int = 0,
    clip: float | None = None,
    keep: tuple[int, ...] = (),
) -> tuple[torch.Tensor, dict[int, torch.Tensor]]:
    """Ancestral sampling: start from pure noise and take all T reverse steps.

    x_(t−1) = (x_t − β_t / √(1 − ᾱ_t) · ε) / √α_t + √β_t · z, written through
    x̂_0 so that ``clip`` (e.g. 1 for images in [−1, 1]) can keep the estimate
    in range. Returns the samples and the intermediate x_t for every t in
    ``keep`` (t = T is the starting noise)."""
    device = next(model.parameters()).device
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n, dim, generator=generator).to(device)
    kept = {schedule.steps: x.cpu()} if schedule.steps in keep else {}
    for t in reversed(range(schedule.steps)):
        eps = predict_noise(
            model, x, torch.full((n,), t, device=device), labels, guidance
        )
        beta, alpha, alpha_bar = (
            v[t].item()
            for v in (schedule.betas, schedule.alphas, schedule.alpha_bars)
        )
        _, eps = estimate_x0(x, eps, alpha_bar, clip)
        x = (x - beta / math.sqrt(1 - alpha_bar) * eps) / math.sqrt(
            alpha
        )  # the mean of p(x_(t−1) | x_t)
        if t > 0:
            x = x + math.sqrt(beta) * torch.randn(
                n, dim, generator=generator
            ).to(device)
        if t in keep:
            kept[t] = x.cpu()
    return x.cpu(), kept


@torch.no_grad()
def ddim_sample(
    model: Denoiser,
    schedule: Schedule,
    n: int,
    dim: int,
    steps: int,
    labels: torch.Tensor | None = None,
    guidance: float = 1.0,
    seed: int = 0,
    clip: float | None = None,
) -> torch.Tensor:
    """Deterministic DDIM (η = 0) on ``steps`` evenly spaced steps of the T:
    estimate x_0, jump to an earlier t.

    x_prev = √ᾱ_prev · x̂_0 + √(1 − ᾱ_prev) · ε: no fresh noise, so the same
    start gives the same sample."""
    device = next(model.parameters()).device
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n, dim, generator=generator).to(device)
    times = torch.linspace(schedule.steps - 1, 0, steps).round().long().tolist()
    for i, t in enumerate(times):
        eps = predict_noise(
            model, x, torch.full((n,), t, device=device), labels, guidance
        )
        x0, eps = estimate_x0(x, eps, schedule.alpha_bars[t].item(), clip)
        if i + 1 == len(times):
            return x0.cpu()
        previous = schedule.alpha_bars[times[i + 1]].item()
        x = math.sqrt(previous) * x0 + math.sqrt(1 - previous) * eps
    return x.cpu()


# --8<-- [end:samplers]


# --8<-- [start:quality]
def chamfer_distance(generated: torch.Tensor, real: torch.Tensor) -> float:
    """Mean distance from each generated point to its nearest real point, plus
    the reverse.

    Low only when samples lie on the data (first term) *and* cover all of it
    (second term)."""
    distances = torch.cdist(generated.double(), real.double())
    return (
        distances.min(dim=1).values.mean() + distances.min(dim=0).values.mean()
    ).item()


def nearest_real_distance(generated: torch.Tensor, real: torch.Tensor) -> float:
    """Mean distance from each generated sample to the closest real one (low:
    looks like real data)."""
    return (
        torch.cdist(generated.double(), real.double())
        .min(dim=1)
        .values.mean()
        .item()
    )


def digit_classifier(seed: int = 0):
    """A logistic-regression classifier trained on the real digits (in [−1, 1]):
    the judge of samples."""
    from sklearn.linear_model import LogisticRegression

    images, labels = digits()
    return LogisticRegression(max_iter=3000, random_state=seed).fit(
        images.numpy(), labels.numpy()
    )


def class_accuracy(
    classifier, samples: torch.Tensor, labels: torch.Tensor
) -> tuple[float, float]:
    """Share of samples the judge reads as the class they were asked for, and
    its mean confidence."""
    probabilities = classifier.predict_proba(samples.numpy())
    predicted = probabilities.argmax(axis=1)
    return float((predicted == labels.numpy()).mean()), float(
        probabilities.max(axis=1).mean()
    )


# --8<-- [end:quality]


PLOT_LABELS = {
    "tr": {
        "step": "Eğitim adımı",
        "loss": "Kayıp (gürültü MSE)",
        "moons": "iki hilal (2-B)",
        "digits": "rakamlar (8×8)",
        "real": "gerçek veri",
        "noise": "saf gürültü",
    },
    "en": {
        "step": "Training step",
        "loss": "Loss (noise MSE)",
        "moons": "two moons (2-D)",
        "digits": "digits (8×8)",
        "real": "real data",
        "noise": "pure noise",
    },
}


def plot_losses(curves: dict[str, list[float]], lang: str = "en"):
    """Training loss (mean of every 100 steps) of each model."""
    import matplotlib.pyplot as plt

    text = PLOT_LABELS[lang]
    fig, axis = plt.subplots(figsize=(6.5, 3.4))
    for name, losses in curves.items():
        axis.plot(
            [100 * (i + 1) for i in range(len(losses))],
            losses,
            label=text[name],
        )
    axis.set(xlabel=text["step"], ylabel=text["loss"], yscale="log")
    axis.legend()
    axis.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_points(panels: dict[str, torch.Tensor], lang: str = "en"):
    """Scatter plots side by side, one per entry of ``panels`` (title → (n, 2)
    points)."""
    import matplotlib.pyplot as plt

    text = PLOT_LABELS[lang]
    fig, axes = plt.subplots(
        1,
        len(panels),
        figsize=(2.6 * len(panels), 2.8),
        sharex=True,
        sharey=True,
    )
    for axis, (title, points) in zip(axes, panels.items(), strict=True):
        axis.scatter(points[:, 0], points[:, 1], s=2, alpha=0.5)
        axis.set_title(text.get(title, title), fontsize=9)
        axis.set(xlim=(-3, 3), ylim=(-3, 3), xticks=[], yticks=[])
    fig.tight_layout()
    return fig


def plot_digit_grid(
    rows: dict[str, torch.Tensor], column_titles: list[str] | None = None
):
    """A grid of 8×8 images: one row per entry of ``rows`` (row title → (k, 64)
    images in [−1, 1])."""
    import matplotlib.pyplot as plt

    columns = max(len(images) for images in rows.values())
    fig, axes = plt.subplots(
        len(rows),
        columns,
        figsize=(0.75 * columns + 1.2, 0.8 * len(rows) + 0.3),
        squeeze=False,
    )
    for axis_row, (title, images) in zip(axes, rows.items(), strict=True):
        for axis, image in zip(axis_row, images, strict=False):
            axis.imshow(image.view(8, 8), cmap="gray_r", vmin=-1, vmax=1)
        for axis in axis_row:
            axis.set_xticks([])
            axis.set_yticks([])
            axis.spines[:].set_visible(False)
        axis_row[0].set_ylabel(
            title, rotation=0, ha="right", va="center", fontsize=8
        )
    if column_titles:
        for axis, title in zip(axes[0], column_titles, strict=False):
            axis.set_title(title, fontsize=8)
    fig.tight_layout()
    return fig


def pick_device(requested: str) -> torch.device:
    """``auto`` → CUDA when available, else CPU; ``cuda`` without CUDA is an
    error that says what to do."""
    if requested == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if requested == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(
            "CUDA was requested but torch.cuda.is_available() is False; use "
            "--device cpu"
        )
    return torch.device(requested)


def main(argv: list[str] | None = None) -> int:
    """Train on moons or digits, sample, and print the quality figures."""
    parser = argparse.ArgumentParser(
        description="Train a small DDPM on two moons or on 8×8 digits."
    )
    parser.add_argument("--data", choices=["moons", "digits"], default="moons")
    parser.add_argument(
        "--device", default="auto", choices=["auto", "cpu", "cuda"]
    )
    parser.add_argument(
        "--steps", type=int, help="training steps (default: the chapter's)"
    )
    parser.add_argument(
        "--guidance",
        type=float,
        default=3.0,
        help="classifier-free guidance scale (digits)",
    )
    parser.add_argument("--ddim-steps", type=int, default=20)
    args = parser.parse_args(argv)
    if args.steps is not None and args.steps < 100:
        parser.error("--steps must be at least 100")
    if not 1 <= args.ddim_steps <= TrainConfig.diffusion_steps:
        parser.error(
            f"--ddim-steps must be between 1 and {TrainConfig.diffusion_steps}"
        )
    if args.guidance < 0:
        parser.error("--guidance must be 0 or more")
    try:
        device = pick_device(args.device)
    except RuntimeError as error:
        parser.error(str(error))
    if args.data == "moons":
        config = (
            TrainConfig()
            if args.steps is None
            else TrainConfig(steps=args.steps)
        )
        data = moons()
        model, schedule, _ = train(data, config, device=device)
        noise = torch.randn(1000, 2, generator=torch.Generator().manual_seed(1))
        for name, samples in (
            ("DDPM", ddpm_sample(model, schedule, 1000, 2)[0]),
            (
                f"DDIM {args.ddim_steps}",
                ddim_sample(model, schedule, 1000, 2, args.ddim_steps),
            ),
            ("pure noise", noise),
        ):
            print(
                f"{name:10}: chamfer distance to the data "
                f"{chamfer_distance(samples, data):.3f}"
            )
    else:
        config = (
            DIGITS_CONFIG
            if args.steps is None
            else TrainConfig(steps=args.steps, hidden=DIGITS_CONFIG.hidden)
        )
        images, labels = digits()
        model, schedule, _ = train(images, config, labels, device)
        wanted = torch.arange(10).repeat(20).to(device)
        samples, _ = ddpm_sample(
            model, schedule, len(wanted), 64, wanted, args.guidance, clip=1.0
        )
        accuracy, confidence = class_accuracy(
            digit_classifier(), samples, wanted.cpu()
        )
        print(
            f"guidance {args.guidance}: judge reads {accuracy:.1%} of the "
            "samples as the digit asked for "
            f"(mean confidence {confidence:.2f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
