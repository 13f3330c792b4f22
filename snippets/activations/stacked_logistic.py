"""Stacked logistic regressions / Üst üste lojistik regresyonlar.

Logistic regression is one linear layer followed by a sigmoid: ``sigmoid(w·x +
b)``. A hidden layer of sigmoid units is several logistic regressions side by
side, each reading the same inputs; a network stacks such layers, the next one
reading the previous one's outputs. The code checks that equivalence, counts a
network's layers the usual way (the input layer holds no weights and is not
counted), and shows what stacking buys: one logistic regression cannot learn
XOR, two stacked layers can. Needs only torch; runs on the CPU in a second or
two.

    python -m snippets.activations.stacked_logistic
"""

from __future__ import annotations

import torch
from torch import nn


# --8<-- [start:logistic]
def logistic_regression(n_inputs: int) -> nn.Sequential:
    """One weighted sum and a sigmoid: the probability of class 1."""
    return nn.Sequential(nn.Linear(n_inputs, 1), nn.Sigmoid())


def stacked(n_inputs: int, hidden: int = 4) -> nn.Sequential:
    """``hidden`` logistic regressions side by side, one more reading their
    outputs."""
    return nn.Sequential(
        nn.Linear(n_inputs, hidden),
        nn.Sigmoid(),  # hidden layer
        nn.Linear(hidden, 1),
        nn.Sigmoid(),
    )  # output layer


def unit_as_logistic_regression(layer: nn.Linear, unit: int) -> nn.Sequential:
    """Unit ``unit`` of a layer, copied into a logistic regression of its
    own."""
    single = logistic_regression(layer.in_features)
    with torch.no_grad():
        single[0].weight.copy_(
            layer.weight[unit : unit + 1]
        )  # one row of the weights
        single[0].bias.copy_(layer.bias[unit : unit + 1])
    return single


# --8<-- [end:logistic]


# --8<-- [start:count]
def count_layers(model: nn.Module) -> dict[str, int]:
    """Sizes and layer count of a stack of ``nn.Linear`` layers.

    The input layer is the data itself: it has no weights and is not counted.
    Every ``nn.Linear`` is one layer; all but the last are hidden layers."""
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    return {
        "inputs": linears[0].in_features,
        "hidden_layers": len(linears) - 1,
        "hidden_sizes": [m.out_features for m in linears[:-1]],
        "outputs": linears[-1].out_features,
        "layers": len(linears),
    }


# --8<-- [end:count]


# --8<-- [start:xor]
def xor() -> tuple[torch.Tensor, torch.Tensor]:
    """The four points of XOR: the label is 1 when exactly one input is 1."""
    x = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return x, torch.tensor([[0.0], [1.0], [1.0], [0.0]])


def train_on_xor(model: nn.Module, steps: int = 500, seed: int = 0) -> float:
    """Full-batch Adam on binary cross-entropy; the accuracy on the four
    points."""
    torch.manual_seed(seed)
    for parameter in model.parameters():  # a fresh start from the seed
        nn.init.normal_(parameter, std=1.0)
    x, y = xor()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    for _ in range(steps):
        loss = nn.functional.binary_cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        return ((model(x) > 0.5).float() == y).float().mean().item()


# --8<-- [end:xor]


def units_match(hidden: int = 4, seed: int = 0) -> list[bool]:
    """Does every hidden unit of ``stacked`` equal its own logistic
    regression?"""
    torch.manual_seed(seed)
    net = stacked(2, hidden)
    x = torch.rand(5, 2)
    outputs = net[1](net[0](x))  # (5, hidden): the hidden layer's outputs
    alone = [unit_as_logistic_regression(net[0], u)(x) for u in range(hidden)]
    return [
        torch.allclose(outputs[:, u : u + 1], alone[u]) for u in range(hidden)
    ]


def main() -> None:
    """Check the equivalence, count layers and train both models on XOR."""
    print("each hidden unit equals its own logistic regression:", units_match())
    print("logistic regression:", count_layers(logistic_regression(2)))
    print("stacked:", count_layers(stacked(2)))
    print(
        "XOR accuracy, logistic regression:",
        train_on_xor(logistic_regression(2)),
    )
    print("XOR accuracy, stacked:", train_on_xor(stacked(2)))


if __name__ == "__main__":
    main()
