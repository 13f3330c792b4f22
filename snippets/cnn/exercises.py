"""Exercise solutions: CNN step by step / Alıştırma çözümleri: adım adım CNN.

The chapter's network (3→32→64→128 channels, two 2×2 pools, a 512-unit hidden
layer, dropout) rebuilt with its knobs as arguments, so that this file runs
alone: padding, the second pooling layer, the dropout rate, the kind of
pooling. The structural answers are exact counts on 48×48 inputs; the
training answers come from a short run (the 8×8 digits at their own size, a
few epochs, a fixed seed) that shows a direction, not the chapter's numbers.
Needs torch and scikit-learn; a few seconds.

    python -m snippets.cnn.exercises --epochs 4
"""

from __future__ import annotations

import argparse

import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn


# --8<-- [start:build]
def build(
    padding: int = 1,
    second_pool: bool = True,
    dropout: float = 0.5,
    pool: type[nn.Module] = nn.MaxPool2d,
    image_size: int = 48,
    channels: tuple[int, int, int] = (32, 64, 128),
    hidden: int = 512,
) -> nn.Sequential:
    """The chapter's CNN with its knobs as arguments; ``fc1`` gets whatever
    size the convolutional part leaves (read off a dummy image)."""
    c1, c2, c3 = channels
    layers: list[nn.Module] = [
        nn.Conv2d(3, c1, kernel_size=3, padding=padding),
        nn.ReLU(),
        nn.Conv2d(c1, c2, kernel_size=3, padding=padding),
        nn.ReLU(),
        pool(kernel_size=2, stride=2),
        nn.Conv2d(c2, c3, kernel_size=3, padding=padding),
        nn.ReLU(),
    ]
    if second_pool:
        layers.append(pool(kernel_size=2, stride=2))
    features = nn.Sequential(*layers, nn.Flatten())
    with torch.no_grad():
        flat = features(torch.zeros(1, 3, image_size, image_size)).shape[1]
    return nn.Sequential(
        *features,
        nn.Dropout(dropout),
        nn.Linear(flat, hidden),  # fc1
        nn.ReLU(),
        nn.Dropout(dropout),
        nn.Linear(hidden, 10),
    )


def on_meta(**knobs) -> nn.Sequential:
    """``build(**knobs)`` on the meta device: shapes and counts, no memory
    for the weights (counting needs no values)."""
    with torch.device("meta"):
        return build(**knobs)


def parameters(model: nn.Module) -> int:
    """Trainable parameters of ``model``."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


# --8<-- [end:build]


# --8<-- [start:padding]
def side_after(side: int, padding: int, pools: int = 2) -> int:
    """The formula: a 3×3 convolution gives side + 2·padding − 2; a 2×2 pool
    with stride 2 halves (rounding down). Conv, conv, pool, conv, pool."""
    conv = lambda s: s + 2 * padding - 3 + 1  # noqa: E731
    side = conv(conv(side)) // 2
    side = conv(side)
    return side // 2 if pools == 2 else side


def fc1_inputs(padding: int, image_size: int = 48) -> dict[str, int]:
    """fc1's input size by the formula and read off the built network."""
    side = side_after(image_size, padding)
    model = on_meta(padding=padding, image_size=image_size)
    fc1 = next(m for m in model if isinstance(m, nn.Linear))
    return {
        "side": side,
        "formula": 128 * side * side,
        "model": fc1.in_features,
    }


# --8<-- [end:padding]


# --8<-- [start:second_pool]
def without_second_pool() -> dict[str, int]:
    """Parameter counts with and without the second pooling layer."""
    return {
        "with": parameters(on_meta()),
        "without": parameters(on_meta(second_pool=False)),
    }


# --8<-- [end:second_pool]


# --8<-- [start:short_run]
def digits(seed: int = 0) -> tuple[torch.Tensor, ...]:
    """The 8×8 digits in 3 channels, standardised; the chapter's 80 / 20
    split."""
    data = load_digits()
    images = torch.tensor(data.images, dtype=torch.float32).unsqueeze(1)
    images = images.repeat(1, 3, 1, 1) / 16.0
    labels = torch.tensor(data.target)
    train, test = train_test_split(
        range(len(labels)), test_size=0.2, stratify=labels, random_state=seed
    )
    images = (images - images[train].mean()) / images[train].std()
    return images[train], labels[train], images[test], labels[test]


# The short runs: the 8×8 digits at their own size and half the chapter's
# widths, so that a run takes seconds, not minutes.
SHORT = {"image_size": 8, "channels": (16, 32, 64), "hidden": 256}


def short_run(epochs: int = 4, seed: int = 0, **knobs) -> dict[str, list]:
    """Build ``build(**SHORT, **knobs)`` and train it with Adam (the chapter's
    settings), batch 64; per epoch the mean training loss (dropout on, as in
    the chapter's curve), the test loss and accuracy (dropout off)."""
    x, y, x_test, y_test = digits(seed)
    torch.manual_seed(seed)  # the same initial weights for every variant
    model = build(**(SHORT | knobs))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
    curves: dict[str, list] = {"train": [], "test": [], "accuracy": []}
    for _ in range(epochs):
        model.train()
        total = 0.0
        for batch in torch.randperm(len(y)).split(64):
            loss = F.cross_entropy(model(x[batch]), y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        model.eval()
        with torch.inference_mode():
            logits = model(x_test)
        curves["train"].append(total / len(y))
        curves["test"].append(F.cross_entropy(logits, y_test).item())
        curves["accuracy"].append(
            (logits.argmax(1) == y_test).float().mean().item()
        )
    return curves


# --8<-- [end:short_run]


# --8<-- [start:dropout]
def dropout_runs(
    rates: tuple[float, ...] = (0.0, 0.8), epochs: int = 4
) -> dict[float, dict[str, list]]:
    """The short run's curves for each dropout rate (max pooling)."""
    return {rate: short_run(epochs, dropout=rate) for rate in rates}


# --8<-- [end:dropout]


# --8<-- [start:avg_pool]
def avg_pool_run(epochs: int = 4) -> dict[str, list]:
    """The short run with average pooling, dropout off; compare it with the
    dropout 0.0 run above, the same network with max pooling."""
    return short_run(epochs, dropout=0.0, pool=nn.AvgPool2d)


# --8<-- [end:avg_pool]


def main(argv: list[str] | None = None) -> None:
    """Print the structural answers, then the short runs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=4)
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error(f"--epochs must be at least 1, got {args.epochs}")
    print("fc1 inputs, padding=0:", fc1_inputs(padding=0))
    print("parameters:", without_second_pool())
    runs = {
        f"MaxPool2d, dropout {rate}": curves
        for rate, curves in dropout_runs(epochs=args.epochs).items()
    }
    runs["AvgPool2d, dropout 0.0"] = avg_pool_run(args.epochs)
    for name, curves in runs.items():
        rounded = {k: [round(v, 3) for v in c] for k, c in curves.items()}
        print(f"{name}: {rounded}")


if __name__ == "__main__":
    main()
