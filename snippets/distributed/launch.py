"""Start torchrun from Python / torchrun'ı Python'dan başlatmak.

Runs a training script under ``torchrun`` on this machine from Python (a
notebook, a test, a build step): on a free port, within a time limit, and with
every failure turned into one line (the failing rank's error, or the time-out).
Whatever happens, no worker is left running. Needs torch; Linux or macOS.

    python -m snippets.distributed.launch --nproc 2 ddp.py -- --out results
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import torch


class LaunchError(RuntimeError):
    """A distributed run failed; the message is one line that says what
    happened."""


# --8<-- [start:world_size]
def check_world_size(nproc: int, device: str = "cpu") -> None:
    """Refuse a world size this machine cannot hold: one process per core or
    GPU."""
    if nproc < 1:
        raise ValueError(f"--nproc {nproc}: start at least one process")
    if device == "cuda":
        gpus = torch.cuda.device_count()
        if nproc > gpus:
            raise ValueError(
                f"--nproc {nproc}: this machine has {gpus} GPU(s), one process "
                f"per GPU; use --nproc {max(gpus, 1)} or add machines "
                "(--nnodes)"
            )
    elif nproc > (cores := os.cpu_count() or 1):
        raise ValueError(
            f"--nproc {nproc}: this machine has {cores} CPU core(s), one "
            "process "
            f"per core; use --nproc {cores} or add machines (--nnodes)"
        )


# --8<-- [end:world_size]


def _descendants(pid: int) -> list[int]:
    """Every process started, directly or not, by ``pid`` (torchrun puts its
    workers in their own sessions, so a signal to torchrun's process group does
    not reach them)."""
    listing = subprocess.run(
        ["ps", "-A", "-o", "pid=,ppid="],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    children: dict[int, list[int]] = {}
    for line in listing.splitlines():
        child, parent = (int(field) for field in line.split())
        children.setdefault(parent, []).append(child)
    found, queue = [], [pid]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def stop(process: subprocess.Popen) -> None:
    """Kill torchrun and every worker it started, then reap torchrun."""
    for pid in [*_descendants(process.pid), process.pid]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait()


def first_error(logs: Path, torchrun_stderr: str) -> str:
    """The failing rank's last stderr line, e.g. ``rank 1: ValueError: …``."""
    cause = re.search(
        r"Root Cause.*?rank\s*:\s*(\d+) \(local_rank: (\d+)\)",
        torchrun_stderr,
        re.S,
    )
    ranks = [(int(cause.group(1)), int(cause.group(2)))] if cause else []
    attempts = sorted(
        logs.glob("**/attempt_*"), key=lambda p: int(p.name.split("_")[1])
    )
    if (
        attempts and not ranks
    ):  # no summary: every rank that wrote to stderr, in order
        ranks = [
            (int(p.name), int(p.name))
            for p in sorted(attempts[-1].iterdir(), key=lambda p: int(p.name))
        ]
    for rank, local_rank in ranks:
        log = (
            attempts[-1] / str(local_rank) / "stderr.log" if attempts else None
        )
        lines = (
            log.read_text(errors="replace").split("\n")
            if log and log.exists()
            else []
        )
        lines = [line.strip() for line in lines if line.strip()]
        if lines:
            return f"rank {rank}: {lines[-1]}"
    lines = [line for line in torchrun_stderr.splitlines() if line.strip()]
    detail = lines[-1].strip() if lines else "failed without a message"
    return f"torchrun: {detail}"


# --8<-- [start:torchrun]
def torchrun(
    script: Path,
    nproc: int,
    args: Sequence[str] = (),
    device: str = "cpu",
    timeout: float = 120.0,
) -> str:
    """Run ``script`` in ``nproc`` processes of this machine; return what rank 0
    printed.

    ``--standalone`` lets the rendezvous pick a free port. Each rank's output
    goes to a log file; a failure raises :class:`LaunchError` with the failing
    rank's last line."""
    check_world_size(nproc, device)
    with tempfile.TemporaryDirectory() as logs:
        command = [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--standalone",
            f"--nproc-per-node={nproc}",
            f"--log-dir={logs}",
            "--redirects=3",
            str(script),
            *args,
        ]
        env = {**os.environ, "OMP_NUM_THREADS": "1"}  # one thread per process
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,
        )
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise LaunchError(
                f"{Path(script).name} did not finish within {timeout:g} s "
                "(a rank waits for one that never came?); every process "
                "was stopped"
            ) from None
        finally:
            if (
                process.poll() is None
            ):  # time-out or Ctrl-C: leave nothing behind
                stop(process)
        if process.returncode != 0:
            raise LaunchError(first_error(Path(logs), stderr))
        rank0 = sorted(Path(logs).glob("**/attempt_*/0/stdout.log"))
        return rank0[-1].read_text() if rank0 else ""


# --8<-- [end:torchrun]


def main(argv: list[str] | None = None) -> int:
    """``python -m snippets.distributed.launch --nproc 2 script.py --
    arguments``."""
    parser = argparse.ArgumentParser(
        description="Run a script under torchrun on this machine."
    )
    parser.add_argument(
        "--nproc", type=int, default=2, help="processes (ranks) to start"
    )
    parser.add_argument(
        "--device",
        default="cpu",
        choices=["cpu", "cuda"],
        help="what each process uses: a CPU core or a GPU",
    )
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="seconds before all stop"
    )
    parser.add_argument(
        "script", type=Path, nargs="?", help="the training script"
    )
    parser.add_argument(
        "script_args", nargs=argparse.REMAINDER, help="its arguments, after --"
    )
    args = parser.parse_args(argv)
    if args.device == "cuda" and not torch.cuda.is_available():
        parser.error(
            "CUDA was requested but torch.cuda.is_available() is False: "
            "use --device cpu"
        )
    if args.script is None:
        parser.error(
            "name the training script, e.g. --nproc 2 ddp.py -- --out results"
        )
    if not args.script.is_file():
        parser.error(f"{args.script}: no such file")
    script_args = (
        args.script_args[1:]
        if args.script_args[:1] == ["--"]
        else args.script_args
    )
    try:
        print(
            torchrun(
                args.script, args.nproc, script_args, args.device, args.timeout
            ),
            end="",
        )
    except ValueError as error:
        parser.error(str(error))
    except LaunchError as error:
        print(f"launch: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
