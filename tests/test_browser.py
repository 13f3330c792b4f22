"""Every built page in a real browser (Debian's Chromium through Playwright), fully offline.

Per page and language: no request leaves the local server, no console error, no serious or critical
accessibility violation (axe-core, the engine of the browsers' own audits, shipped by
axe-playwright-python), no code block of a snippet section that scrolls sideways on a desktop
screen, every formula typeset by the vendored KaTeX, and the language switcher lands on the same
page in the other language; the search of each language finds a page of that language. The
published build (MkDocs) is checked on every page; the Zensical build (tests/test_zensical.py
compares it with MkDocs page by page) on a page of every kind.
"""

from __future__ import annotations

import functools
import http.server
import io
import json
import os
import re
import shutil
import signal
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.conftest import LocalSite, free_address

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = {"tr": "mkdocs.yml", "en": "mkdocs.en.yml"}
OTHER = {"tr": "en", "en": "tr"}
PAGES = sorted(p.relative_to(ROOT / "docs" / "tr").with_suffix("").as_posix() for p in (ROOT / "docs/tr").rglob("*.md"))
# Zensical: the home page (chapter map), a chapter with figures, tables and notebooks, an API page
# (mkdocstrings), the glossary and the contributing page; the parity test covers every page.
ZENSICAL_PAGES = ["index", "cnn/index", "api/cnn", "glossary", "contributing"]
CASES = [("mkdocs", lang, page) for page in PAGES for lang in CONFIGS] + \
        [("zensical", lang, page) for page in ZENSICAL_PAGES for lang in CONFIGS]
# A word of a chapter, searched in its language: the first result is that chapter, in that language.
SEARCHES = {"tr": ("evrişim", "cnn/"), "en": ("convolution", "cnn/")}
# Per build: what opens the search, its input, its result links (Zensical's dialog is in a shadow DOM,
# which Playwright's CSS selectors enter).
# A code block whose every line is a line of snippets/ shows a snippet section (or a docstring's
# example): outputs, shell sessions and the contributing page's sketches are other blocks.
SNIPPET_LINES = {line.strip() for path in (ROOT / "snippets").rglob("*.py")
                 for line in path.read_text(encoding="utf-8").splitlines()}
DESKTOP = {"width": 1440, "height": 900}
# Per code block of the content that scrolls sideways: its text and how many characters it shows.
WIDE_CODE = """() => [...document.querySelectorAll('.md-content pre > code')]
  .filter(code => code.scrollWidth > code.clientWidth)
  .map(code => {
    const probe = document.createElement('span');
    probe.textContent = '0'.repeat(100);
    code.appendChild(probe);
    const charWidth = probe.getBoundingClientRect().width / 100;
    probe.remove();
    const style = getComputedStyle(code);
    const inner = code.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return [code.textContent, Math.floor(inner / charWidth)];
  })"""
# The pages whose source has a formula (pymdownx.arithmatex's \( … \) or $$ … $$), per language.
MATH_PAGES = {(lang, p.relative_to(ROOT / "docs" / lang).with_suffix("").as_posix())
              for lang in CONFIGS for p in (ROOT / "docs" / lang).rglob("*.md")
              if "\\(" in (text := p.read_text(encoding="utf-8")) or "\n$$\n" in text}
# Text of the content outside code and typeset formulas: a raw delimiter there was not typeset.
RAW_MATH = """() => {
  const content = document.querySelector('.md-content').cloneNode(true);
  content.querySelectorAll('pre, code, .katex').forEach(element => element.remove());
  return ['\\\\(', '\\\\[', '$$'].filter(delimiter => content.textContent.includes(delimiter));
}"""
SEARCH_UI = {"mkdocs": (".md-search__input", ".md-search__input", ".md-search-result__item a"),
             "zensical": (".md-search__button", "input[role=combobox]", "ol[role=listbox] a")}


def url_path(page: str) -> str:
    """docs path without .md → the page's URL path (use_directory_urls)."""
    return "" if page == "index" else page.removesuffix("/index").removesuffix("index") + "/"


def find_browser() -> str | None:
    """BROWSER_PATH, else Chromium's headless shell (Debian's chromium-headless-shell: the same engine
    without the desktop browser's layers, a sixth less CPU a page here), else Chromium or Chrome."""
    names = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome")
    candidates = [os.environ.get("BROWSER_PATH"), *map(shutil.which, names)]
    return next((c for c in candidates if c and Path(c).exists()), None)


@pytest.fixture(scope="module")
def servers():
    """Starts a local server for a built site on first use, at the address it was built for, or on
    another port where another test process serves that build already; they all stop with the module."""
    running: dict[str, tuple[http.server.ThreadingHTTPServer, str]] = {}

    def start(site: LocalSite, address: str) -> http.server.ThreadingHTTPServer:
        handler = functools.partial(SiteHandler, site.address.encode(), address.encode(), directory=str(site.served))
        return http.server.ThreadingHTTPServer(("127.0.0.1", urlsplit(address).port), handler)

    def serve(site: LocalSite) -> str:
        if site.address not in running:
            try:
                address, server = site.address, start(site, site.address)
            except OSError:  # the port is taken: another test process serves this build
                address = free_address()
                server = start(site, address)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            running[site.address] = server, address
        return running[site.address][1]

    yield serve
    for server, _ in running.values():
        server.shutdown()
        server.server_close()


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a build made for one address at another: the address in its pages and sitemap (the
    canonical links, what the language switcher reads) is the served one, as if built for it."""

    def __init__(self, built: bytes, served: bytes, *args, **kwargs) -> None:
        self.built, self.served = built, served
        super().__init__(*args, **kwargs)

    def send_head(self):
        path = Path(self.translate_path(self.path))
        path = path / "index.html" if urlsplit(self.path).path.endswith("/") else path
        if path.suffix not in (".html", ".xml") or not path.is_file():
            return super().send_head()
        body = path.read_bytes().replace(self.built, self.served)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args) -> None:  # keep the test output clean
        pass


@pytest.fixture
def base_url(request, servers, builder) -> str:
    """The address of the build under test ("mkdocs": published, or "zensical"), served locally."""
    return servers(request.getfixturevalue(f"{builder}_local_site"))


@pytest.fixture(scope="module")
def tab():
    """One Chromium tab for the whole module; every test navigates it afresh."""
    executable = find_browser()
    if executable is None:
        pytest.fail("no Chromium found: install Debian's package (apt-get install chromium-headless-shell), "
                    "or set BROWSER_PATH to a Chromium or Chrome binary")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        page = chromium.new_page(viewport=DESKTOP)  # a desktop screen: what the code-width check assumes
        page.set_default_timeout(15_000)  # every wait fails loudly instead of hanging
        page.seen = {"requests": [], "errors": []}
        page.on("request", lambda request: page.seen["requests"].append(request.url))
        page.on("console", lambda msg: page.seen["errors"].append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda error: page.seen["errors"].append(str(error)))
        yield page
        chromium.close()


@pytest.fixture
def empty_search_index(tab, request, builder):
    """Every page of the published build fetches Material's search index (half a megabyte) and builds
    it in a web worker as it loads: the page checks get the index with no documents, which spares a
    second of CPU per page; the search tests use the real one."""
    if builder != "mkdocs":
        yield
        return
    site = request.getfixturevalue("mkdocs_local_site").path
    pattern = "**/search/search_index.json"

    def empty(route) -> None:
        lang = urlsplit(route.request.url).path.split("/")[-3]
        index = json.loads((site / lang / "search" / "search_index.json").read_text(encoding="utf-8"))
        route.fulfill(json={"config": index["config"], "docs": []})

    tab.route(pattern, empty)
    yield
    tab.unroute(pattern)


@pytest.fixture(scope="module")
def axe():
    """axe-core, injected into the page from the installed package (nothing is fetched)."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        pytest.fail("axe-playwright-python is missing: run `make install` (requirements.txt)")
    return Axe()


# axe-core's audit of the open page. Colour contrast is decided by an element's computed colour, font
# and background, and a page of highlighted code repeats a few dozen such styles thousands of times:
# the colour-contrast rule, five sixths of the audit's time there, runs on the first element of each
# style (with what it holds); every other rule runs on the whole page.
AUDIT = """async () => {
  const seen = new Set(), samples = [];
  const style = el => {
    let background = '', opacity = 1;
    for (let up = el; up; up = up.parentElement) {
      const s = getComputedStyle(up);
      opacity *= parseFloat(s.opacity);
      if (!background && (s.backgroundImage !== 'none' || !/rgba\\(.*, 0\\)$|transparent/.test(s.backgroundColor)))
        background = s.backgroundColor + s.backgroundImage;
    }
    const s = getComputedStyle(el);
    return [s.color, s.fontSize, s.fontWeight, s.textShadow, background, opacity.toFixed(2)].join('|');
  };
  for (const el of document.body.querySelectorAll('*')) {
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const key = style(el);
    if (!seen.has(key)) samples.push(el);
    seen.add(key);
  }
  const options = {resultTypes: ['violations']};
  const rest = await axe.run(document, {...options, rules: {'color-contrast': {enabled: false}}});
  const contrast = samples.length ? (await axe.run({include: samples},
      {...options, runOnly: {type: 'rule', values: ['color-contrast']}})).violations : [];
  return [...rest.violations, ...contrast];
}"""


def serious_violations(axe, tab) -> list[str]:
    """axe-core's serious and critical findings on the open page, one line each with examples."""
    tab.evaluate(axe.axe_script)  # axe-core as the package ships it
    results = tab.evaluate(AUDIT)
    return [f"{v['id']} ({v['impact']}, {len(v['nodes'])}×): {v['help']}: "
            f"{[' '.join(n['target']) for n in v['nodes'][:3]]}"
            for v in results if v["impact"] in ("serious", "critical")]


@pytest.fixture(autouse=True)
def watchdog(request):
    """A browser step that never returns fails the test after 60 s instead of stalling the suite. The
    shared set-up (the browser, a site build) comes first and is not counted: on a busy machine a
    build alone can take a minute."""
    for shared in ("tab", "base_url"):
        if shared in request.fixturenames:
            request.getfixturevalue(shared)

    def give_up(signum, frame):
        raise TimeoutError("browser check took over 60 s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def clear(tab) -> None:
    """Forget what earlier pages requested or logged; a blank page first stops their workers."""
    tab.goto("about:blank")
    tab.seen["requests"].clear()
    tab.seen["errors"].clear()


def offline_and_clean(tab, base_url: str, address: str) -> None:
    foreign = [url for url in tab.seen["requests"] if not url.startswith(base_url) and not url.startswith("data:")]
    assert not foreign, f"{address} requested other hosts: {foreign}"
    assert not tab.seen["errors"], f"{address} logged errors: {tab.seen['errors']}"


@pytest.mark.parametrize(("builder", "lang", "page"), CASES)
def test_page_is_offline_clean_accessible_and_switches_language(tab, base_url, axe, empty_search_index,
                                                                builder, lang, page):
    clear(tab)
    address = f"{base_url}{lang}/{url_path(page)}"
    # The switcher needs the other build's sitemap; once it has arrived the page is fully set up.
    with tab.expect_response(lambda response: response.url == f"{base_url}{OTHER[lang]}/sitemap.xml"):
        tab.goto(address)
    assert tab.locator("html").get_attribute("lang") == lang
    formulas_are_typeset(tab, address, (lang, page) in MATH_PAGES)
    offline_and_clean(tab, base_url, address)  # KaTeX's script, stylesheet and fonts come from the site
    violations = serious_violations(axe, tab)
    assert not violations, f"{address} has accessibility violations:\n" + "\n".join(violations)
    if builder == "mkdocs":
        snippet_code_fits(tab, address)
    switches_language(tab, OTHER[lang], f"{base_url}{OTHER[lang]}/{url_path(page)}")


def switches_language(tab, other: str, twin: str) -> None:
    """The language switcher leads to the same page in the other language. The twin is requested but
    not rendered (a stub answers): it has its own check, and rendering it here cost a fifth of the
    module's time."""
    tab.route(twin, lambda route: route.fulfill(content_type="text/html", body="<!doctype html><title>twin</title>"))
    try:
        tab.hover(".md-header .md-select")
        tab.click(f".md-select a[hreflang={other}]")
        tab.wait_for_url(twin, wait_until="commit")
    finally:
        tab.unroute(twin)


def formulas_are_typeset(tab, address: str, has_math: bool) -> None:
    """KaTeX (vendored) typesets every formula: no KaTeX error, no raw delimiter left in the text."""
    formulas = tab.locator(".arithmatex")
    assert formulas.count() > 0 or not has_math, f"{address}: no formula, though its source has one"
    tab.wait_for_function("[...document.querySelectorAll('.arithmatex')]"
                          ".every(e => e.querySelector('.katex, .katex-error'))")
    errors = tab.locator(".katex-error").all_text_contents()
    assert not errors, f"{address}: KaTeX could not typeset {errors}"
    assert tab.evaluate(RAW_MATH) == [], f"{address}: raw formula delimiters left in the text"


def snippet_code_fits(tab, address: str) -> None:
    """Snippet lines are at most as long as the content column shows (snippets/ruff.toml)."""
    for text, columns in tab.evaluate(WIDE_CODE):
        lines = [line for line in text.split("\n") if line.strip()]
        if all(line.strip() in SNIPPET_LINES for line in lines):
            first = next((line for line in lines if len(line) > columns), max(lines, key=len))
            pytest.fail(f"{address}: a snippet line of {len(first)} characters scrolls sideways (the "
                        f"column shows {columns} at {DESKTOP['width']} px): {first.strip()[:60]!r}")


@pytest.mark.parametrize("builder", ["mkdocs", "zensical"])
@pytest.mark.parametrize("lang", CONFIGS)
def test_search_finds_pages_of_its_language(tab, base_url, builder, lang):
    word, chapter = SEARCHES[lang]
    opener, query, results = SEARCH_UI[builder]
    clear(tab)
    if builder == "mkdocs":  # the real index arrives (the page checks give theirs an empty one)
        wanted = f"{base_url}{lang}/search/search_index.json"
        with tab.expect_response(lambda response: response.url == wanted) as index:
            tab.goto(f"{base_url}{lang}/")
        docs = len(index.value.json()["docs"])
        assert docs > 0, f"{lang}/search/search_index.json arrived with no documents (status {index.value.status})"
    else:
        tab.goto(f"{base_url}{lang}/")
    tab.click(opener)
    # Typed key by key, as a reader does: Material reads the query on keyup (or when its index is
    # ready), so a fill, which sends only an input event, goes unseen once the index is ready.
    tab.locator(query).press_sequentially(word)
    # Results follow each key, so the first one is awaited until it is the chapter (or 45 s pass: the
    # index is built in a web worker on first use, slow on a busy CPU).
    expect(tab.locator(results).first).to_have_attribute(
        "href", re.compile("^" + re.escape(f"{base_url}{lang}/{chapter}")), timeout=45_000)
    offline_and_clean(tab, base_url, f"{builder} search on {lang}/")


@pytest.mark.parametrize("builder", ["mkdocs"])
def test_root_redirects_to_turkish(tab, base_url):
    tab.goto(base_url)
    tab.wait_for_url(f"{base_url}tr/")


@pytest.mark.parametrize("builder", ["mkdocs"])
@pytest.mark.parametrize("lang", CONFIGS)
@pytest.mark.parametrize("page", ["index", "cnn/index", "api/cnn", "glossary"])
def test_dark_scheme_is_accessible(tab, base_url, axe, empty_search_index, lang, page):
    """The reader's dark palette (slate), on one page of each kind: cards, a chapter, API, glossary."""
    tab.goto(f"{base_url}{lang}/{url_path(page)}")
    # The header's toggle (the choice is kept in localStorage), clicked without hovering it: a hover
    # fades in the button's tooltip, and axe would measure it half-transparent.
    tab.dispatch_event("label[for=__palette_1]", "click")
    tab.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    try:
        violations = serious_violations(axe, tab)
    finally:
        tab.dispatch_event("label[for=__palette_0]", "click")  # back to the default for the tests that follow
        tab.wait_for_function("document.body.dataset.mdColorScheme === 'default'")
    assert not violations, f"{lang}/{url_path(page)} (dark) has accessibility violations:\n" + "\n".join(violations)
