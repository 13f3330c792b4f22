"""Outputs of the chapter "Backpropagation" (docs/*/backprop/index.md)."""

from __future__ import annotations

from snippets.backprop import worked_example as we
from tools.generate import Outputs, Tol
from tools.verify import FORMULA


def _r(values, digits: int = 6) -> list[float]:
    return [round(v, digits) for v in values]


def generate(out: Outputs) -> None:
    """Forward values, the gradient table (hand vs autograd) and one SGD step."""
    f = we.forward(we.W1, we.B1, we.W2, we.B2)
    out.json("worked_example.forward", {k: _r(t.reshape(-1).tolist()) for k, t in f.items()})
    hand, auto = we.gradients_by_hand(), we.gradients_by_autograd()
    rows = []
    for name in hand:
        for index, (h, a) in enumerate(zip(hand[name].reshape(-1).tolist(), auto[name].reshape(-1).tolist(),
                                           strict=True)):
            rows.append([f"`{name}[{index}]`" if hand[name].numel() > 1 else f"`{name}`", f"{h:.6f}", f"{a:.6f}"])
    out.table("worked_example.gradients", {"tr": ["Parametre", "Elle (zincir kuralı)", "autograd"],
                                           "en": ["Parameter", "By hand (chain rule)", "autograd"]}, rows)
    step = we.one_step()
    out.json("worked_example.step", {k: _r(v, 6) if isinstance(v, list) else round(v, 6) for k, v in step.items()}
             | {"learning_rate": we.LEARNING_RATE})
    _exercises(out)


def _exercises(out: Outputs) -> None:
    """The exercises' solutions: tanh with the right and the wrong derivative; one step at lr 0.1 and 1."""
    from snippets.backprop import exercises as ex

    checks = {name: ex.hand_versus_autograd("tanh", derivative)
              for name, derivative in (("tanh_factor", "tanh"), ("sigmoid_factor", "sigmoid"))}
    out.json("exercises.tanh", {name: {"equal": same, "largest_difference": round(gap, 4)}
                                for name, (same, gap) in checks.items()},
             tolerance={"*.largest_difference": Tol(abs=1e-4)})
    steps = {str(rate): ex.loss_after_one_step(rate) for rate in (0.1, 1.0)}
    out.json("exercises.learning_rate", {rate: {"before": round(before, 6), "after": round(after, 6)}
                                         for rate, (before, after) in steps.items()}, tolerance=FORMULA)
