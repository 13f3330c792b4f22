"""Sharded data parallelism with FSDP, and distributed checkpoints / FSDP ile
parçalı veri paralelliği ve dağıtık kontrol noktaları.

The digits network of the ANN chapter trained with ``fully_shard`` (FSDP2):
every rank keeps only its shard of the parameters, gradients and AdamW state,
and gathers a layer's full weights just while it needs them. The run measures
what each rank holds, with and without sharding (bytes of the tensors
themselves), checks the trained weights against one process training on the
combined batches, and writes a distributed checkpoint (one file per rank,
``torch.distributed.checkpoint``) that a second run resumes from. Each rank
writes ``rank<r>.json`` to ``--out``; rank 0 prints a summary. Needs torch and
scikit-learn.

    # a checkpoint at step 40, then training continued from it:
    torchrun --nproc-per-node 2 fsdp.py --save-at 40 --out results
    torchrun --nproc-per-node 2 fsdp.py --resume --out results
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
import torch.distributed as dist
import torch.distributed.checkpoint as dcp
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn
from torch.distributed.checkpoint.state_dict import (
    StateDictOptions,
    get_model_state_dict,
    get_state_dict,
    set_state_dict,
)
from torch.distributed.fsdp import fully_shard
from torch.distributed.tensor import DTensor
from torch.utils.data import DistributedSampler

LAUNCH = "torchrun --nproc-per-node 2 fsdp.py"


def setup(device: str, backend: str) -> tuple[int, int, torch.device]:
    """Join the process group torchrun described; returns (rank, world size,
    device)."""
    dist.init_process_group(backend)
    torch.set_num_threads(1)
    if device == "cuda":
        local = torch.device("cuda", int(os.environ["LOCAL_RANK"]))
        torch.cuda.set_device(local)
    else:
        local = torch.device("cpu")
    return dist.get_rank(), dist.get_world_size(), local


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


def batches_at(
    step: int, size: int, batch_size: int, rank: int, world: int, seed: int = 0
) -> tuple[list[int], list[int]]:
    """Rank ``rank``'s indices at global step ``step``, and all ranks' together:
    a function of the step alone, so a resumed run reads what an uninterrupted
    one reads."""
    per_epoch = math.ceil(
        math.ceil(size / world) / batch_size
    )  # batches per epoch and rank
    epoch, index = divmod(step, per_epoch)
    parts = []
    for r in range(world):
        sampler = DistributedSampler(
            range(size), num_replicas=world, rank=r, seed=seed
        )
        sampler.set_epoch(epoch)
        parts.append(
            list(sampler)[index * batch_size : (index + 1) * batch_size]
        )
    return parts[rank], sum(parts, [])


# --8<-- [start:shard]
def build(device: torch.device, seed: int = 0, shard: bool = True) -> nn.Module:
    """The model, each Linear layer sharded across the ranks, then the whole
    model."""
    torch.manual_seed(seed)  # every rank starts from the same full weights
    model = AnnModel().to(device)
    if shard:
        for layer in model.layers:
            if isinstance(layer, nn.Linear):
                fully_shard(
                    layer
                )  # one unit: gathered for its forward, freed after
        fully_shard(model)
    return model


# --8<-- [end:shard]


# --8<-- [start:memory]
def local_bytes(tensors: list[torch.Tensor]) -> int:
    """Bytes this rank stores for ``tensors``; of a sharded DTensor, its
    shard."""
    total = 0
    for tensor in tensors:
        local = tensor.to_local() if isinstance(tensor, DTensor) else tensor
        total += local.numel() * local.element_size()
    return total


def memory(
    model: nn.Module, optimizer: torch.optim.Optimizer
) -> dict[str, int]:
    """Parameter, gradient and optimizer-state bytes this rank holds after a
    step."""
    parameters = list(model.parameters())
    states = [
        value
        for state in optimizer.state.values()
        for value in state.values()
        if isinstance(value, torch.Tensor) and value.dim() > 0
    ]  # not Adam's step count
    return {
        "parameters": local_bytes(parameters),
        "gradients": local_bytes(
            [p.grad for p in parameters if p.grad is not None]
        ),
        "optimizer_state": local_bytes(states),
    }


# --8<-- [end:memory]


# --8<-- [start:checkpoint]
def save_checkpoint(
    model: nn.Module, optimizer: torch.optim.Optimizer, step: int, folder: Path
) -> None:
    """Every rank writes its own shards to ``folder`` (one file per rank +
    metadata)."""
    model_state, optimizer_state = get_state_dict(model, optimizer)
    dcp.save(
        {"model": model_state, "optimizer": optimizer_state, "step": step},
        checkpoint_id=folder,
    )


def load_checkpoint(
    model: nn.Module, optimizer: torch.optim.Optimizer, folder: Path
) -> int:
    """Fill the sharded model and optimizer from ``folder``; return the saved
    step."""
    model_state, optimizer_state = get_state_dict(model, optimizer)
    state = {"model": model_state, "optimizer": optimizer_state, "step": 0}
    dcp.load(
        state, checkpoint_id=folder
    )  # each rank reads the pieces of its own shards
    set_state_dict(
        model,
        optimizer,
        model_state_dict=state["model"],
        optim_state_dict=state["optimizer"],
    )
    return state["step"]


# --8<-- [end:checkpoint]


def max_difference(a: torch.Tensor, b: torch.Tensor) -> float:
    """The largest absolute difference between two tensors of the same shape."""
    return (a - b).abs().max().item()


def full_weights(model: nn.Module) -> torch.Tensor:
    """Every parameter, gathered from the shards, in one vector on the CPU."""
    state = get_model_state_dict(
        model, options=StateDictOptions(full_state_dict=True)
    )
    return torch.cat([value.reshape(-1).cpu() for value in state.values()])


@dataclass
class Config:
    """Settings of a run; the global batch is ``batch_size`` × world size."""

    steps: int = 75
    batch_size: int = 50  # per rank
    learning_rate: float = 1e-3
    seed: int = 0


# --8<-- [start:train]
def train(
    config: Config,
    rank: int,
    world: int,
    device: torch.device,
    checkpoint: Path,
    save_at: int | None = None,
    resume: bool = False,
) -> dict:
    """FSDP training with AdamW; with ``resume`` it continues from
    ``checkpoint``, otherwise it trains from step 0 (saving after ``save_at``)
    next to one process that trains an unsharded copy."""
    x, y, x_test, y_test = (t.to(device) for t in digits(config.seed))
    model = build(device, config.seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.learning_rate)
    reference = None if resume else build(device, config.seed, shard=False)
    if reference is not None:
        ref_optimizer = torch.optim.AdamW(
            reference.parameters(), lr=config.learning_rate
        )
    start = load_checkpoint(model, optimizer, checkpoint) if resume else 0
    loss_fn = nn.CrossEntropyLoss()
    result: dict = {"start": start}
    for step in range(start, config.steps):
        mine, everyone = batches_at(
            step, len(x), config.batch_size, rank, world, config.seed
        )
        optimizer.zero_grad()
        loss_fn(
            model(x[mine]), y[mine]
        ).backward()  # gradients reduce-scattered here
        optimizer.step()  # each rank updates its own shard
        if reference is not None:
            ref_optimizer.zero_grad()
            loss_fn(reference(x[everyone]), y[everyone]).backward()
            ref_optimizer.step()
            if step == 0:
                result["memory"] = {
                    "sharded": memory(model, optimizer),
                    "unsharded": memory(reference, ref_optimizer),
                }
        if step + 1 == save_at:
            save_checkpoint(model, optimizer, step + 1, checkpoint)
    weights = full_weights(model)
    result["weights"] = weights
    if reference is not None:
        unsharded = torch.cat(
            [p.detach().reshape(-1) for p in reference.parameters()]
        )
        result["max_weight_difference_vs_one_process"] = max_difference(
            weights, unsharded.cpu()
        )
    with torch.inference_mode():
        result["test_accuracy"] = round(
            (model(x_test).argmax(1) == y_test).float().mean().item(), 4
        )
    return result


# --8<-- [end:train]


def summary(result: dict, world: int) -> str:
    """What rank 0 prints."""
    lines = []
    if "memory" in result:
        for part, sharded in result["memory"]["sharded"].items():
            whole = result["memory"]["unsharded"][part]
            lines.append(
                f"{part:>15}: {sharded:>7,} of {whole:>7,} bytes on rank 0 "
                f"({sharded / whole:.3f})"
            )
        lines.append(
            f"weights vs one unsharded process: max difference "
            f"{result['max_weight_difference_vs_one_process']:.2e}"
        )
    if "resume_difference" in result:
        lines.append(
            f"resumed at step {result['start']}; weights vs the uninterrupted "
            "run: "
            f"max difference {result['resume_difference']:.2e}"
        )
    lines.append(
        f"world size {world}, test accuracy {result['test_accuracy']:.4f}"
    )
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Arguments, checked before any process group is started: one line per
    problem."""
    parser = argparse.ArgumentParser(
        prog="fsdp.py", description=f"FSDP on the digits; start with: {LAUNCH}"
    )
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument(
        "--backend",
        default="auto",
        choices=["auto", "gloo", "nccl"],
        help="auto: gloo on the CPU, nccl on GPUs",
    )
    parser.add_argument("--steps", type=int, default=Config.steps)
    parser.add_argument(
        "--save-at", type=int, help="write a checkpoint after this step"
    )
    parser.add_argument(
        "--resume", action="store_true", help="continue from the checkpoint"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("results"),
        help="folder for rank<r>.json and the checkpoint",
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
    if args.save_at is not None and not 0 < args.save_at < args.steps:
        parser.error(
            f"--save-at must be between 1 and --steps - 1 ({args.steps - 1})"
        )
    if args.resume and not (args.out / "checkpoint" / ".metadata").is_file():
        parser.error(
            f"no checkpoint in {args.out / 'checkpoint'}: run with --save-at "
            "first"
        )
    return args


def main(argv: list[str] | None = None) -> int:
    """Train or resume; write ``rank<r>.json`` (and a checkpoint with
    ``--save-at``)."""
    args = parse_args(argv)
    config = Config(steps=args.steps)
    rank, world, device = setup(args.device, args.backend)
    try:
        result = train(
            config,
            rank,
            world,
            device,
            args.out / "checkpoint",
            args.save_at,
            args.resume,
        )
        uninterrupted = args.out / "uninterrupted.pt"
        if args.resume:
            result["resume_difference"] = max_difference(
                result["weights"], torch.load(uninterrupted)
            )
        elif rank == 0:
            torch.save(result["weights"], uninterrupted)
        weights = result.pop("weights")
        result.update(
            rank=rank,
            world_size=world,
            backend=args.backend,
            pid=os.getpid(),
            config=asdict(config),
            parameters=weights.numel(),
        )
        (
            args.out / f"rank{rank}{'-resumed' if args.resume else ''}.json"
        ).write_text(json.dumps(result, indent=2))
        if rank == 0:
            print(summary(result, world))
    finally:
        dist.destroy_process_group()
    return 0


if __name__ == "__main__":
    sys.exit(main())
