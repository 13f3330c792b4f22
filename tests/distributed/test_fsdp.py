"""snippets/distributed/fsdp.py: sharding divides what each rank holds, changes no
result, and a distributed checkpoint resumes to exactly the uninterrupted run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from torch.utils.data import DistributedSampler

from snippets.distributed import fsdp, launch
from tests.conftest import cli_error
from tests.distributed.conftest import alive

STEPS, SAVE_AT = 12, 5


@pytest.fixture(scope="module")
def runs(device, world, tmp_path_factory) -> tuple[list[dict], list[dict], Path]:
    """Train 12 steps, checkpoint after 5, then resume from it in new processes."""
    folder = tmp_path_factory.mktemp("fsdp")
    common = ["--device", device.type, "--out", str(folder), "--steps", str(STEPS)]
    for extra in (["--save-at", str(SAVE_AT)], ["--resume"]):
        launch.torchrun(
            Path(fsdp.__file__), world, common + extra, device=device.type, timeout=300
        )
    read = lambda suffix: [
        json.loads((folder / f"rank{r}{suffix}.json").read_text())  # noqa: E731
        for r in range(world)
    ]
    return read(""), read("-resumed"), folder


def shard_bytes(world: int, rank: int) -> int:
    """Bytes of rank ``rank``'s shards: dim 0 split as ``torch.chunk`` splits it."""
    total = 0
    for parameter in fsdp.AnnModel().parameters():
        rows = torch.arange(parameter.shape[0]).chunk(world)
        mine = len(rows[rank]) if rank < len(rows) else 0
        total += mine * (parameter[0].numel() if parameter.dim() > 1 else 1) * 4
    return total


def test_each_rank_holds_its_shard_of_parameters_gradients_and_adam_state(runs, world):
    first, _, _ = runs
    whole = sum(p.numel() * 4 for p in fsdp.AnnModel().parameters())
    for result in first:
        memory, rank = result["memory"], result["rank"]
        assert memory["unsharded"] == {
            "parameters": whole,
            "gradients": whole,
            "optimizer_state": 2 * whole,
        }
        expected = shard_bytes(world, rank)
        assert memory["sharded"] == {
            "parameters": expected,
            "gradients": expected,
            "optimizer_state": 2 * expected,
        }
    assert sum(r["memory"]["sharded"]["parameters"] for r in first) == whole


def test_sharded_training_equals_one_unsharded_process(runs):
    first, _, _ = runs
    for result in first:
        assert result["max_weight_difference_vs_one_process"] < 1e-5


def test_resuming_from_the_checkpoint_equals_the_uninterrupted_run(runs, world, device):
    _, resumed, folder = runs
    tolerance = 0.0 if device.type == "cpu" else 1e-6  # the same bits on the CPU
    assert sorted(p.name for p in (folder / "checkpoint").glob("*.distcp")) == [
        f"__{r}_0.distcp" for r in range(world)
    ]  # one file per rank
    for result in resumed:
        assert result["start"] == SAVE_AT
        assert (
            result["resume_difference"] <= tolerance
        )  # without AdamW's state: about 1e-2


def test_no_worker_is_left_running(runs):
    first, resumed, _ = runs
    assert not any(alive(result["pid"]) for result in first + resumed)


def test_the_published_run_states_the_same(outputs):
    result = outputs.json("distributed/fsdp.result")
    assert (
        result["total_ratio"] == 0.5
        and result["total_sharded"] * 2 == result["total_unsharded"]
    )
    assert result["weight_difference"] < 1e-5 and result["resume_difference"] == 0.0
    assert result["resumed_at"] == result["save_at"] and result["shard_files"] == 2
    assert result["parameters"] == sum(p.numel() for p in fsdp.AnnModel().parameters())
    # the page says every layer's first dimension divides evenly between the 2 ranks
    assert all(p.shape[0] % 2 == 0 for p in fsdp.AnnModel().parameters())


def test_a_step_reads_the_same_batches_in_any_run():
    size, batch, world = 100, 8, 2
    per_epoch = 7  # ceil(ceil(100 / 2) / 8)
    sampler = DistributedSampler(range(size), num_replicas=world, rank=1, seed=0)
    sampler.set_epoch(1)
    mine, everyone = fsdp.batches_at(per_epoch + 2, size, batch, 1, world)
    assert mine == list(sampler)[2 * batch : 3 * batch]
    assert everyone[batch:] == mine and len(everyone) == world * batch


def test_resume_without_a_checkpoint_says_what_to_run(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RANK", "0")
    monkeypatch.setenv("WORLD_SIZE", "2")
    last = cli_error(
        fsdp.main, ["--resume", "--out", str(tmp_path)], capsys
    ).splitlines()[-1]
    assert "no checkpoint in" in last and "run with --save-at first" in last
    last = cli_error(fsdp.main, ["--save-at", "100"], capsys).splitlines()[-1]
    assert "--save-at must be between 1 and" in last
