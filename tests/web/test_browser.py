"""End-to-end in real headless Chromium: an analyst's path through the app, offline, and XSS.

Debian's Chromium (``/usr/bin/chromium``) is driven by Playwright; no browser is downloaded.
A real uvicorn server runs in a background thread over the session's test database. Every
request the page makes to another origin is blocked and recorded: the app must work offline.
Screenshots go to ``tests/screenshots/`` (git-ignored).
"""

from __future__ import annotations

import json
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from marsad.settings import Settings
from marsad.web import create_app
from tests.web.conftest import SCREENSHOTS, XSS_TEXT, LiveServer, hostile_event

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="Debian's chromium not found at /usr/bin/chromium (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def live(web_db: Path, web_settings: Settings) -> Iterator[LiveServer]:
    """The app on a free localhost port."""
    with LiveServer(create_app(web_db, web_settings)) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium for the module."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Watch:
    """What a page did that it should not: dialogs, console errors, requests to other origins."""

    def __init__(self) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.outside: list[str] = []


def _dismiss(dialog: Any, watch: Watch) -> None:
    """Record a dialog (a script that ran) and close it."""
    watch.dialogs.append(dialog.message)
    dialog.dismiss()


@pytest.fixture()
def page(browser: Any, live: LiveServer) -> Iterator[tuple[Any, Watch]]:
    """A fresh page (own cookies) that records dialogs, errors and outside requests."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    watch = Watch()

    def route(r: Any) -> None:
        if r.request.url.startswith(live.url):
            r.continue_()
        else:
            watch.outside.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    pg = ctx.new_page()
    pg.on("dialog", lambda d: _dismiss(d, watch))
    pg.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: watch.errors.append(str(e)))
    yield pg, watch
    ctx.close()


def shot(pg: Any, name: str) -> None:
    """Save a full-page screenshot."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_analyst_path_timeline_filter_event_language_map(page: tuple[Any, Watch], live: LiveServer) -> None:
    pg, watch = page
    pg.goto(f"{live.url}/events?lang=en")
    assert pg.locator("html").get_attribute("dir") == "ltr"
    total = pg.locator("#timeline .card").count()
    assert total >= 10
    shot(pg, "01_timeline_en")

    # Filter by a person, as an analyst would: type the entity id, apply.
    pg.fill("#f-person", "person:abdellatif-hammouchi")
    pg.click("#f-apply")
    pg.wait_for_url("**/events?*person=person%3Aabdellatif-hammouchi*")
    cards = pg.locator("#timeline .card")
    n = cards.count()
    assert 0 < n < total
    with urllib.request.urlopen(f"{live.url}/api/events?person=person:abdellatif-hammouchi") as r:
        assert n == len(json.load(r)["items"])
    assert "Hammouchi" in pg.locator("#timeline").inner_text()
    shot(pg, "02_timeline_person")

    # Open the Lisbon visit.
    pg.locator("#timeline .card .summary a", has_text="Lisbon").first.click()
    pg.wait_for_url("**/events/*")
    assert "Abdellatif Hammouchi (MA) visited Portugal (Lisbon)" in pg.inner_text("#summary")
    actor = pg.locator('#article-text mark.ev[data-slot="actor"]').first
    assert actor.is_visible()
    assert "حموشي" in actor.inner_text()
    bg = actor.evaluate("el => getComputedStyle(el).backgroundColor")
    assert bg not in ("rgba(0, 0, 0, 0)", "transparent")
    assert pg.locator("#article-text").get_attribute("dir") == "rtl"
    assert pg.locator("#slots tr.slot-row").count() >= 5
    # Pointing at a slot lights up its evidence (the little JavaScript runs under the CSP).
    pg.hover('#slots tr.slot-row[data-slot="city"]')
    assert pg.locator("mark.ev.focus").count() >= 1 and pg.locator("mark.ev.dim").count() >= 1
    shot(pg, "03_event_en")

    # Switch to Arabic and back; the choice sticks across pages.
    pg.click("#lang-switch")
    pg.wait_for_function("document.documentElement.dir === 'rtl'")
    assert pg.locator("html").get_attribute("lang") == "ar"
    assert "الخط الزمني" in pg.inner_text("header")
    shot(pg, "04_event_ar")
    pg.goto(f"{live.url}/events")
    assert pg.locator("html").get_attribute("dir") == "rtl"
    pg.click("#lang-switch")
    pg.wait_for_function("document.documentElement.dir === 'ltr'")

    # The map draws offline from the shipped outline.
    pg.goto(f"{live.url}/map?view=world")
    svg = pg.locator("#world-map")
    box = svg.bounding_box()
    assert box is not None and box["width"] > 600 and box["height"] > 200
    assert pg.locator('#world-map path.land[data-iso="MA"]').count() == 1
    assert pg.locator("#world-map path.arc").count() >= 3
    assert pg.locator('#world-map path.arc[data-pair="MA-PT"]').is_visible()
    shot(pg, "05_map_world")
    pg.goto(f"{live.url}/map?lang=ar")
    assert pg.locator("#world-map path.arc").count() >= 3
    shot(pg, "06_map_fit_ar")

    assert watch.outside == [], "the app requested another origin"
    assert watch.dialogs == []
    assert watch.errors == []


def test_search_relations_entity_country_article(page: tuple[Any, Watch], live: LiveServer) -> None:
    pg, watch = page
    pg.goto(f"{live.url}/search?lang=en&q=الحموشي")
    assert pg.locator("#results li").count() >= 4
    assert pg.locator("#results mark").count() >= 4
    shot(pg, "07_search")
    pg.goto(f"{live.url}/relations")
    assert pg.locator("#matrix td.hit").count() >= 3
    shot(pg, "08_relations")
    pg.goto(f"{live.url}/entities/person:abdellatif-hammouchi")
    assert pg.locator("#roles tbody tr").count() >= 1
    assert pg.locator("#aliases li").count() >= 2
    shot(pg, "09_entity")
    pg.goto(f"{live.url}/countries/MA")
    assert pg.locator("#partners tbody tr").count() >= 2
    pg.goto(f"{live.url}/articles/2")
    assert not pg.locator("#original pre").is_visible()
    pg.click("#original summary")
    assert pg.locator("#original pre").is_visible()
    pg.click("#removed summary")
    shot(pg, "10_article")
    assert watch.outside == [] and watch.errors == []


def _assert_inert(pg: Any, watch: Watch) -> None:
    assert pg.evaluate("() => window.__xss === undefined")
    assert pg.locator("img").count() == 0
    assert pg.locator("script:not([src])").count() == 0
    assert pg.locator("b[onmouseover]").count() == 0
    assert watch.dialogs == []


def test_hostile_markup_renders_as_text(page: tuple[Any, Watch], live: LiveServer, web_db: Path) -> None:
    pg, watch = page
    ident = hostile_event(web_db)
    pg.goto(f"{live.url}/events/{ident}?lang=en")
    _assert_inert(pg, watch)
    assert XSS_TEXT in pg.inner_text("#article-text")
    assert "<script>" in pg.locator('#article-text mark[data-slot="trigger"]').inner_text()
    shot(pg, "11_hostile_event")
    for url in ("/events?country=OM", "/search?q=مسقط", "/entities", "/relations", "/map"):
        pg.goto(live.url + url)
        _assert_inert(pg, watch)


def test_ingested_hostile_article_renders_as_text(browser: Any, web_db: Path, web_settings: Settings,
                                                  tmp_path: Path) -> None:
    db = tmp_path / "ingest.db"
    shutil.copy(web_db, db)
    settings = web_settings.replace(web={"ingest_token": "browser-token"})
    hostile = {
        "id": "xss-1",
        "title": '<img src=x onerror="alert(1)"> زيارة <script>alert("t")</script>',
        "text": ("وصل وزير الداخلية العماني إلى الرباط <script>window.__xss='ingest'</script> "
                 'في زيارة رسمية <img src=x onerror="window.__xss=\'img\'"> يلتقي خلالها نظيره المغربي.'),
    }
    with LiveServer(create_app(db, settings)) as server:
        req = urllib.request.Request(
            f"{server.url}/api/ingest", data=json.dumps(hostile).encode(), method="POST",
            headers={"Content-Type": "application/json", "Authorization": "Bearer browser-token"})
        with urllib.request.urlopen(req) as r:
            assert r.status == 201
            doc = json.load(r)["documents"][0]["id"]
        ctx = browser.new_context()
        pg = ctx.new_page()
        watch = Watch()
        pg.on("dialog", lambda d: _dismiss(d, watch))
        for url in (f"/articles/{doc}", "/search?q=العماني", "/events?person=العماني", "/articles"):
            pg.goto(server.url + url)
            _assert_inert(pg, watch)
        pg.goto(f"{server.url}/articles/{doc}")
        assert "<script>window.__xss='ingest'</script>" in pg.inner_text("#clean-text")
        assert '<img src=x onerror="alert(1)">' in pg.inner_text("#article-title")
        shot(pg, "12_hostile_ingested")
        ctx.close()
