"""The structure checks of tools/doctor.py: on the real tree, and proof that each one catches its problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import copy_project
from tools import doctor

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("check", doctor.CHECKS, ids=lambda check: check.__name__)
def test_tree_passes(check):
    problems = check(ROOT)
    assert not problems, "\n".join(problems)


@pytest.fixture
def tree(tmp_path) -> Path:
    return copy_project(tmp_path, ["mkdocs.yml", "mkdocs.en.yml", "constraints.txt", "docs", "snippets", "tools",
                                   "generated", "tests"])


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_each_check_names_the_file_and_the_fix(tree):
    (tree / "docs/tr/yalniz.md").write_text("# Yalnız { #yalniz }\n", encoding="utf-8")
    append(tree / "docs/en/cnn/index.md", "\n## Extra { #extra }\n\nThe XYZ network.\n")
    append(tree / "snippets/cnn/layers.py", "\n# --8<-- [start:orphan]\nORPHAN = 1\n# --8<-- [end:orphan]\n")
    (tree / "tests/cnn/test_layers.py").unlink()
    rnn = tree / "docs/tr/rnn/index.md"
    rnn.write_text(rnn.read_text(encoding="utf-8").split("---\n", 2)[2], encoding="utf-8")
    (tree / "snippets/cnn/types.py").write_text('"""Types."""\n', encoding="utf-8")
    (tree / "snippets/cnn/tokenizers.py").write_text('"""Tokenizers."""\n', encoding="utf-8")
    append(tree / "generated/cnn/walkthrough.fit.txt", "edited\n")
    lines = "\n".join(line for check in doctor.CHECKS for line in check(tree))
    assert "docs/tr/yalniz.md has no twin: create docs/en/yalniz.md" in lines
    assert "docs/*/cnn/index.md: headings differ between tr and en" in lines
    assert "docs/en/cnn/index.md: XYZ is not in docs/terms.yml" in lines
    assert "snippets/cnn/layers.py: section 'orphan' is on no page" in lines
    assert "snippets/cnn/layers.py has no test: create tests/cnn/test_layers.py" in lines
    assert "snippets/cnn/layers.py changed: run `make generate CHAPTER=cnn`" in lines
    assert "generated/cnn/walkthrough.fit.txt was edited by hand" in lines
    assert "docs/tr/rnn/index.md has no description for the home page" in lines
    assert "snippets/cnn/types.py: a copy named types.py hides Python's own `types` module: rename it" in lines
    assert "snippets/cnn/tokenizers.py: a copy named tokenizers.py hides the `tokenizers` package many readers" in lines
    assert "docs/tr/yalniz.md is not in the navigation: add it to mkdocs.yml nav" in lines


def test_missing_section_and_output_are_named(tree):
    append(tree / "docs/tr/cnn/index.md", '\n```python\n--8<-- "snippets/cnn/layers.py:nope"\n```\n'
                                          "{{ output('cnn/nothing') }}\n")
    lines = "\n".join(doctor.check_includes(tree) + doctor.check_twin_structure(tree))
    assert "docs/tr/cnn/index.md: includes section 'nope' that snippets/cnn/layers.py does not define" in lines
    assert "docs/tr/cnn/index.md: output('cnn/nothing') has no generated output" in lines
    assert "tr and en include different outputs" in lines


def test_doctor_command_prints_one_line_per_problem(tree, monkeypatch, capsys):
    (tree / "docs/en/only.md").write_text("# Only { #only }\n", encoding="utf-8")
    monkeypatch.setattr(doctor, "ROOT", tree)
    assert doctor.main() == 1
    out = capsys.readouterr().out.splitlines()
    assert "docs/en/only.md has no twin: create docs/tr/only.md (same headings and outputs, translated)" in out
