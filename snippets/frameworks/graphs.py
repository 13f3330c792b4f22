"""Computational graphs / Hesaplama çizgeleri.

How PyTorch records a computation as a graph while it runs (eager mode) and
walks it backwards for the gradients (autograd), checked against the derivative
by hand; and how ``torch.fx`` captures a module's forward pass as a graph that
tools such as ``torch.compile`` work on; and what code written for the old
``torch.autograd.Variable`` API does today. Needs only torch; runs in
milliseconds.

    python -m snippets.frameworks.graphs
"""

from __future__ import annotations

import warnings

import torch
from torch import fx, nn


# --8<-- [start:autograd]
def autograd_graph(
    x: float = 2.0, w: float = 3.0, b: float = 1.0
) -> dict[str, object]:
    """loss = (w·x + b)²: the graph autograd recorded, and its gradients next to
    the hand-derived ones."""
    w_t = torch.tensor(w, requires_grad=True)
    b_t = torch.tensor(b, requires_grad=True)
    loss = (w_t * x + b_t) ** 2
    chain, node = [], loss.grad_fn
    while (
        node is not None
    ):  # follow the first input of every node back to the leaves
        chain.append(type(node).__name__)
        node = node.next_functions[0][0] if node.next_functions else None
    loss.backward()
    by_hand = {
        "dloss/dw": 2 * (w * x + b) * x,
        "dloss/db": 2 * (w * x + b),
    }  # chain rule
    return {
        "loss": loss.item(),
        "graph": " → ".join(chain),
        "autograd": {"dloss/dw": w_t.grad.item(), "dloss/db": b_t.grad.item()},
        "by_hand": by_hand,
    }


# --8<-- [end:autograd]


# --8<-- [start:fx]
class TinyNet(nn.Module):
    """Linear → ReLU → Linear, small enough to read its graph."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden = nn.Linear(4, 8)
        self.out = nn.Linear(8, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(torch.relu(self.hidden(x)))


def traced_graph() -> str:
    """The forward pass captured by torch.fx as a list of graph nodes."""
    graph_module = fx.symbolic_trace(TinyNet())
    return "\n".join(
        f"{node.op:<13} {node.name:<8} "
        f"{getattr(node.target, '__name__', node.target)}"
        for node in graph_module.graph.nodes
    )


# --8<-- [end:fx]


# --8<-- [start:variable]
def _data_versus_detach() -> dict[str, object]:
    """Change sigmoid's output in place, through ``.data`` and through
    ``.detach()``."""
    x = torch.zeros(1, requires_grad=True)
    (true_gradient,) = torch.autograd.grad(
        torch.sigmoid(x).sum(), x
    )  # y·(1 − y)
    y = torch.sigmoid(x)  # backward will use y itself
    y.data.zero_()  # autograd does not notice
    y.sum().backward()
    silent_gradient = x.grad.item()  # 0.0 instead of 0.25, and no error
    y = torch.sigmoid(x)
    y.detach().zero_()  # same memory, but autograd notices the change
    try:
        y.sum().backward()
        detach_error = ""
    except RuntimeError as error:
        detach_error = str(error).split(":")[0]
    return {
        "true_gradient": true_gradient.item(),
        "data_gradient": silent_gradient,
        "detach_error": detach_error,
    }


def old_variable_code() -> dict[str, object]:
    """What the pre-0.4 ``Variable`` API does in today's PyTorch; its
    replacement."""
    from torch.autograd import Variable  # only so that old code still runs

    old = Variable(
        torch.tensor([1.0, 2.0]), requires_grad=True
    )  # PyTorch ≤ 0.3
    new = torch.tensor([1.0, 2.0], requires_grad=True)  # PyTorch ≥ 0.4
    for x in (old, new):
        (x**2).sum().backward()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        volatile = Variable(
            torch.ones(2), volatile=True
        )  # old "no autograd" switch
    loss = (new * 2).sum()
    try:
        loss.data[0]  # the old way to read a loss as a number
        indexing_error = ""
    except IndexError as error:
        indexing_error = str(error)
    return {
        **_data_versus_detach(),
        "old_type": f"{type(old).__module__}.{type(old).__name__}",
        "old_is_tensor": type(old) is torch.Tensor,
        "same_gradient": torch.equal(old.grad, new.grad),
        "volatile_warning": str(caught[0].message) if caught else "",
        "volatile_requires_grad": volatile.requires_grad,
        "data0_error": indexing_error,
        "item": loss.item(),
    }


# --8<-- [end:variable]


def main() -> None:
    """Print both graphs and what old Variable code does now."""
    print(autograd_graph())
    print(traced_graph())
    print(old_variable_code())


if __name__ == "__main__":
    main()
