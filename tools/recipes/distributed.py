"""Outputs of the chapter "Distributed training" (docs/*/distributed/index.md).

Every distributed run is a real ``torchrun`` with 2 CPU processes (gloo), started
through ``snippets/distributed/launch.py``: a free port, a time limit, nothing left
running.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import json
import math
import os
import tempfile
from pathlib import Path

import torch
import torch.distributed as dist

from snippets.distributed import ddp, exercises, fsdp, launch
from tools.generate import Outputs, Tol

# Differences that are float32 noise move between machines (seen: 5.6e-09 vs 6.6e-09): they are
# verified below the bound the chapter's tests hold them to, not digit for digit.
NOISE = Tol(abs=1e-6)
# The same values as mantissa and exponent for the page: the size is bounded through NOISE above.
SCI = {"gradient_difference.*": Tol(abs=10), "weight_difference.*": Tol(abs=10),
       "gradient_difference_without_all_reduce.0": Tol(rel=0.05)}

WORLD = 2
TIMEOUT = 300.0  # seconds per run; a run takes about 10 s on an idle 2-core machine
SAVE_AT = 40


def _sci(value: float) -> list[float]:
    """``value`` as [mantissa, exponent] for the page's "7.5 × 10⁻⁹"; 0 gives [0, 0]."""
    if value == 0:
        return [0, 0]
    exponent = math.floor(math.log10(abs(value)))
    return [round(value / 10**exponent, 1), exponent]


def _plain_python() -> str:
    """What ``python ddp.py`` prints without torchrun's environment: its last line."""
    saved = {
        name: os.environ.pop(name)
        for name in ("RANK", "WORLD_SIZE")
        if name in os.environ
    }
    stream = io.StringIO()
    try:
        with contextlib.redirect_stderr(stream), contextlib.suppress(SystemExit):
            ddp.main([])
    finally:
        os.environ.update(saved)
    return "$ python ddp.py\n" + stream.getvalue().strip().splitlines()[-1]


def _ranks(folder: Path, suffix: str = "") -> list[dict]:
    return [
        json.loads((folder / f"rank{r}{suffix}.json").read_text()) for r in range(WORLD)
    ]


def generate(out: Outputs) -> None:
    """The sampler's split, the DDP run and its cost, the FSDP run and its resume."""
    rows = [
        [
            row["epoch"],
            row["rank"],
            " ".join(map(str, row["set_epoch"])),
            " ".join(map(str, row["no_set_epoch"])),
        ]
        for row in ddp.sampler_demo()
    ]
    defaults = inspect.signature(ddp.sampler_demo).parameters
    out.json("ddp.sampler_setup", {"samples": defaults["size"].default, "ranks": defaults["world"].default})
    out.table(
        "ddp.sampler",
        {
            "tr": ["Epok", "Sıra numarası", "set_epoch ile", "set_epoch olmadan"],
            "en": ["Epoch", "Rank", "With set_epoch", "Without set_epoch"],
        },
        rows,
    )
    out.text("ddp.plain_python", _plain_python())
    with tempfile.TemporaryDirectory() as folder:
        printed = launch.torchrun(
            Path(ddp.__file__), WORLD, ["--out", folder], timeout=TIMEOUT
        )
        ranks = _ranks(Path(folder))
    out.text("ddp.run", printed, tolerance={"#4": NOISE, "#6": NOISE, "#9": Tol(abs=0.02)})
    first = ranks[0]
    config = first["config"]
    result = {
        "world_size": WORLD,
        "backend": first["backend"],
        "steps": first["steps"],
        "per_rank_batch": config["batch_size"],
        "global_batch": first["samples_per_step"],
        "epochs": config["epochs"],
        "learning_rate": config["learning_rate"],
        "gradient_difference": max(r["gradients"]["with_all_reduce"] for r in ranks),
        "gradient_difference_without_all_reduce": max(
            r["gradients"]["without_all_reduce"] for r in ranks
        ),
        "weight_difference": max(
            r["max_weight_difference_vs_one_process"] for r in ranks
        ),
        "rank_difference": first["max_weight_difference_between_ranks"],
        "test_accuracy": first["test_accuracy"],
        "timing_steps": config["timing_steps"],
    }
    out.json("ddp.result", result, tolerance={
        "gradient_difference": NOISE, "weight_difference": NOISE, "test_accuracy": Tol(abs=0.02),
        "gradient_difference_without_all_reduce": Tol(rel=0.05)})
    out.json(
        "ddp.sci",  # mantissa and exponent of the same values, as the page shows them
        tolerance=SCI,
        data={
            key: _sci(result[key])
            for key in (
                "gradient_difference",
                "gradient_difference_without_all_reduce",
                "weight_difference",
            )
        },
    )
    timing = first["timing"]
    per_step = {
        "one": timing["one_process_ms"],
        "ddp": timing["ddp_ms"],
        "local": timing["ddp_without_all_reduce_ms"],
    }
    samples = {
        "one": config["batch_size"],
        "ddp": first["samples_per_step"],
        "local": first["samples_per_step"],
    }
    names = {
        "one": {"tr": "1 süreç", "en": "1 process"},
        "ddp": {"tr": "2 süreç, DDP", "en": "2 processes, DDP"},
        "local": {
            "tr": "2 süreç, tümden indirgeme olmadan (no_sync)",
            "en": "2 processes, no all-reduce (no_sync)",
        },
    }
    out.timing_table(
        "ddp.cost",
        {
            "tr": [
                "Çalıştırma",
                "Adım başına örnek",
                "Adım başına süre (ms)",
                "Örnek/s",
            ],
            "en": ["Run", "Samples per step", "Time per step (ms)", "Samples/s"],
        },
        [
            [
                names[k],
                samples[k],
                round(per_step[k], 2),
                round(samples[k] / per_step[k] * 1000),
            ]
            for k in names
        ],
    )
    out.timing(
        "ddp.cost",
        {
            "communication_share": round(
                (per_step["ddp"] - per_step["local"]) / per_step["ddp"], 3
            ),
            "throughput_ratio": round(
                samples["ddp"] / per_step["ddp"] / (samples["one"] / per_step["one"]), 2
            ),
        },
    )

    with tempfile.TemporaryDirectory() as folder:
        first_run = launch.torchrun(
            Path(fsdp.__file__),
            WORLD,
            ["--out", folder, "--save-at", str(SAVE_AT)],
            timeout=TIMEOUT,
        )
        files = sorted(p.name for p in (Path(folder) / "checkpoint").iterdir())
        resumed = launch.torchrun(
            Path(fsdp.__file__), WORLD, ["--out", folder, "--resume"], timeout=TIMEOUT
        )
        ranks, after = _ranks(Path(folder)), _ranks(Path(folder), "-resumed")
        one = _resume_with_one_process(Path(folder))
    out.text("fsdp.run", first_run, tolerance={"#18": NOISE, "#20": Tol(abs=0.02)})
    out.text("fsdp.resume", resumed)
    out.text("fsdp.files", "checkpoint/\n" + "\n".join(f"  {name}" for name in files))
    parts = {
        "parameters": {"tr": "Parametreler", "en": "Parameters"},
        "gradients": {"tr": "Gradyanlar", "en": "Gradients"},
        "optimizer_state": {
            "tr": "Optimizer durumu (AdamW)",
            "en": "Optimizer state (AdamW)",
        },
    }
    memory = [r["memory"] for r in ranks]
    out.table(
        "fsdp.memory",
        {
            "tr": [
                "Ne",
                "Parçalamadan (bayt, her süreçte)",
                "FSDP, sıra 0 (bayt)",
                "FSDP, sıra 1 (bayt)",
                "Oran (sıra 0)",
            ],
            "en": [
                "What",
                "Unsharded (bytes, every rank)",
                "FSDP, rank 0 (bytes)",
                "FSDP, rank 1 (bytes)",
                "Ratio (rank 0)",
            ],
        },
        [
            [
                parts[k],
                memory[0]["unsharded"][k],
                memory[0]["sharded"][k],
                memory[1]["sharded"][k],
                round(memory[0]["sharded"][k] / memory[0]["unsharded"][k], 3),
            ]
            for k in parts
        ],
    )
    totals = {side: sum(memory[0][side].values()) for side in ("sharded", "unsharded")}
    out.json(
        "fsdp.result",
        {
            "steps": ranks[0]["config"]["steps"],
            "save_at": SAVE_AT,
            "resumed_at": after[0]["start"],
            "parameters": ranks[0]["parameters"],
            "learning_rate": ranks[0]["config"]["learning_rate"],
            "per_rank_batch": ranks[0]["config"]["batch_size"],
            "weight_difference": max(
                r["max_weight_difference_vs_one_process"] for r in ranks
            ),
            "resume_difference": max(r["resume_difference"] for r in after),  # exact: 0
            "total_sharded": totals["sharded"],
            "total_unsharded": totals["unsharded"],
            "total_ratio": round(totals["sharded"] / totals["unsharded"], 3),
            "shard_files": sum(name.endswith(".distcp") for name in files),
            "test_accuracy": ranks[0]["test_accuracy"],
        },
        tolerance={"weight_difference": NOISE, "test_accuracy": Tol(abs=0.02)},
    )
    out.json(
        "fsdp.sci",
        tolerance=SCI,
        data={
            "weight_difference": _sci(
                max(r["max_weight_difference_vs_one_process"] for r in ranks)
            )
        },
    )
    _exercise_outputs(out, one)


def _resume_with_one_process(folder: Path) -> dict:
    """Exercise 4 in this process: the 2-process checkpoint resumed by a world of 1 (no new torchrun)."""
    exercises.one_process_group()
    try:
        start, weights = exercises.resume_with_one_process(folder / "checkpoint")
    finally:
        dist.destroy_process_group()
    uninterrupted = torch.load(folder / "uninterrupted.pt")
    return {"start": start, "difference": (weights - uninterrupted).abs().max().item(),
            "parameters": weights.numel()}


def _exercise_outputs(out: Outputs, one: dict) -> None:
    no_set_epoch = exercises.without_set_epoch()
    no_set_epoch["gradient_difference"] = f"{no_set_epoch['gradient_difference']:.1e}"
    out.json("exercises.no_set_epoch", no_set_epoch, tolerance={"gradient_difference#*": NOISE})
    out.json("exercises.thirty_epochs", {"epochs": 30, "accuracy": round(exercises.ddp_accuracy(30), 4)},
             tolerance={"accuracy": Tol(abs=0.02)})
    out.json("exercises.uneven_shards", {str(h): exercises.uneven_shards(h) for h in (150, 151)})
    out.json("exercises.resume_one", {"start": one["start"], "difference": round(one["difference"], 4),
                                      "parameters": one["parameters"]}, tolerance={"difference": Tol(rel=0.05)})
