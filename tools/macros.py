"""Macros module of mkdocs-macros (and of its re-implementation in Zensical): puts generated outputs
on the pages, formatted for the page's language.

On a page (Jinja):

    {% set m = data('cnn/walkthrough.metrics') %}   numbers from generated/cnn/walkthrough.metrics.json
    {{ m.final_test_accuracy | pct }}               %12,5 (tr) / 12.5% (en)
    {{ m.total | num }}                             1.234.567 (tr) / 1,234,567 (en)
    {{ output('cnn/walkthrough.fit') }}             generated text in a code block
    {{ table('cnn/walkthrough.layers') }}           a generated table, headers in the page's language
                                                    (a {"percent": 0.5} cell shows %50,0 / 50.0%)
    {{ figure('cnn/walkthrough.curves', 'alt') }}   the PNG drawn with labels in the page's language
"""

from __future__ import annotations

import contextlib
import json
import posixpath
from pathlib import Path
from typing import Any

import yaml
from babel import Locale
from babel.numbers import format_decimal, format_percent

ROOT = Path(__file__).resolve().parents[1]
GENERATED = ROOT / "generated"
TERMS = ROOT / "docs" / "terms.yml"
TURKISH_ORDER = "0123456789aâbcçdefgğhıiîjklmnoöprsştuûüvwxyz"


class PageError(Exception):
    """A page asks for something that is missing or damaged; the build shows it as one line with the fix."""


def _one_line(error: PageError, markdown: str, page: Any) -> str:
    """mkdocs-macros' error text for a :class:`PageError`: the page and the message, no traceback."""
    source = Path(page.file.abs_src_path)
    return f"{source.relative_to(ROOT).as_posix() if source.is_relative_to(ROOT) else source}: {error}"


with contextlib.suppress(ImportError):  # mkdocs-macros formats each exception type through this registry
    from mkdocs_macros.errors import format_error

    format_error.register(PageError, _one_line)


def _numeric(value: Any) -> bool:
    """A table cell that is right-aligned: a number or a percentage."""
    return (isinstance(value, (int, float)) and not isinstance(value, bool)) or (
        isinstance(value, dict) and "percent" in value)


NOT_CHAPTERS = {"index.md", "contributing.md"}  # nav entries that the home page's chapter map leaves out


def front_matter(page: Path) -> dict[str, Any]:
    """The YAML block between the leading ``---`` lines of a Markdown page ({} when it has none)."""
    text = page.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return {}
    return yaml.safe_load(text[4:text.index("\n---\n", 4)]) or {}


def nav_entry(entry: dict[str, Any]) -> tuple[str, Any]:
    """(title, page path or list of child entries) of one nav entry. MkDocs keeps the YAML's
    ``{title: value}``; Zensical turns every entry into ``{"title", "url", "children", …}``."""
    if {"title", "url", "children"} <= entry.keys():
        return entry["title"], entry["url"] or entry["children"]
    ((title, value),) = entry.items()
    return title, value


def chapter_groups(nav: list) -> list[tuple[str | None, list[tuple[str, str]]]]:
    """The nav's chapter sections, in order, as (section title, [(page title, path)]); the API section,
    the home page and the contributing page are left out, and top-level pages come last, untitled."""
    groups: list[tuple[str | None, list[tuple[str, str]]]] = []
    loose: list[tuple[str, str]] = []
    for entry in nav:
        title, value = nav_entry(entry)
        if isinstance(value, list):
            pages = [nav_entry(child) for child in value]
            if not all(path.startswith("api/") for _, path in pages):
                groups.append((title, pages))
        elif value not in NOT_CHAPTERS:
            loose.append((title, value))
    return groups + ([(None, loose)] if loose else [])


def load_terms() -> dict[str, dict[str, Any]]:
    """The shared terminology list (docs/terms.yml)."""
    return yaml.safe_load(TERMS.read_text(encoding="utf-8"))


def sort_key(text: str, lang: str) -> list[int]:
    """Alphabetical order of ``lang``: in Turkish ç after c, ı before i, ş after s …"""
    lowered = text.replace("I", "ı").replace("İ", "i").lower() if lang == "tr" else text.lower()
    return [TURKISH_ORDER.find(ch) if ch in TURKISH_ORDER else 100 + ord(ch) for ch in lowered]


def abbreviations(terms: dict[str, dict[str, Any]], lang: str) -> str:
    """Markdown ``abbr`` definitions: every abbreviation gets its term as a hover tooltip."""
    lines = []
    for entry in terms.values():
        if "abbr" in entry:
            term, english = entry[lang]["term"], entry["en"]["term"]
            title = term if lang == "en" or term == english else f"{term} ({english})"
            lines.append(f"*[{entry['abbr']}]: {title}")
    # A blank line between definitions: Python-Markdown takes one definition per pass over a block
    # and re-tests the rest of the block each time, and the list is appended to every page and every
    # API docstring. Same HTML, built faster (Turkish alone: MkDocs 12.2 → 6.5 s, Zensical 13.8 → 8.9 s).
    return "\n\n".join(lines)


def _read(relative: str) -> str:
    path = GENERATED / relative
    if not path.exists():
        raise PageError(f"generated/{relative} does not exist: check the name on the page, "
                        f"or run `make generate` if the recipe should write it")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise _damaged(relative, error) from None


def _read_json(relative: str) -> Any:
    try:
        return json.loads(_read(relative))
    except ValueError as error:
        raise _damaged(relative, error) from None


def _damaged(relative: str, error: Exception) -> PageError:
    chapter = relative.split("/")[0]
    return PageError(f"generated/{relative} is damaged ({type(error).__name__}: {error}): "
                     f"run `make generate CHAPTER={chapter}`")


def page_source(page: Any) -> str:
    """The page's Markdown path inside its docs folder, e.g. ``cnn/index.md``: MkDocs' page has
    ``file.src_uri``, Zensical's re-implementation of mkdocs-macros has ``path``."""
    file = getattr(page, "file", None)
    return file.src_uri if file is not None else page.path


def plain_description(meta: dict[str, Any]) -> None:
    """A page's front-matter ``description`` without Markdown code marks (for the meta tag)."""
    if isinstance(meta.get("description"), str):
        meta["description"] = meta["description"].replace("`", "")


def define_env(env: Any) -> None:
    """Register the macros and filters (called by mkdocs-macros)."""
    lang = env.conf["theme"]["language"]
    if getattr(env, "page", None) is not None:
        # Zensical calls define_env for every page (MkDocs once, before any page: tools/hooks.py does
        # this there): the <meta name="description"> tag gets the description as plain text.
        plain_description(env.page.meta)

    def num(value: float, decimals: int | None = None) -> str:
        if decimals is None and isinstance(value, float):
            # As many decimals as the recipe kept (it rounds on purpose), up to 10; babel's default cuts at 3.
            decimals = len(f"{value:.10f}".rstrip("0").partition(".")[2])
        if decimals is not None:
            return format_decimal(value, format=f"#,##0.{'0' * decimals}" if decimals else "#,##0", locale=lang)
        return format_decimal(value, locale=lang)

    def pct(value: float, decimals: int = 1) -> str:
        pattern = Locale.parse(lang).percent_formats[None].pattern  # "%#,##0" in tr, "#,##0%" in en
        head, zero, tail = pattern.rpartition("0")
        return format_percent(value, format=head + zero + ("." + "0" * decimals if decimals else "") + tail,
                              locale=lang)

    def cell(value: Any) -> str:
        if isinstance(value, dict):  # a fraction to show as a percentage, or text given in both languages
            return pct(value["percent"]) if "percent" in value else value[lang]
        return num(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)

    env.filter(num)
    env.filter(pct)

    @env.macro
    def data(name: str) -> Any:
        return _read_json(f"{name}.json")

    @env.macro
    def output(name: str) -> str:
        return f"```text\n{_read(name + '.txt').rstrip()}\n```"

    @env.macro
    def table(name: str) -> str:
        spec = _read_json(f"{name}.table.json")
        headers = spec["headers"][lang]
        lines = ["| " + " | ".join(headers) + " |",
                 "|" + "|".join("---:" if _numeric(v) else "---" for v in spec["rows"][0]) + "|"]
        lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in spec["rows"]]
        return "\n".join(lines)

    @env.macro
    def glossary() -> str:
        """Every term of docs/terms.yml in this language's alphabetical order, as a definition list."""
        terms = load_terms()
        blocks = []
        for key, entry in sorted(terms.items(), key=lambda item: sort_key(item[1][lang]["term"], lang)):
            term = entry[lang]["term"]
            label = f"**{term}**" + (f" ({entry['abbr']})" if "abbr" in entry and entry["abbr"] != term else "")
            if lang == "tr" and entry["en"]["term"] != term:
                label += f" · *{entry['en']['term']}*"
            text = entry[lang]["definition"]
            if lang == "tr" and (plain := [v for v in entry["tr"].get("reject", []) if not v.startswith("re:")]):
                text += " Bu kavram için kullanılmayan: " + ", ".join(f"*{v}*" for v in plain) + "."
            if lang == "tr" and entry["tr"].get("note"):
                text += f" {entry['tr']['note']}"
            if "page" in entry:
                text += f" [{'Bölüm' if lang == 'tr' else 'Chapter'} →]({entry['page']})"
            blocks.append(f'<span id="{key}"></span>{label}\n:   {text}')
        return "\n\n".join(blocks)

    @env.macro
    def notebooks(chapter: str) -> str:
        """An admonition with a download and an "Open in Colab" link per snippet module of ``chapter``."""
        paths = sorted((GENERATED / chapter).glob("*.ipynb"))
        if not paths:
            raise PageError(f"generated/{chapter}/ has no notebooks: run `make generate CHAPTER={chapter}`")
        page_dir = posixpath.dirname(page_source(env.page)) or "."
        repository = env.conf["extra"]["repository"]
        download, colab = ("İndir", "Colab'de aç") if lang == "tr" else ("Download", "Open in Colab")
        title = "Bu bölümün kodu not defteri olarak" if lang == "tr" else "This chapter's code as notebooks"
        lines = [f'!!! tip "{title}"', ""]
        for path in paths:
            relative = f"generated/{chapter}/{path.name}"
            link = posixpath.relpath(relative, page_dir)
            url = f"https://colab.research.google.com/github/{repository}/blob/main/{relative}"
            source = f"snippets/{chapter}/{path.stem}.py"
            lines.append(f"    - `{source}`: [{download}]({link}){{ download }} · [{colab}]({url})")
        return "\n".join(lines)

    @env.macro
    def chapter_map() -> str:
        """The home page's list of chapters: a grid of cards per nav section (Material's grid cards),
        each with the page's title and its front-matter description."""
        docs = ROOT / env.conf["docs_dir"]  # absolute in MkDocs, relative to the project in Zensical
        blocks = []
        for number, (section, pages) in enumerate(chapter_groups(env.conf["nav"]), start=1):
            heading = section or ("Başvuru" if lang == "tr" else "Reference")
            lines = [f"### {heading} {{ #part-{number} }}", "", '<div class="grid cards" markdown>', ""]
            for title, path in pages:
                description = front_matter(docs / path).get("description")
                if not description:
                    raise PageError(f"docs/{lang}/{path} has no description for the home page: "
                                     "add `description: …` to its front matter")
                lines += [f"-   [**{title}**]({path})", "", "    ---", "", f"    {description}", ""]
            blocks.append("\n".join([*lines, "</div>"]))
        return "\n\n".join(blocks)

    @env.macro
    def figure(name: str, alt: str) -> str:
        relative = f"{name}.{lang}.png"
        if not (GENERATED / relative).exists():
            raise PageError(f"generated/{relative} does not exist: "
                                    "check the figure name, or run `make generate`")
        page_dir = posixpath.dirname(page_source(env.page))
        return f"![{alt}]({posixpath.relpath(f'generated/{relative}', page_dir or '.')})"


def abbreviations_file(lang: str) -> Path:
    """The abbreviation tooltips of one language, which pymdownx.snippets appends to every page
    (``auto_append`` in mkdocs.yml / mkdocs.en.yml): MkDocs and Zensical read the same file."""
    return ROOT / "docs" / f"abbreviations.{lang}.md"


def write_abbreviations() -> list[Path]:
    """Rewrite the tooltip files from docs/terms.yml; returns the files that changed."""
    terms, changed = load_terms(), []
    for lang in ("tr", "en"):
        path, text = abbreviations_file(lang), abbreviations(terms, lang) + "\n"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


if __name__ == "__main__":  # python -m tools.macros: after editing docs/terms.yml
    for changed in write_abbreviations():
        print(f"{changed.relative_to(ROOT)} rewritten from docs/terms.yml")
