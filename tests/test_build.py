"""Both language builds: strict, offline-clean, searchable per language; broken pages stop the build."""

from __future__ import annotations

import html as html_module
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

import pytest
import yaml
from babel.numbers import format_decimal

from tests.conftest import copy_project
from tools.bench import page_weight
from tools.macros import chapter_groups, front_matter

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = {"tr": "mkdocs.yml", "en": "mkdocs.en.yml"}
SITE_PATH = urlsplit(yaml.safe_load((ROOT / "mkdocs.yml").read_text())["site_url"]).path.removesuffix("tr/")
PROJECT_PARTS = ["mkdocs.yml", "mkdocs.en.yml", "config", "docs", "tools", "snippets", "generated"]


def mkdocs_build(project: Path, lang: str, site: Path) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` with the network blocked (tools/offline.py)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "tools.offline", "mkdocs", "build", "--strict",
               "-f", CONFIGS[lang], "-d", str(site)]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def site(mkdocs_local_site) -> Path:
    """The real site, both languages side by side under the published path, built once for the
    build checks and the browser checks (tests/conftest.py)."""
    return mkdocs_local_site.path


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


@pytest.mark.parametrize(("lang", "title"), [("tr", "Evrişimli sinir ağı (Convolutional neural network)"),
                                             ("en", "Convolutional neural network")])
def test_abbreviations_have_tooltips_in_the_page_language(site, lang, title):
    # docs/abbreviations.<lang>.md, appended to every page by pymdownx.snippets (auto_append)
    assert f'<abbr title="{title}">CNN</abbr>' in html(site, lang)
    assert f'<abbr title="{title}">CNN</abbr>' in html(site, lang, "api/cnn/")  # docstrings too


@pytest.mark.parametrize(("lang", "shown"), [("tr", "%{}"), ("en", "{}%")])
def test_percent_cells_are_percentages_in_the_page_language(site, lang, shown):
    table = json.loads((ROOT / "generated/diffusion/ddpm.guidance.table.json").read_text(encoding="utf-8"))
    fraction = table["rows"][1][1]["percent"]  # w = 1: the judge's accuracy
    number = format_decimal(fraction * 100, format="0.0", locale=lang)
    assert f"<td style=\"text-align: right;\">{shown.format(number)}</td>" in html(site, lang, "diffusion/")


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


THIRD_PARTY = re.compile(r'<(?:script|img|iframe|source)[^>]+src="(https?:)?//|<link[^>]+rel="(?:stylesheet|preload|'
                         r'modulepreload|icon)"[^>]+href="(https?:)?//')


def third_party_loads(site: Path) -> list[str]:
    """The pages of a built site that load something from another host (tests/test_zensical.py too)."""
    return [str(page) for page in site.rglob("*.html") if THIRD_PARTY.search(page.read_text(encoding="utf-8"))]


def test_no_third_party_requests_in_any_page(site):
    loads = third_party_loads(site)
    assert not loads, f"pages that load something from another host: {loads}"


@pytest.fixture
def project(tmp_path) -> Path:
    """A throw-away copy of everything the build reads."""
    return copy_project(tmp_path, PROJECT_PARTS)


def break_page(project: Path, text: str, lang: str = "tr") -> None:
    """Append ``text`` to the home page: the first page MkDocs renders, so the build stops at once."""
    page = project / "docs" / lang / "index.md"
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
    result = mkdocs_build(project, "tr", tmp_path / "out")
    assert result.returncode != 0 and "no_such_value" in result.stderr


def test_missing_generated_output_fails_the_build_with_the_fix(project, tmp_path):
    break_page(project, "{{ output('cnn/walkthrough.nothing') }}", lang="en")
    result = mkdocs_build(project, "en", tmp_path / "out")
    assert result.returncode != 0
    assert "generated/cnn/walkthrough.nothing.txt does not exist" in result.stderr


def test_chapter_without_description_fails_the_build_with_the_fix(project, tmp_path):
    page = project / "docs/en/rnn/index.md"
    page.write_text(page.read_text(encoding="utf-8").split("---\n", 2)[2], encoding="utf-8")  # drop front matter
    result = mkdocs_build(project, "en", tmp_path / "out")
    assert result.returncode != 0
    assert "docs/en/rnn/index.md has no description for the home page" in result.stderr


@pytest.mark.parametrize("lang", CONFIGS)
def test_home_page_lists_every_chapter_under_its_nav_section(site, lang):
    nav = yaml.safe_load((ROOT / CONFIGS[lang]).read_text(encoding="utf-8"))["nav"]
    home = html(site, lang, "")
    text = re.sub(r"<[^>]+>", "", home)  # abbreviations and code are wrapped in tags
    groups = chapter_groups(nav)
    assert len(groups) > 1
    position = 0
    for number, (section, pages) in enumerate(groups, start=1):
        position = home.index(f'id="part-{number}"', position)  # sections in nav order
        if section:
            assert section in home[position:position + 300]
        for title, path in pages:
            link = path.removesuffix("index.md")  # cnn/index.md → cnn/; notes.md, glossary.md → notes/, glossary/
            link = link.removesuffix(".md") + "/" if link.endswith(".md") else link
            position = home.index(f'href="{link}"', position)  # every chapter, in nav order, in its section
            assert html_module.escape(title, quote=False) in text
            description = front_matter(ROOT / "docs" / lang / path)["description"]
            assert description.split("`")[0].strip()[:20] in text, f"{path}: description missing on the home page"


@pytest.mark.parametrize("lang", CONFIGS)
def test_meta_description_is_plain_text(site, lang):
    page = html(site, lang, "rnn/")
    meta = re.search(r'<meta name="description" content="([^"]*)"', page).group(1)
    assert meta and "`" not in meta


def test_offline_wrapper_really_blocks_the_network(root):
    probe = "import urllib.request; urllib.request.urlopen('http://example.org', timeout=5)"
    code = f"from tools.offline import block_network; block_network(); {probe}"
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert result.returncode != 0 and "NetworkBlocked" in result.stderr


class Links(HTMLParser):
    """Every id and every link/resource reference of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        for key in ("href", "src"):
            if values.get(key) and not (tag == "link" and values.get("rel") in ("canonical",)):
                self.refs.append(values[key])


def parse(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def broken_links(site: Path, site_path: str) -> list[str]:
    """Links and anchors of a built site that lead nowhere; ``site_path``: the path part of its address."""
    pages = {page: parse(page) for page in site.rglob("*.html")}
    broken = []
    for page, links in pages.items():
        for ref in links.refs:
            target = urlsplit(ref)
            if target.scheme or target.netloc or ref.startswith(("mailto:", "javascript:")):
                continue
            if target.path.startswith("/"):  # 404.html uses absolute paths under the site's address
                path = (site / unquote(target.path).removeprefix(site_path)).resolve()
            else:
                path = (page.parent / unquote(target.path)).resolve() if target.path else page
            if path.is_dir():
                path = path / "index.html"
            if not path.exists():
                broken.append(f"{page.relative_to(site)}: {ref} (no such file)")
            elif target.fragment and path.suffix == ".html" and target.fragment not in pages[path].ids:
                broken.append(f"{page.relative_to(site)}: {ref} (no such anchor)")
    return broken


def test_no_broken_internal_links_or_anchors(site):
    broken = broken_links(site, SITE_PATH)
    assert not broken, "\n".join(broken)


def test_every_page_weighs_at_most_500_kb(site):
    weights = {page.relative_to(site).as_posix(): page_weight(page) for page in site.rglob("index.html")}
    heavy = {page: weight for page, weight in weights.items() if weight > 500_000}
    assert not heavy, f"pages over 500 KB with their images: {heavy}"


SOURCES = sorted(p.relative_to(ROOT / "docs" / "tr").as_posix() for p in (ROOT / "docs/tr").rglob("*.md"))


def page_folder(source: str) -> str:
    """``cnn/index.md`` → ``cnn/``, ``api/cnn.md`` → ``api/cnn/``, ``index.md`` → ``""``."""
    stem = source.removesuffix("index.md").removesuffix(".md")
    return stem if not stem or stem.endswith("/") else stem + "/"


def page_html(site: Path, lang: str, source: str) -> str:
    return (site / lang / page_folder(source) / "index.html").read_text(encoding="utf-8")


def form_ids(template: str) -> set[str]:
    form = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE" / template).read_text(encoding="utf-8"))
    return {field["id"] for field in form["body"] if "id" in field}


@pytest.mark.parametrize("lang", CONFIGS)
def test_every_page_links_to_its_source_and_to_a_prefilled_report(mkdocs_local_site, lang):
    site, site_url = mkdocs_local_site.path, f"{mkdocs_local_site.address}{lang}/"  # the address it was built for
    repository = re.search(r"\n  repository: (\S+)", (ROOT / "config/base.yml").read_text(encoding="utf-8")).group(1)
    for source in SOURCES:
        page = page_html(site, lang, source)
        edit = re.findall(r'<a href="([^"]+)" data-dd="edit">([^<]+)</a>', page)
        assert edit == [(f"https://github.com/{repository}/edit/main/docs/{lang}/{source}",
                         {"tr": "Bu sayfayı düzenle", "en": "Edit this page"}[lang])], source
        reports = [html_module.unescape(url) for url in re.findall(r'<a href="([^"]+)" data-dd="report">', page)]
        markdown = (ROOT / "docs" / lang / source).read_text(encoding="utf-8")
        uses_snippets = '--8<-- "snippets/' in markdown or "\n::: snippets." in markdown
        assert len(reports) == 1 + uses_snippets, source
        for url in reports:
            fields = {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}
            template = fields.pop("template")
            assert set(fields) - {"title"} <= form_ids(template), f"{source}: {url}"
            assert fields["page"] == urljoin(site_url, page_folder(source)), f"{source}: {url}"
            assert re.fullmatch(r"[0-9a-f]{40}", fields["commit"]) and f"({lang})" in fields["language"]
        if uses_snippets:
            modules = parse_qs(urlsplit(reports[1]).query)["modules"][0].split("\n")
            assert modules and all((ROOT / module).is_file() for module in modules), source


@pytest.mark.parametrize("lang", CONFIGS)
def test_every_chapter_has_a_verification_stamp_from_its_manifest(site, lang):
    chapters = [s.split("/")[0] for s in SOURCES if s.endswith("/index.md")
                and (ROOT / "generated" / s.split("/")[0] / "manifest.json").exists()]
    assert len(chapters) > 10
    for chapter in chapters:
        page = page_html(site, lang, f"{chapter}/index.md")
        assert 'data-dd="stamp"' in page, f"{lang}/{chapter}/ has no verification stamp"
        manifest = json.loads((ROOT / "generated" / chapter / "manifest.json").read_text(encoding="utf-8"))
        environment = manifest.get("environment") or {}
        if environment.get("torch") and manifest.get("generated"):
            assert f"torch {environment['torch']}" in page and "data-dd=\"stamp-missing\"" not in page
        else:
            assert 'data-dd="stamp-missing"' in page
    assert 'data-dd="stamp"' not in html(site, lang, "api/cnn/")


def test_stamp_shows_the_manifest_record_and_cuda_when_told(project, tmp_path):
    manifest_path = project / "generated/cnn/manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest.update(generated="2026-11-30", environment={"torch": "9.8.7+test", "torchvision": "6.5.4+test",
                                                         "python": "3.11.7"})
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "VERIFIED_CUDA": "1", "GITHUB_SHA": "d" * 40}
    result = subprocess.run([sys.executable, "-m", "tools.offline", "mkdocs", "build", "--strict", "-f",
                             CONFIGS["tr"], "-d", str(tmp_path / "out")], cwd=project, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    stamp = (tmp_path / "out/cnn/index.html").read_text(encoding="utf-8").split('data-dd="stamp"')[1]
    stamp = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", stamp.split("</section>")[0]))
    for expected in ("30 Kasım 2026", "torch 9.8.7+test", "torchvision 6.5.4+test", "CPU, CUDA"):
        assert expected in stamp, stamp
    assert "d" * 12 in (tmp_path / "out/cnn/index.html").read_text(encoding="utf-8")


def test_images_have_alt_text_in_the_page_language(site):
    """Every image says what it shows, and the Turkish page's words are not the English page's."""
    image = re.compile(r'<img\b[^>]*>')
    for source in SOURCES:
        alts = {}
        for lang in CONFIGS:
            tags = image.findall(page_html(site, lang, source))
            alts[lang] = [html_module.unescape(m.group(1)) if (m := re.search(r'\balt="([^"]*)"', tag)) else ""
                          for tag in tags]
            for alt in alts[lang]:
                assert len(alt.split()) >= 2 and ".png" not in alt, f"{lang}/{source}: alt text {alt!r}"
        assert len(alts["tr"]) == len(alts["en"]), source
        for tr, en in zip(alts["tr"], alts["en"], strict=True):
            assert tr != en, f"{source}: the image's alt text is not translated ({tr!r})"
