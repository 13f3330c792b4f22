"""Computational graphs / Hesaplama çizgeleri.

How PyTorch records a computation as a graph while it runs (eager mode) and walks it backwards
for the gradients (autograd), checked against the derivative by hand; and how ``torch.fx``
captures a module's forward pass as a graph that tools such as ``torch.compile`` work on.
Needs only torch; runs in milliseconds.

    python -m snippets.frameworks.graphs
"""

from __future__ import annotations

import torch
from torch import fx, nn


# --8<-- [start:autograd]
def autograd_graph(x: float = 2.0, w: float = 3.0, b: float = 1.0) -> dict[str, object]:
    """loss = (w·x + b)²: the graph autograd recorded, and its gradients next to the hand-derived ones."""
    w_t = torch.tensor(w, requires_grad=True)
    b_t = torch.tensor(b, requires_grad=True)
    loss = (w_t * x + b_t) ** 2
    chain, node = [], loss.grad_fn
    while node is not None:  # follow the first input of every node back to the leaves
        chain.append(type(node).__name__)
        node = node.next_functions[0][0] if node.next_functions else None
    loss.backward()
    by_hand = {"dloss/dw": 2 * (w * x + b) * x, "dloss/db": 2 * (w * x + b)}  # chain rule
    return {"loss": loss.item(), "graph": " → ".join(chain), "autograd": {"dloss/dw": w_t.grad.item(),
            "dloss/db": b_t.grad.item()}, "by_hand": by_hand}
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
    return "\n".join(f"{node.op:<13} {node.name:<8} {getattr(node.target, '__name__', node.target)}"
                     for node in graph_module.graph.nodes)
# --8<-- [end:fx]


def main() -> None:
    """Print both graphs."""
    print(autograd_graph())
    print(traced_graph())


if __name__ == "__main__":
    main()
