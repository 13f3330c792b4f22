"""snippets/training/tuning.py: iteration arithmetic, short runs on --device, and every
comparison the page makes, read from the published runs."""

from __future__ import annotations

import inspect
import math

import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

from snippets.training import tuning
from tests.conftest import cli_error


@pytest.mark.parametrize(
    "n, batch_size", [(1437, 32), (1437, 64), (1437, 1437), (100, 7), (10, 20)]
)
@pytest.mark.parametrize("drop_last", [False, True])
def test_iterations_per_epoch_is_the_dataloaders_length(n, batch_size, drop_last):
    loader = DataLoader(
        TensorDataset(torch.zeros(n)), batch_size=batch_size, drop_last=drop_last
    )
    assert tuning.iterations_per_epoch(n, batch_size, drop_last) == len(loader)


def test_batches_cover_every_example_once():
    x, y = torch.arange(10.0).unsqueeze(1), torch.arange(10)
    parts = tuning.batches(x, y, 4, torch.Generator().manual_seed(0))
    assert [len(b) for b, _ in parts] == [4, 4, 2]
    assert sorted(torch.cat([b for _, b in parts]).tolist()) == list(range(10))
    assert all(torch.equal(b.squeeze(1).long(), labels) for b, labels in parts)


def test_short_run_learns_on_device(device):
    history = tuning.train(tuning.Setup("Adam", 0.01, epochs=3), device=device)
    assert len(history.test_loss) == 3 and len(history.step_loss) == 3 * 12
    assert history.train_loss[-1] < history.train_loss[0] < math.log(10) + 0.1
    assert history.test_accuracy[-1] > 0.85


def test_non_finite_loss_stops_training(device):
    history = tuning.train(tuning.Setup(lr=1e30, epochs=2), device=device)
    assert history.diverged and len(history.step_loss) < 24


def test_schedulers_step_once_per_iteration():
    setup = tuning.Setup("SGD", 1.0, batch_size=512, epochs=10, schedule="onecycle")
    history = tuning.train(setup)
    assert len(history.step_lr) == 30
    assert (
        max(history.step_lr) == pytest.approx(1.0, rel=1e-6)
        and history.step_lr[0] < 0.05
    )


# ------------------------------------------------ the published comparisons
def test_batch_size_table_counts_iterations(outputs):
    batch = outputs.json("training/tuning.batch")
    for size, run in batch["runs"].items():
        assert run["iterations"] == batch["epochs"] * math.ceil(
            batch["n_train"] / int(size)
        )
    example = batch["example"]
    assert (example["iterations"], example["drop_last"], example["last_batch"]) == (
        23,
        22,
        1437 - 22 * 64,
    )


def test_small_batches_win_per_epoch_and_large_per_iteration(outputs):
    batch = outputs.json("training/tuning.batch")
    small, full = (
        batch["runs"][str(batch["sizes"][0])],
        batch["runs"][str(batch["sizes"][-1])],
    )
    assert small["final_train_loss"] < full["final_train_loss"]
    assert full["loss_at_compare"] < small["loss_at_compare"]


def test_more_iterations_per_epoch_take_longer(outputs):
    rows = outputs.json("training/tuning.batch_time.timing.table")["rows"]
    milliseconds = [row[2] for row in sorted(rows, key=lambda row: row[0])]
    assert milliseconds[0] == max(milliseconds)  # batch size 32: the most steps per epoch


def test_learning_rate_sweep_crawls_learns_and_diverges(outputs):
    sweep = outputs.json("training/tuning.lr")
    runs = sweep["runs"]
    smallest, too_large, largest = (
        runs[f"{r:g}"] for r in (sweep["rates"][0], *sweep["rates"][-2:])
    )
    assert smallest["final_train_loss"] > 0.5 * smallest["first_loss"]  # crawls
    assert sweep["best"] == min(runs, key=lambda r: runs[r]["final_train_loss"])
    assert runs[sweep["best"]]["final_train_loss"] < 0.1
    # too large: overshoots, then sits at the uniform guess ln 10 at chance accuracy
    assert too_large["max_loss"] > 5 * too_large["first_loss"]
    assert abs(too_large["final_train_loss"] - math.log(10)) < 0.2
    assert too_large["test_accuracy"] < 0.2
    # every hidden ReLU died at both large rates
    assert too_large["dead_units"] == largest["dead_units"] == sweep["hidden"]
    # far too large: explodes and ends above where it started
    assert largest["max_loss"] > 1000 * largest["first_loss"]
    assert (
        largest["final_train_loss"] > largest["first_loss"]
        and largest["test_accuracy"] < 0.2
    )


def test_onecycle_settles_where_the_constant_rate_wanders(outputs):
    schedule = outputs.json("training/tuning.schedule")
    constant, onecycle = schedule["constant"], schedule["onecycle"]
    # the constant rate's test loss moved back up; the scheduled one ended near its lowest
    assert constant["final_test_loss"] > 1.05 * constant["best_test_loss"]
    assert onecycle["final_test_loss"] <= 1.01 * onecycle["best_test_loss"]
    assert onecycle["last5_range"] < constant["last5_range"]
    assert onecycle["test_accuracy"] >= constant["test_accuracy"]
    # OneCycleLR's defaults: start at max_lr / 25, end at the start / 10⁴
    assert onecycle["first_lr"] == pytest.approx(schedule["lr"] / 25, rel=1e-3)
    assert onecycle["final_lr"] == pytest.approx(schedule["lr"] / 25 / 1e4, rel=0.05)


def test_optimizer_comparison(outputs):
    runs = outputs.json("training/tuning.optimizers")
    assert runs["SGD+momentum"]["final_train_loss"] < runs["SGD"]["final_train_loss"]
    assert runs["SGD+momentum"]["lr"] == runs["SGD"]["lr"]
    for name in ("RMSprop", "Adam", "AdamW"):
        assert runs[name]["epoch5_loss"] < runs["SGD"]["epoch5_loss"]
    assert (
        abs(runs["Adam"]["final_train_loss"] - runs["AdamW"]["final_train_loss"]) < 0.01
    )


def test_adam_steps_do_not_follow_the_gradient_size(outputs):
    moments = outputs.json("training/tuning.moments")
    rare, central = (moments["weights"][name] for name in moments["names"])
    assert moments["grad_ratio"] > 10
    ratio = central["mean_abs_step_over_lr"] / rare["mean_abs_step_over_lr"]
    assert (
        0.5 < ratio < 2
    )  # "of the same order", while the gradients differ more than tenfold
    assert moments["max_formula_error"] < 1e-6


def test_adams_first_step_is_lr_whatever_the_gradient():
    param = torch.nn.Parameter(torch.zeros(4))
    optimizer = torch.optim.Adam([param], lr=0.01)
    param.grad = torch.tensor([1e-4, -3e-3, 20.0, 0.0])  # tiny, small, huge, zero
    optimizer.step()
    assert torch.allclose(param.data, torch.tensor([-0.01, 0.01, -0.01, 0.0]), atol=1e-5)


def test_adam_moments_recompute_the_step():
    lr = 0.01
    traces = tuning.trace_adam({"w": (0, 0, 28)}, lr=lr, steps=20)
    trace = traces["w"]
    for m, v, step in zip(trace.m_hat, trace.v_hat_sqrt, trace.step, strict=True):
        assert step == pytest.approx(-lr * m / (v + 1e-8), abs=1e-7)


@pytest.mark.parametrize("decay", [0.01, 0.1, 0.5])
def test_adam_decay_is_normalised_adamw_decay_is_lr_times_lambda(decay, outputs):
    lr = 0.01
    # float32 near 1 resolves about 6e-8: relative 1e-3 leaves room for it
    assert tuning.decay_step("Adam", decay, lr) == pytest.approx(lr, rel=1e-3)
    assert tuning.decay_step("AdamW", decay, lr) == pytest.approx(lr * decay, rel=1e-3)
    published_moves = outputs.json("training/tuning.decay")["moved"]
    for key, moved in published_moves.items():
        name, value = key.split()
        expected = lr if name == "Adam" else lr * float(value)
        assert moved == pytest.approx(expected, rel=1e-3)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--lr", "0"], "--lr must be positive"),
        (["--optimizer", "lion"], "invalid choice"),
    ],
)
def test_cli_errors(argv, message, capsys):
    assert message in cli_error(tuning.main, argv, capsys)


def test_dead_units_counts_relus_that_never_fire():
    x = tuning.digits_split()[0]
    model = tuning.make_model()
    assert tuning.dead_units(model, x) < 10
    with torch.no_grad():
        model[0].bias[:5] = -1000.0  # these five units can no longer be positive
    assert tuning.dead_units(model, x) >= 5


def test_values_the_prose_shows_are_pytorchs_defaults(outputs):
    """The page shows these instead of typing them: they must stay PyTorch's."""
    adam = inspect.signature(torch.optim.Adam).parameters
    onecycle = inspect.signature(torch.optim.lr_scheduler.OneCycleLR).parameters
    moments = outputs.json("training/tuning.moments")
    assert tuple(moments["betas"]) == adam["betas"].default
    assert moments["eps"] == adam["eps"].default
    schedule = outputs.json("training/tuning.schedule")
    assert schedule["pct_start"] == onecycle["pct_start"].default
    assert schedule["div_factor"] == onecycle["div_factor"].default
    sweep = outputs.json("training/tuning.lr")
    assert sweep["classes"] == 10  # the ten digits
    assert sweep["uniform_loss"] == pytest.approx(math.log(10), abs=0.005)
    assert outputs.json("training/tuning.optimizers")["momentum"] == 0.9  # tuning.py
