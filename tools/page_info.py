"""What every page says about itself below its content (config/overrides/partials/page-info.html).

* An "edit this page" link to the page's source on GitHub.
* Prefilled issue links: the translation-fix form on every page, the snippet-bug form on pages
  that include snippet modules. The query parameters are the forms' field ids
  (.github/ISSUE_TEMPLATE/); they carry the page's address, its language, its snippet modules
  and the commit the site was built from.
* On a chapter page (``docs/<lang>/<chapter>/index.md`` with ``generated/<chapter>/manifest.json``):
  a verification stamp read from the manifest (versions, date, commit of the generation) and the
  devices the outputs were verified on: CPU, plus CUDA when the build runs with ``VERIFIED_CUDA=1``
  (the publish workflow sets it after its GPU job passed).

The commit comes from ``GITHUB_SHA`` (GitHub Actions) or ``git rev-parse HEAD``; a build outside a
git checkout (a tarball) says so instead of failing.
"""

from __future__ import annotations

import datetime
import functools
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_date

ROOT = Path(__file__).resolve().parents[1]
BRANCH = "main"
SNIPPET = re.compile(r'--8<--\s+"(snippets/[^":]+\.py)|^:::\s+(snippets(?:\.\w+)+)\s*$', re.MULTILINE)
TEXT = {
    "tr": {
        "region": "Bu sayfa hakkında",
        "edit": "Bu sayfayı düzenle",
        "report": "Bu sayfada bir sorun bildir",
        "report_code": "Bu sayfanın kodunda bir hata bildir",
        "stamp": "Son doğrulama",
        "versions": "Sürümler",
        "devices": "Doğrulandığı cihazlar",
        "generated": "Çıktıların üretildiği tarih",
        "generated_from": "Üretildiği commit",
        "built_from": "Sitenin derlendiği commit",
        "no_commit": "bilinmiyor (git deposu dışında derlendi)",
        "no_stamp": "Bu bölümün çıktıları sürüm ve tarih kaydı olmadan üretildi; "
                    "bu bilgiler bir sonraki üretimde burada görünecek.",
        "language": "Türkçe (tr)",
    },
    "en": {
        "region": "About this page",
        "edit": "Edit this page",
        "report": "Report a problem on this page",
        "report_code": "Report a bug in this page's code",
        "stamp": "Last verified",
        "versions": "Versions",
        "devices": "Verified on",
        "generated": "Outputs generated on",
        "generated_from": "Generated from commit",
        "built_from": "Site built from commit",
        "no_commit": "unknown (built outside a git checkout)",
        "no_stamp": "This chapter's outputs were generated without a record of versions and date; "
                    "the next generation will show them here.",
        "language": "English (en)",
    },
}


@functools.cache
def build_commit(root: Path = ROOT) -> str | None:
    """The commit the site is built from: ``GITHUB_SHA``, else ``git rev-parse HEAD``, else None."""
    if os.environ.get("GITHUB_SHA"):
        return os.environ["GITHUB_SHA"]
    try:
        result = subprocess.run(["git", "rev-parse", "--verify", "HEAD"], cwd=root, capture_output=True,
                                text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):  # no git installed, or it hangs
        return None
    sha = result.stdout.strip()
    return sha if result.returncode == 0 and re.fullmatch(r"[0-9a-f]{40}", sha) else None


def snippet_modules(markdown: str) -> list[str]:
    """The snippet modules a page includes (``--8<-- "snippets/x/y.py:section"``) or documents
    (``::: snippets.x.y`` on an API page), in order of first use."""
    return list(dict.fromkeys(path or dotted.replace(".", "/") + ".py" for path, dotted in SNIPPET.findall(markdown)))


def issue_url(repository: str, template: str, title: str, fields: dict[str, str]) -> str:
    """A new-issue link that opens ``template`` with ``fields`` (form field id → value) filled in."""
    return f"https://github.com/{repository}/issues/new?" + urlencode(
        {"template": template, "title": title, **fields})


def links(repository: str, lang: str, src_uri: str, page_url: str, markdown: str,
          commit: str | None) -> dict[str, Any]:
    """The edit link and the report links of one page."""
    text = TEXT[lang]
    common = {"page": page_url, "language": text["language"], "commit": commit or text["no_commit"]}
    where = src_uri.removesuffix("index.md").removesuffix(".md").rstrip("/") or "index"
    reports = [(text["report"], issue_url(repository, "translation-fix.yml", f"[{lang}] {where}: ", common))]
    modules = snippet_modules(markdown)
    if modules:
        reports.append((text["report_code"], issue_url(
            repository, "snippet-bug.yml", f"[{lang}] {where}: ", {**common, "modules": "\n".join(modules)})))
    return {"edit": (text["edit"], f"https://github.com/{repository}/edit/{BRANCH}/docs/{lang}/{src_uri}"),
            "reports": reports}


def chapter_of(src_uri: str, root: Path = ROOT) -> str | None:
    """``cnn/index.md`` → ``cnn`` when ``generated/cnn/manifest.json`` exists; None for other pages."""
    folder, _, name = src_uri.rpartition("/")
    if name == "index.md" and folder and "/" not in folder and (root / "generated" / folder / "manifest.json").exists():
        return folder
    return None


def stamp(manifest: dict[str, Any], lang: str, cuda: bool, repository: str) -> dict[str, Any]:
    """The verification stamp of a chapter from its manifest: label/value rows, or a fallback line
    when the manifest predates the environment record."""
    text = TEXT[lang]
    environment = manifest.get("environment")
    generated = manifest.get("generated")
    if not isinstance(environment, dict) or not environment.get("torch") or not generated:
        return {"title": text["stamp"], "rows": [], "missing": text["no_stamp"]}
    try:
        day = format_date(datetime.date.fromisoformat(str(generated)), format="long", locale=lang)
    except ValueError:
        day = str(generated)
    versions = [f"{name} {environment[name]}" for name in ("torch", "torchvision", "python") if environment.get(name)]
    rows = [(text["generated"], day, None), (text["versions"], ", ".join(versions), None),
            (text["devices"], "CPU, CUDA" if cuda else "CPU", None)]
    commit = manifest.get("commit")
    if isinstance(commit, str) and re.fullmatch(r"[0-9a-f]{7,40}", commit):
        rows.append((text["generated_from"], commit[:12], f"https://github.com/{repository}/commit/{commit}"))
    return {"title": text["stamp"], "rows": rows, "missing": None}


def page_info(config: Any, page: Any, root: Path = ROOT) -> dict[str, Any]:
    """Everything the page-info partial shows for ``page`` (the template's ``page_info``)."""
    lang = config["theme"]["language"]
    repository = config["extra"]["repository"]
    commit = build_commit(root)
    info = links(repository, lang, page.file.src_uri, page.canonical_url or page.abs_url or page.url,
                 page.file.content_string, commit)
    info["region"] = TEXT[lang]["region"]
    info["built_from"] = (TEXT[lang]["built_from"], commit[:12] if commit else TEXT[lang]["no_commit"],
                          f"https://github.com/{repository}/commit/{commit}" if commit else None)
    chapter = chapter_of(page.file.src_uri, root)
    if chapter:
        manifest = json.loads((root / "generated" / chapter / "manifest.json").read_text(encoding="utf-8"))
        info["stamp"] = stamp(manifest, lang, os.environ.get("VERIFIED_CUDA") == "1", repository)
    return info
