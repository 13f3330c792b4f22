"""The page sources: both languages match, every include exists, no mojibake."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tools.hooks import missing_twins

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(p.relative_to(DOCS / "tr").as_posix() for p in (DOCS / "tr").rglob("*.md"))
INCLUDE = re.compile(r'^\s*--8<-- "([^":]+)(?::([a-z][-_0-9a-z]*))?"', re.M)
GENERATED_REF = re.compile(r"\b(output|table|figure|data)\('([^']+)'")
API = re.compile(r"^::: ([\w.]+)", re.M)
HEADING = re.compile(r"^(#{1,6}) .*?(?:\{ #([-\w]+) \})?\s*$")


def headings(text: str) -> list[tuple[int, str | None]]:
    """(level, anchor) of every heading outside code blocks."""
    found, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and (match := HEADING.match(line)):
            found.append((len(match.group(1)), match.group(2)))
    return found


def outputs_and_includes(text: str) -> list[str]:
    return [f"{kind}:{name}" for kind, name in GENERATED_REF.findall(text)] + \
        [f"include:{path}:{section}" for path, section in INCLUDE.findall(text)] + \
        [f"api:{name}" for name in API.findall(text)]


def test_every_page_has_its_twin():
    assert not missing_twins(), "\n".join(missing_twins())


@pytest.mark.parametrize("page", PAGES)
def test_twins_have_same_headings_and_outputs(page):
    tr, en = ((DOCS / lang / page).read_text(encoding="utf-8") for lang in ("tr", "en"))
    assert headings(tr) == headings(en), f"docs/tr/{page} and docs/en/{page}: headings (level, anchor) differ"
    assert all(anchor for _, anchor in headings(tr)), f"docs/tr/{page}: give every heading an anchor {{ #name }}"
    assert outputs_and_includes(tr) == outputs_and_includes(en), \
        f"docs/tr/{page} and docs/en/{page} include different code sections or generated outputs"


def test_navigation_lists_the_same_pages_in_the_same_order():
    def flatten(items: list) -> list[str]:
        return [f for item in items for value in item.values()
                for f in (flatten(value) if isinstance(value, list) else [value])]

    def files(config: str) -> list[str]:
        return flatten(yaml.safe_load((ROOT / config).read_text(encoding="utf-8"))["nav"])

    assert files("mkdocs.yml") == files("mkdocs.en.yml")
    assert sorted(files("mkdocs.yml")) == PAGES


def all_pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


@pytest.mark.parametrize("path", all_pages(), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_includes_and_generated_outputs_exist(path):
    text = path.read_text(encoding="utf-8")
    for file, section in INCLUDE.findall(text):
        source = ROOT / file
        assert source.exists(), f"{path.relative_to(ROOT)} includes {file}, which does not exist"
        if section:
            body = source.read_text(encoding="utf-8")
            assert f"[start:{section}]" in body and f"[end:{section}]" in body, \
                f"{path.relative_to(ROOT)} includes section {section!r} that {file} does not define"
    suffix = {"output": ".txt", "table": ".table.json", "data": ".json", "figure": ".tr.png"}
    for kind, name in GENERATED_REF.findall(text):
        assert (ROOT / "generated" / f"{name}{suffix[kind]}").exists(), \
            f"{path.relative_to(ROOT)} uses {kind}('{name}') but generated/ has no such output: run `make generate`"


def test_every_snippet_section_is_shown_on_a_page():
    shown = {f"{file}:{section}" for page in all_pages()
             for file, section in INCLUDE.findall(page.read_text(encoding="utf-8"))}
    for module in sorted((ROOT / "snippets").rglob("*.py")):
        for section in re.findall(r"\[start:([a-z][-_0-9a-z]*)\]", module.read_text(encoding="utf-8")):
            name = f"{module.relative_to(ROOT).as_posix()}:{section}"
            assert name in shown, f"section {name} is not included by any page: include it or remove the markers"


MOJIBAKE = re.compile("Ã|Ä±|Å|Ä°|Ã¼|Ã§|â€")


def test_no_mojibake():
    files = [*all_pages(), *(ROOT / "snippets").rglob("*.py"), *(ROOT / "tools").rglob("*.py"),
             *(ROOT / "generated").rglob("*.json"), *(ROOT / "generated").rglob("*.txt")]
    bad = [f.relative_to(ROOT).as_posix() for f in files if MOJIBAKE.search(f.read_text(encoding="utf-8"))]
    assert not bad, f"broken Turkish encoding (UTF-8 read as Latin-1) in: {bad}"


def test_every_snippet_module_has_an_api_page_and_a_test():
    documented = {name for page in (DOCS / "en").rglob("*.md")
                  for name in API.findall(page.read_text(encoding="utf-8"))}
    for module in sorted((ROOT / "snippets").glob("*/*.py")):
        if module.name == "__init__.py":
            continue
        chapter, name = module.parent.name, module.stem
        assert f"snippets.{chapter}.{name}" in documented, \
            f"{module.relative_to(ROOT)} is not in the API reference: add `::: snippets.{chapter}.{name}` " \
            f"to docs/tr/api/{chapter}.md and docs/en/api/{chapter}.md"
        assert (ROOT / "tests" / chapter / f"test_{name}.py").exists(), \
            f"{module.relative_to(ROOT)} has no test: create tests/{chapter}/test_{name}.py"
