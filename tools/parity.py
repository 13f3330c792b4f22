"""Compare two builds of the site page by page: the MkDocs build and the Zensical build.

    python -m tools.parity site-mkdocs site-zensical      # one line per difference, exit 1 if any

For every page (``index.html`` and ``404.html`` of both languages) it compares what a reader gets
from the page's article: the visible text (generated values, tables, code blocks, headings), the
glossary tooltips (``<abbr title>``), the images (address and alternative text) and the internal
links (resolved to a path in the site). Theme furniture outside the article (header, navigation,
footer) is left out: the two builds draw it with different templates.
"""

from __future__ import annotations

import posixpath
import sys
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

SKIP = {"script", "style", "template"}
# Tags that separate words; text inside other tags (abbr, code, a, em …) joins its neighbours.
BLOCK = {"address", "article", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt",
         "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre",
         "section", "summary", "table", "tbody", "td", "th", "thead", "tr", "ul"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Page:
    """What a reader gets from one page's article."""

    head: dict[str, str] = field(default_factory=dict)  # the browser tab's title, the meta description
    words: list[str] = field(default_factory=list)
    tooltips: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


class Article(HTMLParser):
    """Collects the text, tooltips, images and links inside ``<article class="md-content__inner">``."""

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url  # the page's path in the site, e.g. "tr/cnn/"
        self.page = Page()
        self.depth = 0  # open elements inside the article (0: outside)
        self.skipping = 0  # open script/style elements inside the article
        self.text: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "title":
            self.in_title = True
        elif tag == "meta" and values.get("name") == "description":
            self.page.head["description"] = values.get("content", "")
        if self.depth == 0:
            if tag == "article" and "md-content__inner" in values.get("class", "").split():
                self.depth = 1
            return
        if tag not in VOID:
            self.depth += 1
        if tag in BLOCK:
            self.text.append(" ")
        if tag in SKIP or (tag == "aside" and "dd-page-info" in values.get("class", "").split()):
            # scripts, styles, and the page-info block a MkDocs hook fills (see the Zensical table)
            self.skipping += 1
        elif self.skipping:
            return
        elif tag == "abbr" and values.get("title"):
            self.page.tooltips.append(f"{values['title']}")
        elif tag == "img":
            self.page.images.append(f"{self.resolve(values.get('src', ''))} [{values.get('alt', '')}]")
        elif tag == "a" and "href" in values:
            link = self.resolve(values["href"])
            if link is not None:
                self.page.links.append(link)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.depth:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if self.depth == 0 or tag in VOID:
            return
        if (tag in SKIP or tag == "aside") and self.skipping:
            self.skipping -= 1
        if tag in BLOCK:
            self.text.append(" ")
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.page.head["title"] = self.page.head.get("title", "") + data.strip()
        if self.depth and not self.skipping:
            self.text.append(data)

    def resolve(self, ref: str) -> str | None:
        """A link inside the site as a path from the site's root (None for other hosts)."""
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc:
            return None
        path = posixpath.normpath(posixpath.join(posixpath.dirname(self.url), unquote(parts.path))) \
            if parts.path else self.url
        if parts.path.endswith("/") and not path.endswith("/"):
            path += "/"
        return path + (f"#{parts.fragment}" if parts.fragment else "")


def read_page(site: Path, page: Path) -> Page:
    """The article of one built page (``page`` relative to ``site``)."""
    url = page.as_posix().removesuffix("index.html")
    parser = Article(url)
    parser.feed((site / page).read_text(encoding="utf-8"))
    parser.close()
    parser.page.words = "".join(parser.text).split()
    return parser.page


def pages(site: Path) -> set[Path]:
    """Every HTML page of a built site, relative to it."""
    return {path.relative_to(site) for path in site.rglob("*.html")}


def _excerpt(words: list[str], start: int, end: int) -> str:
    text = " ".join(words[start:end])
    return repr(text if len(text) <= 80 else text[:77] + "...")


def text_differences(a: list[str], b: list[str]) -> list[str]:
    """The changed stretches of two word lists, as ``'old' → 'new'`` with a few words of context."""
    out = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            before = " ".join(a[max(0, i1 - 3):i1])
            out.append(f"after {before[-40:]!r}: {_excerpt(a, i1, i2)} → {_excerpt(b, j1, j2)}")
    return out


def list_differences(kind: str, a: list[str], b: list[str]) -> list[str]:
    """Items found in one build only (order is not compared)."""
    only_a = sorted(set(a) - set(b))
    only_b = sorted(set(b) - set(a))
    return [f"{kind} only in the first build: {item}" for item in only_a] + \
           [f"{kind} only in the second build: {item}" for item in only_b]


def compare(first: Path, second: Path) -> list[str]:
    """One line per difference: ``page: what differs``."""
    a_pages, b_pages = pages(first), pages(second)
    lines = [f"{page.as_posix()}: only in the first build" for page in sorted(a_pages - b_pages)]
    lines += [f"{page.as_posix()}: only in the second build" for page in sorted(b_pages - a_pages)]
    for page in sorted(a_pages & b_pages):
        a, b = read_page(first, page), read_page(second, page)
        found = [f"{key} {a.head.get(key)!r} → {b.head.get(key)!r}"
                 for key in sorted(a.head.keys() | b.head.keys()) if a.head.get(key) != b.head.get(key)]
        found += [f"text {line}" for line in text_differences(a.words, b.words)]
        found += list_differences("tooltip", a.tooltips, b.tooltips)
        found += list_differences("image", a.images, b.images)
        found += list_differences("link", a.links, b.links)
        lines += [f"{page.as_posix()}: {line}" for line in found]
    return lines


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or not all(Path(arg).is_dir() for arg in args):
        sys.exit("usage: python -m tools.parity FIRST_SITE SECOND_SITE (two built site folders)")
    lines = compare(Path(args[0]), Path(args[1]))
    print("\n".join(lines) if lines else "no difference")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
