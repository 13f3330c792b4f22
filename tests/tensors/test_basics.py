"""snippets/tensors/basics.py: the facts the chapter states about tensors."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from snippets.tensors import basics


def test_default_dtypes():
    assert torch.tensor([1, 2]).dtype == torch.int64
    assert torch.tensor([1.0]).dtype == torch.float32
    assert torch.from_numpy(np.zeros(2)).dtype == torch.float64


def test_half_precision_loses_digits():
    assert torch.tensor([1.0001]).half().item() == 1.0


def test_view_fails_on_non_contiguous_but_reshape_works():
    transposed = torch.arange(6).view(2, 3).T
    with pytest.raises(RuntimeError, match="view size is not compatible"):
        transposed.view(6)
    assert transposed.reshape(6).tolist() == [0, 3, 1, 4, 2, 5]


def test_broadcasting_rule(device):
    assert (torch.zeros(3, 1, device=device) + torch.zeros(4, device=device)).shape == (3, 4)
    with pytest.raises(RuntimeError, match="must match"):
        torch.zeros(3, 2, device=device) + torch.zeros(3, device=device)


def test_matmul_shape_rule(device):
    assert (torch.ones(2, 3, device=device) @ torch.ones(3, 4, device=device)).shape == (2, 4)
    assert (torch.ones(5, 2, 3, device=device) @ torch.ones(5, 3, 4, device=device)).shape == (5, 2, 4)
    with pytest.raises(RuntimeError):
        torch.ones(2, 3, device=device) @ torch.ones(2, 3, device=device)


def test_from_numpy_shares_memory():
    array = np.zeros(3)
    shared = torch.from_numpy(array)
    array[0] = 5
    assert shared[0].item() == 5


def test_same_seed_same_numbers(capsys):
    basics.show_seeds()
    assert "equal: True" in capsys.readouterr().out


@pytest.mark.parametrize("show", [basics.show_creation, basics.show_dtypes, basics.show_indexing,
                                  basics.show_reshaping, basics.show_broadcasting, basics.show_matmul,
                                  basics.show_numpy, basics.show_seeds])
def test_every_demonstration_prints(show, capsys):
    show()
    assert capsys.readouterr().out.strip()
