"""snippets/vit/exercises.py: each solution's claim, on the generated values and the functions."""

from __future__ import annotations

import torch

from snippets.vit import exercises, vit


def test_patch4_leaves_five_tokens_and_keeps_the_accuracy(outputs):
    """patch4: (8 / 4)² + 1 tokens instead of (8 / 2)² + 1, and the accuracy stays within three points of
    the chapter's 2×2-patch model (trained twice as long)."""
    patch4 = outputs.json("vit/exercises.patch4")
    tiny = outputs.json("vit/vit.tiny")
    assert patch4["tokens"] == (8 // 4) ** 2 + 1 and patch4["chapter_tokens"] == tiny["tokens"]
    assert patch4["epochs"] < tiny["epochs"]
    assert abs(patch4["accuracy"] - tiny["final_test_accuracy"]) <= 0.03


def test_patch4_model_is_the_chapters_with_bigger_patches():
    """The copied model matches vit.TinyViT weight for weight and output for output."""
    torch.manual_seed(0)
    ours = exercises.TinyViT(exercises.Config(patch=4)).eval()
    torch.manual_seed(0)
    theirs = vit.TinyViT(vit.Config(patch=4)).eval()
    images = torch.rand(3, 1, 8, 8)
    with torch.no_grad():
        assert torch.equal(ours(images), theirs(images))


def test_mean_pool_accuracy_matches_the_class_token(outputs):
    """mean_pool: reading the mean of the patch tokens changes the accuracy by at most three points."""
    pooling = outputs.json("vit/exercises.mean_pool")
    assert abs(pooling["mean"] - pooling["cls"]) <= 0.03
    assert outputs.json("vit/exercises.patch4")["accuracy"] == pooling["cls"]


def test_mean_pool_reads_every_patch_token():
    torch.manual_seed(0)
    model = exercises.TinyViT(exercises.Config(patch=4, pool="mean")).eval()
    images = torch.rand(2, 1, 8, 8)
    with torch.no_grad():
        tokens = model.encoder(torch.cat([model.class_token.expand(2, -1, -1),
                                          model.to_tokens(images).flatten(2).transpose(1, 2)], 1) + model.positions)
        assert torch.allclose(model(images), model.head(model.norm(tokens[:, 1:].mean(1))))


def test_vit_l_16_formula_equals_the_module(outputs):
    """vit_l_16: the chapter's formula at D = 1024, 24 layers, MLP 4096 equals torchvision's count, and
    at ViT-B/16's sizes it gives the chapter's total."""
    counts = outputs.json("vit/exercises.vit_l_16")
    assert counts["formula"] == counts["module"]
    assert counts["vit_b_16_formula"] == outputs.json("vit/vit.vit_b_16")["parameters"]


def test_vit_parameters_formula_gives_the_chapters_vit_b_16_count(outputs):
    assert exercises.vit_parameters(768, 12, 3072) == outputs.json("vit/vit.vit_b_16")["parameters"]
