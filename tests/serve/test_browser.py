"""The web UI in a real browser: Debian's Chromium driven by Playwright, against a real server
(uvicorn on a free 127.0.0.1 port) over a real store.

Needs /usr/bin/chromium and the built UI (``cd web && npm ci && npm run build``). Locally the
tests skip with that message when either is missing; in CI (``CI`` set) they fail instead.
Screenshots go to ``screenshots/`` at the repository root (git-ignored).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.serve.polling import report
from tests.serve.sample import XSS_MARK, fill, hostile, spain

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def _need(ok: bool, msg: str) -> None:
    if not ok:
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """uvicorn in a thread, stopped cleanly at the end."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.port = _free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def _server(url: str, **settings: Any) -> Iterator[str]:
    from eventwire.config import load_settings
    from eventwire.serve import create_app
    from eventwire.serve.app import DIST
    from eventwire.store import Store

    _need((DIST / "index.html").is_file(), f"web UI not built ({DIST} missing): run `cd web && npm ci && npm run build`")
    store = Store(url)
    with Server(create_app(load_settings(db=url, **settings), store=store)) as base:
        yield base
    store.close()


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from eventwire.store import Store

    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'ui.db'}"
    with Store(url) as s:
        fill(s)
    yield from _server(url, min_confidence=0)  # all five sample events, the 0.4 THREATEN too


@pytest.fixture(scope="module")
def floor_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same sample behind a server with the default settings: min_confidence 0.5."""
    from eventwire.store import Store

    url = f"sqlite:///{tmp_path_factory.mktemp('browser-floor') / 'ui.db'}"
    with Store(url) as s:
        fill(s)
    yield from _server(url)


@pytest.fixture(scope="module")
def seed_url(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Iterator[str]:
    """The canonical seed, posted to POST /api/ingest as a raw dump: the real pipeline (clean →
    nlp → geo → events, via eventwire.batch.ingest) fills the store behind the page."""
    import httpx

    from eventwire.config import load_settings
    from eventwire.serve import create_app
    from eventwire.serve.app import DIST
    from eventwire.store import Store

    _need((DIST / "index.html").is_file(), f"web UI not built ({DIST} missing): run `cd web && npm ci && npm run build`")
    url = f"sqlite:///{tmp_path_factory.mktemp('browser-seed') / 'seed.db'}"
    store = Store(url)
    with Server(create_app(load_settings(db=url, token="seed-token"), store=store)) as base:
        r = httpx.post(f"{base}/api/ingest", headers={"authorization": "Bearer seed-token"}, timeout=60,
                       json={"text": seed_path.read_text(encoding="utf-8"), "dump": True, "source": seed_path.name})
        rep = report(lambda path: httpx.get(f"{base}{path}", timeout=60), r)
        assert rep["new"] == 2 and rep["events"] > 0, rep
        yield base
    store.close()


@pytest.fixture(scope="module")
def empty_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _server(f"sqlite:///{tmp_path_factory.mktemp('browser-empty') / 'empty.db'}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _need(CHROMIUM.exists(), f"{CHROMIUM} not found: install Debian's Chromium (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    pg = ctx.new_page()
    pg.problems = []  # console errors, page errors, CSP violations, dialogs
    pg.on("console", lambda m: m.type == "error" and pg.problems.append(f"console: {m.text}"))
    pg.on("pageerror", lambda e: pg.problems.append(f"pageerror: {e}"))

    def dialog(d: Any) -> None:
        pg.problems.append(f"dialog: {d.message}")
        d.dismiss()

    pg.on("dialog", dialog)
    pg.set_default_timeout(15_000)
    yield pg
    ctx.close()


def until(pg: Any, cond: Any, timeout: float = 15.0) -> None:
    """Poll from Python: page.wait_for_function would eval a string in the page, which the
    app's Content-Security-Policy (rightly) forbids. Waiting through Playwright (not
    time.sleep) lets it deliver the page's events, e.g. URL changes."""
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        pg.wait_for_timeout(100)


def shot(pg: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(SHOTS / name))


def test_main_page_shows_events_on_map_and_table(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    page.wait_for_selector("tr.event-row")
    assert page.locator("tr.event-row").count() == 5
    # One marker per place (Kharkiv holds two events): Madrid, Aleppo, Kharkiv, Lyon.
    page.wait_for_selector("path.ew-marker")
    assert page.locator("path.ew-marker").count() == 4
    assert page.locator("path.ew-type-REJECT").count() == 1
    # one event is undated, the future THREATEN is off the timeline (issue 14.5)
    assert page.locator(".timeline-svg .bars rect").count() == 3
    # The basemap is drawn offline (canvas) and no request left this machine.
    assert page.locator(".leaflet-container canvas").count() >= 1
    page.wait_for_timeout(300)
    shot(page, "main.png")
    assert page.problems == []


def test_click_spain_event_shows_highlighted_evidence(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    page.locator("tr.event-row", has_text="Spain has called off").click()
    page.wait_for_selector(".article-view")
    ev = spain().events[0]
    assert ev.id in page.url
    text = page.locator(".article-text")

    def marked(cls: str) -> list[str]:
        return sorted(text.locator(f"mark.{cls}").all_inner_texts())

    assert marked("hl-actor") == ["Spain"]
    assert marked("hl-recipient") == ["Pap Tecnos"]
    assert marked("hl-place") == ["Madrid", "Madrid"]  # body and caption
    assert marked("hl-date") == ["Tuesday"]
    assert marked("hl-quantity") == ["168", "285 million euros"]
    assert marked("hl-claim") == ["the Defence Ministry said"]
    assert "cancels" in marked("hl-trigger") and "called off" in marked("hl-trigger")
    # Title evidence sits in the title, caption evidence in the caption, shown as a caption.
    assert page.locator("h1.article-title mark.hl-trigger").inner_text() == "cancels"
    assert page.locator("figure.caption figcaption mark.hl-place").inner_text() == "Madrid"
    assert page.locator("figure.caption .credit").inner_text() == "Photo: Agency"
    # Distinct colours per field.
    colours = {cls: text.locator(f"mark.{cls}").first.evaluate("e => getComputedStyle(e).backgroundColor")
               for cls in ("hl-actor", "hl-recipient", "hl-place", "hl-date", "hl-quantity", "hl-claim", "hl-trigger")}
    assert len(set(colours.values())) == 7, colours
    assert "cancelled" in page.locator("dl.details").inner_text()
    page.wait_for_timeout(200)
    shot(page, "article.png")
    assert page.problems == []


def test_filter_by_type_is_in_the_url(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    page.wait_for_selector("tr.event-row")
    page.locator("#type-ASSAULT").check()
    until(page, lambda: page.locator("tr.event-row").count() == 1)
    assert "type=ASSAULT" in page.url
    assert page.locator("tr.event-row .chip").inner_text() == "ASSAULT"
    assert page.locator("path.ew-marker").count() == 1
    assert "type=ASSAULT" in page.locator("#export-csv").get_attribute("href")
    # The URL is shareable: a fresh load shows the same selection.
    page.goto(page.url)
    page.wait_for_selector("tr.event-row")
    assert page.locator("tr.event-row").count() == 1
    assert page.locator("#type-ASSAULT").is_checked()
    # Sorting by a column header, then the actor view from an article.
    page.goto(base_url + "/?sort=confidence")
    page.wait_for_selector("tr.event-row")
    assert page.locator("tr.event-row").first.locator(".chip").inner_text() == "THREATEN"  # lowest first
    assert page.problems == []


def test_min_confidence_control(page: Any, floor_url: str) -> None:
    """The sample's confidences: REJECT 0.9, ASSAULT 0.85, MOBILIZE 0.8, PROTEST 0.6, THREATEN 0.4.
    Unset in the URL, the server's default (0.5) applies and the slider shows it."""
    page.goto(floor_url + "/")
    page.wait_for_selector("tr.event-row")
    rows = page.locator("tr.event-row")
    until(page, lambda: "hidden" in page.locator("#f-min-confidence-note").inner_text())
    assert rows.count() == 4 and "THREATEN" not in page.locator("#events-table").inner_text()
    slider = page.locator("#f-min-confidence")
    assert slider.input_value() == "0.5"
    assert page.locator("#f-min-confidence-value").inner_text() == "0.50"
    assert page.locator("#f-min-confidence-note").inner_text().startswith("1 event below it hidden")
    assert "1 more below confidence 0.50" in page.locator("#hidden-info").inner_text()
    assert "min_confidence" not in page.url
    page.wait_for_timeout(300)
    shot(page, "confidence-default.png")
    # Down to 0 with the keyboard: every event, kept in the URL.
    slider.focus()
    page.keyboard.press("Home")
    until(page, lambda: rows.count() == 5)
    assert "min_confidence=0" in page.url
    assert "THREATEN" in page.locator("#events-table").inner_text()
    assert page.locator("#f-min-confidence-value").inner_text() == "0.00"
    assert page.locator("#hidden-info").count() == 0
    # Up to 0.85: two events; the export links and a fresh load keep the floor.
    page.locator("#f-min-confidence").fill("0.85")
    until(page, lambda: rows.count() == 2)
    assert "min_confidence=0.85" in page.url
    assert "min_confidence=0.85" in page.locator("#export-csv").get_attribute("href")
    assert page.locator("#f-min-confidence-value").inner_text() == "0.85"
    page.goto(page.url)
    page.wait_for_selector("tr.event-row")
    until(page, lambda: rows.count() == 2)
    assert page.locator("#f-min-confidence").input_value() == "0.85"
    assert "3 events below it hidden" in page.locator("#f-min-confidence-note").inner_text()
    page.wait_for_timeout(300)
    shot(page, "confidence-1440.png")
    # "default" returns to the server's floor (the parameter leaves the URL).
    page.locator("#conf-default").click()
    until(page, lambda: rows.count() == 4)
    assert "min_confidence" not in page.url
    # Above every event: the status says so and offers to show all.
    page.goto(floor_url + "/?min_confidence=0.95")
    page.wait_for_selector(".notice-empty")
    assert "No events at or above confidence 0.95" in page.locator(".notice-empty").inner_text()
    page.locator(".notice-empty button").click()
    until(page, lambda: rows.count() == 5)
    # A phone-sized window.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(floor_url + "/?min_confidence=0.85")
    page.wait_for_selector("tr.event-row")
    page.wait_for_timeout(400)
    shot(page, "confidence-390.png")
    page.locator("#events-table").scroll_into_view_if_needed()
    page.wait_for_timeout(200)
    shot(page, "confidence-390-table.png")
    assert page.problems == []


def test_timeline_brush_filters_table(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    page.wait_for_selector("tr.event-row")
    page.wait_for_selector(".timeline-svg .brush .overlay")
    page.wait_for_timeout(300)
    box = page.locator(".timeline-svg .brush .overlay").bounding_box()
    y = box["y"] + box["height"] / 2
    # Drag over the first ~15% of the range: June and early July only.
    page.mouse.move(box["x"] + 2, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.15, y, steps=5)
    page.mouse.up()
    until(page, lambda: "date_from" in page.url)
    until(page, lambda: page.locator("tr.event-row").count() < 5)
    n = page.locator("tr.event-row").count()
    assert 1 <= n < 5
    assert page.problems == []


def test_actor_view(page: Any, base_url: str) -> None:
    page.goto(base_url + "/#/actor/pap_tecnos")
    page.wait_for_selector(".actor-page")
    assert page.locator(".actor-page h1").inner_text() == "Pap Tecnos"
    rel = page.locator(".relations li").inner_text()
    assert "subsidiary of" in rel and "Rafael Advanced Defense Systems" in rel
    page.locator(".relations a").click()
    page.wait_for_selector(".actor-page h1:has-text('Rafael')")
    assert "Pap Tecnos" in page.locator(".actor-page").inner_text()
    assert page.problems == []


def test_hostile_article_does_not_execute(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    page.wait_for_selector("tr.event-row")
    ev = hostile().events[0]
    page.goto(f"{base_url}/#/article/{ev.article_id}/{ev.id}")
    page.wait_for_selector(".article-view")
    page.wait_for_timeout(500)
    # The markup is shown as text …
    assert "<script>" in page.locator(".article-text").inner_text()
    assert "<img" in page.locator("h1.article-title").inner_text()
    # … and none of it became elements or ran.
    assert page.evaluate(f"window.{XSS_MARK}") is None
    assert page.locator("#app script, #app img, #app svg[onload], #app a[href^='javascript']").count() == 0
    assert page.locator(".meta a").count() == 0  # the javascript: URL is not a link
    # Clicking every link/button of the hostile view still runs nothing.
    page.locator(".event-item button").first.click()
    page.goto(base_url + "/?type=PROTEST")
    page.wait_for_selector("tr.event-row")
    assert "<img" in page.locator("tr.event-row").inner_text()
    page.locator("path.ew-marker").first.click()
    page.wait_for_selector(".leaflet-popup-content")
    assert page.locator(".leaflet-popup-content img").count() == 0
    page.wait_for_timeout(300)
    assert page.evaluate(f"window.{XSS_MARK}") is None
    assert page.problems == []


def test_seed_spain_cancellation_evidence(page: Any, seed_url: str) -> None:
    """The issue's walk-through on the real seed: its events on the map and in the table; the
    Spain cancellation opens with its evidence highlighted."""
    page.goto(seed_url + "/")
    page.wait_for_selector("tr.event-row")
    # Aleppo and Madrid at least: as circles, or in clusters (Madrid and the "Spain" centroid overlap).
    assert page.locator("path.ew-marker").count() + page.locator(".ew-cluster").count() >= 2
    events = page.request.get(seed_url + "/api/events", params={"limit": "200"}).json()["items"]
    spain_ev = next(e for e in events if "Spain" in (e["article"]["title"] or "")
                    and (e.get("procurement") or {}).get("status") == "cancelled")
    page.goto(f"{seed_url}/#/article/{spain_ev['article_id']}/{spain_ev['id']}")
    page.wait_for_selector(".article-view mark.hl")
    text = page.locator(".article-text")
    assert text.locator("mark.hl").count() >= 3
    assert text.locator("mark.hl-place").count() >= 1
    assert page.locator("figure.caption").count() >= 1  # the photo caption, shown as a caption
    assert "cancelled" in page.locator("dl.details").inner_text()
    page.wait_for_timeout(200)
    shot(page, "seed-article.png")
    page.goto(seed_url + "/")
    page.wait_for_selector("tr.event-row")
    page.wait_for_timeout(300)
    shot(page, "seed-main.png")
    assert page.problems == []


def test_empty_store_says_what_to_do(page: Any, empty_url: str) -> None:
    page.goto(empty_url + "/")
    page.wait_for_selector(".notice-empty")
    msg = page.locator(".notice-empty").inner_text()
    assert "No events yet" in msg and "eventwire ingest" in msg
    page.goto(empty_url + "/#/article/doesnotexist")
    page.wait_for_selector(".notice-error")
    assert "no article with id" in page.locator(".notice-error").inner_text()
    page.problems.clear()  # the 404 above is logged by the browser on purpose
