"""docs/terms.yml drives tooltips and the glossary (completeness is checked by tools/doctor.py)."""

from __future__ import annotations

import pytest

from tools.macros import abbreviations, abbreviations_file, load_terms, sort_key

TERMS = load_terms()


def test_tooltips_are_in_the_page_language():
    tr, en = abbreviations(TERMS, "tr"), abbreviations(TERMS, "en")
    assert "*[CNN]: Evrişimli sinir ağı (Convolutional neural network)" in tr.splitlines()
    assert "*[CNN]: Convolutional neural network" in en.splitlines()


def test_turkish_alphabetical_order():
    words = ["ızgara", "çekirdek", "ağırlık", "şekil", "sınıf", "cihaz", "iç", "öznitelik", "zaman", "ortalama"]
    assert sorted(words, key=lambda w: sort_key(w, "tr")) == [
        "ağırlık", "cihaz", "çekirdek", "ızgara", "iç", "ortalama", "öznitelik", "sınıf", "şekil", "zaman"]


@pytest.mark.parametrize("lang", ["tr", "en"])
def test_tooltip_files_are_up_to_date_with_terms(lang):
    path = abbreviations_file(lang)
    assert path.read_text(encoding="utf-8") == abbreviations(TERMS, lang) + "\n", (
        f"{path.relative_to(path.parents[1])} is out of date with docs/terms.yml: "
        "run `.venv/bin/python -m tools.macros`")


@pytest.mark.parametrize("lang", ["tr", "en"])
def test_each_tooltip_definition_is_a_block_of_its_own(lang):
    """Appended to every page and API docstring, a list in one block makes Python-Markdown re-test the
    rest of the block once per definition: MkDocs built the site almost twice as slowly."""
    blocks = abbreviations(TERMS, lang).split("\n\n")
    assert all(block.count("\n") == 0 and block.startswith("*[") for block in blocks), (
        "tooltip definitions must be separated by blank lines (tools/macros.py abbreviations)")
