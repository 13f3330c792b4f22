"""Every built page in a real browser (Debian's Chromium through Playwright), fully offline.

Per page and language: no request leaves the local server, no console error, no serious or
critical accessibility violation (axe-core, the engine of the browsers' own audits, shipped by
axe-playwright-python), and the language switcher lands on the same page in the other language.
"""

from __future__ import annotations

import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = {"tr": "mkdocs.yml", "en": "mkdocs.en.yml"}
OTHER = {"tr": "en", "en": "tr"}
PAGES = sorted(p.relative_to(ROOT / "docs" / "tr").with_suffix("").as_posix() for p in (ROOT / "docs/tr").rglob("*.md"))


def url_path(page: str) -> str:
    """docs path without .md → the page's URL path (use_directory_urls)."""
    return "" if page == "index" else page.removesuffix("/index").removesuffix("index") + "/"


def find_browser() -> str | None:
    candidates = [os.environ.get("BROWSER_PATH"), "/usr/bin/chromium", "/usr/bin/google-chrome",
                  shutil.which("chromium"), shutil.which("chromium-browser"), shutil.which("google-chrome")]
    return next((c for c in candidates if c and Path(c).exists()), None)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> str:
    """Both languages built for and served at a local address, as GitHub Pages would serve them."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    site = tmp_path_factory.mktemp("served")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": base}
    for lang, config in CONFIGS.items():
        subprocess.run([sys.executable, "-m", "tools.offline", "mkdocs", "build", "--strict", "-f", config,
                        "-d", str(site / lang)], cwd=ROOT, env=env, check=True, capture_output=True)
    shutil.copy(ROOT / "config" / "site-root.html", site / "index.html")
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(site), **kwargs)

        def log_message(self, *args) -> None:  # keep the test output clean
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield base
    server.shutdown()


@pytest.fixture(scope="module")
def tab():
    """One Chromium tab for the whole module; every test navigates it afresh."""
    executable = find_browser()
    if executable is None:
        pytest.fail("no Chromium found: install Debian's package (apt-get install chromium), "
                    "or set BROWSER_PATH to a Chromium or Chrome binary")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        page = chromium.new_page()
        page.set_default_timeout(15_000)  # every wait fails loudly instead of hanging
        page.seen = {"requests": [], "errors": []}
        page.on("request", lambda request: page.seen["requests"].append(request.url))
        page.on("console", lambda msg: page.seen["errors"].append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda error: page.seen["errors"].append(str(error)))
        yield page
        chromium.close()


@pytest.fixture(scope="module")
def axe():
    """axe-core, injected into the page from the installed package (nothing is fetched)."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        pytest.fail("axe-playwright-python is missing: run `make install` (requirements.txt)")
    return Axe()


def serious_violations(axe, tab) -> list[str]:
    """axe-core's serious and critical findings on the open page, one line each with examples."""
    results = axe.run(tab, options={"resultTypes": ["violations"]}).response["violations"]
    return [f"{v['id']} ({v['impact']}, {len(v['nodes'])}×): {v['help']}: "
            f"{[' '.join(n['target']) for n in v['nodes'][:3]]}"
            for v in results if v["impact"] in ("serious", "critical")]


@pytest.fixture(autouse=True)
def watchdog():
    """A browser step that never returns fails the test after 60 s instead of stalling the suite."""
    def give_up(signum, frame):
        raise TimeoutError("browser check took over 60 s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("lang", CONFIGS)
@pytest.mark.parametrize("page", PAGES)
def test_page_is_offline_clean_accessible_and_switches_language(tab, base_url, axe, lang, page):
    tab.seen["requests"].clear()
    tab.seen["errors"].clear()
    address = f"{base_url}{lang}/{url_path(page)}"
    # The switcher needs the other build's sitemap; once it has arrived the page is fully set up.
    with tab.expect_response(lambda response: response.url == f"{base_url}{OTHER[lang]}/sitemap.xml"):
        tab.goto(address)
    assert tab.locator("html").get_attribute("lang") == lang
    foreign = [url for url in tab.seen["requests"] if not url.startswith(base_url) and not url.startswith("data:")]
    assert not foreign, f"{address} requested other hosts: {foreign}"
    assert not tab.seen["errors"], f"{address} logged errors: {tab.seen['errors']}"
    violations = serious_violations(axe, tab)
    assert not violations, f"{address} has accessibility violations:\n" + "\n".join(violations)
    tab.hover(".md-header .md-select")
    tab.click(f".md-select a[hreflang={OTHER[lang]}]")
    tab.wait_for_url(f"{base_url}{OTHER[lang]}/{url_path(page)}", wait_until="commit")


def test_root_redirects_to_turkish(tab, base_url):
    tab.goto(base_url)
    tab.wait_for_url(f"{base_url}tr/")


@pytest.mark.parametrize("lang", CONFIGS)
@pytest.mark.parametrize("page", ["index", "cnn/index", "api/cnn", "glossary"])
def test_dark_scheme_is_accessible(tab, base_url, axe, lang, page):
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
