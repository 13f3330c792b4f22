"""snippets/tensors/exercises.py: the claims of the solutions of the chapter's exercises."""

from __future__ import annotations

import pytest
import torch

from snippets.tensors import exercises as ex


def test_broadcast_the_rule_gives_the_shape_torch_computes(outputs):
    """broadcast: "(2, 1, 3) + (4, 1) → (2, 4, 3), as the rule says"."""
    result = outputs.json("tensors/exercises.broadcast")
    assert result["rule"] == result["result"] == [2, 4, 3]


def test_flatten_keeps_the_batch_and_joins_the_rest(outputs):
    """flatten: "(8, 3, 48, 48) → (8, 3·48·48)", whichever way it is written."""
    result = outputs.json("tensors/exercises.flatten")
    assert result["flat"] == result["nn_flatten"] == [8, 3 * 48 * 48]
    assert result["linear_out"][0] == 8


def test_contiguous_view_fails_on_the_transpose_and_works_on_the_copy(outputs):
    """contiguous: the transpose shares memory with swapped strides, so view fails; the copy works."""
    result = outputs.json("tensors/exercises.contiguous")
    assert result["strides"] == [[3, 1], [1, 3]] and not result["transposed_is_contiguous"]
    assert result["view_error"].startswith("view size is not compatible")
    assert result["copy_strides"] == [2, 1] and not result["shares_memory"]
    assert result["result"] == torch.arange(6).view(2, 3).T.reshape(6).tolist()
    with pytest.raises(RuntimeError):
        torch.arange(6).view(2, 3).T.view(6)


def test_contiguous_solution_runs():
    assert ex.view_after_transpose()["result"] == [0, 3, 1, 4, 2, 5]
