"""Shared by the distributed tests: the world size for ``--device``, a process check."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch


@pytest.fixture(scope="session")
def world(device: torch.device) -> int:
    """2 CPU processes (gloo); on CUDA one process per GPU the machine has (nccl)."""
    return torch.cuda.device_count() if device.type == "cuda" else 2


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie waiting to be reaped does not)."""
    stat = Path(f"/proc/{pid}/stat")
    if stat.parent.parent.exists() and Path("/proc/self").exists():
        try:
            return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except FileNotFoundError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
