"""The edit/report links and the verification stamp under every page (tools/page_info.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from tools import page_info

ROOT = Path(__file__).resolve().parents[1]
FORMS = ROOT / ".github" / "ISSUE_TEMPLATE"
MANIFEST = {
    "inputs": {}, "outputs": {}, "seconds": 12.3, "generated": "2026-12-01",
    "environment": {"torch": "2.14.1+cu130", "torchvision": "0.29.1+cu130", "python": "3.11.7",
                    "cpu": "AMD EPYC", "cpu_capability": "AVX2", "threads": 2, "machine": "x86_64"},
}


def field_ids(template: str) -> set[str]:
    """The ids of an issue form's fields: the only query parameters GitHub fills in besides ``title``."""
    form = yaml.safe_load((FORMS / template).read_text(encoding="utf-8"))
    return {field["id"] for field in form["body"] if "id" in field}


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


@pytest.mark.parametrize("lang", ["tr", "en"])
def test_report_links_fill_existing_fields_of_the_existing_forms(lang):
    markdown = '```python\n--8<-- "snippets/cnn/layers.py:layout"\n```\n--8<-- "snippets/cnn/walkthrough.py:fit"\n' \
               '--8<-- "snippets/cnn/layers.py:pooling"\n'
    links = page_info.links("o/r", lang, "cnn/index.md", f"https://x.org/{lang}/cnn/", markdown, "a" * 40)
    assert links["edit"][1] == f"https://github.com/o/r/edit/main/docs/{lang}/cnn/index.md"
    (_, text), (_, code) = links["reports"]
    for url, template in ((text, "translation-fix.yml"), (code, "snippet-bug.yml")):
        fields = query(url)
        assert url.startswith("https://github.com/o/r/issues/new?") and fields.pop("template") == template
        assert (FORMS / template).exists()
        assert set(fields) - {"title"} <= field_ids(template), f"{template}: {set(fields) - field_ids(template)}"
        assert fields["page"] == f"https://x.org/{lang}/cnn/" and fields["commit"] == "a" * 40
        assert f"({lang})" in fields["language"]
    assert query(code)["modules"] == "snippets/cnn/layers.py\nsnippets/cnn/walkthrough.py"


def test_api_pages_report_the_modules_they_document():
    markdown = "# API\n\n::: snippets.cnn.walkthrough\n\n::: snippets.cnn.layers\n"
    assert page_info.snippet_modules(markdown) == ["snippets/cnn/walkthrough.py", "snippets/cnn/layers.py"]


def test_a_page_without_snippets_has_no_code_report():
    links = page_info.links("o/r", "en", "glossary.md", "https://x.org/en/glossary/", "# Glossary\n", None)
    assert [query(url)["template"] for _, url in links["reports"]] == ["translation-fix.yml"]
    assert query(links["reports"][0][1])["commit"] == page_info.TEXT["en"]["no_commit"]


def test_stamp_comes_from_the_manifest():
    stamp = page_info.stamp(MANIFEST, "tr", cuda=False, repository="o/r")
    rows = {label: value for label, value, _ in stamp["rows"]}
    assert stamp["missing"] is None
    assert rows["Çıktıların üretildiği tarih"] == "1 Aralık 2026"
    assert rows["Sürümler"] == "torch 2.14.1+cu130, torchvision 0.29.1+cu130, python 3.11.7"
    assert rows["Doğrulandığı cihazlar"] == "CPU"
    english = page_info.stamp({**MANIFEST, "commit": "b" * 40}, "en", cuda=True, repository="o/r")
    rows = {label: (value, href) for label, value, href in english["rows"]}
    assert rows["Outputs generated on"][0] == "December 1, 2026" and rows["Verified on"][0] == "CPU, CUDA"
    assert rows["Generated from commit"] == ("b" * 12, "https://github.com/o/r/commit/" + "b" * 40)


@pytest.mark.parametrize("manifest", [{"inputs": {}, "outputs": {}}, {**MANIFEST, "environment": None},
                                      {**MANIFEST, "generated": None}])
def test_stamp_without_a_record_says_so(manifest):
    stamp = page_info.stamp(manifest, "en", cuda=False, repository="o/r")
    assert stamp["rows"] == [] and "without a record" in stamp["missing"]


def test_only_chapter_pages_get_a_stamp():
    assert page_info.chapter_of("cnn/index.md") == "cnn"
    assert page_info.chapter_of("api/cnn.md") is None and page_info.chapter_of("index.md") is None
    assert page_info.chapter_of("glossary.md") is None and page_info.chapter_of("nochapter/index.md") is None


def test_build_commit_outside_git_is_none_not_a_crash(tmp_path):
    code = "from pathlib import Path; from tools import page_info; print(page_info.build_commit(Path('{}')))"
    env = {key: value for key, value in os.environ.items() if key != "GITHUB_SHA"}
    outside = subprocess.run([sys.executable, "-c", code.format(tmp_path)], cwd=ROOT, env=env,
                             capture_output=True, text=True)
    no_git = subprocess.run([sys.executable, "-c", code.format(ROOT)], cwd=ROOT, capture_output=True, text=True,
                            env={**env, "PATH": str(tmp_path)})  # no git program at all
    inside = subprocess.run([sys.executable, "-c", code.format(ROOT)], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert outside.stdout.strip() == "None" and no_git.stdout.strip() == "None", outside.stderr + no_git.stderr
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    assert inside.stdout.strip() == head
    actions = subprocess.run([sys.executable, "-c", code.format(tmp_path)], cwd=ROOT, capture_output=True,
                             text=True, env={**env, "GITHUB_SHA": "c" * 40})
    assert actions.stdout.strip() == "c" * 40

