"""The reader in a real browser: the star's script, search, the article page's script and its layout on a phone.

Runs Debian's Chromium (`apt-get install chromium fonts-noto-cjk`) through Playwright against the app served by
uvicorn on a free local port. Skipped when /usr/bin/chromium is missing, unless `WARTA_REQUIRE_BROWSER=1` (CI sets
it). Screenshots go to the directory named by `WARTA_SCREENSHOTS` (e.g. docs/screenshots), else to a temporary one.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    if os.environ.get("WARTA_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{CHROMIUM} is missing and WARTA_REQUIRE_BROWSER=1 requires the browser tests", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium fonts-noto-cjk)", allow_module_level=True)

import uvicorn  # noqa: E402
from playwright.sync_api import Browser, Page, Route, expect, sync_playwright  # noqa: E402

from warta.serve import create_app  # noqa: E402
from warta.store import Store  # noqa: E402

from ..search.corpus import ARTICLES, fill  # noqa: E402

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
RMOL = 1  # the corpus's first publisher
KAZAKHSTAN = "Kazakhstan: Pasukan CSTO Mulai Ditarik dari Almaty Setelah Kerusuhan"
DPR = "Polisi Amankan Demonstran di Depan Gedung DPR"
RELATED = {
    "CSTO Tarik Pasukan dari Kazakhstan, Tokayev Sebut Almaty Kondusif",
    "Pasukan CSTO Tinggalkan Almaty, Kazakhstan Kembali Tenang",
}
RMOL_TITLES = {title for publisher, _slug, _lang, _hours, title, _paragraphs in ARTICLES if publisher == "rmol"}
# The corpus's images live on the publishers' sites; the test network is closed, so they are drawn locally.
PLACEHOLDER = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675" viewBox="0 0 1200 675">'
    '<rect width="1200" height="675" fill="#c9d3df"/>'
    '<path d="M0 675 420 300 700 560 900 400 1200 675z" fill="#8fa3b8"/>'
    '<circle cx="930" cy="170" r="80" fill="#eef2f6"/></svg>'
)
SERVER_START_TIMEOUT = 10.0


@dataclass
class Reader:
    base_url: str
    store: Store
    ids: dict[str, str]


@pytest.fixture
def reader(tmp_path: Path) -> Iterator[Reader]:
    """The app over a filled SQLite store, served by uvicorn in a thread on a free port of 127.0.0.1."""
    with Store(f"sqlite:///{tmp_path / 'w.db'}") as store:
        ids = fill(store)
        config = uvicorn.Config(
            create_app(store), host="127.0.0.1", port=0, log_level="warning", ws="none", lifespan="off"
        )
        server = uvicorn.Server(config)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT
            while not server.started:
                assert thread.is_alive(), "uvicorn stopped while starting"
                assert time.monotonic() < deadline, "uvicorn did not start"
                time.sleep(0.02)
            yield Reader(f"http://127.0.0.1:{port}", store, ids)
        finally:
            server.should_exit = True
            thread.join(timeout=SERVER_START_TIMEOUT)
            sock.close()
        assert not thread.is_alive(), "uvicorn did not stop"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Browser, reader: Reader) -> Iterator[Page]:
    """A fresh desktop page: light scheme, English, a time zone other than the publishers' (so local time shows)."""
    context = browser.new_context(
        base_url=reader.base_url,
        viewport=DESKTOP,
        locale="en-GB",
        timezone_id="Europe/Berlin",
        color_scheme="light",
    )
    context.set_default_timeout(10_000)

    def offline(route: Route) -> None:
        if route.request.url.startswith(reader.base_url):
            route.continue_()
        elif route.request.resource_type == "image":
            route.fulfill(status=200, content_type="image/svg+xml", body=PLACEHOLDER)
        else:
            route.abort()

    context.route("**/*", offline)
    opened = context.new_page()
    try:
        yield opened
    finally:
        context.close()


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    directory = Path(os.environ.get("WARTA_SCREENSHOTS") or tmp_path / "screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def test_the_star_follows_without_a_page_load_and_latest_then_shows_the_followed(page: Page, reader: Reader) -> None:
    page.goto("/publishers")
    row = page.locator("ul.publishers li", has=page.locator(f'form.star[data-publisher="{RMOL}"]'))
    expect(row).to_contain_text("RMOL")
    button = page.locator(f'form.star[data-publisher="{RMOL}"] button[aria-pressed]')
    expect(button).to_have_attribute("aria-pressed", "false")
    assert reader.store.followed_ids() == set()

    # A marker on the window survives only if the script's fetch did the work, not the form's fallback submit.
    page.evaluate("window.wartaNoReload = true")
    url = page.url
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button.locator(".label")).to_have_text("Following")
    assert page.evaluate("window.wartaNoReload === true"), "the star reloaded the page"
    assert page.url == url
    assert reader.store.followed_ids() == {RMOL}

    page.reload()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(page.locator('form.star button[aria-pressed="true"]')).to_have_count(1)

    # Following someone makes the front page the following view: only RMOL's two articles.
    page.goto("/")
    expect(page.locator(".tabs a[aria-current]")).to_have_text("Following")
    items = page.locator("ol.articles li.item")
    expect(items).to_have_count(len(RMOL_TITLES))
    assert set(items.locator("a.headline").all_text_contents()) == RMOL_TITLES
    assert {name.strip() for name in items.locator(".meta a").all_text_contents()} == {"RMOL"}


def test_search_then_the_article_page_on_desktop_and_phone(page: Page, reader: Reader, screenshots: Path) -> None:
    page.goto("/")
    box = page.locator("form.quick-search input[name=q]")
    box.fill("kerusuhan")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=kerusuhan$"))
    headlines = page.locator("ol.results li.item a.headline")
    expect(headlines.filter(has_text=DPR)).to_have_count(1)
    expect(page.locator("ol.results mark").filter(has_text=re.compile(r"^rusuh$")).first).to_be_visible()
    page.screenshot(path=screenshots / "search.png", full_page=True)

    headlines.filter(has_text=KAZAKHSTAN).click()
    page.wait_for_url(re.compile(r"/articles/[0-9a-f]+$"))
    expect(page.locator("article h1")).to_have_text(KAZAKHSTAN)
    # The star sits in the publisher line (a form inside a <p> would be pushed out of it by the parser).
    expect(page.locator("article .kicker form.star")).to_have_count(1)
    related = page.locator("section.related ol.articles li.item a.headline")
    expect(related).to_have_count(2)
    assert set(related.all_text_contents()) == RELATED
    local = page.locator("article .byline span.local")
    expect(local).to_have_count(1)
    expect(local).to_have_text(re.compile(r"^your time: .*2022"))
    expect(page.locator("figure.lead img")).to_have_js_property("complete", True)
    page.screenshot(path=screenshots / "article-desktop.png", full_page=True)

    page.set_viewport_size(PHONE)
    expect(page.locator("article h1")).to_be_visible()
    width = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1] + 1, f"the article page scrolls sideways on a phone: {width[0]}px in {width[1]}px"
    page.screenshot(path=screenshots / "article-phone.png", full_page=True)

    for name in ("search.png", "article-desktop.png", "article-phone.png"):
        data = (screenshots / name).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n"), name
        assert len(data) > 1000, name
