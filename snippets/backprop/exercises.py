"""Exercise solutions: backpropagation / Alıştırma çözümleri: geri yayılım.

The chapter's network (two inputs, two hidden units, one output, squared
error, the same fixed weights), written out again so that this file runs
alone: the hidden activation swapped for tanh, and one SGD step at several
learning rates. Needs only torch.

    python -m snippets.backprop.exercises
"""

from __future__ import annotations

from collections.abc import Callable

import torch

X = torch.tensor([1.0, 2.0])
TARGET = torch.tensor(1.0)
W1 = torch.tensor([[0.1, 0.2], [-0.3, 0.4]])
B1 = torch.tensor([0.0, 0.1])
W2 = torch.tensor([0.5, -0.6])
B2 = torch.tensor(0.2)


# --8<-- [start:tanh]
ACTIVATIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
}
# The activation's derivative written with its output h = f(z).
DERIVATIVES: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "sigmoid": lambda h: h * (1 - h),  # σ'(z) = σ(z)(1 − σ(z))
    "tanh": lambda h: 1 - h**2,  # tanh'(z) = 1 − tanh²(z)
}


def hand_versus_autograd(
    activation: str, derivative: str
) -> tuple[bool, float]:
    """Whether the hand gradients equal autograd's as the chapter's test asks
    (``torch.allclose``, atol=1e-7), and their largest difference, with
    ``activation`` in the hidden layer and ``derivative``'s factor in the
    chain rule."""
    params = [p.clone().requires_grad_(True) for p in (W1, B1, W2, B2)]
    w1, b1, w2, b2 = params
    h = ACTIVATIONS[activation](w1 @ X + b1)
    y = w2 @ h + b2
    ((y - TARGET) ** 2).backward()
    h, dloss_dy = h.detach(), 2 * (y.detach() - TARGET)
    dloss_dz1 = dloss_dy * W2 * DERIVATIVES[derivative](h)
    hand = [torch.outer(dloss_dz1, X), dloss_dz1, dloss_dy * h, dloss_dy]
    pairs = list(zip(hand, params, strict=True))
    return (
        all(torch.allclose(g, p.grad, atol=1e-7) for g, p in pairs),
        max((g - p.grad).abs().max().item() for g, p in pairs),
    )


# --8<-- [end:tanh]


# --8<-- [start:learning_rate]
def loss(w1, b1, w2, b2) -> torch.Tensor:
    """Squared error of the sigmoid network on the one example."""
    return (w2 @ torch.sigmoid(w1 @ X + b1) + b2 - TARGET) ** 2


def loss_after_one_step(learning_rate: float) -> tuple[float, float]:
    """The loss before and after one SGD step at ``learning_rate``."""
    params = [p.clone().requires_grad_(True) for p in (W1, B1, W2, B2)]
    optimizer = torch.optim.SGD(params, lr=learning_rate)
    before = loss(*params)
    before.backward()
    optimizer.step()
    with torch.no_grad():
        after = loss(*params)
    return before.item(), after.item()


# --8<-- [end:learning_rate]


def main() -> None:
    """Print both solutions."""
    for activation, derivative in (("tanh", "tanh"), ("tanh", "sigmoid")):
        same, gap = hand_versus_autograd(activation, derivative)
        print(
            f"{activation} with {derivative}'s derivative: "
            f"equal {same}, largest difference {gap:.2e}"
        )
    for rate in (0.1, 1.0):
        before, after = loss_after_one_step(rate)
        print(f"lr={rate}: loss {before:.6f} -> {after:.6f}")


if __name__ == "__main__":
    main()
