"""The real app in Chromium: click a sector on the "Wie woont er?" map and see its profile; the link keeps it."""

from __future__ import annotations

import math
import re
import time

import pytest

from zorgzaam.demo import DEMO_ELZ_CODE, TOWN_CODE
from zorgzaam.engine import compute
from zorgzaam.maps import area_frame, fit_view
from zorgzaam.store import Store, close_all

from .conftest import open_app, wait_for_text

pytestmark = pytest.mark.e2e


def mercator(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    """deck.gl's web-mercator world pixels (512-pixel tiles)."""
    scale = 512 * 2**zoom
    x = (lon + 180) / 360 * scale
    y = (0.5 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi)) * scale
    return x, y


def map_box(page) -> dict:
    """The map canvas scrolled into view and drawn, and its box.

    The map is a new chart after every selection (its key changes), so the canvas can be replaced
    while we look at it: find it again until it holds still.
    """
    from playwright.sync_api import Error as PlaywrightError

    last: Exception | None = None
    for _ in range(10):
        canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
        try:
            canvas.wait_for(timeout=30000)
            canvas.scroll_into_view_if_needed(timeout=10000)
            page.wait_for_timeout(1500)  # let deck.gl draw once so picking works
            box = canvas.bounding_box()
            if box is not None:
                return box
        except PlaywrightError as exc:  # detached while the chart was replaced
            last = exc
        page.wait_for_timeout(500)
    raise AssertionError(f"the map canvas never held still: {last}")


def ranking_grid(page):
    """The ranking table: the table in the open tab (the profile has its own, folded away)."""
    return page.locator('[role="tabpanel"]:visible [data-testid="stDataFrame"]').first


def wait_for_sector_in_url(page, wanted, timeout: float = 30.0) -> str:
    """Poll the URL (Streamlit changes it with history.replaceState, not a navigation)."""
    from urllib.parse import parse_qs, urlparse

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sector = parse_qs(urlparse(page.url).query).get("sector", [""])[0]
        if wanted(sector):
            return sector
        page.wait_for_timeout(250)
    raise AssertionError(f"the URL never showed the expected sector: {page.url}")


@pytest.fixture(scope="module")
def target(demo_db):
    """The largest sector of the town (easy to hit) and where it is drawn, in the map's own view."""
    store = Store.open(demo_db)
    frame = area_frame(store, "statsec", store.sectors_within("gemeente", [TOWN_CODE]))
    close_all()
    view = fit_view(frame)
    biggest = frame.to_crs(31370).area.idxmax()
    point = frame.geometry.iloc[biggest].representative_point()
    return frame["code"].iloc[biggest], frame["name"].iloc[biggest], view, (point.x, point.y)


def test_click_a_sector_on_the_map_opens_its_profile(page, app_server, target):
    code, name, view, (lon, lat) = target
    # Streamlit shows a spurious "Page not found" modal when a server's very first session opens a
    # page other than the default (streamlit/streamlit#8860); start on the default page like a user.
    open_app(page, f"{app_server.url}/")
    open_app(page, f"{app_server.url}/wie-woont-er?elz={DEMO_ELZ_CODE}&gemeente={TOWN_CODE}&indicator=pct_80plus")
    wait_for_text(page, "Klik op een sector op de kaart")
    box = map_box(page)
    cx, cy = mercator(view.longitude, view.latitude, view.zoom)
    px, py = mercator(lon, lat, view.zoom)
    page.mouse.click(box["x"] + box["width"] / 2 + (px - cx), box["y"] + box["height"] / 2 + (py - cy))

    wait_for_text(page, f"Sector {name} ({code})", timeout=30000)
    wait_for_text(page, "Profiel: elke indicator naast gemeente, eerstelijnszone en Vlaanderen")
    page.wait_for_url(re.compile(f"sector={re.escape(code)}"))
    page.locator(".js-plotly-plot").nth(1).wait_for(timeout=30000)  # the profile and the trend chart
    assert "Traceback" not in page.content()

    # Pick another sector in the ranking table, then click the first one on the map again: it comes back.
    grid = ranking_grid(page)
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    gbox = grid.bounding_box()
    page.mouse.click(gbox["x"] + 16, gbox["y"] + 35 * 2 + 17)  # selection box of the first data row
    wait_for_sector_in_url(page, lambda sector: sector not in ("", code))
    box = map_box(page)
    page.mouse.click(box["x"] + box["width"] / 2 + (px - cx), box["y"] + box["height"] / 2 + (py - cy))
    wait_for_sector_in_url(page, lambda sector: sector == code)
    wait_for_text(page, f"Sector {name} ({code})")

    # The link opens the same sector in a fresh session.
    shared = page.url
    second = page.context.new_page()
    open_app(second, shared)
    wait_for_text(second, f"Sector {name} ({code})")
    second.close()


def test_choose_a_sector_in_the_ranking_table(page, app_server, demo_db):
    store = Store.open(demo_db)
    result = compute(store, ["pct_80plus"], level="statsec", within=("gemeente", TOWN_CODE))
    close_all()
    ordered = result.dropna(subset=["value"]).sort_values(["value", "area_code"], ascending=[False, True])
    third = ordered.iloc[2]
    open_app(page, f"{app_server.url}/")
    open_app(page, f"{app_server.url}/wie-woont-er?elz={DEMO_ELZ_CODE}&gemeente={TOWN_CODE}&indicator=pct_80plus")
    grid = ranking_grid(page)
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    box = grid.bounding_box()
    row_height = 35  # Streamlit's default; the header row has the same height
    page.mouse.click(box["x"] + 16, box["y"] + row_height * 3 + row_height / 2)  # selection box of row 3
    wait_for_text(page, f"Sector {third['area_name']} ({third['area_code']})", timeout=30000)
    page.wait_for_url(re.compile(f"sector={re.escape(third['area_code'])}"))
    # Switching indicators re-sorts the ranking; the chosen sector stays chosen.
    for label in ("% huurders", "% alleenwonend 75-plussers"):
        page.locator('[data-testid="stSelectbox"]').filter(has_text="Indicator (per thema)").click()
        page.keyboard.type(label.removeprefix("% "))  # the list is long: search, like a user
        page.get_by_role("option", name=re.compile(re.escape(label) + "$")).click()
        wait_for_text(page, f"Evolutie: {label}")
        wait_for_text(page, f"Sector {third['area_name']} ({third['area_code']})")
    assert f"sector={third['area_code']}" in page.url
