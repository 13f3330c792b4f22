"""`make chapter`: a scaffolded chapter builds in both languages and its placeholder test fails."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import copy_project
from tools import new_chapter

ROOT = Path(__file__).resolve().parents[1]
PARTS = ["mkdocs.yml", "mkdocs.en.yml", "pyproject.toml", "constraints.txt",
         "config", "docs", "tools", "snippets", "generated", "tests"]


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, *args], cwd=project, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("project"), PARTS)
    # The Turkish section title places it in both navigations.
    result = run(root, "-m", "tools.new_chapter", "demo", "--tr", "Deneme: bölüm", "--en", "Trial: a chapter",
                 "--section", "üretken MODELLER")
    assert result.returncode == 0, result.stderr
    assert "demo: generated" in result.stdout
    return root


@pytest.mark.parametrize("config", ["mkdocs.yml", "mkdocs.en.yml"])
def test_scaffolded_chapter_builds(project, config, tmp_path):
    result = run(project, "-m", "mkdocs", "build", "--strict", "-f", config, "-d", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "site" / "demo" / "index.html").exists()
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    section = "Üretken modeller" if config == "mkdocs.yml" else "Generative models"
    assert home.index(section) < home.index('href="demo/"'), "the home page lists the chapter in its section"


def test_scaffold_passes_the_structure_checks(project):
    """The doctor's and the glossary's checks of the whole tree, and the new chapter's own checks of its
    outputs, notebooks and exercises (the other chapters' are the main run's)."""
    result = run(project, "-m", "pytest", "-v", "-p", "no:cacheprovider", "-m", "not slow",
                 "-k", "test_doctor or test_terms or demo", "tests/test_doctor.py", "tests/test_terms.py",
                 "tests/test_generated.py", "tests/test_notebooks.py", "tests/test_exercises.py")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "test_every_exercise_has_a_tested_solution_or_says_it_is_open[demo] PASSED" in result.stdout


def test_placeholder_test_fails_until_written(project):
    result = run(project, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/demo")
    assert result.returncode == 1
    # test_example.py: one passes, the placeholder fails; test_exercises.py: the scaffolded solution's
    # test passes on the committed and the fresh outputs, its placeholder fails.
    assert "2 failed, 3 passed" in result.stdout
    assert "is a scaffold: test what the chapter claims" in result.stdout
    assert "is a scaffold: test what each solution claims" in result.stdout


def test_scaffolded_page_has_one_exercise_of_each_kind(project):
    """The exercises' format (tests/test_exercises.py, run on it above) holds for the new chapter from the start."""
    for lang, kinds in {"tr": ('??? success "Çözüm"', '??? info "Açık soru"'),
                        "en": ('??? success "Solution"', '??? info "Open question"')}.items():
        page = (project / "docs" / lang / "demo" / "index.md").read_text(encoding="utf-8")
        assert all(page.count(kind) == 1 for kind in kinds), lang


@pytest.mark.parametrize(("name", "message"), [("demo", "already exists"), ("Bad-Name", "lower_snake_case")])
def test_bad_names_are_refused_in_one_line(project, name, message):
    result = run(project, "-m", "tools.new_chapter", name, "--tr", "x", "--en", "y")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr


@pytest.mark.parametrize(("config", "section"),
                         [("mkdocs.yml", "Üretken modeller"), ("mkdocs.en.yml", "Generative models")])
def test_section_gets_the_chapter_last_and_the_api_page_last(project, config, section):
    nav = yaml.safe_load((project / config).read_text(encoding="utf-8"))["nav"]
    chapters = next(entry[section] for entry in nav if section in entry)
    assert chapters[-1] == {("Deneme: bölüm" if config == "mkdocs.yml" else "Trial: a chapter"): "demo/index.md"}
    api = next(value for entry in nav for value in entry.values() if isinstance(value, list) and "api/" in str(value))
    assert list(api[-1].values()) == ["api/demo.md"]


def test_without_a_section_the_chapter_goes_before_the_glossary(tmp_path):
    for config in ("mkdocs.yml", "mkdocs.en.yml"):
        shutil.copy(ROOT / config, tmp_path / config)
        _, before, api_header = new_chapter.NAV[config]
        new_chapter.add_to_nav(tmp_path / config, "Solo", "solo", before, api_header)
        nav = yaml.safe_load((tmp_path / config).read_text(encoding="utf-8"))["nav"]
        pages = [next(iter(entry.values())) for entry in nav]
        assert pages.index("solo/index.md") == pages.index("glossary.md") - 1


def test_unknown_section_is_refused_with_the_choices(project):
    result = run(project, "-m", "tools.new_chapter", "other", "--tr", "x", "--en", "y", "--section", "Robotics")
    assert result.returncode == 2
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1
    assert "no navigation section 'Robotics'" in message and '"Üretken modeller" / "Generative models"' in message
    assert not (project / "snippets" / "other").exists(), "nothing may be written for a refused section"


def test_issue_template_offers_the_navigation_sections():
    """The new-chapter proposal's dropdown names the sections the scaffold's SECTION= accepts."""
    form = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/new-chapter.yml").read_text(encoding="utf-8"))
    options = next(item for item in form["body"] if item.get("id") == "section")["attributes"]["options"]
    titles = {}
    for config, (lang, _, api_header) in new_chapter.NAV.items():
        lines = (ROOT / config).read_text(encoding="utf-8").splitlines()
        titles[lang] = [title for title, _ in new_chapter.nav_sections(lines, api_header)]
    assert options[:-1] == [f"{en} / {tr}" for en, tr in zip(titles["en"], titles["tr"], strict=True)]
