"""`make chapter`: a scaffolded chapter builds in both languages and its placeholder test fails."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import copy_project

ROOT = Path(__file__).resolve().parents[1]
PARTS = ["mkdocs.yml", "mkdocs.en.yml", "pyproject.toml", "constraints.txt",
         "config", "docs", "tools", "snippets", "generated", "tests"]


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, *args], cwd=project, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("project"), PARTS)
    result = run(root, "-m", "tools.new_chapter", "demo", "--tr", "Deneme: bölüm", "--en", "Trial: a chapter")
    assert result.returncode == 0, result.stderr
    assert "demo: generated" in result.stdout
    return root


@pytest.mark.parametrize("config", ["mkdocs.yml", "mkdocs.en.yml"])
def test_scaffolded_chapter_builds(project, config, tmp_path):
    result = run(project, "-m", "mkdocs", "build", "--strict", "-f", config, "-d", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "site" / "demo" / "index.html").exists()


def test_scaffold_passes_the_structure_checks(project):
    result = run(project, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not slow",
                 "tests/test_doctor.py", "tests/test_terms.py", "tests/test_generated.py", "tests/test_notebooks.py")
    assert result.returncode == 0, result.stdout[-3000:]


def test_placeholder_test_fails_until_written(project):
    result = run(project, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/demo")
    assert result.returncode == 1
    assert "1 failed, 1 passed" in result.stdout
    assert "is a scaffold: test what the chapter claims" in result.stdout


@pytest.mark.parametrize(("name", "message"), [("demo", "already exists"), ("Bad-Name", "lower_snake_case")])
def test_bad_names_are_refused_in_one_line(project, name, message):
    result = run(project, "-m", "tools.new_chapter", name, "--tr", "x", "--en", "y")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr
