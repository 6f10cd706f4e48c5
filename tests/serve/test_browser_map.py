"""Issue 15.3, a map that reads, and 15.2's dashboard page, in a real browser (one server, one
store and one Chromium for both, to keep the added test time small).

Map: no country drawn across the antimeridian, country and place names, clusters at low zoom
that open on a click, popups inside the map, the map following the filters, and a phone-sized
layout whose filters fold away. Dashboard: every number it shows equals GET /api/dashboard's for
the same filter, before and after a filter change made on the page. Screenshots at 1440 and
390 px go to ``screenshots/`` (git-ignored), as for the other browser tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.serve.sample import XSS_MARK
from tests.serve.test_browser import SHOTS, _server, browser, page, shot, until  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def places_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from eventwire.store import Store
    from tests.serve.sample_places import fill

    url = f"sqlite:///{tmp_path_factory.mktemp('browser-map') / 'ui.db'}"
    with Store(url) as s:
        fill(s)
    yield from _server(url, min_confidence=0)


def _bounds(pg: Any) -> tuple[float, float, float, float]:
    raw = pg.locator("#map").get_attribute("data-bounds") or ""
    w, s, e, n = (float(x) for x in raw.split(","))
    return w, s, e, n


def _ready(pg: Any) -> None:
    pg.wait_for_selector("tr.event-row")
    until(pg, lambda: pg.locator("#map").get_attribute("data-bounds") is not None
          and pg.locator("#map").get_attribute("data-country-labels") is not None)
    pg.wait_for_timeout(300)


def _markers(pg: Any) -> tuple[int, int]:
    return pg.locator("path.ew-marker").count(), pg.locator(".ew-cluster").count()


def test_basemap_has_no_ring_across_the_antimeridian(page: Any, places_url: str) -> None:  # noqa: F811
    # Fiji, Samoa and Chukotka: the events straddle the antimeridian, the map shows the Pacific.
    page.goto(f"{places_url}/?country=FJI,WSM")
    _ready(page)
    # What Leaflet draws: no ring of any country spans more than 180° (Russia's and Fiji's did 360°).
    assert 0 < float(page.locator("#map").get_attribute("data-max-ring-span")) <= 180
    # And in pixels, as Leaflet projected them for the canvas: no ring wider than half the world.
    assert 0 < float(page.locator("#map").get_attribute("data-max-ring-world-share")) <= 0.501  # Antarctica: 180°
    w, s, e, n = _bounds(page)
    assert w < 178.44 and e > 188.24 and e - w < 90, (w, e)  # Suva and Apia (at -171.76 + 360) in one view
    shot(page, "map-pacific-1440.png")  # the whole world (Russia too) is in map-clusters-1440.png
    assert page.problems == []


def test_labels_clusters_and_zoom(page: Any, places_url: str) -> None:  # noqa: F811
    page.goto(f"{places_url}/")
    _ready(page)
    # Country names on the offline basemap.
    assert int(page.locator("#map").get_attribute("data-country-labels")) >= 5
    assert page.locator(".country-label:visible").count() >= 5
    # The whole world at zoom ~1.5: the 30 places are drawn as clusters, not 30 overlapping dots.
    singles, clusters = _markers(page)
    assert clusters >= 3 and singles + clusters < 30, (singles, clusters)
    total = sum(int(t) for t in page.locator(".ew-cluster-inner").all_inner_texts())
    assert total + singles <= 75  # a cluster counts events (75 located), a single marker one place
    shot(page, "map-clusters-1440.png")
    # Clicking the largest cluster (Ukraine) zooms into it and opens it up.
    zoom = float(page.locator("#map").get_attribute("data-zoom"))
    big = max(page.locator(".ew-cluster").all(), key=lambda c: int(c.inner_text()))
    n_big = int(big.inner_text())
    big.click()
    until(page, lambda: float(page.locator("#map").get_attribute("data-zoom")) > zoom)
    page.wait_for_timeout(600)
    # It opened up: what it held is now several markers and smaller clusters.
    singles2, clusters2 = _markers(page)
    inner = [int(t) for t in page.locator(".ew-cluster-inner").all_inner_texts()]
    assert singles2 + clusters2 >= 3 and max(inner, default=0) < n_big, (n_big, singles2, inner)
    # Place names once zoomed in.
    labels = page.locator(".leaflet-tooltip.place-label:visible").all_inner_texts()
    assert len(labels) >= 2 and all(t.strip() for t in labels), labels
    shot(page, "map-zoomed-1440.png")
    assert page.problems == []


def _popup_fits(pg: Any, name: str) -> None:
    """Open the popup of the place with the most events (Khartoum's 10 make the tallest) and
    check it lies wholly inside the map, after Leaflet's auto-pan."""
    marker = max(pg.locator("path.ew-marker").all(), key=lambda m: m.bounding_box()["width"])
    marker.click()
    pg.wait_for_selector(".leaflet-popup-content li")
    pg.wait_for_timeout(600)  # the auto-pan
    popup = pg.locator(".leaflet-popup").bounding_box()
    box = pg.locator("#map").bounding_box()
    assert _inside(popup, box), (popup, box)
    assert name in pg.locator(".leaflet-popup-content strong").inner_text()


def _inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return (inner["x"] >= outer["x"] - 1 and inner["y"] >= outer["y"] - 1
            and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 1
            and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 1)


def test_map_refits_when_filters_change(page: Any, places_url: str) -> None:  # noqa: F811
    page.goto(f"{places_url}/")
    _ready(page)
    w0, s0, e0, n0 = _bounds(page)
    box = page.locator("#f-country")
    box.fill("SDN")
    box.dispatch_event("change")
    until(page, lambda: page.locator("tr.event-row").count() == 12)
    page.wait_for_timeout(300)
    w1, s1, e1, n1 = _bounds(page)
    assert (e1 - w1) < (e0 - w0) / 3, ((w0, e0), (w1, e1))
    assert w1 < 25.35 < e1 and w1 < 32.56 < e1 and s1 < 13.63 and n1 > 15.5  # both Sudanese places in view
    shot(page, "map-refit-sudan-1440.png")
    _popup_fits(page, "Khartoum · 10 events")
    shot(page, "map-popup-1440.png")
    # Another type: the map follows again.
    page.locator("#f-country").fill("")
    page.locator("#f-country").dispatch_event("change")
    until(page, lambda: page.locator("tr.event-row").count() > 12)
    page.wait_for_timeout(300)
    assert _bounds(page) != (w1, s1, e1, n1)
    assert page.problems == []


def test_phone_layout_folds_the_filters(page: Any, places_url: str) -> None:  # noqa: F811
    page.set_viewport_size(PHONE)
    page.goto(f"{places_url}/?type=ASSAULT")
    _ready(page)
    side = page.locator("aside.sidebar").bounding_box()
    assert side["height"] <= 0.4 * PHONE["height"], side  # was the whole screen and more
    assert page.locator("#filters").is_hidden()
    assert "1 set" in page.locator("#filters-toggle").inner_text()
    mp = page.locator("#map").bounding_box()
    assert mp["y"] < PHONE["height"] * 0.5 and mp["width"] >= 360, mp  # the map is on the first screen
    shot(page, "map-phone-390.png")
    page.locator("#filters-toggle").click()
    assert page.locator("#filters").is_visible()
    assert page.locator("#type-ASSAULT").is_checked()
    shot(page, "map-phone-filters-390.png")
    page.locator("#filters-toggle").click()
    assert page.locator("#filters").is_hidden()
    # A popup on a phone: no wider or taller than the map, panned into it.
    page.goto(f"{places_url}/?country=SDN")
    _ready(page)
    page.locator("#map").scroll_into_view_if_needed()
    _popup_fits(page, "Khartoum · 10 events")
    shot(page, "map-popup-390.png")
    assert page.problems == []


# ---------------------------------------------------------------------------- dashboard
def _bars(pg: Any, sel: str) -> dict[str, int]:
    return {r.get_attribute("data-key"): int(r.get_attribute("data-n")) for r in pg.locator(f"{sel} li.bar-row").all()}


def _check_numbers(pg: Any, base: str, query: str) -> dict[str, Any]:
    api = pg.request.get(f"{base}/api/dashboard?{query}{'&' if query else ''}bucket=auto&top=10").json()
    until(pg, lambda: pg.locator("#kpi-events .kpi-value").inner_text().replace(",", "") == str(api["total"]))
    assert _bars(pg, "#dash-types") == {r["type"]: r["n"] for r in api["by_type"]}
    countries = {(r["country"] or ""): r["n"] for r in api["by_country"][:12]}
    assert _bars(pg, "#dash-countries") == countries
    assert int(pg.locator("#kpi-countries .kpi-value").inner_text()) == sum(1 for r in api["by_country"] if r["country"])
    assert pg.locator("#kpi-fatalities .kpi-value").inner_text().replace(",", "") == str(api["fatalities"]["total"])
    assert f"in {api['fatalities']['events']} event" in pg.locator("#kpi-fatalities").inner_text()
    tolls = [int(t.inner_text()) for t in pg.locator("#dash-fatalities tbody tr td:first-child").all()]
    assert tolls == [e["fatalities"] for e in api["fatalities"]["top"]]
    assert _bars(pg, "#dash-actors") == {(a["id"] or a["name"]): a["events"] for a in api["top_actors"]}
    assert pg.locator("#kpi-reviewed .kpi-value").inner_text() == f"{100 * api['reviewed']['share']:.1f}%"
    bars = {r.get_attribute("data-t"): int(r.get_attribute("data-n")) for r in pg.locator("#dash-timeline rect").all()}
    assert bars == {p["t"]: p["n"] for p in api["timeline"]}
    assert pg.locator("#dash-timeline").get_attribute("data-bucket") == api["bucket"]
    assert int(pg.locator("#dash-map").get_attribute("data-countries")) == sum(1 for r in api["by_country"] if r["country"])
    return api


def test_dashboard_numbers_are_the_apis(page: Any, places_url: str) -> None:  # noqa: F811
    page.goto(f"{places_url}/#/dashboard")
    page.wait_for_selector("#dash-types li.bar-row")
    api = _check_numbers(page, places_url, "")
    assert api["total"] == 75 and api["fatalities"]["total"] > 0
    assert page.locator("[data-nav=dashboard]").get_attribute("class") == "active"
    assert float(page.locator("#dash-map").get_attribute("data-max-ring-span")) <= 180
    # The hostile sample's actor ('<img src=x onerror=...>') is among the top actors: as text.
    assert any("<img" in t for t in page.locator("#dash-actors .bar-label").all_inner_texts())
    assert page.locator("#dashboard img, #dashboard script").count() == 0
    assert page.evaluate(f"window.{XSS_MARK}") is None
    page.wait_for_timeout(300)
    shot(page, "dashboard-1440.png")
    # A click on a type narrows the filter (in the URL, as everywhere), and every number follows.
    page.locator("#dash-types li[data-key=ASSAULT] button").click()
    until(page, lambda: "type=ASSAULT" in page.url)
    api = _check_numbers(page, places_url, "type=ASSAULT")
    assert api["total"] == int(page.locator("#kpi-events .kpi-value").inner_text())
    assert "type ASSAULT" in page.locator("#dash-filter").inner_text()
    # The events view keeps the filter, and back again.
    page.locator("[data-nav=events]").click()
    until(page, lambda: page.locator("tr.event-row").count() == api["total"])
    page.locator("[data-nav=dashboard]").click()
    page.wait_for_selector("#dash-types li.bar-row")
    assert set(_bars(page, "#dash-types")) == {"ASSAULT"}
    assert page.problems == []


def test_dashboard_on_a_phone(page: Any, places_url: str) -> None:  # noqa: F811
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{places_url}/?country=UKR,SDN,SYR#/dashboard")
    page.wait_for_selector("#dash-types li.bar-row")
    _check_numbers(page, places_url, "country=UKR,SDN,SYR")
    # Nothing wider than the screen but the fatalities table, which scrolls in its own box.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    page.wait_for_timeout(300)
    shot(page, "dashboard-390.png")
    page.locator("#dash-fatalities").scroll_into_view_if_needed()
    shot(page, "dashboard-390-fatalities.png")
    assert page.problems == []
    # The choropleth fits the filter's countries; a click on one (Sudan, in the middle) toggles it.
    page.goto(f"{places_url}/?country=SDN#/dashboard")
    page.wait_for_selector("#dash-types li.bar-row")
    until(page, lambda: page.locator("#dash-map").get_attribute("data-countries") == "1")
    page.locator("#dash-map").scroll_into_view_if_needed()
    page.wait_for_timeout(200)
    box = page.locator("#dash-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    until(page, lambda: "country=" not in page.url)
    until(page, lambda: int(page.locator("#dash-map").get_attribute("data-countries")) > 1)
    # A country the server does not know: the error, and no numbers that could pass for its.
    page.goto(f"{places_url}/?country=Narnia#/dashboard")
    page.wait_for_selector("#dashboard .notice-error")
    assert "Narnia" in page.locator("#dashboard .notice-error").inner_text()
    assert page.locator("#dash-kpis").is_hidden()
    assert all("422" in p for p in page.problems), page.problems  # the browser's note of the 422
