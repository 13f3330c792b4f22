"""Outputs of the chapter "Tensors" (docs/*/tensors/index.md)."""

from __future__ import annotations

from snippets.tensors import basics, exercises
from tools.generate import Outputs

SECTIONS = ["creation", "dtypes", "indexing", "reshaping", "broadcasting", "matmul", "numpy", "seeds"]


def generate(out: Outputs) -> None:
    """What each demonstration prints, one text output per page section; the exercises' answers."""
    for section in SECTIONS:
        out.capture(f"basics.{section}", getattr(basics, f"show_{section}"))
    out.json("exercises.broadcast", exercises.broadcast_shape())
    out.json("exercises.flatten", exercises.flatten_for_linear())
    out.json("exercises.contiguous", exercises.view_after_transpose())
