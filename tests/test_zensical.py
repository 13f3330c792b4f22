"""The Zensical build (tools/zensical_build.py): the build checks, and parity with MkDocs page by page.

Every difference that tools/parity.py finds between the two builds must be listed in the Zensical
table of the contributing page (last column, in both languages), and every difference listed there
must still occur. Skipped, with one reason, only where Zensical is not installed (`make zensical`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from tests.test_build import broken_links, third_party_loads
from tools.bench import page_weight
from tools.parity import compare

ROOT = Path(__file__).resolve().parents[1]
LANGS = ("tr", "en")
LISTED = re.compile(r"`([a-z]{2}/[^`:]+\.html): (\w+)`")  # `tr/index.html: title` in the table's last column


def documented_differences(lang: str) -> set[tuple[str, str]]:
    """(page, kind of difference) pairs in the last column of the contributing page's Zensical table."""
    text = (ROOT / "docs" / lang / "contributing.md").read_text(encoding="utf-8")
    section = text[text.index("{ #zensical }"):]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    assert rows, f"docs/{lang}/contributing.md: the Zensical section has no table"
    return {match for row in rows for match in LISTED.findall(row.rstrip(" |").rsplit("|", 1)[-1])}


def kind(line: str) -> tuple[str, str]:
    """``tr/index.html: title 'a' → 'b'`` → (``tr/index.html``, ``title``)."""
    page, _, rest = line.partition(": ")
    return page, rest.split()[0]


def test_zensical_build_matches_mkdocs_page_by_page(mkdocs_local_site, zensical_local_site):
    lines = compare(mkdocs_local_site.path, zensical_local_site.path)
    documented = documented_differences("en")
    new = [line for line in lines if kind(line) not in documented]
    assert not new, ("MkDocs → Zensical differences that docs/en/contributing.md and docs/tr/contributing.md "
                     "do not list (resolve them, or add them to the Zensical table):\n" + "\n".join(new))
    gone = documented - {kind(line) for line in lines}
    assert not gone, f"listed in the Zensical table but no longer found (remove them from both tables): {gone}"


def test_both_languages_list_the_same_differences():
    assert documented_differences("tr") == documented_differences("en")


def test_no_third_party_requests_in_any_page(zensical_local_site):
    loads = third_party_loads(zensical_local_site.path)
    assert not loads, f"pages that load something from another host: {loads}"


def test_no_broken_internal_links_or_anchors(zensical_local_site):
    broken = broken_links(zensical_local_site.path, urlsplit(zensical_local_site.address).path)
    assert not broken, "\n".join(broken)


def test_search_is_separate_per_language(zensical_local_site):
    index = {lang: json.loads((zensical_local_site.path / lang / "search.json").read_text(encoding="utf-8"))
             for lang in LANGS}
    titles = {lang: {item["title"] for item in index[lang]["items"]} for lang in LANGS}
    assert "Convolutional Neural Networks, step by step" in titles["en"] - titles["tr"]
    assert "Evrişimli Sinir Ağları (CNN) adım adım" in titles["tr"] - titles["en"]


def test_every_page_weighs_at_most_500_kb(zensical_local_site):
    site = zensical_local_site.path
    weights = {page.relative_to(site).as_posix(): page_weight(page) for page in site.rglob("index.html")}
    heavy = {page: weight for page, weight in weights.items() if weight > 500_000}
    assert not heavy, f"pages over 500 KB with their images: {heavy}"
