"""Solutions to the chapter's exercises / Bölümün alıştırmalarının çözümleri.

A short window for every cell, the parameters of a two-layer LSTM from the
formula, and how far back a gradient reaches in a GRU whose update gate starts
close to "keep". Self-contained: the few lines of ``cells.py`` and
``forecast.py`` they need are repeated here.

Needs: torch. Runs in a few seconds on a CPU.

    python -m snippets.rnn.exercises
"""

from __future__ import annotations

import math

import torch
from torch import nn

CELLS = {"RNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU}
Pair = tuple[torch.Tensor, torch.Tensor]  # windows and their next values


# --8<-- [start:short_window]
def series(
    length: int = 1200, noise: float = 0.1, seed: int = 0
) -> torch.Tensor:
    """The chapter's signal: two sine waves (50 and 17 steps per cycle) plus
    Gaussian noise."""
    generator = torch.Generator().manual_seed(seed)
    t = torch.arange(length, dtype=torch.float32)
    clean = torch.sin(2 * math.pi * t / 50) + 0.5 * torch.sin(
        2 * math.pi * t / 17
    )
    return clean + noise * torch.randn(length, generator=generator)


def windows(
    values: torch.Tensor, window: int, train_fraction: float = 0.8
) -> tuple[Pair, Pair]:
    """Train and test windows ``(N, window, 1)`` with their next values, cut
    as in the chapter (the test windows start after the training part)."""
    x = values.unfold(0, window, 1)[:-1].unsqueeze(-1)
    y = values[window:].unsqueeze(-1)
    cut = int(train_fraction * len(values)) - window
    return (x[:cut], y[:cut]), (x[cut + window :], y[cut + window :])


def short_window_mse(
    kind: str, window: int = 10, epochs: int = 12, seed: int = 0
) -> tuple[float, float]:
    """Train one cell as the chapter does (hidden 32, Adam, lr 0.01, batches
    of 64) on windows of ``window`` values; return its test MSE and the naive
    forecast's (repeat the last value)."""
    torch.manual_seed(seed)
    (x_train, y_train), (x_test, y_test) = windows(series(), window)
    cell, head = CELLS[kind](1, 32, batch_first=True), nn.Linear(32, 1)
    parameters = [*cell.parameters(), *head.parameters()]
    optimizer = torch.optim.Adam(parameters, lr=1e-2)
    order = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        for batch in torch.randperm(len(x_train), generator=order).split(64):
            output, _ = cell(x_train[batch])
            loss = nn.functional.mse_loss(head(output[:, -1]), y_train[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    with torch.no_grad():
        output, _ = cell(x_test)
        test = nn.functional.mse_loss(head(output[:, -1]), y_test).item()
    naive = nn.functional.mse_loss(x_test[:, -1], y_test).item()
    return test, naive


# --8<-- [end:short_window]


# --8<-- [start:two_layers]
GATES = {"RNN": 1, "GRU": 3, "LSTM": 4}  # weight blocks per layer


def param_formula(kind: str, input_size: int, hidden: int, layers: int) -> int:
    """Per layer ``gates·(H·in + H·H + 2·H)``; ``in`` is ``H`` above the first
    layer."""
    total = 0
    for layer in range(layers):
        fan_in = input_size if layer == 0 else hidden
        total += GATES[kind] * (hidden * fan_in + hidden * hidden + 2 * hidden)
    return total


def two_layer_lstm(input_size: int = 1, hidden: int = 32) -> dict[str, int]:
    """The formula and the module's own count for ``nn.LSTM(...,
    num_layers=2)``, next to one layer."""
    module = nn.LSTM(input_size, hidden, num_layers=2, batch_first=True)
    return {
        "one_layer": param_formula("LSTM", input_size, hidden, 1),
        "formula": param_formula("LSTM", input_size, hidden, 2),
        "module": sum(p.numel() for p in module.parameters()),
        "second_layer": 4 * (hidden * hidden + hidden * hidden + 2 * hidden),
    }


# --8<-- [end:two_layers]


# --8<-- [start:gru_update_bias]
def gru_reach(
    update_bias: float | None = None,
    steps: int = 60,
    hidden: int = 32,
    seed: int = 0,
) -> list[float]:
    """``|∂h_T/∂x_t|`` for every step of an untrained GRU; ``update_bias``
    sets the update gate's bias (the second of the reset, update, candidate
    blocks).

    The GRU keeps its old state in proportion to the update gate z:
    ``h_t = (1 − z)·n + z·h_(t−1)``; a bias of 3 starts z near
    ``sigmoid(3)``, i.e. "keep"."""
    torch.manual_seed(seed)
    module = nn.GRU(1, hidden, batch_first=True)
    if update_bias is not None:
        with torch.no_grad():
            module.bias_ih_l0[hidden : 2 * hidden] = update_bias
            module.bias_hh_l0[hidden : 2 * hidden] = 0.0
    x = torch.randn(1, steps, 1, requires_grad=True)
    output, _ = module(x)
    output[0, -1].sum().backward()
    return x.grad[0, :, 0].abs().tolist()


# --8<-- [end:gru_update_bias]


def main() -> int:
    """Print every solution."""
    for kind in CELLS:
        test, naive = short_window_mse(kind, epochs=2)
        print(
            f"{kind:4} window 10, 2 epochs: test MSE {test:.4f} "
            f"(naive {naive:.4f})"
        )
    print("two-layer LSTM parameters:", two_layer_lstm())
    for bias in (None, 3.0):
        reach = gru_reach(bias)
        print(
            f"GRU, update bias {bias}: |dh_T/dx_t| at T-1, T-30, 0: "
            + ", ".join(f"{reach[i]:.1e}" for i in (-1, -30, 0))
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
