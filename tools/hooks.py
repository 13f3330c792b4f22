"""MkDocs hooks shared by both language builds.

* Every page must exist in both languages (``docs/tr/X.md`` ⇔ ``docs/en/X.md``): otherwise the build stops.
* The generated figures of this build's language and the chapters' notebooks are added to the site
  under ``generated/``.
* A page's ``description`` (front matter; the home page's chapter map shows it as Markdown) becomes
  plain text for the ``<meta name="description">`` tag.
* A generated output that does not match its manifest (damaged, cut short, edited by hand) stops the
  build with the doctor's line for it, before any page is rendered.
* A write that fails (full disk, read-only folder) stops the build with one line instead of a traceback.
* Below every page: an edit link, prefilled issue links and, on a chapter, the verification stamp
  (tools/page_info.py; rendered by config/overrides/partials/page-info.html).
* ``SITE_URL`` (environment) moves the site's address, e.g. ``http://127.0.0.1:8000/`` for a local
  preview: the language switcher finds the same page in the other language through the other
  build's sitemap, whose addresses must match where the site is served.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mkdocs.exceptions import Abort, PluginError
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `.venv/bin/mkdocs` puts its own folder first, not the repository
    sys.path.insert(0, str(ROOT))

from tools import generate, page_info  # noqa: E402
from tools.processes import WRITE_ERRORS  # noqa: E402

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


def stale_reasons(chapter: str, root: Path = ROOT) -> list[str]:
    """``generate.stale_reasons``, with a manifest or timing output that does not parse as a reason."""
    try:
        return generate.stale_reasons(chapter, root)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        return [f"generated/{chapter}/ cannot be read ({type(error).__name__}: {error})".splitlines()[0]]


def damaged_outputs(root: Path = ROOT) -> list[str]:
    """The doctor's line for every generated output that does not match its chapter's manifest
    (missing, damaged, edited by hand, unknown); changed inputs are the generator's business, not the build's."""
    return [f"{reason}: run `make generate CHAPTER={chapter}`" for chapter in generate.chapters(root)
            for reason in stale_reasons(chapter, root) if reason.startswith(f"generated/{chapter}/")]


def on_config(config):
    problems = missing_twins() or damaged_outputs()
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


def on_page_context(context, page, config, nav):
    context["page_info"] = page_info.page_info(config, page)
    return context


def on_build_error(error: Exception) -> None:
    """A full disk or a read-only folder: one line that names the file, not a traceback."""
    if isinstance(error, OSError) and error.errno in WRITE_ERRORS:
        target = error.filename2 or error.filename or "the site"  # a failed copy: filename2 is the destination
        raise Abort(f"build: could not write {target}: {error.strerror}: {WRITE_ERRORS[error.errno]}, "
                    "then build again")
