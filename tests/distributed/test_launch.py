"""snippets/distributed/launch.py: torchrun from Python, one line per failure, nothing
left running behind it."""

from __future__ import annotations

import os
import time

import pytest
import torch

from snippets.distributed import launch
from tests.conftest import cli_error
from tests.distributed.conftest import alive

# A worker that records its process id, then fails on rank 1 (the other rank waits, as
# one blocked in a collective would) or sleeps past any time limit.
WORKER = """
import os, sys, time
from pathlib import Path
Path(sys.argv[1], f"pid{os.environ['RANK']}").write_text(str(os.getpid()))
if sys.argv[2] == "fail" and os.environ["RANK"] == "1":
    raise ValueError("boom on rank 1")
time.sleep(600)
"""


def _pids(folder) -> list[int]:
    return [int(p.read_text()) for p in sorted(folder.glob("pid*"))]


def _script(tmp_path):
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    return script


def test_a_failing_rank_is_one_line_with_its_error_and_no_hang(tmp_path):
    start = time.monotonic()
    with pytest.raises(launch.LaunchError) as error:
        launch.torchrun(_script(tmp_path), 2, [str(tmp_path), "fail"], timeout=120)
    assert str(error.value) == "rank 1: ValueError: boom on rank 1"
    assert time.monotonic() - start < 100, (
        "rank 0 should have been stopped, not waited for"
    )
    pids = _pids(tmp_path)
    assert len(pids) == 2 and not any(alive(pid) for pid in pids), (
        "a worker was left running"
    )


def test_a_time_out_stops_every_process(tmp_path):
    with pytest.raises(
        launch.LaunchError, match=r"did not finish within 30 s.*every process"
    ):
        launch.torchrun(_script(tmp_path), 2, [str(tmp_path), "sleep"], timeout=30)
    pids = _pids(tmp_path)
    assert pids, "the workers never started within the time limit: raise it"
    assert not any(alive(pid) for pid in pids), "a worker was left running"


def test_more_processes_than_cpu_cores_is_refused_in_one_line(tmp_path, capsys):
    too_many = (os.cpu_count() or 1) + 1
    with pytest.raises(
        ValueError, match=rf"use --nproc {os.cpu_count()} or add machines"
    ):
        launch.check_world_size(too_many)
    script = _script(tmp_path)
    last = cli_error(
        launch.main, ["--nproc", str(too_many), str(script)], capsys
    ).splitlines()[-1]
    assert f"this machine has {os.cpu_count()} CPU core(s)" in last
    assert not _pids(tmp_path), "nothing may start for a refused world size"


def test_more_processes_than_gpus_is_refused(monkeypatch):
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    with pytest.raises(ValueError, match="has 1 GPU.*use --nproc 1"):
        launch.check_world_size(2, "cuda")
    launch.check_world_size(1, "cuda")


def test_a_missing_script_is_a_usage_error(tmp_path, capsys):
    last = cli_error(launch.main, [str(tmp_path / "nope.py")], capsys).splitlines()[-1]
    assert "no such file" in last


def test_no_script_is_a_usage_error(capsys):
    last = cli_error(launch.main, ["--nproc", "2"], capsys).splitlines()[-1]
    assert "name the training script" in last
