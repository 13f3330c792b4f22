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


def test_parity_reports_every_kind_of_difference(tmp_path):
    def page(site: str, path: str, body: str, title: str = "T") -> None:
        file = tmp_path / site / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(f'<html><head><title>{title}</title></head><body><nav><a href="x/">menu</a></nav>'
                        f'<article class="md-content__inner md-typeset">{body}</article></body></html>',
                        encoding="utf-8")

    same = '<p>Doğruluk <abbr title="Evrişimli sinir ağı">CNN</abbr> %91,2</p><img src="../a.tr.png" alt="eğri">'
    page("a", "tr/cnn/index.html", same + '<a href="../rnn/#giris">RNN</a>')
    page("b", "tr/cnn/index.html", same.replace("91,2", "91,3") + '<a href="../rnn/">RNN</a>')
    page("a", "tr/index.html", '<p>Ana <abbr title="Yapay zekâ">AI</abbr></p><img src="b.png" alt="">')
    page("b", "tr/index.html", "<p>Ana AI</p>", title="Ana sayfa - T")
    page("a", "tr/only/index.html", "<p>x</p>")
    assert compare(tmp_path / "a", tmp_path / "b") == [
        "tr/only/index.html: only in the first build",
        "tr/cnn/index.html: text after 'Doğruluk CNN': '%91,2' → '%91,3'",
        "tr/cnn/index.html: link only in the first build: tr/rnn/#giris",
        "tr/cnn/index.html: link only in the second build: tr/rnn/",
        "tr/index.html: title 'T' → 'Ana sayfa - T'",
        "tr/index.html: tooltip only in the first build: Yapay zekâ",
        "tr/index.html: image only in the first build: tr/b.png []",
    ]
