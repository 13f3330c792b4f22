"""Outputs of the chapter "Large language models and a tiny GPT" (docs/*/llm/index.md)."""

from __future__ import annotations

from snippets.llm import example
from tools.generate import Outputs


def generate(out: Outputs) -> None:
    """Every output of the chapter, in page order."""
    out.capture("example.first_step", example.main)
