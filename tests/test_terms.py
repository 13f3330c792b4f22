"""docs/terms.yml: complete in both languages, and every abbreviation a page uses is defined."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tools.macros import abbreviations, load_terms, sort_key

ROOT = Path(__file__).resolve().parents[1]
TERMS = load_terms()
ABBREVIATIONS = {entry["abbr"] for entry in TERMS.values() if "abbr" in entry}
ALL_CAPS = re.compile(r"\b[A-Z][A-Z0-9]+\b")


def prose(markdown: str) -> str:
    """The text a reader sees as sentences: no code, no Jinja, no link targets, no HTML tags."""
    markdown = re.sub(r"^(```|~~~).*?^\1", " ", markdown, flags=re.S | re.M)
    markdown = re.sub(r"^ {4}.*$", " ", markdown, flags=re.M)
    markdown = re.sub(r"`[^`\n]*`|\{\{.*?\}\}|\{%.*?%\}|\]\([^)]*\)|<[^>]+>|\{ #[^}]*\}", " ", markdown, flags=re.S)
    return markdown


@pytest.mark.parametrize("key", sorted(TERMS))
def test_every_term_is_defined_in_both_languages(key):
    entry = TERMS[key]
    assert re.fullmatch(r"[a-z][a-z0-9_]*", key), f"docs/terms.yml: key {key!r} must be lower_snake_case"
    for lang in ("tr", "en"):
        assert entry.get(lang, {}).get("term") and entry[lang].get("definition"), \
            f"docs/terms.yml: {key} needs {lang}: {{term: …, definition: …}}"
    if "page" in entry:
        for lang in ("tr", "en"):
            assert (ROOT / "docs" / lang / entry["page"]).exists(), f"docs/terms.yml: {key}.page does not exist"


def test_abbreviations_are_unique():
    listed = [entry["abbr"] for entry in TERMS.values() if "abbr" in entry]
    assert len(listed) == len(set(listed))


@pytest.mark.parametrize("page", sorted((ROOT / "docs").rglob("*.md")), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_abbreviation_used_is_in_the_glossary(page):
    used = set(ALL_CAPS.findall(prose(page.read_text(encoding="utf-8"))))
    missing = sorted(used - ABBREVIATIONS)
    assert not missing, (f"{page.relative_to(ROOT)} uses {', '.join(missing)} but docs/terms.yml does not define "
                         f"{'it' if len(missing) == 1 else 'them'}: add an entry with abbr, tr and en")


def test_tooltips_are_in_the_page_language():
    tr, en = abbreviations(TERMS, "tr"), abbreviations(TERMS, "en")
    assert "*[CNN]: Evrişimli sinir ağı (Convolutional neural network)" in tr.splitlines()
    assert "*[CNN]: Convolutional neural network" in en.splitlines()


def test_turkish_alphabetical_order():
    words = ["ızgara", "çekirdek", "ağırlık", "şekil", "sınıf", "cihaz", "iç", "öznitelik", "zaman", "ortalama"]
    assert sorted(words, key=lambda w: sort_key(w, "tr")) == [
        "ağırlık", "cihaz", "çekirdek", "ızgara", "iç", "ortalama", "öznitelik", "sınıf", "şekil", "zaman"]
