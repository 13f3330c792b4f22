"""MkDocs hooks shared by both language builds.

* Every page must exist in both languages (``docs/tr/X.md`` ⇔ ``docs/en/X.md``): otherwise the build stops.
* The generated figures of this build's language and the chapters' notebooks are added to the site
  under ``generated/``.
* A page's ``description`` (front matter; the home page's chapter map shows it as Markdown) becomes
  plain text for the ``<meta name="description">`` tag.
* ``SITE_URL`` (environment) moves the site's address, e.g. ``http://127.0.0.1:8000/`` for a local
  preview: the language switcher finds the same page in the other language through the other
  build's sitemap, whose addresses must match where the site is served.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
LANGS = ("tr", "en")


def missing_twins(docs: Path = DOCS) -> list[str]:
    """One line per page that exists in one language only."""
    pages = {lang: {p.relative_to(docs / lang).as_posix() for p in (docs / lang).rglob("*.md")} for lang in LANGS}
    problems = []
    for lang in LANGS:
        other = next(x for x in LANGS if x != lang)
        for page in sorted(pages[lang] - pages[other]):
            problems.append(f"docs/{lang}/{page} has no twin: create docs/{other}/{page} "
                            f"(same headings and outputs, translated)")
    return problems


def on_config(config):
    problems = missing_twins()
    if problems:
        raise PluginError("; ".join(problems))
    if os.environ.get("SITE_URL"):
        config["site_url"] = f"{os.environ['SITE_URL'].rstrip('/')}/{config['theme']['language']}/"
    return config


def on_files(files: Files, config) -> Files:
    lang = config["theme"]["language"]
    for path in sorted((ROOT / "generated").glob("*/*")):
        if path.name.endswith((f".{lang}.png", ".ipynb")):
            uri = path.relative_to(ROOT).as_posix()
            files.append(File(uri, src_dir=str(ROOT), dest_dir=config["site_dir"],
                              use_directory_urls=config["use_directory_urls"]))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    if isinstance(page.meta.get("description"), str):
        page.meta["description"] = page.meta["description"].replace("`", "")
    return markdown
