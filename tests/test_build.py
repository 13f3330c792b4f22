"""Both language builds: strict, offline-clean, searchable per language; broken pages stop the build."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import pytest
from babel.numbers import format_decimal

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = {"tr": "mkdocs.yml", "en": "mkdocs.en.yml"}
PROJECT_PARTS = ["mkdocs.yml", "mkdocs.en.yml", "config", "docs", "tools", "snippets", "generated"]


def mkdocs_build(project: Path, lang: str, site: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", CONFIGS[lang], "-d", str(site)],
                          cwd=project, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The real site, both languages side by side as they are published."""
    out = tmp_path_factory.mktemp("site")
    for lang in CONFIGS:
        result = mkdocs_build(ROOT, lang, out / lang)
        assert result.returncode == 0, result.stderr[-3000:]
    return out


def html(site: Path, lang: str, page: str = "cnn/") -> str:
    return (site / lang / page / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", CONFIGS)
def test_page_is_in_its_language_with_localised_generated_numbers(site, lang):
    page = html(site, lang)
    assert f'<html lang="{lang}"' in page
    total = json.loads((ROOT / "generated/cnn/walkthrough.model.json").read_text())["total_params"]
    assert format_decimal(total, locale=lang) in page  # 9.536.074 / 9,536,074
    for figure in re.findall(r'<img[^>]+src="([^"]+\.png)"', page):
        assert figure.endswith(f".{lang}.png")
        assert (site / lang / "cnn" / figure).resolve().exists(), figure
    assert "--8<--" not in page and "{{" not in page


def test_search_is_separate_per_language(site):
    tr = json.loads((site / "tr/search/search_index.json").read_text(encoding="utf-8"))
    en = json.loads((site / "en/search/search_index.json").read_text(encoding="utf-8"))
    assert tr["config"]["lang"] == ["tr"] and en["config"]["lang"] == ["en"]
    hits = [d["location"] for d in tr["docs"] if "evrişim" in (d["title"] + d["text"]).lower()]
    assert any(location.startswith("cnn/") for location in hits)
    titles = {lang: {d["title"] for d in index["docs"]} for lang, index in (("tr", tr), ("en", en))}
    assert "Convolutional Neural Networks, step by step" in titles["en"] - titles["tr"]
    assert "Evrişimli Sinir Ağları (CNN) adım adım" in titles["tr"] - titles["en"]


@pytest.mark.parametrize(("lang", "other"), [("tr", "en"), ("en", "tr")])
def test_language_switcher_points_to_the_other_build_with_the_same_pages(site, lang, other):
    page = html(site, lang)
    href = re.search(rf'<a href="([^"]+)" hreflang="{other}"', page).group(1)
    assert urljoin(f"https://example.org/{lang}/cnn/", href) == f"https://example.org/{other}/"
    # Material keeps the reader on the same page by looking it up in the other build's sitemap.
    paths = {lng: set(re.findall(rf"/{lng}/([^<]*)</loc>", (site / lng / "sitemap.xml").read_text()))
             for lng in CONFIGS}
    assert paths["tr"] == paths["en"] and "cnn/" in paths[lang]


def test_no_third_party_requests_in_any_page(site):
    loads = re.compile(r'<(?:script|img|iframe|source)[^>]+src="(https?:)?//|<link[^>]+rel="(?:stylesheet|preload|'
                       r'modulepreload|icon)"[^>]+href="(https?:)?//')
    for page in site.rglob("*.html"):
        assert not loads.search(page.read_text(encoding="utf-8")), f"{page} loads something from another host"


@pytest.fixture
def project(tmp_path) -> Path:
    """A throw-away copy of everything the build reads."""
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / part)
    return tmp_path


def break_page(project: Path, text: str, lang: str = "tr") -> None:
    page = project / "docs" / lang / "cnn" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + text + "\n", encoding="utf-8")


def test_missing_section_fails_the_build(project, tmp_path):
    break_page(project, '```python\n--8<-- "snippets/cnn/walkthrough.py:no_such_section"\n```')
    result = mkdocs_build(project, "tr", tmp_path / "out")
    assert result.returncode != 0 and "no_such_section" in result.stderr


def test_page_in_one_language_only_fails_the_build(project, tmp_path):
    (project / "docs/tr/yalniz.md").write_text("# Yalnız { #yalniz }\n", encoding="utf-8")
    result = mkdocs_build(project, "en", tmp_path / "out")
    assert result.returncode != 0
    assert "docs/tr/yalniz.md has no twin: create docs/en/yalniz.md" in result.stderr


def test_undefined_generated_value_fails_the_build(project, tmp_path):
    break_page(project, "{{ data('cnn/walkthrough.metrics').no_such_value }}")
    assert mkdocs_build(project, "tr", tmp_path / "out").returncode != 0


def test_missing_generated_output_fails_the_build_with_the_fix(project, tmp_path):
    break_page(project, "{{ output('cnn/walkthrough.nothing') }}", lang="en")
    result = mkdocs_build(project, "en", tmp_path / "out")
    assert result.returncode != 0
    assert "generated/cnn/walkthrough.nothing.txt does not exist" in result.stderr
