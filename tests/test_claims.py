"""Comparative sentences of the pages, tested on the generated values they rest on.

Each test names the sentence it guards; when the numbers change so that the sentence is no longer
true, the test fails and the sentence must change with them. (Read the generated JSON directly; the
lead's ``outputs`` fixture will replace ``load``.)"""

from __future__ import annotations

import json
from pathlib import Path

GENERATED = Path(__file__).resolve().parents[1] / "generated"


def load(name: str) -> dict:
    return json.loads((GENERATED / f"{name}.json").read_text(encoding="utf-8"))


def test_vit_the_cnn_wins_on_small_data():
    """vit: "On small datasets the CNN wins" (tiny ViT vs the CNN chapter on the same digits)."""
    assert load("cnn/walkthrough.metrics")["final_test_accuracy"] > load("vit/vit.tiny")["final_test_accuracy"]


def test_activations_relu_separates_the_moons_better_than_no_activation():
    """activations: without activations the network cannot do better than a straight line; ReLU can."""
    moons = load("activations/functions.moons")
    assert moons["relu_accuracy"] > moons["linear_accuracy"]


def test_diffusion_ddim_10_calls_the_network_a_hundred_times_less_often():
    """diffusion: "DDIM with 10 steps calls the network a hundred times less often than DDPM"."""
    summary = load("diffusion/ddpm.summary")
    assert summary["diffusion_steps"] / 10 == 100
    assert "DDIM 10" in summary["digits"]["samplers"]


def test_ann_the_cnn_has_many_times_the_parameters():
    """ann: the CNN has N times as many parameters as the ANN (N rounded on the page, so N > 1)."""
    assert load("cnn/walkthrough.model")["total_params"] > 2 * load("ann/digits_ann.result")["parameters"]


def test_rnn_the_period_fits_the_argument_of_the_page():
    """rnn: "a period of at most P steps inside a window of W": both are generated, P is the larger."""
    summary = load("rnn/forecast.summary")
    if "periods" in summary:  # present once rnn is regenerated with the periods field
        assert max(summary["periods"]) >= summary["window"]


def test_rnn_all_cells_beat_the_naive_forecast_and_stay_above_the_noise():
    """rnn: "All three cells beat the naive forecast clearly and move towards the noise variance, the
    error that no forecast can avoid" (clearly: by at least a quarter)."""
    summary = load("rnn/forecast.summary")
    for cell, mse in summary["test_mse"].items():
        assert summary["noise_variance"] < mse < 0.75 * summary["naive_mse"], cell


def test_rnn_the_plain_rnn_does_as_well_with_a_quarter_of_the_parameters():
    """rnn: "the plain RNN, with a quarter of the LSTM's parameters, does as well" (within 10 %)."""
    summary = load("rnn/forecast.summary")
    assert summary["test_mse"]["RNN"] <= 1.1 * min(summary["test_mse"].values())
    assert round(summary["parameters"]["LSTM"] / summary["parameters"]["RNN"]) == 4


def test_rnn_forget_gate_bias_keeps_the_first_step_gradient_larger():
    """rnn: starting the forget gate's bias at 1 or 3 makes the first step's gradient larger."""
    reach = load("rnn/cells.reach")
    first = {label: float(values["first"]) for label, values in reach.items()}
    assert first["LSTM"] < first["LSTM, forget bias 1"] < first["LSTM, forget bias 3"]


def test_diffusion_guidance_raises_the_judges_accuracy():
    """diffusion: with w = 0 the judge is at chance level; conditioning raises it, guidance w = 3 further;
    the samples look like digits even at w = 0 (closer to a real digit than noise is)."""
    digits = load("diffusion/ddpm.summary")["digits"]
    accuracy = {w: values["accuracy"] for w, values in digits["guidance"].items()}
    assert accuracy["0"] < 0.2 < accuracy["1"] <= accuracy["3"]
    assert digits["nearest_real"]["0"] < digits["nearest_real"]["noise"]


def test_activations_the_exercise_names_make_nets_width():
    """activations: the exercise says the hidden layers of make_net have 16 neurons."""
    from torch import nn

    from snippets.activations.functions import make_net
    assert [m.out_features for m in make_net(nn.ReLU()) if isinstance(m, nn.Linear)][:2] == [16, 16]


def test_backprop_one_step_lowers_the_loss():
    """backprop: "In a single step the loss fell"."""
    step = load("backprop/worked_example.step")
    assert step["loss_after"] < step["loss_before"]


def test_rnn_the_gradient_vanishes_and_untrained_gates_do_not_help():
    """rnn: the plain RNN's gradient falls by orders of magnitude from the last step to the first; "the
    untrained LSTM's curve falls just as fast" (its first-step gradient within a factor 100 of the RNN's)."""
    reach = {label: {k: float(v) for k, v in values.items()} for label, values in load("rnn/cells.reach").items()}
    assert reach["RNN"]["first"] < 1e-6 * reach["RNN"]["last"]
    assert 0.01 < reach["LSTM"]["first"] / reach["RNN"]["first"] < 100
