"""snippets/vit/vit.py: patch shapes, vit_b_16 parameter count by formula, the tiny ViT learns digits."""

from __future__ import annotations

import json

import pytest
import torch

from snippets.vit import vit
from tests.conftest import declared

CONFIG = vit.Config()
MIN_TEST_ACCURACY = 0.93  # stated on the page


def test_patch_shapes_for_224_images():
    shapes = dict(vit.patch_embedding_shapes())
    assert shapes["image"] == (1, 3, 224, 224)
    assert shapes["Conv2d(3, dim, kernel=patch, stride=patch)"] == (1, 768, 14, 14)
    assert shapes["transpose(1, 2)"] == (1, (224 // 16) ** 2, 768) == (1, 196, 768)
    assert shapes["+ position embeddings"] == (1, 197, 768)


@pytest.mark.parametrize("size, patch", [(32, 4), (96, 16), (8, 2)])
def test_patch_count_is_area_over_patch_area(size, patch):
    assert dict(vit.patch_embedding_shapes(size, patch, 8))["cat(class token)"] == (1, (size // patch) ** 2 + 1, 8)


def test_conv_patch_embedding_is_a_linear_map_per_patch():
    assert vit.conv_equals_linear_on_patches() < 1e-5


def test_vit_b_16_parameters_by_formula():
    facts = vit.torchvision_vit_b_16()
    d, layers = 768, 12
    encoder_layer = 4 * d + (4 * d * d + 4 * d) + (8 * d * d + 5 * d)  # 2 layer norms, attention, MLP (4·d hidden)
    expected = (3 * 16 * 16 * d + d) + d + 197 * d + layers * encoder_layer + 2 * d + (d * 1000 + 1000)
    assert facts["parameters"] == expected == 86_567_656
    assert facts["tokens"] == (1, 196, 768) and facts["logits"] == (1, 1000)
    assert facts["weights_parameters"] == facts["parameters"]  # the trained weights fit this very model


def test_tiny_vit_shapes(device):
    model = vit.TinyViT(CONFIG).to(device)
    assert model(torch.zeros(5, 1, 8, 8, device=device)).shape == (5, 10)
    assert model.positions.shape == (1, 17, CONFIG.dim)


@pytest.fixture(scope="module")
def trained(device):
    return vit.train(CONFIG, device, log=lambda _: None)


def test_tiny_vit_learns_digits(trained):
    _, losses, accuracies = trained
    assert losses[-1] < losses[0] / 10
    assert accuracies[-1] >= MIN_TEST_ACCURACY


def test_published_accuracy_is_this_run(trained, device, root):
    _, _, accuracies = trained
    published = json.loads((root / "generated/vit/vit.tiny.json").read_text(encoding="utf-8"))
    tolerance = declared("vit/vit.tiny.json", "final_test_accuracy") if device.type == "cpu" else {"abs": 0.03}
    assert round(accuracies[-1], 4) == pytest.approx(published["final_test_accuracy"], **tolerance)


def test_cli_errors(capsys):
    with pytest.raises(SystemExit) as exit_info:
        vit.main(["--epochs", "0"])
    assert exit_info.value.code == 2 and "--epochs must be at least 1" in capsys.readouterr().err


def test_page_comparison_with_the_cnn_holds(outputs):
    """The page says the tiny ViT trails the CNN chapter's network on the same digits."""
    vit_accuracy = outputs.json("vit/vit.tiny")
    cnn_accuracy = outputs.json("cnn/walkthrough.metrics")
    assert vit_accuracy["final_test_accuracy"] < cnn_accuracy["final_test_accuracy"]


def test_cifar_shaped_images_through_the_same_code():
    """The page's "with internet: CIFAR-10" path, with torchvision's FakeData standing in (no download)."""
    from torch.utils.data import DataLoader
    from torchvision import datasets, transforms

    fake = datasets.FakeData(size=8, image_size=(3, 32, 32), num_classes=10, transform=transforms.ToTensor())
    images, _ = next(iter(DataLoader(fake, batch_size=8)))
    model = vit.TinyViT(vit.Config(image_size=32, patch=4), channels=3)
    assert model(images).shape == (8, 10)
    assert model.positions.shape[1] == (32 // 4) ** 2 + 1
