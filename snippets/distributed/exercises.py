"""Solutions to the chapter's exercises / Bölümün alıştırmalarının çözümleri.

Computed in one process, without torchrun: what dropping ``set_epoch``
changes, DDP's 30-epoch accuracy (one process on the combined batches does the
same arithmetic), how ``fully_shard`` splits a first dimension the world size
does not divide, and a 2-process checkpoint resumed by 1 process.
Self-contained: the model, data and helpers of ``ddp.py`` and ``fsdp.py``
are repeated here.

Needs: torch, scikit-learn. Runs in a few seconds on a CPU.

    python -m snippets.distributed.exercises
"""

from __future__ import annotations

import math
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
from torch.utils.data import DistributedSampler


def digits(seed: int = 0) -> tuple[torch.Tensor, ...]:
    """The 8×8 digits in [0, 1], split 80/20 as in the ANN chapter."""
    data = load_digits()
    features = torch.tensor(data.data / 16.0, dtype=torch.float32)
    labels = torch.tensor(data.target)
    x_train, x_test, y_train, y_test = train_test_split(
        features, labels, test_size=0.2, random_state=seed, stratify=labels
    )
    return x_train, y_train, x_test, y_test


class AnnModel(nn.Module):
    """The chapter's network: 64 → hidden (ReLU) → hidden (tanh) → hidden
    (ELU) → 10, its layers under ``layers`` as in a checkpoint."""

    def __init__(self, hidden: int = 150) -> None:
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(64, hidden),
            nn.ReLU(),
            nn.Linear(hidden, hidden),
            nn.Tanh(),
            nn.Linear(hidden, hidden),
            nn.ELU(),
            nn.Linear(hidden, 10),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(B, 64)`` → logits ``(B, 10)``."""
        return self.layers(x)


# --8<-- [start:no_set_epoch]
def rank_order(
    size: int, rank: int, world: int, epoch: int, set_epoch: bool
) -> list[int]:
    """The indices rank ``rank`` reads in ``epoch``, with or without
    ``set_epoch``."""
    sampler = DistributedSampler(
        range(size), num_replicas=world, rank=rank, shuffle=True, seed=0
    )
    if set_epoch:
        sampler.set_epoch(epoch)
    return list(sampler)


def without_set_epoch(
    size: int = 1437, world: int = 2, batch: int = 50
) -> dict[str, bool | int | float]:
    """What changes without ``set_epoch``: the order repeats every epoch,
    but the ranks still split the data (sharing only the indices the sampler
    repeats to even them out), and the all-reduced gradient still
    equals one process's on the combined batch (so do the weights)."""
    orders = {
        epoch: [rank_order(size, r, world, epoch, False) for r in range(world)]
        for epoch in (0, 1)
    }
    with_epoch = [rank_order(size, r, world, 1, True) for r in range(world)]
    x, y, _, _ = digits()
    torch.manual_seed(0)
    model, loss_fn = AnnModel(), nn.CrossEntropyLoss()
    parts = [order[:batch] for order in orders[1]]  # first batch, epoch 1

    def gradient(indices: list[int]) -> torch.Tensor:
        model.zero_grad()
        loss_fn(model(x[indices]), y[indices]).backward()
        return torch.cat([p.grad.reshape(-1) for p in model.parameters()])

    averaged = sum(gradient(p) for p in parts) / world  # what all-reduce does
    combined = gradient(sum(parts, []))
    return {
        "epochs_repeat": orders[0] == orders[1],
        "set_epoch_reshuffles": with_epoch != orders[1],
        "shared": len(set(orders[1][0]) & set(orders[1][1])),
        "padding": world * math.ceil(size / world) - size,
        "covers": len(set(sum(orders[1], []))) == size,
        "gradient_difference": (averaged - combined).abs().max().item(),
    }


# --8<-- [end:no_set_epoch]


# --8<-- [start:thirty_epochs]
def ddp_accuracy(
    epochs: int = 30, world: int = 2, batch: int = 50, lr: float = 0.1
) -> float:
    """Test accuracy of ``ddp.py --epochs 30``, computed as one process that
    steps on the ranks' batches joined (what DDP's averaged gradient does,
    up to float rounding: the chapter checks it)."""
    x, y, x_test, y_test = digits()
    torch.manual_seed(0)
    model = AnnModel()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        orders = [
            rank_order(len(x), r, world, epoch, True) for r in range(world)
        ]
        for start in range(0, len(orders[0]), batch):
            joined = sum((o[start : start + batch] for o in orders), [])
            optimizer.zero_grad()
            loss_fn(model(x[joined]), y[joined]).backward()
            optimizer.step()
    with torch.no_grad():
        return (model(x_test).argmax(1) == y_test).float().mean().item()


# --8<-- [end:thirty_epochs]


# --8<-- [start:uneven_shards]
def shard_bytes(hidden: int = 151, world: int = 2) -> list[int]:
    """Parameter bytes per rank when ``fully_shard`` splits every tensor on
    its first dimension the way ``torch.chunk`` does: ``ceil(n / world)``
    rows per rank, the last rank takes what is left."""
    per_rank = [0] * world
    for p in AnnModel(hidden).parameters():
        for rank, part in enumerate(torch.chunk(p, world, dim=0)):
            per_rank[rank] += part.numel() * part.element_size()
    return per_rank


def uneven_shards(hidden: int = 151, world: int = 2) -> dict:
    """Bytes per rank for ``hidden`` and the rows of one hidden layer's
    weight each rank holds."""
    rows = [len(part) for part in torch.chunk(torch.empty(hidden), world)]
    total = sum(p.numel() * 4 for p in AnnModel(hidden).parameters())
    return {"bytes": shard_bytes(hidden, world), "rows": rows, "total": total}


# --8<-- [end:uneven_shards]


# --8<-- [start:resume_one]
def resume_with_one_process(
    checkpoint: Path, steps: int = 75, batch: int = 50, seed: int = 0
) -> tuple[int, torch.Tensor]:
    """Load a checkpoint that 2 processes wrote into a model sharded over 1
    (DCP reshards on load) and train it to ``steps``; return the saved step
    and the final weights.

    Run inside a process group of world size 1: each step now sees 50
    samples instead of 100, drawn in a 1-rank order."""
    x, y, _, _ = digits(seed)
    torch.manual_seed(seed)
    model = AnnModel()
    for layer in model.layers:
        if isinstance(layer, nn.Linear):
            fully_shard(layer)
    fully_shard(model)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model_state, optimizer_state = get_state_dict(model, optimizer)
    state = {"model": model_state, "optimizer": optimizer_state, "step": 0}
    dcp.load(state, checkpoint_id=checkpoint)
    set_state_dict(
        model,
        optimizer,
        model_state_dict=state["model"],
        optim_state_dict=state["optimizer"],
    )
    per_epoch = math.ceil(len(x) / batch)
    loss_fn = nn.CrossEntropyLoss()
    for step in range(state["step"], steps):
        epoch, index = divmod(step, per_epoch)
        order = rank_order(len(x), 0, 1, epoch, True)
        mine = order[index * batch : (index + 1) * batch]
        optimizer.zero_grad()
        loss_fn(model(x[mine]), y[mine]).backward()
        optimizer.step()
    full = get_model_state_dict(
        model, options=StateDictOptions(full_state_dict=True)
    )
    weights = torch.cat([v.reshape(-1) for v in full.values()])
    return state["step"], weights


def one_process_group() -> None:
    """A gloo process group of world size 1 in this process (no torchrun)."""
    dist.init_process_group(
        "gloo", store=dist.HashStore(), rank=0, world_size=1
    )


# --8<-- [end:resume_one]


def main() -> int:
    """Print the solutions that need no checkpoint."""
    print("without set_epoch:", without_set_epoch())
    print("bytes per rank, hidden 151:", uneven_shards())
    print(f"DDP accuracy after 3 epochs: {ddp_accuracy(epochs=3):.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
