"""snippets/diffusion/text_to_image.py: the shapes of a latent text-to-image system."""

from __future__ import annotations

from snippets.diffusion import text_to_image as t2i


def test_latent_and_compression():
    assert t2i.latent_shape() == (4, 64, 64)
    assert t2i.compression() == (3 * 512 * 512) // (4 * 64 * 64) == 48


def test_every_latent_position_attends_over_the_prompt():
    shapes = t2i.cross_attention_shapes()
    assert shapes["attention weights"] == (1, 64 * 64, 77)
    assert shapes["output"] == shapes["image features (queries)"] == (1, 4096, 320)
