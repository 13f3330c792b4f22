"""Batch size, learning rate, optimizers / Yığın, öğrenme oranı, eniyileyici.

One small task used for every comparison: a 64 → 128 → 10 network on
scikit-learn's 8×8 digits, with the held-out 20 % split of the ANN and CNN
chapters. Each run changes one setting (the batch size, the learning rate, a
scheduler, the optimizer) and records the loss of every iteration and the test
loss and accuracy of every epoch. Needs torch and scikit-learn (matplotlib for
the plots); every run takes well under a second on a CPU.

    python -m snippets.training.tuning --optimizer adam --lr 0.001 \
        --batch-size 64
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn


# --8<-- [start:data]
def digits_split(
    test_fraction: float = 0.2, seed: int = 0
) -> tuple[torch.Tensor, ...]:
    """The 1,797 digits as 64 values in [0, 1], split like the ANN and CNN
    chapters."""
    digits = load_digits()
    x = torch.tensor(digits.data, dtype=torch.float32) / 16.0  # (1797, 64)
    y = torch.tensor(digits.target, dtype=torch.int64)  # class indices 0–9
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=test_fraction, stratify=y, random_state=seed
    )
    return x_train, y_train, x_test, y_test


def make_model(seed: int = 0, hidden: int = 128) -> nn.Sequential:
    """64 → ``hidden`` (ReLU) → 10 logits; the same initial weights for a given
    seed."""
    torch.manual_seed(seed)
    return nn.Sequential(
        nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10)
    )


# --8<-- [end:data]


# --8<-- [start:iterations]
def iterations_per_epoch(
    n_examples: int, batch_size: int, drop_last: bool = False
) -> int:
    """How many mini-batches (iterations, optimizer steps) one epoch has."""
    if drop_last:
        return n_examples // batch_size  # the incomplete last batch is skipped
    return math.ceil(n_examples / batch_size)  # the last batch may be smaller


def batches(
    x: torch.Tensor,
    y: torch.Tensor,
    batch_size: int,
    generator: torch.Generator,
) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """One epoch of shuffled mini-batches of data that is one tensor in memory:
    what ``DataLoader(TensorDataset(x, y), batch_size, shuffle=True)`` yields,
    faster."""
    order = torch.randperm(len(x), generator=generator).to(x.device)
    return [(x[index], y[index]) for index in order.split(batch_size)]


# --8<-- [end:iterations]


# --8<-- [start:optimizers]
OPTIMIZERS = {
    "SGD": lambda params, lr: torch.optim.SGD(params, lr=lr),
    "SGD+momentum": lambda params, lr: torch.optim.SGD(
        params, lr=lr, momentum=0.9
    ),
    "RMSprop": lambda params, lr: torch.optim.RMSprop(params, lr=lr),
    "Adam": lambda params, lr: torch.optim.Adam(params, lr=lr),
    "AdamW": lambda params, lr: torch.optim.AdamW(
        params, lr=lr, weight_decay=0.01
    ),
}
# --8<-- [end:optimizers]


@dataclass(frozen=True)
class Setup:
    """One training run: every setting the chapter varies, one at a time."""

    optimizer: str = "SGD"
    lr: float = 0.1
    batch_size: int = 128
    epochs: int = 15
    schedule: str = "constant"  # or "onecycle" (OneCycleLR) or "cosine"
    seed: int = 0


@dataclass
class History:
    """Loss and rate of every iteration; test loss and accuracy after every
    epoch."""

    step_loss: list[float] = field(default_factory=list)
    step_lr: list[float] = field(default_factory=list)
    # epoch mean of step_loss
    train_loss: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)
    diverged: bool = False  # the loss became inf or nan and training stopped
    # hidden ReLUs at 0 for every training image, at the end
    dead_units: int = 0


# --8<-- [start:train]
def train(
    setup: Setup,
    data: tuple[torch.Tensor, ...] | None = None,
    device: torch.device | str = "cpu",
) -> History:
    """Train a fresh network with ``setup``; stop if the loss is no longer
    finite."""
    x_train, y_train, x_test, y_test = (
        t.to(device) for t in data or digits_split()
    )
    model = make_model(setup.seed).to(device)
    optimizer = OPTIMIZERS[setup.optimizer](model.parameters(), setup.lr)
    # same batch order every run
    shuffle = torch.Generator().manual_seed(setup.seed)
    steps_per_epoch = iterations_per_epoch(len(x_train), setup.batch_size)
    scheduler = None
    if setup.schedule == "onecycle":
        # warm up to max_lr, then anneal far below it
        scheduler = torch.optim.lr_scheduler.OneCycleLR(
            optimizer,
            max_lr=setup.lr,
            epochs=setup.epochs,
            steps_per_epoch=steps_per_epoch,
            cycle_momentum=False,  # change only the rate, not the momentum
        )
    elif setup.schedule == "cosine":  # from lr down to 0 along half a cosine
        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(
            optimizer, T_max=setup.epochs * steps_per_epoch
        )
    history = History()
    for _ in range(setup.epochs):
        model.train()
        losses = []
        for images, labels in batches(
            x_train, y_train, setup.batch_size, shuffle
        ):
            loss = F.cross_entropy(model(images), labels)
            if not torch.isfinite(loss):
                history.diverged = True
                return history
            history.step_lr.append(optimizer.param_groups[0]["lr"])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if scheduler is not None:
                scheduler.step()  # once per iteration, as OneCycleLR expects
            losses.append(loss.item())
            history.step_loss.append(losses[-1])
        history.train_loss.append(sum(losses) / len(losses))
        test_loss, test_accuracy = evaluate(model, x_test, y_test)
        history.test_loss.append(test_loss)
        history.test_accuracy.append(test_accuracy)
    history.dead_units = dead_units(model, x_train)
    return history


@torch.inference_mode()
def dead_units(model: nn.Sequential, x: torch.Tensor) -> int:
    """Hidden units whose ReLU is 0 for every row of ``x``: no gradient reaches
    them."""
    hidden = model[1](model[0](x))  # (N, hidden) after Linear and ReLU
    return int((hidden.amax(dim=0) == 0).sum())


@torch.inference_mode()
def evaluate(
    model: nn.Module, x: torch.Tensor, y: torch.Tensor
) -> tuple[float, float]:
    """Loss and accuracy on held-out data."""
    model.eval()
    logits = model(x)
    accuracy = (logits.argmax(1) == y).float().mean().item()
    return F.cross_entropy(logits, y).item(), accuracy


# --8<-- [end:train]


# --8<-- [start:adam_moments]
@dataclass
class MomentTrace:
    """One weight under Adam: gradient, both bias-corrected moments, actual
    step."""

    grad: list[float] = field(default_factory=list)
    # running mean of the gradient
    m_hat: list[float] = field(default_factory=list)
    # √(mean squared gradient)
    v_hat_sqrt: list[float] = field(default_factory=list)
    step: list[float] = field(default_factory=list)  # θ_t − θ_{t−1}, measured


def trace_adam(
    weights: dict[str, tuple[int, int, int]],
    lr: float = 0.01,
    steps: int = 100,
    batch_size: int = 128,
    seed: int = 0,
) -> dict[str, MomentTrace]:
    """Train with Adam and follow single weights, each given as (layer, row,
    column)."""
    x_train, y_train, _, _ = digits_split()
    model = make_model(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    beta1, beta2 = optimizer.param_groups[0]["betas"]
    shuffle = torch.Generator().manual_seed(seed)
    traces, t = {name: MomentTrace() for name in weights}, 0
    while t < steps:
        for images, labels in batches(x_train, y_train, batch_size, shuffle):
            t += 1
            optimizer.zero_grad()
            F.cross_entropy(model(images), labels).backward()
            before = {
                name: model[layer].weight[row, col].item()
                for name, (layer, row, col) in weights.items()
            }
            optimizer.step()
            for name, (layer, row, col) in weights.items():
                weight, trace = model[layer].weight, traces[name]
                state = optimizer.state[weight]  # Adam's memory for this tensor
                trace.grad.append(weight.grad[row, col].item())
                trace.m_hat.append(
                    state["exp_avg"][row, col].item() / (1 - beta1**t)
                )
                v_hat = state["exp_avg_sq"][row, col].item() / (1 - beta2**t)
                trace.v_hat_sqrt.append(math.sqrt(v_hat))
                trace.step.append(weight[row, col].item() - before[name])
            if t == steps:
                break
    return traces


# --8<-- [end:adam_moments]


# --8<-- [start:decay]
def decay_step(
    optimizer: str, weight_decay: float, lr: float = 1e-3, theta: float = 1.0
) -> float:
    """How far one step moves a weight whose loss gradient is zero: only decay
    acts."""
    param = nn.Parameter(torch.tensor([theta]))
    cls = {"Adam": torch.optim.Adam, "AdamW": torch.optim.AdamW}[optimizer]
    opt = cls([param], lr=lr, weight_decay=weight_decay)
    param.grad = torch.zeros(1)  # the loss does not depend on this weight
    opt.step()
    return theta - param.item()


# --8<-- [end:decay]


LABELS = {
    "tr": {
        "epoch": "Epok",
        "iteration": "Yineleme (optimizer adımı)",
        "loss": "Eğitim kaybı",
        "test_loss": "Test kaybı",
        "lr": "Öğrenme oranı",
        "batch": "yığın boyutu",
        "constant": "sabit",
        "onecycle": "OneCycleLR",
        "diverged": "ıraksadı",
        "grad": "gradyan g",
        "m": "m̂ (1. moment)",
        "v": "√v̂ (2. moment)",
        "step": "adım / öğrenme oranı",
        "t": "Adım t",
    },
    "en": {
        "epoch": "Epoch",
        "iteration": "Iteration (optimizer step)",
        "loss": "Training loss",
        "test_loss": "Test loss",
        "lr": "Learning rate",
        "batch": "batch size",
        "constant": "constant",
        "onecycle": "OneCycleLR",
        "diverged": "diverged",
        "grad": "gradient g",
        "m": "m̂ (1st moment)",
        "v": "√v̂ (2nd moment)",
        "step": "step / learning rate",
        "t": "Step t",
    },
}


def plot_batch_sizes(runs: dict[int, History], lang: str = "en"):
    """Training loss per epoch (left) and per iteration (right) per batch
    size."""
    import matplotlib.pyplot as plt

    text = LABELS[lang]
    fig, (left, right) = plt.subplots(1, 2, figsize=(7, 2.7), sharey=True)
    for batch_size, history in runs.items():
        label = f"{text['batch']} {batch_size}"
        left.plot(
            range(1, len(history.train_loss) + 1),
            history.train_loss,
            label=label,
        )
        right.plot(
            range(1, len(history.step_loss) + 1),
            history.step_loss,
            label=label,
            linewidth=0.8,
        )
    left.set(xlabel=text["epoch"], ylabel=text["loss"], yscale="log")
    right.set(xlabel=text["iteration"], xscale="log")
    left.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_lr_sweep(runs: dict[float, History], lang: str = "en"):
    """Training loss per iteration for every rate; a cross marks a
    divergence."""
    import matplotlib.pyplot as plt

    text = LABELS[lang]
    fig, axis = plt.subplots(figsize=(6, 3))
    for lr, history in runs.items():
        (line,) = axis.plot(
            history.step_loss, label=f"lr = {lr:g}", linewidth=0.9
        )
        if history.diverged:
            axis.plot(
                len(history.step_loss) - 1,
                history.step_loss[-1],
                "x",
                markersize=10,
                color=line.get_color(),
                label=f"lr = {lr:g}: {text['diverged']}",
            )
    axis.set(xlabel=text["iteration"], ylabel=text["loss"], yscale="log")
    axis.legend(fontsize=8, ncol=2)
    fig.tight_layout()
    return fig


def plot_schedule(constant: History, onecycle: History, lang: str = "en"):
    """Learning rate (left) and test loss (right): constant against
    OneCycleLR."""
    import matplotlib.pyplot as plt

    text = LABELS[lang]
    fig, (left, right) = plt.subplots(1, 2, figsize=(7, 2.5))
    for key, history in (("constant", constant), ("onecycle", onecycle)):
        left.plot(history.step_lr, label=text[key])
        right.plot(
            range(1, len(history.test_loss) + 1),
            history.test_loss,
            label=text[key],
        )
    left.set(xlabel=text["iteration"], ylabel=text["lr"])
    right.set(xlabel=text["epoch"], ylabel=text["test_loss"], yscale="log")
    right.legend()
    fig.tight_layout()
    return fig


def plot_optimizers(runs: dict[str, History], lang: str = "en"):
    """Training loss (left) and test loss (right) per epoch, one line per
    optimizer."""
    import matplotlib.pyplot as plt

    text = LABELS[lang]
    fig, (left, right) = plt.subplots(1, 2, figsize=(7, 2.7))
    for name, history in runs.items():
        epochs = range(1, len(history.train_loss) + 1)
        left.plot(epochs, history.train_loss, label=name)
        right.plot(epochs, history.test_loss, label=name)
    left.set(xlabel=text["epoch"], ylabel=text["loss"], yscale="log")
    right.set(xlabel=text["epoch"], ylabel=text["test_loss"], yscale="log")
    left.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_moments(
    traces: dict[str, MomentTrace], focus: str, lr: float, lang: str = "en"
):
    """Left: the gradient and both moments of weight ``focus``. Right: every
    traced weight's step in units of the learning rate."""
    import matplotlib.pyplot as plt

    text = LABELS[lang]
    trace = traces[focus]
    steps = range(1, len(trace.grad) + 1)
    fig, (left, right) = plt.subplots(1, 2, figsize=(7, 2.6))
    left.plot(steps, trace.grad, color="lightgrey", label=text["grad"])
    left.plot(steps, trace.m_hat, label=text["m"])
    left.plot(steps, trace.v_hat_sqrt, label=text["v"])
    left.axhline(0, color="black", linewidth=0.5)
    left.set(
        xlabel=text["t"],
        title=focus if lang == "en" else focus.replace("pixel", "piksel"),
    )
    left.legend(fontsize=8)
    for name, other in traces.items():
        label = name if lang == "en" else name.replace("pixel", "piksel")
        right.plot(
            steps, [s / lr for s in other.step], label=label, linewidth=0.9
        )
    right.axhline(0, color="black", linewidth=0.5)
    right.set(xlabel=text["t"], ylabel=text["step"], ylim=(-1.1, 1.1))
    right.legend(fontsize=8)
    fig.tight_layout()
    return fig


def main(argv: list[str] | None = None) -> int:
    """Train once with the given settings and print the curve's end points."""
    parser = argparse.ArgumentParser(
        description="Train the digits MLP with one setting changed."
    )
    parser.add_argument(
        "--optimizer",
        default="SGD",
        type=str.casefold,
        choices=[name.casefold() for name in OPTIMIZERS],
    )
    parser.add_argument("--lr", type=float, default=Setup.lr)
    parser.add_argument("--batch-size", type=int, default=Setup.batch_size)
    parser.add_argument("--epochs", type=int, default=Setup.epochs)
    parser.add_argument(
        "--schedule",
        default="constant",
        choices=["constant", "onecycle", "cosine"],
    )
    args = parser.parse_args(argv)
    if args.lr <= 0 or args.batch_size < 1 or args.epochs < 1:
        parser.error(
            "--lr must be positive, --batch-size and --epochs at least 1"
        )
    name = next(n for n in OPTIMIZERS if n.casefold() == args.optimizer)
    history = train(
        Setup(name, args.lr, args.batch_size, args.epochs, args.schedule)
    )
    if history.diverged:
        print(
            f"{name}, lr {args.lr:g}: the loss diverged after "
            f"{len(history.step_loss)} iterations; try a smaller --lr"
        )
        return 0
    print(
        f"{name}, lr {args.lr:g}, batch size {args.batch_size}, "
        f"{args.schedule}: training loss {history.train_loss[0]:.4f} → "
        f"{history.train_loss[-1]:.4f}, "
        f"test accuracy {history.test_accuracy[-1]:.4f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
