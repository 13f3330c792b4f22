"""snippets/distributed/ddp.py: DDP gives every rank the combined batch's gradient.

The run is a real torchrun: 2 CPU processes with gloo, or one process per GPU with nccl
under ``--device cuda``. The page's figures (a 2-process CPU run) are checked against
the same claims.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from snippets.distributed import ddp, launch
from tests.conftest import cli_error
from tests.distributed.conftest import alive

GRADIENT_TOLERANCE = (
    1e-6  # float32 sums in a different order; without all-reduce: about 1e-2
)
WEIGHT_TOLERANCE = 1e-5


@pytest.fixture(scope="module")
def ranks(device, world, tmp_path_factory) -> list[dict]:
    """A short run: 2 epochs, 5 timed steps; every rank's results."""
    folder = tmp_path_factory.mktemp("ddp")
    launch.torchrun(
        Path(ddp.__file__),
        world,
        [
            "--device",
            device.type,
            "--out",
            str(folder),
            "--epochs",
            "2",
            "--timing-steps",
            "5",
        ],
        device=device.type,
        timeout=300,
    )
    return [json.loads((folder / f"rank{r}.json").read_text()) for r in range(world)]


def test_every_rank_holds_the_combined_batch_gradient(ranks, world):
    for result in ranks:
        assert result["gradients"]["with_all_reduce"] < GRADIENT_TOLERANCE
        if world > 1:  # each rank's own gradient is not the combined one
            assert result["gradients"]["without_all_reduce"] > 1e-3


def test_trained_weights_equal_one_process_and_each_other(ranks, device):
    # gloo's sums are the same bits on every rank; on GPUs nccl's algorithms may vary
    between = 0.0 if device.type == "cpu" else 1e-6
    for result in ranks:
        assert result["max_weight_difference_vs_one_process"] < WEIGHT_TOLERANCE
        assert result["max_weight_difference_between_ranks"] <= between
    assert ranks[0]["samples_per_step"] == ranks[0]["config"]["batch_size"] * len(ranks)


def test_no_worker_is_left_running(ranks):
    assert not any(alive(result["pid"]) for result in ranks)


def test_the_published_run_states_the_same(outputs):
    result = outputs.json("distributed/ddp.result")
    assert result["world_size"] == 2 and result["backend"] == "gloo"
    assert result["gradient_difference"] < GRADIENT_TOLERANCE
    assert result["gradient_difference_without_all_reduce"] > 1e-3
    assert (
        result["weight_difference"] < WEIGHT_TOLERANCE
        and result["rank_difference"] == 0.0
    )
    assert result["global_batch"] == result["per_rank_batch"] * result["world_size"]
    timing = outputs.json("distributed/ddp.cost.timing")
    assert set(timing) == {"communication_share", "throughput_ratio"}


@pytest.mark.parametrize("world_size", [2, 3])
def test_the_ranks_split_each_epoch_without_overlap(world_size):
    size = 12
    parts = [
        sum(ddp.rank_batches(size, 4, r, world_size, epoch=1), [])
        for r in range(world_size)
    ]
    assert sorted(sum(parts, [])) == list(range(size))  # 12 divides evenly: no padding
    combined = ddp.combined_batches(size, 4, world_size, epoch=1)
    assert combined[0] == sum(
        (ddp.rank_batches(size, 4, r, world_size, 1)[0] for r in range(world_size)), []
    )


def test_set_epoch_reshuffles_and_its_absence_repeats(outputs):
    rows = ddp.sampler_demo()
    by = {(row["epoch"], row["rank"]): row for row in rows}
    assert by[(0, 0)]["no_set_epoch"] == by[(1, 0)]["no_set_epoch"]
    assert by[(0, 0)]["set_epoch"] != by[(1, 0)]["set_epoch"]
    table = outputs.json("distributed/ddp.sampler.table")["rows"]
    assert [row[2] for row in table] == [
        " ".join(map(str, r["set_epoch"])) for r in rows
    ]


def test_plain_python_says_to_use_torchrun(monkeypatch, capsys):
    for name in ("RANK", "WORLD_SIZE"):
        monkeypatch.delenv(name, raising=False)
    last = cli_error(ddp.main, [], capsys).splitlines()[-1]
    assert (
        "RANK and WORLD_SIZE are not set" in last
        and "torchrun --nproc-per-node 2" in last
    )


def test_nccl_without_gpus_says_to_use_gloo(monkeypatch, capsys):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    last = cli_error(ddp.main, ["--backend", "nccl"], capsys).splitlines()[-1]
    assert "nccl backend needs NVIDIA GPUs" in last and "use --backend gloo" in last


def test_more_ranks_than_gpus_says_how_many(monkeypatch, capsys):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    monkeypatch.setattr(torch.distributed, "is_nccl_available", lambda: True)
    monkeypatch.setenv("RANK", "1")
    monkeypatch.setenv("WORLD_SIZE", "2")
    monkeypatch.setenv("LOCAL_RANK", "1")
    last = cli_error(ddp.main, ["--device", "cuda"], capsys).splitlines()[-1]
    assert "has 1 GPU(s): start torchrun with --nproc-per-node 1" in last
