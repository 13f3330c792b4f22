"""Every exercise has a solution that the code computed and a test checked, or says it is an open question.

Under each numbered item of a chapter's ``## … { #exercises }`` section, one collapsed block:

- ``??? success "Çözüm"`` / ``"Solution"``: embeds a section of ``snippets/<chapter>/exercises.py``,
  shows at least one generated value (``{{ … }}``), and the section's name appears in
  ``tests/<chapter>/test_exercises.py`` (the test that checks the solution's claim);
- ``??? info "Açık soru"`` / ``"Open question"``: an exercise with no single checked answer, saying why.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tools import generate

ROOT = Path(__file__).resolve().parents[1]
KINDS = {"tr": {'??? success "Çözüm"': "solution", '??? info "Açık soru"': "open"},
         "en": {'??? success "Solution"': "solution", '??? info "Open question"': "open"}}
ITEM = re.compile(r"^\d+\. ", re.M)
SECTION = re.compile(r'--8<-- "snippets/(?P<chapter>\w+)/exercises\.py:(?P<name>[a-z][-_0-9a-z]*)"')


def exercises(chapter: str, lang: str) -> list[str]:
    """The text of each numbered exercise (with what is indented under it) of a chapter page."""
    page = (ROOT / "docs" / lang / chapter / "index.md").read_text(encoding="utf-8")
    match = re.search(r"^## .*\{ #exercises \}\n(?P<body>.*?)(?=^## |\Z)", page, re.M | re.S)
    if not match:
        return []
    starts = [m.start() for m in ITEM.finditer(match["body"])]
    return [match["body"][a:b] for a, b in zip(starts, [*starts[1:], len(match["body"])], strict=True)]


def kind_of(item: str, lang: str) -> str:
    found = [kind for marker, kind in KINDS[lang].items() for _ in re.finditer(re.escape(marker), item)]
    assert len(found) == 1, (f"exercise {item.splitlines()[0][:70]!r} needs exactly one of "
                             f"{' / '.join(KINDS[lang])} under it, indented four spaces (found {len(found)})")
    return found[0]


@pytest.mark.parametrize("chapter", generate.chapters())
def test_every_exercise_has_a_tested_solution_or_says_it_is_open(chapter):
    kinds: dict[str, list[str]] = {}
    tests = ROOT / "tests" / chapter / "test_exercises.py"
    for lang in KINDS:
        items = exercises(chapter, lang)
        kinds[lang] = [kind_of(item, lang) for item in items]
        for item, kind in zip(items, kinds[lang], strict=True):
            if kind != "solution":
                continue
            where = f"docs/{lang}/{chapter}/index.md, exercise {item.split('.')[0]}"
            sections = [m for m in SECTION.finditer(item)]
            assert sections, f"{where}: the solution embeds no section of snippets/{chapter}/exercises.py"
            assert all(m["chapter"] == chapter for m in sections), f"{where}: another chapter's exercises.py"
            assert "{{" in item, f"{where}: the solution shows no generated value ({{{{ data(…) }}}})"
            assert tests.exists(), f"{where}: write {tests.relative_to(ROOT)}, the test of the solutions' claims"
            text = tests.read_text(encoding="utf-8")
            for m in sections:
                assert m["name"] in text, f"{where}: no test names the section {m['name']!r} in {tests.name}"
    assert kinds["tr"] == kinds["en"], f"{chapter}: the two languages' exercises differ: {kinds}"
