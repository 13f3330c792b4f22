"""Outputs of the chapter "Frameworks, computational graphs and overfitting" (docs/*/frameworks/index.md)."""

from __future__ import annotations

import inspect

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
    _exercises(out, plain)


def _exercises(out: Outputs, plain: overfitting.Run) -> None:
    """The exercises' solutions: a sine in the graph; 1,000 images; dropout and weight decay one at a time."""
    from snippets.frameworks import exercises as ex

    out.json("exercises.sine", ex.graph_with_sine(), tolerance=Tol(rel=1e-5))
    rounded = lambda found: {k: round(v, 4) if isinstance(v, float) else v for k, v in found.items()}  # noqa: E731
    # The chapter's plain run is exercises.validation_curve() with its defaults (the test checks they agree):
    # the baseline of both exercises, not trained again.
    none = rounded(ex.summary(plain.val_loss))
    trained = {"*": Tol(rel=0.01, abs=1e-3), "*.best_epoch": Tol(abs=5)}
    epochs = inspect.signature(ex.validation_curve).parameters["epochs"].default
    large = rounded(ex.summary(ex.validation_curve(n_train=1000)))
    out.json("exercises.more_data", {"epochs": epochs, "100": none, "1000": large}, tolerance=trained)
    out.json("exercises.one_at_a_time", {
        "none": none, "dropout": rounded(ex.summary(ex.validation_curve(dropout=REGULARISED["dropout"]))),
        "weight_decay": rounded(ex.summary(ex.validation_curve(weight_decay=REGULARISED["weight_decay"]))),
        "settings": {k: REGULARISED[k] for k in ("dropout", "weight_decay")}}, tolerance=trained)
