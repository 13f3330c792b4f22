"""Outputs of the chapter "Recurrent networks: RNN, LSTM, GRU" (docs/*/rnn/index.md)."""

from __future__ import annotations

from snippets.rnn import cells, exercises, forecast
from tools.generate import Outputs, Tol
from tools.verify import FLOAT_NOISE, FORMULA, TRAINED


def _shape(shape: tuple[int, ...]) -> str:
    return "`(" + ", ".join(map(str, shape)) + ")`"


def _cell_outputs(out: Outputs) -> None:
    out.json("cells.by_hand", {"max_difference": float(f"{cells.compare_with_nn_rnn():.1e}")}, tolerance=FLOAT_NOISE)
    rows = []
    for kind in cells.CELLS:
        for batch_first in (True, False):
            s = cells.shapes(kind, batch_first)
            rows.append([f"`{kind}`", f"`{batch_first}`", _shape(s["input"]), _shape(s["output"]),
                         _shape(s["h_n"]), _shape(s["c_n"]) if "c_n" in s else "—"])
    out.table("cells.shapes", {"tr": ["Hücre", "batch_first", "Girdi", "output", "h_n", "c_n"],
                               "en": ["Cell", "batch_first", "Input", "output", "h_n", "c_n"]}, rows)
    sizes = [(1, 32, 1), (3, 5, 2), (64, 128, 2)]
    out.table("cells.params", {
        "tr": ["Hücre", "Kapı blokları", "Girdi, gizli, katman", "Formül", "Modülün sayımı"],
        "en": ["Cell", "Gate blocks", "Input, hidden, layers", "Formula", "Module's count"]},
        [[f"`{kind}`", cells.GATES[kind], f"{i}, {h}, {n}", cells.param_formula(kind, i, h, n),
          cells.param_count(kind, i, h, n)] for kind in cells.CELLS for i, h, n in sizes])
    reach = {label: cells.gradient_reach(kind, forget_bias=bias) for label, (kind, bias) in cells.REACH_RUNS.items()}
    out.figure("cells.reach", lambda lang: cells.plot_reach(reach, lang), tolerance=FORMULA)
    out.json("cells.reach", {label: {"last": f"{v[-1]:.1e}", "back10": f"{v[-10]:.1e}", "back30": f"{v[-30]:.1e}",
                                     "first": f"{v[0]:.1e}"} for label, v in reach.items()})
    out.json("cells.reach_steps", {"steps": len(reach["RNN"])})


def _forecast_outputs(out: Outputs) -> None:
    config = forecast.Config()
    results = [forecast.train(kind, config) for kind in ("RNN", "LSTM", "GRU")]
    naive = forecast.naive_mse(config)
    (x_train, _), (x_test, y_test) = forecast.split(config)
    # One table with the wall-clock column, so it is compared by structure; the summary below holds the
    # same losses and counts for the byte-for-byte check.
    out.timing_table("forecast.comparison", {
        "tr": ["Model", "Parametre", "Son eğitim kaybı", "Test MSE", "Eğitim süresi (s)"],
        "en": ["Model", "Parameters", "Final train loss", "Test MSE", "Training time (s)"]},
        [[{"tr": "saf tahmin (son değeri tekrarla)", "en": "naive (repeat the last value)"}, 0, "—",
          round(naive, 4), "—"]]
        + [[f"`{r.kind}`", r.parameters, round(r.train_loss[-1], 4), round(r.test_mse, 4), round(r.seconds, 1)]
           for r in results])
    # trained forecasts (seen: 1e-05 apart under other numeric settings; declared with margin)
    out.figure("forecast.results", lambda lang: forecast.plot_results(results, y_test[:, 0], lang),
               tolerance=Tol(rel=1e-3, abs=1e-4))
    out.json("forecast.summary", {
        "train_windows": len(x_train), "test_windows": len(x_test), "window": config.window,
        "train_fraction": config.train_fraction, "periods": list(config.periods),
        "epochs": config.epochs, "hidden": config.hidden, "naive_mse": round(naive, 4),
        "noise_variance": round(config.noise ** 2, 4),
        "test_mse": {r.kind: round(r.test_mse, 4) for r in results},
        "final_train_loss": {r.kind: round(r.train_loss[-1], 4) for r in results},
        "parameters": {r.kind: r.parameters for r in results},
        "best": min(results, key=lambda r: r.test_mse).kind,
    })


def _exercise_outputs(out: Outputs) -> None:
    short = {kind: exercises.short_window_mse(kind) for kind in cells.CELLS}
    out.json("exercises.short_window", {
        "window": 10, "naive": round(next(iter(short.values()))[1], 4),
        "test_mse": {kind: round(test, 4) for kind, (test, _) in short.items()}},
        tolerance={"test_mse.*": TRAINED})
    out.json("exercises.two_layers", exercises.two_layer_lstm())
    reach = {"default": exercises.gru_reach(), "bias3": exercises.gru_reach(3.0)}
    out.json("exercises.gru_update_bias", {
        name: {"last": f"{v[-1]:.1e}", "back30": f"{v[-30]:.1e}", "first": f"{v[0]:.1e}"}
        for name, v in reach.items()}, tolerance=FORMULA)


def generate(out: Outputs) -> None:
    """Every output of the chapter, in page order."""
    _cell_outputs(out)
    _forecast_outputs(out)
    _exercise_outputs(out)
