"""generated/: up to date with the code, reproducible, and the generator fails loudly and cleanly."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools import generate

CHAPTERS = generate.chapters()


def test_there_are_chapters():
    assert "cnn" in CHAPTERS


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_outputs_match_their_inputs(chapter):
    """Fast: no input changed since generation and no output was edited (hashes in manifest.json)."""
    reasons = generate.stale_reasons(chapter)
    assert not reasons, (f"generated/{chapter}/ is stale ({'; '.join(reasons)}): "
                         f"run `make generate CHAPTER={chapter}` and commit the result")


@pytest.mark.slow
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_fresh_run_reproduces_committed_outputs_byte_for_byte(chapter):
    problems = generate.check(chapter)
    assert not problems, "; ".join(problems) + f": run `make generate CHAPTER={chapter} FORCE=1`"


def _mini_project(tmp_path: Path, root: Path, recipe: str, snippet: str) -> Path:
    """A throw-away copy of the tooling with one extra chapter called ``demo``."""
    shutil.copytree(root / "tools", tmp_path / "tools", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(root / "constraints.txt", tmp_path)
    (tmp_path / "snippets" / "demo").mkdir(parents=True)
    (tmp_path / "snippets" / "__init__.py").write_text("")
    (tmp_path / "snippets" / "demo" / "__init__.py").write_text("")
    (tmp_path / "snippets" / "demo" / "work.py").write_text(snippet)
    (tmp_path / "tools" / "recipes" / "demo.py").write_text(recipe)
    return tmp_path


RECIPE = "from snippets.demo import work\n\ndef generate(out):\n    out.json('work.answer', work.answer())\n"


def test_cache_skips_unchanged_and_notices_changes(tmp_path, root):
    project = _mini_project(tmp_path, root, RECIPE, "def answer():\n    return 42\n")
    assert generate.generate("demo", root=project) == "generated"
    assert generate.generate("demo", root=project) == "up to date"
    manifest = (project / "generated/demo/manifest.json").read_text()
    assert "snippets/demo/work.py" in manifest  # imported modules are tracked as inputs

    (project / "generated/demo/work.answer.json").write_text("41\n")
    assert generate.stale_reasons("demo", project) == ["generated/demo/work.answer.json was edited by hand"]
    (project / "snippets/demo/work.py").write_text("def answer():\n    return 43\n")
    assert "snippets/demo/work.py changed" in generate.stale_reasons("demo", project)
    assert generate.generate("demo", root=project) == "generated"
    assert (project / "generated/demo/work.answer.json").read_text() == "43\n"


def test_failing_snippet_is_one_line_and_leaves_old_outputs(tmp_path, root):
    project = _mini_project(tmp_path, root, RECIPE, "def answer():\n    return 42\n")
    generate.generate("demo", root=project)
    before = (project / "generated/demo/work.answer.json").read_bytes()
    (project / "snippets/demo/work.py").write_text("def answer():\n    raise ValueError('boom')\n")
    with pytest.raises(generate.GenerateError) as error:
        generate.generate("demo", root=project)
    message = str(error.value)
    assert "\n" not in message
    assert "snippets/demo/work.py:2: ValueError: boom" in message
    assert "make generate CHAPTER=demo" in message
    assert (project / "generated/demo/work.answer.json").read_bytes() == before
    assert sorted(p.name for p in (project / "generated").iterdir()) == ["demo"]  # no half-written folder


def test_unknown_chapter_is_a_one_line_error(root):
    result = subprocess.run([sys.executable, "-m", "tools.generate", "no-such-chapter"],
                            cwd=root, capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"generate: unknown chapter 'no-such-chapter'; valid chapters: {', '.join(CHAPTERS)}"]


TIMED_RECIPE = ("import time\nfrom snippets.demo import work\n\ndef generate(out):\n"
                "    out.json('work.answer', work.answer())\n"
                "    out.timing('work.seconds', {'answer': time.perf_counter()})\n")


def test_timings_are_compared_by_structure_not_value(tmp_path, root):
    """Wall-clock figures change every run; the check still notices a changed key or a changed result."""
    project = _mini_project(tmp_path, root, TIMED_RECIPE, "def answer():\n    return 42\n")
    generate.generate("demo", root=project)
    assert (project / "generated/demo/work.seconds.timing.json").exists()
    assert generate.check("demo", root=project) == []
    (project / "generated/demo/work.seconds.timing.json").write_text('{"other": 1.0}\n')
    (project / "generated/demo/work.answer.json").write_text("41\n")
    assert generate.check("demo", root=project) == [
        "generated/demo/work.answer.json differs from what the code produces now",
        "generated/demo/work.seconds.timing.json differs from what the code produces now"]


@pytest.mark.parametrize("cell", [{"tr": "evet"}, {"percent": 0.5, "tr": "x"}, {"pct": 0.5}])
def test_table_refuses_a_dict_cell_it_cannot_show(tmp_path, cell):
    with pytest.raises(ValueError, match="a dict cell is"):
        generate.Outputs(tmp_path).table("t", {"tr": ["a"], "en": ["a"]}, [[cell]])
