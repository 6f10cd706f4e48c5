"""Issue 15.2's dashboard page in a real browser: every number it shows equals GET /api/dashboard's
for the same filter, the choropleth colours the countries that have events, a click on a type
narrows the filter, and it reads at 1440 and 390 px (screenshots in ``screenshots/``)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.serve.test_browser import browser, page, shot, until  # noqa: F401 - fixtures
from tests.serve.test_browser_map import places_url  # noqa: F401 - fixture

pytestmark = pytest.mark.browser


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
