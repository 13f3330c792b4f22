"""Data parallelism with DDP / DDP ile veri paralelliği.

The digits network of the ANN chapter trained with ``DistributedDataParallel``:
every process (rank) holds a copy of the model, reads its own part of the data
through a ``DistributedSampler``, and the gradients are averaged across the
ranks (all-reduce) before each step. The run checks that this gives what one
process computes on the combined batch, and times a step with and without
communication. Each rank writes ``rank<r>.json`` to ``--out``; rank 0 prints a
summary. Needs torch and scikit-learn; CPU (gloo) or GPUs (nccl).

    torchrun --nproc-per-node 2 ddp.py --out results  # 2 CPU processes
    torchrun --nproc-per-node 4 ddp.py --device cuda --out results  # 4 GPUs
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
import torch.distributed as dist
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DistributedSampler

LAUNCH = "torchrun --nproc-per-node 2 ddp.py"


# --8<-- [start:setup]
def setup(device: str, backend: str) -> tuple[int, int, torch.device]:
    """Join the process group that torchrun described in the environment.

    Returns (rank, world size, this rank's device): GPU ``LOCAL_RANK`` on CUDA.
    """
    dist.init_process_group(
        backend
    )  # reads RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT
    torch.set_num_threads(1)  # one core per process
    if device == "cuda":
        local = torch.device("cuda", int(os.environ["LOCAL_RANK"]))
        torch.cuda.set_device(local)
    else:
        local = torch.device("cpu")
    return dist.get_rank(), dist.get_world_size(), local


# --8<-- [end:setup]


def digits(
    seed: int = 0, test_fraction: float = 0.2
) -> tuple[torch.Tensor, ...]:
    """scikit-learn's 8×8 digits scaled to [0, 1], split as in the ANN
    chapter."""
    data = load_digits()
    features = torch.tensor(data.data / 16.0, dtype=torch.float32)
    labels = torch.tensor(data.target)
    x_train, x_test, y_train, y_test = train_test_split(
        features,
        labels,
        test_size=test_fraction,
        random_state=seed,
        stratify=labels,
    )
    return x_train, y_train, x_test, y_test


class AnnModel(nn.Module):
    """The ANN chapter's network: input → 150 (ReLU) → 150 (tanh) → 150 (ELU) →
    10."""

    def __init__(
        self, input_dim: int = 64, hidden_dim: int = 150, output_dim: int = 10
    ) -> None:
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(input_dim, hidden_dim),
            nn.ReLU(),
            nn.Linear(hidden_dim, hidden_dim),
            nn.Tanh(),
            nn.Linear(hidden_dim, hidden_dim),
            nn.ELU(),
            nn.Linear(hidden_dim, output_dim),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)


# --8<-- [start:sampler]
def rank_batches(
    size: int, batch_size: int, rank: int, world: int, epoch: int, seed: int = 0
) -> list[list[int]]:
    """The index batches rank ``rank`` trains on in ``epoch``.

    Every rank shuffles with the same seed + epoch (``set_epoch``), then takes
    every ``world``-th index starting at its rank: the ranks' parts never
    overlap."""
    sampler = DistributedSampler(
        range(size), num_replicas=world, rank=rank, shuffle=True, seed=seed
    )
    sampler.set_epoch(epoch)  # without it every epoch repeats epoch 0's order
    order = list(sampler)
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]


# --8<-- [end:sampler]


def combined_batches(
    size: int, batch_size: int, world: int, epoch: int, seed: int = 0
) -> list[list[int]]:
    """What one process trains on to match ``world`` ranks: their batches
    joined."""
    per_rank = [
        rank_batches(size, batch_size, r, world, epoch, seed)
        for r in range(world)
    ]
    return [sum(parts, []) for parts in zip(*per_rank, strict=True)]


def sampler_demo(size: int = 12, world: int = 2, epochs: int = 2) -> list[dict]:
    """Which indices each rank reads per epoch, with and without
    ``set_epoch``."""
    rows = []
    for epoch in range(epochs):
        for rank in range(world):
            fixed = DistributedSampler(
                range(size), num_replicas=world, rank=rank, seed=0
            )
            rows.append(
                {
                    "epoch": epoch,
                    "rank": rank,
                    "set_epoch": rank_batches(size, size, rank, world, epoch)[
                        0
                    ],
                    "no_set_epoch": list(fixed),
                }
            )
    return rows


def flat_gradients(model: nn.Module) -> torch.Tensor:
    """Every parameter's gradient in one vector."""
    return torch.cat([p.grad.reshape(-1) for p in model.parameters()])


def max_difference(a: torch.Tensor, b: torch.Tensor) -> float:
    """The largest absolute difference between two tensors of the same shape."""
    return (a - b).abs().max().item()


def flat_parameters(model: nn.Module) -> torch.Tensor:
    """Every parameter in one vector."""
    return torch.cat([p.detach().reshape(-1) for p in model.parameters()])


# --8<-- [start:gradients]
def gradient_check(
    ddp_model: DDP,
    reference: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    local: list[int],
    combined: list[int],
) -> dict[str, float]:
    """Largest difference between this rank's gradient and one process's on the
    combined batch, after DDP's all-reduce and (for contrast) without it
    (``no_sync``)."""
    loss_fn = nn.CrossEntropyLoss()
    loss_fn(reference(x[combined]), y[combined]).backward()
    expected = flat_gradients(reference)
    with (
        ddp_model.no_sync()
    ):  # backward without communication: this rank's own gradient
        loss_fn(ddp_model(x[local]), y[local]).backward()
    own = flat_gradients(ddp_model.module)
    ddp_model.zero_grad()
    loss_fn(
        ddp_model(x[local]), y[local]
    ).backward()  # DDP averages across ranks here
    averaged = flat_gradients(ddp_model.module)
    ddp_model.zero_grad()
    reference.zero_grad()
    return {
        "with_all_reduce": max_difference(averaged, expected),
        "without_all_reduce": max_difference(own, expected),
    }


# --8<-- [end:gradients]


@dataclass
class Config:
    """Settings of a run; the global batch is ``batch_size`` × world size."""

    epochs: int = 10
    batch_size: int = 50  # per rank
    learning_rate: float = 0.1
    seed: int = 0
    timing_steps: int = 100


# --8<-- [start:train]
def train(config: Config, rank: int, world: int, device: torch.device) -> dict:
    """DDP training, next to one process that trains on the combined batches."""
    x, y, x_test, y_test = (t.to(device) for t in digits(config.seed))
    torch.manual_seed(config.seed)
    model = AnnModel().to(device)
    reference = copy.deepcopy(model)  # the same start as one process would have
    ddp_model = DDP(model)  # copies rank 0's weights to every rank
    optimizer = torch.optim.SGD(ddp_model.parameters(), lr=config.learning_rate)
    ref_optimizer = torch.optim.SGD(
        reference.parameters(), lr=config.learning_rate
    )
    loss_fn = nn.CrossEntropyLoss()
    result: dict = {}
    for epoch in range(config.epochs):
        local = rank_batches(
            len(x), config.batch_size, rank, world, epoch, config.seed
        )
        combined = combined_batches(
            len(x), config.batch_size, world, epoch, config.seed
        )
        if epoch == 0:
            result["gradients"] = gradient_check(
                ddp_model, reference, x, y, local[0], combined[0]
            )
        for mine, everyone in zip(local, combined, strict=True):
            optimizer.zero_grad()
            loss_fn(
                ddp_model(x[mine]), y[mine]
            ).backward()  # all-reduce happens here
            optimizer.step()
            ref_optimizer.zero_grad()
            loss_fn(reference(x[everyone]), y[everyone]).backward()
            ref_optimizer.step()
    weights = flat_parameters(model)
    gathered = [torch.empty_like(weights) for _ in range(world)]
    dist.all_gather(gathered, weights)  # every rank's weights, to compare them
    with torch.inference_mode():
        accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
    result.update(
        steps=config.epochs * len(local),
        samples_per_step=config.batch_size * world,
        max_weight_difference_vs_one_process=max_difference(
            weights, flat_parameters(reference)
        ),
        max_weight_difference_between_ranks=max(
            max_difference(g, weights) for g in gathered
        ),
        test_accuracy=round(accuracy, 4),
    )
    return result


# --8<-- [end:train]


def _median_step_ms(
    step: Callable[[], None], steps: int, device: torch.device
) -> float:
    """Median wall-clock time of one ``step()`` in ms, after 10 warm-up
    calls."""
    times = []
    for i in range(steps + 10):
        start = time.perf_counter()
        step()
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        if i >= 10:
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


# --8<-- [start:timing]
def time_steps(
    config: Config, rank: int, world: int, device: torch.device
) -> dict[str, float]:
    """Median time per training step: one process alone, ``world`` processes
    with DDP, and the same without the all-reduce (``no_sync``): the difference
    is what communicating costs."""
    x, y, *_ = digits(config.seed)
    batch = rank_batches(
        len(x), config.batch_size, rank, world, 0, config.seed
    )[0]
    xb, yb = x[batch].to(device), y[batch].to(device)
    loss_fn = nn.CrossEntropyLoss()
    torch.manual_seed(config.seed)
    plain = AnnModel().to(device)
    ddp_model = DDP(copy.deepcopy(plain))

    def step(model: nn.Module) -> None:
        model.zero_grad()
        loss_fn(model(xb), yb).backward()
        with torch.no_grad():  # the SGD update, written out
            for p in model.parameters():
                p -= config.learning_rate * p.grad

    def step_without_all_reduce() -> None:
        with ddp_model.no_sync():
            step(ddp_model)

    alone = 0.0
    if rank == 0:  # the other ranks wait at the barrier meanwhile
        alone = _median_step_ms(
            lambda: step(plain), config.timing_steps, device
        )
    dist.barrier()
    together = _median_step_ms(
        lambda: step(ddp_model), config.timing_steps, device
    )
    dist.barrier()
    no_comm = _median_step_ms(
        step_without_all_reduce, config.timing_steps, device
    )
    return {
        "one_process_ms": alone,
        "ddp_ms": together,
        "ddp_without_all_reduce_ms": no_comm,
    }


# --8<-- [end:timing]


def summary(result: dict, world: int, backend: str) -> str:
    """What rank 0 prints (no wall-clock figures: those are in rank0.json)."""
    gradients, samples = result["gradients"], result["samples_per_step"]
    return "\n".join(
        [
            f"world size {world} ({backend}), {result['steps']} steps of "
            f"{samples} samples ({samples // world} per rank)",
            f"gradient vs one process on the combined batch: max difference "
            f"{gradients['with_all_reduce']:.2e} after all-reduce, "
            f"{gradients['without_all_reduce']:.2e} without",
            f"weights after training vs one process: max difference "
            f"{result['max_weight_difference_vs_one_process']:.2e}",
            f"weights rank 0 vs other ranks: max difference "
            f"{result['max_weight_difference_between_ranks']:.2e}",
            f"test accuracy {result['test_accuracy']:.4f}",
        ]
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Arguments, checked before any process group is started: one line per
    problem."""
    parser = argparse.ArgumentParser(
        prog="ddp.py", description=f"DDP on the digits; start with: {LAUNCH}"
    )
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument(
        "--backend",
        default="auto",
        choices=["auto", "gloo", "nccl"],
        help="auto: gloo on the CPU, nccl on GPUs",
    )
    parser.add_argument("--epochs", type=int, default=Config.epochs)
    parser.add_argument(
        "--timing-steps",
        type=int,
        default=Config.timing_steps,
        help="timed steps per measurement (0: skip the timing)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("results"),
        help="folder for rank<r>.json",
    )
    args = parser.parse_args(argv)
    if args.device == "cuda" and not torch.cuda.is_available():
        parser.error(
            "CUDA was requested but torch.cuda.is_available() is False: "
            "use --device cpu"
        )
    if args.backend == "auto":
        args.backend = "nccl" if args.device == "cuda" else "gloo"
    available = {
        "gloo": dist.is_gloo_available(),
        "nccl": dist.is_nccl_available(),
    }
    if args.backend == "nccl" and (
        args.device != "cuda" or not available["nccl"]
    ):
        parser.error(
            "the nccl backend needs NVIDIA GPUs (--device cuda) and a CUDA "
            "build of "
            "torch: use --backend gloo on the CPU"
        )
    if not available[args.backend]:
        parser.error(
            f"this torch build has no {args.backend} backend: use --backend "
            "nccl"
        )
    if "RANK" not in os.environ or "WORLD_SIZE" not in os.environ:
        parser.error(
            f"RANK and WORLD_SIZE are not set: start it with `{LAUNCH}`, "
            "not with plain python"
        )
    if (
        args.device == "cuda"
        and int(os.environ["LOCAL_RANK"]) >= torch.cuda.device_count()
    ):
        parser.error(
            f"this machine has {torch.cuda.device_count()} GPU(s): start "
            "torchrun "
            f"with --nproc-per-node {torch.cuda.device_count()}"
        )
    if args.epochs < 1:
        parser.error("--epochs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    """Train, check the equalities, time the steps, write ``rank<r>.json``."""
    args = parse_args(argv)
    config = Config(epochs=args.epochs, timing_steps=args.timing_steps)
    rank, world, device = setup(args.device, args.backend)
    try:
        result = train(config, rank, world, device)
        if config.timing_steps:
            result["timing"] = time_steps(config, rank, world, device)
        args.out.mkdir(parents=True, exist_ok=True)
        result.update(
            rank=rank,
            world_size=world,
            backend=args.backend,
            pid=os.getpid(),
            config=asdict(config),
        )
        (args.out / f"rank{rank}.json").write_text(json.dumps(result, indent=2))
        if rank == 0:
            print(summary(result, world, args.backend))
    finally:
        dist.destroy_process_group()
    return 0


if __name__ == "__main__":
    sys.exit(main())
