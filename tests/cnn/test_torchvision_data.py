"""snippets/cnn/torchvision_data.py: the MNIST path works offline against files in MNIST's own format."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from snippets.cnn import torchvision_data as tvd


def write_idx(path: Path, array: np.ndarray) -> None:
    """Write ``array`` (uint8) as an IDX file, the format MNIST is distributed in."""
    magic = {1: 2049, 3: 2051}[array.ndim]  # labels, images
    header = np.array([magic, *array.shape], dtype=">i4").tobytes()
    path.write_bytes(header + array.astype(np.uint8).tobytes())


@pytest.fixture
def tiny_mnist(tmp_path: Path) -> Path:
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for prefix, count in (("train", 20), ("t10k", 8)):
        write_idx(raw / f"{prefix}-images-idx3-ubyte", rng.integers(0, 256, (count, 28, 28)))
        write_idx(raw / f"{prefix}-labels-idx1-ubyte", np.arange(count) % 10)
    return tmp_path


def test_mnist_path_gives_network_ready_batches(tiny_mnist):
    train_set, test_set = tvd.load_datasets("mnist", tiny_mnist, download=False)
    assert (len(train_set), len(test_set)) == (20, 8)
    images, labels = next(iter(tvd.make_loaders(train_set, test_set, batch_size=4)[0]))
    assert images.shape == (4, 3, 48, 48) and images.dtype == torch.float32
    assert torch.equal(images[:, 0], images[:, 1])  # grey repeated into three channels
    assert labels.dtype == torch.int64


def test_fake_dataset_shape():
    train_set, test_set = tvd.load_datasets("fake", Path("unused"))
    images, _ = next(iter(tvd.make_loaders(train_set, test_set)[0]))
    assert images.shape == (64, 3, 48, 48)


def test_unknown_dataset_is_rejected():
    with pytest.raises(ValueError, match="mnist, cifar10 or fake"):
        tvd.load_datasets("imagenet", Path("unused"))


def test_cli_missing_dataset_is_one_clear_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        tvd.main(["--dataset", "mnist", "--root", str(tmp_path)])
    assert exit_info.value.code == 2
    assert "download=True" in capsys.readouterr().err.splitlines()[-1]


def test_cli_prints_a_fake_batch(capsys):
    assert tvd.main([]) == 0
    assert "images (64, 3, 48, 48)" in capsys.readouterr().out
