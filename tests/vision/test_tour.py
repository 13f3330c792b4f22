"""snippets/vision/tour.py: torchvision works offline the way the chapter says."""

from __future__ import annotations

import torch
from torchvision import models

from snippets.vision import tour


def test_model_parameter_count_matches_its_weights_metadata():
    result = tour.show_model("resnet18")
    assert result["parameters"] == result["weights_num_params"]
    assert result["output_shape"] == (1, result["categories"])


def test_catalogue_counts_are_this_torchvision():
    counts = tour.catalogue()
    assert counts["models"] == len(models.list_models()) >= counts["classification models"] > 0


def test_transform_pipeline_output(capsys):
    tour.show_transforms()
    assert "output: (3, 32, 32) torch.float32" in capsys.readouterr().out


def test_custom_dataset_and_loader(device):
    dataset = tour.DigitsDataset(transform=lambda image: image * 2)
    image, label = dataset[0]
    assert len(dataset) == 1797 and image.shape == (1, 8, 8) and image.max() <= 2.0
    loader = torch.utils.data.DataLoader(dataset, batch_size=100)
    images, labels = next(iter(loader))
    assert images.to(device).shape == (100, 1, 8, 8) and labels.dtype == torch.int64
