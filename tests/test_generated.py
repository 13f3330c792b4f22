"""generated/: up to date with the code, reproducible, and the generator fails loudly and cleanly."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools import generate, verify
from tools.verify import Tol

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
def test_committed_outputs_verify_against_a_run_on_other_numeric_settings(chapter, fresh_runs):
    """The "another machine" check: the recipe re-run with another CPU capability, MKL/oneDNN code
    path and thread count reproduces the committed outputs under the contract (tools/verify.py)."""
    problems = generate.verify_outputs(chapter, fresh_runs.chapter(chapter))
    assert not problems, "\n".join(problems) + (
        f"\nIf the code changed: `make generate CHAPTER={chapter}`. If only the machine differs: measure the "
        f"spread (`python -m tools.spread {chapter}`) and declare a tolerance (CONTRIBUTING, verification).")


def test_manifest_records_environment_tolerances_and_run_time(root):
    manifest = json.loads((root / "generated/cnn/manifest.json").read_text(encoding="utf-8"))
    assert {"torch", "torchvision", "cpu_capability", "threads", "MKL_CBWR"} <= set(manifest["environment"])
    assert manifest["environment"]["threads"] == verify.PINNED_THREADS
    assert manifest["seconds"] > 0
    assert manifest["tolerances"], "the CNN trains: its recipe declares tolerances"


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


BLAS_SNIPPET = ("import numpy\nfrom threadpoolctl import threadpool_info\n\ndef answer():\n"
                "    return sorted({(i['architecture'], i['num_threads']) for i in threadpool_info()})\n")


def test_a_recipe_process_pins_openblas_kernels_and_threads(tmp_path, root, monkeypatch):
    """numpy's OpenBLAS (under scikit-learn's models) takes the pinned kernels and thread count, or the
    other settings' ones, whatever the environment the generator was started from says."""
    monkeypatch.setenv("OPENBLAS_CORETYPE", "Nehalem")  # a reader's shell
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "3")
    project = _mini_project(tmp_path, root, RECIPE, BLAS_SNIPPET)
    generate.generate("demo", root=project)
    pinned = json.loads((project / "generated/demo/work.answer.json").read_text(encoding="utf-8"))
    assert pinned == [[verify.PINNED["OPENBLAS_CORETYPE"], verify.PINNED_THREADS]]
    (tmp_path / "other").mkdir()
    generate.run_recipe("demo", tmp_path / "other", project, numeric="other")
    other = json.loads((tmp_path / "other/work.answer.json").read_text(encoding="utf-8"))
    assert other == [[verify.OTHER["OPENBLAS_CORETYPE"], verify.OTHER_THREADS]]


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
    problems = generate.check("demo", root=project)
    assert problems[:2] == [
        "generated/demo/work.answer.json: value 41 → 42 (exact: the recipe declares no tolerance for it)",
        "generated/demo/work.seconds.timing.json: its keys or text changed"]


@pytest.mark.parametrize("cell", [{"tr": "evet"}, {"percent": 0.5, "tr": "x"}, {"pct": 0.5}])
def test_table_refuses_a_dict_cell_it_cannot_show(tmp_path, cell):
    with pytest.raises(ValueError, match="a dict cell is"):
        generate.Outputs(tmp_path).table("t", {"tr": ["a"], "en": ["a"]}, [[cell]])


# ---------------------------------------------------------------- the verification contract
# Plain Python (no torch to import, four seconds of CPU per run): the contract is about the numbers.
CONTRACT_SNIPPET = """LEARNING_RATE = 0.1


def train() -> list[float]:
    xs = [-1 + 2 * i / 63 for i in range(64)]
    w, b, losses = 0.0, 0.0, []
    for _ in range(20):
        errors = [w * x + b - (3 * x + 0.5) for x in xs]
        losses.append(sum(e * e for e in errors) / len(xs))
        w -= LEARNING_RATE * 2 * sum(e * x for e, x in zip(errors, xs)) / len(xs)
        b -= LEARNING_RATE * 2 * sum(errors) / len(xs)
    return losses
"""

CONTRACT_RECIPE = """import matplotlib.pyplot as plt
from snippets.demo import work
from tools.generate import Tol


def plot(losses, lang):
    fig, ax = plt.subplots()
    ax.plot(losses)
    ax.set_title({"tr": "kayıp", "en": "loss"}[lang])
    return fig


def generate(out):
    losses = work.train()
    out.json("work.fit", {"steps": len(losses), "final_loss": round(losses[-1], 6)},
             tolerance={"final_loss": Tol(rel=0.01)})
    out.text("work.log", f"steps {len(losses)}\\nfinal loss {losses[-1]:.6f}", tolerance=Tol(rel=0.01))
    out.figure("work.curve", lambda lang: plot(losses, lang), tolerance=Tol(rel=0.01))
"""


@pytest.fixture(scope="module")
def contract_project(tmp_path_factory, root) -> Path:
    """A mini project whose recipe trains a little and declares tolerances; generated once."""
    project = _mini_project(tmp_path_factory.mktemp("contract"), root, CONTRACT_RECIPE, CONTRACT_SNIPPET)
    generate.generate("demo", root=project)
    return project


@pytest.fixture
def committed(contract_project, tmp_path) -> Path:
    """A copy of the contract project that a test may edit."""
    copy = tmp_path / "p"
    shutil.copytree(contract_project, copy)
    return copy


def _scale_number(path: Path, key: str, factor: float) -> None:
    data = json.loads(path.read_text())
    data[key] = data[key] * factor
    path.write_text(json.dumps(data))


def test_manifest_holds_declared_tolerances_and_the_environment(contract_project):
    manifest = generate.read_manifest(contract_project / "generated/demo")
    assert manifest["tolerances"]["work.fit.json"] == {"final_loss": {"rel": 0.01}}
    assert manifest["tolerances"]["work.curve.figure.json"] == {"*": {"rel": 0.01}}
    assert manifest["environment"]["ATEN_CPU_CAPABILITY"] == verify.PINNED["ATEN_CPU_CAPABILITY"]
    assert set(manifest["outputs"]) >= {"work.curve.tr.png", "work.curve.en.png", "work.curve.figure.json"}


def test_a_drift_within_the_declared_tolerance_verifies(committed):
    _scale_number(committed / "generated/demo/work.fit.json", "final_loss", 1.005)
    assert generate.check("demo", root=committed) == []


def test_a_drift_beyond_the_tolerance_fails_naming_value_tolerance_and_both_environments(committed):
    _scale_number(committed / "generated/demo/work.fit.json", "final_loss", 1.05)
    problems = generate.check("demo", root=committed)
    assert problems[0].startswith("generated/demo/work.fit.json: final_loss ")
    assert problems[0].endswith("beyond the declared tolerance (rel 0.01)")
    assert problems[-2].startswith("committed outputs: torch ") and "ATEN_CPU_CAPABILITY=avx2" in problems[-2]
    assert problems[-1].startswith("this run: torch ") and "ATEN_CPU_CAPABILITY=avx512" in problems[-1]


def test_values_without_a_tolerance_stay_exact(committed):
    _scale_number(committed / "generated/demo/work.fit.json", "steps", 1.0)  # 20 → 20.0: same value, kept
    assert generate.check("demo", root=committed) == []
    path = committed / "generated/demo/work.fit.json"
    path.write_text(path.read_text().replace('"steps": 20.0', '"steps": 21'))
    assert "steps 21 → 20 (exact" in generate.check("demo", root=committed)[0]


def test_text_is_exact_and_its_numbers_within_tolerance(committed):
    path = committed / "generated/demo/work.log.txt"
    text = path.read_text()
    path.write_text(text.replace("final loss", "last loss"))
    assert "text differs (not only in numbers)" in generate.check("demo", root=committed)[0]
    loss = float(text.split()[-1])
    path.write_text(text.replace(f"{loss:.6f}", f"{loss * 1.004:.6f}"))
    assert generate.check("demo", root=committed) == []


def test_figures_are_verified_by_their_data_not_their_bytes(committed):
    folder = committed / "generated/demo"
    (folder / "work.curve.tr.png").write_bytes((folder / "work.curve.tr.png").read_bytes() + b"rendered elsewhere")
    assert generate.check("demo", root=committed) == []
    data = json.loads((folder / "work.curve.figure.json").read_text())
    data["axes"][0]["lines"][0][-1][1] *= 1.5  # the last point of the curve
    (folder / "work.curve.figure.json").write_text(json.dumps(data))
    assert "work.curve.figure.json: axes.0.lines.0.19.1" in generate.check("demo", root=committed)[0]


def test_a_real_change_fails_despite_the_tolerances(committed):
    """A new learning rate is a change of the code, not of the machine: verification goes red."""
    snippet = committed / "snippets/demo/work.py"
    snippet.write_text(snippet.read_text().replace("LEARNING_RATE = 0.1", "LEARNING_RATE = 0.12"))
    problems = generate.check("demo", root=committed)
    assert any("final_loss" in p and "beyond the declared tolerance" in p for p in problems)


def test_a_figure_must_draw_the_same_data_in_both_languages(tmp_path):
    import matplotlib.pyplot as plt

    def make(lang):
        fig, ax = plt.subplots()
        ax.plot([1, 2] if lang == "tr" else [1, 3])
        return fig
    with pytest.raises(ValueError, match="draws other data in en than in tr"):
        generate.Outputs(tmp_path).figure("f", make)


def test_a_tolerance_must_allow_something():
    with pytest.raises(ValueError, match="abs > 0 or rel > 0"):
        Tol()
