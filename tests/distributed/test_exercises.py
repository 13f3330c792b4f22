"""snippets/distributed/exercises.py: each solution's claim, on the generated values and the functions."""

from __future__ import annotations

import torch

from snippets.distributed import exercises, fsdp


def test_no_set_epoch_repeats_the_order_but_keeps_every_equality(outputs):
    """no_set_epoch: every epoch reads epoch 0's order; the ranks still split the data (sharing only the
    padded index) and the averaged gradient still equals one process's on the combined batch."""
    result = outputs.json("distributed/exercises.no_set_epoch")
    assert result["epochs_repeat"] and result["set_epoch_reshuffles"]
    assert result["covers"] and result["shared"] == result["padding"] == 1
    assert float(result["gradient_difference"]) < 1e-6


def test_rank_order_without_set_epoch_is_the_same_every_epoch():
    assert exercises.rank_order(12, 0, 2, 3, False) == exercises.rank_order(12, 0, 2, 0, False)
    assert exercises.rank_order(12, 0, 2, 3, True) != exercises.rank_order(12, 0, 2, 0, True)


def test_thirty_epochs_reach_the_ann_chapters_accuracy(outputs):
    """thirty_epochs: with the ANN chapter's effective batch, learning rate and epochs the accuracy is within
    two points of that chapter's, and above the chapter's 10-epoch DDP run."""
    thirty = outputs.json("distributed/exercises.thirty_epochs")
    ann = outputs.json("ann/digits_ann.result")
    ddp = outputs.json("distributed/ddp.result")
    assert thirty["epochs"] == ann["epochs"] and ddp["global_batch"] == ann["batch_size"]
    assert ddp["learning_rate"] == ann["learning_rate"]
    assert abs(thirty["accuracy"] - ann["final_accuracy"]) <= 0.02
    assert thirty["accuracy"] > ddp["test_accuracy"]


def test_uneven_shards_follow_torch_chunk(outputs):
    """uneven_shards: the arithmetic reproduces the bytes the real 2-process run recorded at width 150; at 151
    rank 0 holds one more row of each hidden layer than rank 1, and the shards add up to the whole."""
    shards = outputs.json("distributed/exercises.uneven_shards")
    rows = outputs.json("distributed/fsdp.memory.table")["rows"]
    recorded = next(row for row in rows if row[0]["en"] == "Parameters")
    assert shards["150"]["bytes"] == [recorded[2], recorded[3]] and shards["150"]["total"] == recorded[1]
    odd = shards["151"]
    assert odd["rows"] == [76, 75] and odd["bytes"][0] > odd["bytes"][1]
    assert sum(odd["bytes"]) == odd["total"]


def test_uneven_shards_model_is_the_chapters():
    assert [p.shape for p in exercises.AnnModel(151).parameters()] == [
        p.shape for p in fsdp.AnnModel(hidden_dim=151).parameters()]


def test_resume_one_loads_the_two_process_checkpoint_and_differs(outputs):
    """resume_one: DCP loads the 2-process checkpoint into 1 process (it resumes at the saved step) and the
    final weights differ from the uninterrupted run's: half the samples per step, another order."""
    one = outputs.json("distributed/exercises.resume_one")
    result = outputs.json("distributed/fsdp.result")
    assert one["start"] == result["save_at"] and one["parameters"] == result["parameters"]
    assert one["difference"] > 1e-4 and result["resume_difference"] == 0


def test_one_process_batches_are_half_the_two_process_ones():
    mine, everyone = fsdp.batches_at(45, 1437, 50, 0, 1)
    _, both = fsdp.batches_at(45, 1437, 50, 0, 2)
    assert len(mine) == len(everyone) == 50 and len(both) == 100
    assert set(mine) != set(both[:50])
    assert torch.equal(torch.tensor(exercises.rank_order(1437, 0, 1, 1, True)[:50]),
                       torch.tensor(fsdp.batches_at(29, 1437, 50, 0, 1)[0]))


def test_thirty_epochs_starts_from_the_ann_chapters_weights():
    """thirty_epochs: "the same starting weights" as the ANN chapter's model (seed 0, same layers)."""
    from snippets.ann import digits_ann

    torch.manual_seed(0)
    ours = torch.cat([p.detach().reshape(-1) for p in exercises.AnnModel().parameters()])
    torch.manual_seed(0)
    theirs = torch.cat([p.detach().reshape(-1) for p in digits_ann.AnnModel(64).parameters()])
    assert torch.equal(ours, theirs)
