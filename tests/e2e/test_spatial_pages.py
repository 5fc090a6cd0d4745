"""The real app in Chromium: toggle a layer on "Wat is er?", pick a sector of the "Wie vs wat" attention list."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import pytest

from zorgzaam.access import DEFAULTS
from zorgzaam.demo import DEMO_ELZ_CODE, TOWN_CODE
from zorgzaam.engine import compute
from zorgzaam.mismatch import attention_list
from zorgzaam.store import Store, close_all
from zorgzaam.whowhat import NEEDS, sector_mismatch

from .conftest import open_app, wait_for_text

pytestmark = pytest.mark.e2e


def url_param(page, key: str) -> str:
    return parse_qs(urlparse(page.url).query).get(key, [""])[0]


def wait_for_param(page, key: str, wanted, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = url_param(page, key)
        if wanted(value):
            return value
        page.wait_for_timeout(250)
    raise AssertionError(f"the URL never showed the expected {key}: {page.url}")


def test_toggle_layers_on_the_wat_is_er_map(page, app_server):
    open_app(page, f"{app_server.url}/")
    open_app(page, f"{app_server.url}/wat-is-er?elz={DEMO_ELZ_CODE}&gemeente={TOWN_CODE}")
    wait_for_text(page, "Lagen op de kaart")
    legend = page.locator(".zz-legend")
    wait_for_text(page, "Bushaltes (vertrekken per uur")
    assert legend.filter(has_text="Walkability").count() == 0

    pills = page.locator('[data-testid="stButtonGroup"]').first
    pills.get_by_role("button", name="Walkability").click()
    wait_for_param(page, "lagen", lambda v: "walkability" in v.split(","))
    wait_for_text(page, "Score per hectare van 0 tot 100")
    wait_for_text(page, "Herschaal walkability naar het zichtbare gebied")

    pills.get_by_role("button", name="Bushaltes").click()
    wait_for_param(page, "lagen", lambda v: "bushaltes" not in v.split(",") and "walkability" in v.split(","))
    page.wait_for_function("() => !document.body.innerText.includes('Bushaltes (vertrekken per uur')", timeout=30000)
    assert page.locator('[data-testid="stDeckGlJsonChart"] canvas').count() >= 1
    assert "Traceback" not in page.content()


@pytest.fixture(scope="module")
def attention(demo_db):
    """The attention list of the town for the page's defaults (80+ × basic basket), via the domain."""
    store = Store.open(demo_db)
    zone = store.sectors_within("elz", [DEMO_ELZ_CODE])
    town = store.sectors_within("gemeente", [TOWN_CODE])
    names = store.areas("statsec").set_index("code")["name"].reindex(town)
    need = NEEDS["pct_80plus"]
    results = compute(store, ["pop_total", "pct_80plus"], level="statsec", within=("elz", DEMO_ELZ_CODE))
    population = results[results["indicator"] == "pop_total"].set_index("area_code")["value"]
    frame = sector_mismatch(results, store.place_access(zone), names, need, "basket", DEFAULTS, 100, population)
    close_all()
    return attention_list(frame, need.group_label, "woont verder")


def test_pick_a_sector_of_the_attention_list(page, app_server, attention):
    assert len(attention) >= 2
    second = attention.iloc[1]
    open_app(page, f"{app_server.url}/")
    open_app(page, f"{app_server.url}/wie-vs-wat?elz={DEMO_ELZ_CODE}&gemeente={TOWN_CODE}")
    wait_for_text(page, "Aandachtslijst")
    grid = page.locator('[role="tabpanel"]:visible [data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    box = grid.bounding_box()
    row_height = 35  # Streamlit's default; the header row has the same height
    page.mouse.click(box["x"] + 16, box["y"] + row_height * 2 + row_height / 2)  # selection box of row 2
    wait_for_param(page, "sector", lambda v: v == second["statsec"])
    wait_for_text(page, f"Sector {second['name']} ({second['statsec']})")
    wait_for_text(page, "Ingezoomd op de gekozen sector")
    # The sector's own sentence stands under its name.
    wait_for_text(page, f"In {second['name']} wonen")
    assert "Traceback" not in page.content()
