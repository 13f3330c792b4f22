"""Outputs of the chapter "What machine learning and deep learning are" (docs/*/basics/index.md)."""

from __future__ import annotations

from snippets.basics import rules_vs_learning as rvl
from tools.generate import Outputs


def generate(out: Outputs) -> None:
    """The learned conversion next to the rule, and how the fit improves with more examples."""
    out.capture("rules_vs_learning.compare", rvl.main)
    rows = []
    for n in (3, 10, 100, 1000):
        slope, intercept = rvl.learn_rule(*rvl.readings(n=n))
        rows.append([n, round(slope, 4), round(intercept, 4), round(abs(slope * 100 + intercept - 212), 3)])
    out.table("rules_vs_learning.fits",
              {"tr": ["Örnek sayısı", "Öğrenilen eğim", "Öğrenilen sabit", "100 °C'de hata (°F)"],
               "en": ["Examples", "Learned slope", "Learned intercept", "Error at 100 °C (°F)"]}, rows)
