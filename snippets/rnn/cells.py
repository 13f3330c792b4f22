"""Recurrent cells / Tekrarlayan hücreler.

The recurrence written out by hand and checked against ``nn.RNN``; the input,
output and hidden-state shapes of ``nn.RNN``, ``nn.LSTM`` and ``nn.GRU`` with
``batch_first`` both ways; their parameter counts from a formula; and how far
back a gradient reaches in each cell.

Needs: torch. Runs in a second on a CPU.

    python -m snippets.rnn.cells
"""

from __future__ import annotations

import torch
from torch import nn

CELLS = {"RNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU}


# --8<-- [start:by_hand]
def rnn_by_hand(
    x: torch.Tensor, rnn: nn.RNN
) -> tuple[torch.Tensor, torch.Tensor]:
    """Run a one-layer ``nn.RNN`` (``batch_first=True``) with a Python loop over
    time.

    ``h_t = tanh(W_ih x_t + b_ih + W_hh h_(t-1) + b_hh)``: the same weights at
    every step. Returns every step's hidden state ``(B, T, H)`` and the last one
    ``(1, B, H)``, like ``nn.RNN``."""
    batch, steps, _ = x.shape
    h = torch.zeros(batch, rnn.hidden_size)  # h_0: nothing seen yet
    outputs = []
    for t in range(steps):
        h = torch.tanh(
            x[:, t] @ rnn.weight_ih_l0.T
            + rnn.bias_ih_l0
            + h @ rnn.weight_hh_l0.T
            + rnn.bias_hh_l0
        )
        outputs.append(h)
    return torch.stack(outputs, dim=1), h.unsqueeze(0)


def compare_with_nn_rnn(seed: int = 0) -> float:
    """Largest difference between the loop above and ``nn.RNN`` on a random
    batch."""
    torch.manual_seed(seed)
    rnn = nn.RNN(input_size=3, hidden_size=5, batch_first=True)
    x = torch.randn(4, 7, 3)  # (batch, time, features)
    with torch.no_grad():
        ours, ours_last = rnn_by_hand(x, rnn)
        theirs, theirs_last = rnn(x)
    return max(
        (ours - theirs).abs().max().item(),
        (ours_last - theirs_last).abs().max().item(),
    )


# --8<-- [end:by_hand]


# --8<-- [start:shapes]
def shapes(
    kind: str,
    batch_first: bool,
    batch: int = 4,
    steps: int = 7,
    features: int = 3,
    hidden: int = 5,
    layers: int = 2,
) -> dict[str, tuple[int, ...]]:
    """Input, output and final-state shapes of one cell type; the LSTM also
    returns a cell state ``c_n``."""
    module = CELLS[kind](
        features, hidden, num_layers=layers, batch_first=batch_first
    )
    x = (
        torch.zeros(batch, steps, features)
        if batch_first
        else torch.zeros(steps, batch, features)
    )
    with torch.no_grad():
        output, state = module(x)
    result = {"input": tuple(x.shape), "output": tuple(output.shape)}
    if kind == "LSTM":
        h_n, c_n = state  # the LSTM carries two states: hidden h and cell c
        result.update(h_n=tuple(h_n.shape), c_n=tuple(c_n.shape))
    else:
        result["h_n"] = tuple(state.shape)
    return result


# --8<-- [end:shapes]


# --8<-- [start:param_formula]
GATES = {
    "RNN": 1,
    "GRU": 3,
    "LSTM": 4,
}  # weight blocks per layer: LSTM i, f, g, o; GRU r, z, n


def param_formula(
    kind: str, input_size: int, hidden: int, layers: int = 1
) -> int:
    """Parameters of ``nn.RNN``/``nn.GRU``/``nn.LSTM``: per layer ``gates·(H·in
    + H·H + 2·H)``.

    ``in`` is the input size for the first layer and ``H`` for the layers above
    it; PyTorch keeps two bias vectors (``b_ih`` and ``b_hh``), hence ``2·H``.
    """
    total = 0
    for layer in range(layers):
        fan_in = input_size if layer == 0 else hidden
        total += GATES[kind] * (hidden * fan_in + hidden * hidden + 2 * hidden)
    return total


def param_count(
    kind: str, input_size: int, hidden: int, layers: int = 1
) -> int:
    """The same number counted from the module's tensors."""
    return sum(
        p.numel()
        for p in CELLS[kind](input_size, hidden, num_layers=layers).parameters()
    )


# --8<-- [end:param_formula]


# --8<-- [start:gradient_reach]
def gradient_reach(
    kind: str,
    steps: int = 60,
    hidden: int = 32,
    seed: int = 0,
    forget_bias: float | None = None,
) -> list[float]:
    """Size of ``∂h_T/∂x_t`` for every step ``t`` of one untrained cell: how
    much the last hidden state still depends on each earlier input. Vanishing
    gradients show up as a fast decay towards the start of the sequence.

    ``forget_bias`` (LSTM only) sets the forget gate's bias, so the gate starts
    close to "keep"."""
    torch.manual_seed(seed)
    module = CELLS[kind](1, hidden, batch_first=True)
    if forget_bias is not None:
        # PyTorch orders the LSTM's bias blocks as input, forget, cell, output
        with torch.no_grad():
            module.bias_ih_l0[hidden : 2 * hidden] = forget_bias
            module.bias_hh_l0[hidden : 2 * hidden] = 0.0
    x = torch.randn(1, steps, 1, requires_grad=True)
    output, _ = module(x)
    output[0, -1].sum().backward()  # the last step's hidden state
    return x.grad[0, :, 0].abs().tolist()


REACH_RUNS = {
    "RNN": ("RNN", None),
    "GRU": ("GRU", None),
    "LSTM": ("LSTM", None),
    "LSTM, forget bias 1": ("LSTM", 1.0),
    "LSTM, forget bias 3": ("LSTM", 3.0),
}
# --8<-- [end:gradient_reach]


PLOT_LABELS = {
    "tr": {
        "x": "Son adımdan geriye uzaklık (adım)",
        "y": "|∂h_T / ∂x_t| (log ölçek)",
        "forget bias": "unutma biası",
    },
    "en": {
        "x": "Distance back from the last step (steps)",
        "y": "|∂h_T / ∂x_t| (log scale)",
        "forget bias": "forget bias",
    },
}


def plot_reach(reach: dict[str, list[float]], lang: str = "en"):
    """Gradient size against distance from the last step, one line per cell,
    labels in ``lang``."""
    import matplotlib.pyplot as plt

    text = PLOT_LABELS[lang]
    fig, axis = plt.subplots(figsize=(7, 3.6))
    for label, values in reach.items():
        back = list(range(len(values)))
        axis.semilogy(
            back,
            values[::-1],
            label=label.replace("forget bias", text["forget bias"]),
        )
    axis.set(xlabel=text["x"], ylabel=text["y"])
    axis.legend(fontsize=8)
    axis.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def main() -> int:
    """Print every check of the module."""
    print(f"loop vs nn.RNN, largest difference: {compare_with_nn_rnn():.2e}")
    for kind in CELLS:
        for batch_first in (True, False):
            print(
                f"{kind:4} batch_first={batch_first!s:5}: "
                f"{shapes(kind, batch_first)}"
            )
    for kind in CELLS:
        print(
            f"{kind:4} parameters (in=3, H=5, 2 layers): formula "
            f"{param_formula(kind, 3, 5, 2)}, "
            f"module {param_count(kind, 3, 5, 2)}"
        )
    for label, (kind, bias) in REACH_RUNS.items():
        reach = gradient_reach(kind, forget_bias=bias)
        print(
            f"{label:19} |dh_T/dx_t| at t = T-1, T-10, T-30, 0: "
            + ", ".join(f"{reach[i]:.1e}" for i in (-1, -10, -30, 0))
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
