"""Backpropagation by hand / Elle geri yayılım.

A network small enough to differentiate on paper — two inputs, two sigmoid
hidden units, one linear output, squared-error loss — with fixed weights. The
chain rule gives every gradient by hand; autograd must give the same numbers.
Then one step of gradient descent, shown numerically. Needs only torch.

    python -m snippets.backprop.worked_example
"""

from __future__ import annotations

import torch

# --8<-- [start:setup]
X = torch.tensor([1.0, 2.0])  # one example with two features
TARGET = torch.tensor(1.0)
W1 = torch.tensor(
    [
        [0.1, 0.2],  # hidden layer: (2 hidden, 2 inputs)
        [-0.3, 0.4],
    ]
)
B1 = torch.tensor([0.0, 0.1])
W2 = torch.tensor([0.5, -0.6])  # output layer: 2 hidden → 1 output
B2 = torch.tensor(0.2)
LEARNING_RATE = 0.1
# --8<-- [end:setup]


# --8<-- [start:forward]
def forward(w1, b1, w2, b2) -> dict[str, torch.Tensor]:
    """Every intermediate value of the forward pass, kept for the backward
    pass."""
    z1 = w1 @ X + b1  # (2,) hidden pre-activations
    h = torch.sigmoid(z1)  # (2,) hidden activations
    y = w2 @ h + b2  # ()  output
    loss = (y - TARGET) ** 2  # squared error
    return {"z1": z1, "h": h, "y": y, "loss": loss}


# --8<-- [end:forward]


# --8<-- [start:by_hand]
def gradients_by_hand() -> dict[str, torch.Tensor]:
    """The chain rule, one factor at a time, from the loss back to every
    parameter."""
    f = forward(W1, B1, W2, B2)
    dloss_dy = 2 * (f["y"] - TARGET)  # d(y - t)² / dy
    dloss_dw2 = dloss_dy * f["h"]  # dy/dw2 = h
    dloss_db2 = dloss_dy  # dy/db2 = 1
    dloss_dh = dloss_dy * W2  # dy/dh = w2
    dloss_dz1 = dloss_dh * f["h"] * (1 - f["h"])  # sigmoid'(z) = σ(z)(1 − σ(z))
    dloss_dw1 = torch.outer(dloss_dz1, X)  # dz1_i/dW1_ij = x_j
    dloss_db1 = dloss_dz1  # dz1/db1 = 1
    return {"W1": dloss_dw1, "b1": dloss_db1, "W2": dloss_dw2, "b2": dloss_db2}


# --8<-- [end:by_hand]


# --8<-- [start:autograd]
def gradients_by_autograd() -> dict[str, torch.Tensor]:
    """The same gradients from loss.backward()."""
    params = {
        name: p.clone().requires_grad_(True)
        for name, p in (("W1", W1), ("b1", B1), ("W2", W2), ("b2", B2))
    }
    forward(params["W1"], params["b1"], params["W2"], params["b2"])[
        "loss"
    ].backward()
    return {name: p.grad for name, p in params.items()}


# --8<-- [end:autograd]


# --8<-- [start:step]
def one_step() -> dict[str, float]:
    """One gradient-descent step with torch.optim.SGD: parameter -=
    learning_rate · gradient."""
    params = [p.clone().requires_grad_(True) for p in (W1, B1, W2, B2)]
    optimizer = torch.optim.SGD(params, lr=LEARNING_RATE)
    loss_before = forward(*params)["loss"]
    optimizer.zero_grad()
    loss_before.backward()
    w2_before = params[2].detach().clone()
    optimizer.step()
    with torch.no_grad():
        loss_after = forward(*params)["loss"]
    return {
        "loss_before": loss_before.item(),
        "loss_after": loss_after.item(),
        "w2_before": w2_before.tolist(),
        "w2_grad": params[2].grad.tolist(),
        "w2_after": params[2].tolist(),
    }


# --8<-- [end:step]


def main() -> None:
    """Print the forward values, both sets of gradients and one update."""
    f = forward(W1, B1, W2, B2)
    print(
        {k: [round(v, 6) for v in t.reshape(-1).tolist()] for k, t in f.items()}
    )
    hand, auto = gradients_by_hand(), gradients_by_autograd()
    for name in hand:
        print(
            f"{name}: by hand "
            f"{[round(v, 6) for v in hand[name].reshape(-1).tolist()]}, "
            f"autograd {[round(v, 6) for v in auto[name].reshape(-1).tolist()]}"
        )
    print(one_step())


if __name__ == "__main__":
    main()
