"""Outputs of the chapter "Tensors" (docs/*/tensors/index.md)."""

from __future__ import annotations

from snippets.tensors import basics
from tools.generate import Outputs

SECTIONS = ["creation", "dtypes", "indexing", "reshaping", "broadcasting", "matmul", "numpy", "seeds"]


def generate(out: Outputs) -> None:
    """What each demonstration prints, one text output per page section."""
    for section in SECTIONS:
        out.capture(f"basics.{section}", getattr(basics, f"show_{section}"))
