"""Outputs of the chapter "Vision Transformer (ViT)" (docs/*/vit/index.md)."""

from __future__ import annotations

from snippets.vit import example
from tools.generate import Outputs


def generate(out: Outputs) -> None:
    """Every output of the chapter, in page order."""
    out.capture("example.first_step", example.main)
