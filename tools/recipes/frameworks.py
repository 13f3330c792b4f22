"""Outputs of the chapter "Frameworks, computational graphs and overfitting" (docs/*/frameworks/index.md)."""

from __future__ import annotations

from snippets.frameworks import graphs, overfitting
from tools.generate import Outputs, Tol

REGULARISED = {"dropout": 0.5, "weight_decay": 0.1, "patience": 30}


def _summary(run: overfitting.Run) -> dict[str, float | int]:
    return {"epochs_run": len(run.train_loss), "best_epoch": run.best_epoch,
            "final_train_loss": round(run.train_loss[-1], 4), "best_val_loss": round(min(run.val_loss), 4),
            "final_val_loss": round(run.val_loss[-1], 4),
            "best_val_accuracy": round(run.val_accuracy[run.best_epoch - 1], 4)}


def generate(out: Outputs) -> None:
    """The autograd and fx graphs, old Variable code, then the two overfitting runs and their curves."""
    result = graphs.autograd_graph()
    out.json("graphs.autograd", result)
    out.text("graphs.fx", graphs.traced_graph())
    out.json("graphs.variable", graphs.old_variable_code())
    plain = overfitting.train()
    regular = overfitting.train(**REGULARISED)
    # Trained curves (seen: 0.05 % apart under other numeric settings; declared with margin).
    out.figure("overfitting.curves", lambda lang: overfitting.plot_runs(plain, regular, lang),
               tolerance=Tol(rel=0.01, abs=1e-3))
    x_train, _, x_val, _ = overfitting.small_digits()
    out.json("overfitting.runs", {
        "plain": _summary(plain), "regularised": _summary(regular), "settings": REGULARISED,
        "n_train": len(x_train), "n_val": len(x_val),
        "parameters": sum(p.numel() for p in overfitting.make_mlp().parameters()),
    }, tolerance={"plain.*": Tol(rel=0.01, abs=1e-3), "regularised.*": Tol(rel=0.01, abs=1e-3)})
