"""Scaffold a new chapter in both languages: pages, snippet, recipe, test, API page, navigation.

    python -m tools.new_chapter gan --tr "Çekişmeli Üretici Ağlar" --en "Generative Adversarial Networks"
    make chapter NAME=gan TR="Çekişmeli Üretici Ağlar" EN="Generative Adversarial Networks"

The new chapter builds at once, and its placeholder tests fail until real tests replace them,
so a stub cannot be merged by accident. Its page ends with one exercise of each kind: a solution
(a section of ``snippets/<name>/exercises.py``, its generated value, ``tests/<name>/test_exercises.py``)
and an open question.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

from tools import generate

ROOT = Path(__file__).resolve().parents[1]

SNIPPET = '''"""{en} / {tr}.

One sentence on what this module shows. Needs: torch. Runs on the CPU in a second.

    python -m snippets.{name}.example
"""

from __future__ import annotations

import torch


# --8<-- [start:first_step]
def first_step(seed: int = 0) -> torch.Tensor:
    """Replace with the chapter's first real step; keep seeds inside functions."""
    torch.manual_seed(seed)
    return torch.arange(6, dtype=torch.float32).reshape(2, 3)  # (2, 3)
# --8<-- [end:first_step]


def main() -> None:
    """Print what the page shows."""
    print(first_step())


if __name__ == "__main__":
    main()
'''

EXERCISES = '''"""Solutions of the chapter's exercises / Bölümün alıştırmalarının çözümleri.

One named section per exercise with a checked answer; the recipe writes what
each returns, the page shows it under the exercise. Needs: torch.

    python -m snippets.{name}.exercises
"""

from __future__ import annotations

import argparse
import sys

import torch


# --8<-- [start:first_exercise]
def first_exercise() -> list[int]:
    """Replace with the answer of the chapter's first exercise."""
    return list(torch.arange(6).reshape(3, 2).shape)  # [3, 2]
# --8<-- [end:first_exercise]


def main(argv: list[str] | None = None) -> int:
    """Print the answer of every exercise."""
    parser = argparse.ArgumentParser(description="The exercises' answers.")
    parser.parse_args(argv)
    print("first exercise:", first_exercise())
    return 0


if __name__ == "__main__":
    sys.exit(main())
'''

RECIPE = '''"""Outputs of the chapter "{en}" (docs/*/{name}/index.md)."""

from __future__ import annotations

from snippets.{name} import example, exercises
from tools.generate import Outputs


def generate(out: Outputs) -> None:
    """Every output of the chapter, in page order; the exercises' answers last."""
    out.capture("example.first_step", example.main)
    out.json("exercises.first_exercise", {{"shape": exercises.first_exercise()}})
'''

TEST = '''"""snippets/{name}/example.py: facts the chapter states, checked independently of the generator."""

from __future__ import annotations

import pytest

from snippets.{name} import example


def test_first_step_shape():
    assert example.first_step().shape == (2, 3)


def test_placeholder():
    pytest.fail("tests/{name}/test_example.py is a scaffold: test what the chapter claims, then delete this test")
'''

TEST_EXERCISES = '''"""snippets/{name}/exercises.py: what each solution on the page claims, one test per section."""

from __future__ import annotations

import pytest


def test_first_exercise(outputs):
    """first_exercise: the claim the solution states, on the committed and on a fresh run's values."""
    assert outputs.json("{name}/exercises.first_exercise")["shape"] == [3, 2]


def test_placeholder():
    pytest.fail("tests/{name}/test_exercises.py is a scaffold: test what each solution claims, then delete this test")
'''

PAGE = {
    "tr": '''---
description: "Ana sayfadaki bölüm listesinde görünen tek satır: okurun bu bölümde ne öğreneceği."
---
# {tr} {{ #{name} }}

Bu bölümde ne kuracağınızı bir iki cümleyle anlatın.

{{{{ notebooks('{name}') }}}}

## İlk adım {{ #first-step }}

Kavramı anlatın, sonra kodu gösterin:

```python
--8<-- "snippets/{name}/example.py:first_step"
```

{{{{ output('{name}/example.first_step') }}}}

Çıktıyı bir cümleyle okuyun.

## Özet {{ #summary }}

- Bölümün ana fikri.

## Alıştırmalar {{ #exercises }}

1. Okurun kendi başına deneyeceği, cevabı denetlenebilen bir değişiklik.

    ??? success "Çözüm"

        Cevap bir iki cümlede, sayılar üretilen değerlerden:
        `{{{{ data('{name}/exercises.first_exercise').shape }}}}`.

        ```python
        --8<-- "snippets/{name}/exercises.py:first_exercise"
        ```

2. Tek bir denetlenmiş cevabı olmayan bir soru (örneğin "kendi makinenizde deneyin").

    ??? info "Açık soru"

        Neden tek bir cevabı olmadığı, okurun neye bakıp kendi sonucunu nasıl denetleyeceği.
''',
    "en": '''---
description: "The one line shown in the home page's chapter list: what the reader learns here."
---
# {en} {{ #{name} }}

Say in a sentence or two what the reader builds in this chapter.

{{{{ notebooks('{name}') }}}}

## First step {{ #first-step }}

Explain the idea, then show the code:

```python
--8<-- "snippets/{name}/example.py:first_step"
```

{{{{ output('{name}/example.first_step') }}}}

Read the output in one sentence.

## Summary {{ #summary }}

- The chapter's main idea.

## Exercises {{ #exercises }}

1. A change readers try on their own, with an answer that can be checked.

    ??? success "Solution"

        The answer in a sentence or two, its numbers from the generated values:
        `{{{{ data('{name}/exercises.first_exercise').shape }}}}`.

        ```python
        --8<-- "snippets/{name}/exercises.py:first_exercise"
        ```

2. A question with no single checked answer (e.g. "try it on your machine").

    ??? info "Open question"

        Why there is no single answer, and what readers look at to check their own result.
''',
}

API_PAGE = {
    "tr": "# API: {tr} {{ #api-{name} }}\n\n`snippets/{name}/` modüllerinin belge dizgelerinden üretilmiştir; "
          "kullanımını [bölümün kendisi](../{name}/index.md) anlatır.\n\n::: snippets.{name}.example\n\n"
          "::: snippets.{name}.exercises\n",
    "en": "# API: {en} {{ #api-{name} }}\n\nGenerated from the docstrings of the `snippets/{name}/` modules; "
          "[the chapter itself](../{name}/index.md) shows how to use them.\n\n::: snippets.{name}.example\n\n"
          "::: snippets.{name}.exercises\n",
}

NAV = {"mkdocs.yml": ("tr", "glossary.md", "API başvurusu:"), "mkdocs.en.yml": ("en", "glossary.md", "API reference:")}


def nav_sections(lines: list[str], api_header: str) -> list[tuple[str, int]]:
    """Chapter sections of a navigation (title, line of its header), in order; the API section is left out."""
    sections = []
    for i, line in enumerate(lines):
        match = re.fullmatch(r"  - (.+):\s*", line)
        if match and line.strip() != f"- {api_header}":
            sections.append((str(yaml.safe_load(match.group(1))), i))
    return sections


def section_index(section: str, root: Path = ROOT) -> int:
    """Position of ``section`` (its Turkish or English title, any case) among the navigation's sections."""
    titles = []
    for config, (_, _, api_header) in NAV.items():
        lines = (root / config).read_text(encoding="utf-8").splitlines()
        titles.append([title for title, _ in nav_sections(lines, api_header)])
    for index, names in enumerate(zip(*titles, strict=True)):
        if section.casefold() in (name.casefold() for name in names):
            return index
    choices = ", ".join(f'"{tr}" / "{en}"' for tr, en in zip(*titles, strict=True))
    raise ValueError(f"no navigation section {section!r}; use one of {choices}, or leave --section out")


def add_to_nav(config: Path, title: str, name: str, before: str, api_header: str, section: int | None = None) -> None:
    """Insert the chapter at the end of nav section number ``section`` (before the glossary when None),
    and its API page at the end of the API section."""
    lines = config.read_text(encoding="utf-8").splitlines()
    title = json.dumps(title, ensure_ascii=False)  # a JSON string is valid YAML, even with ": " or quotes inside
    if section is None:
        chapter_at = next(i for i, line in enumerate(lines) if line.strip().endswith(before))
        lines.insert(chapter_at, f"  - {title}: {name}/index.md")
    else:
        lines.insert(_children_end(lines, nav_sections(lines, api_header)[section][1]),
                     f"      - {title}: {name}/index.md")
    header_at = next(i for i, line in enumerate(lines) if line.strip() == f"- {api_header}")
    lines.insert(_children_end(lines, header_at), f"      - {title}: api/{name}.md")
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _children_end(lines: list[str], header_at: int) -> int:
    """The line just after the last entry of the section whose header is at ``header_at``."""
    end = header_at + 1
    while end < len(lines) and lines[end].startswith("      - "):
        end += 1
    return end


def scaffold(name: str, tr: str, en: str, root: Path = ROOT, section: str | None = None) -> list[Path]:
    """Write every file of a new chapter; returns them. Refuses names in use or not snake_case, and
    navigation sections that do not exist (``section`` is a section title in either language)."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise ValueError(f"chapter name {name!r} must be lower_snake_case (letters, digits, _), e.g. gan")
    if (root / "snippets" / name).exists() or name in generate.chapters(root):
        raise ValueError(f"chapter {name!r} already exists (snippets/{name}/)")
    position = None if section is None else section_index(section, root)
    values = {"name": name, "tr": tr, "en": en}
    files = {
        root / "snippets" / name / "__init__.py": f'"""Chapter: {en} / {tr}."""\n',
        root / "snippets" / name / "example.py": SNIPPET.format(**values),
        root / "snippets" / name / "exercises.py": EXERCISES.format(**values),
        root / "tools" / "recipes" / f"{name}.py": RECIPE.format(**values),
        root / "tests" / name / "__init__.py": "",
        root / "tests" / name / "test_example.py": TEST.format(**values),
        root / "tests" / name / "test_exercises.py": TEST_EXERCISES.format(**values),
    }
    for lang in ("tr", "en"):
        files[root / "docs" / lang / name / "index.md"] = PAGE[lang].format(**values)
        files[root / "docs" / lang / "api" / f"{name}.md"] = API_PAGE[lang].format(**values)
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for config, (lang, before, api_header) in NAV.items():
        add_to_nav(root / config, values[lang], name, before, api_header, position)
    return sorted(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.new_chapter", description=__doc__.splitlines()[0])
    parser.add_argument("name", help="folder name, lower_snake_case, e.g. gan")
    parser.add_argument("--tr", required=True, help="Turkish title")
    parser.add_argument("--en", required=True, help="English title")
    parser.add_argument("--section", help='navigation section, its Turkish or English title, e.g. "Generative models" '
                                          "(default: a top-level entry before the glossary)")
    args = parser.parse_args(argv)
    try:
        files = scaffold(args.name, args.tr, args.en, section=args.section)
    except ValueError as error:
        print(f"new_chapter: {error}", file=sys.stderr)
        return 2
    for path in files:
        print(f"created {path.relative_to(ROOT)}")
    print("added to nav: mkdocs.yml, mkdocs.en.yml")
    print(f"{args.name}: {generate.generate(args.name)}")
    print(f"next: write the chapter, then `make generate CHAPTER={args.name}`, `make test`, `make site`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
