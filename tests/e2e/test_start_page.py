"""The real app in headless Chromium: the Start page shows the engine's numbers and keeps its URL."""

from __future__ import annotations

import re

import pytest

from zorgzaam.comparisons import with_references
from zorgzaam.demo import DEMO_ELZ_CODE, DEMO_ELZ_NAME, TOWN_CODE
from zorgzaam.catalogue import BUILTIN
from zorgzaam.formatting import format_indicator
from zorgzaam.store import Store, close_all

from .conftest import open_app, wait_for_text

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def expected(demo_db):
    """Values from the engine on a second demo database (the server holds the lock on its own)."""
    store = Store.open(demo_db)
    result, _ = with_references(store, ["pct_80plus"], "gemeente", TOWN_CODE)
    names = store.areas("gemeente", within=("elz", DEMO_ELZ_CODE)).set_index("code")["name"].to_dict()
    close_all()
    ind = BUILTIN.indicator("pct_80plus")
    values = {row.role: format_indicator(ind, row.value, row.status) for row in result.itertuples()}
    return values, names


def test_start_page_in_chromium(page, app_server, expected):
    values, names = expected
    open_app(page, f"{app_server.url}/?gemeente={TOWN_CODE}")
    wait_for_text(page, "Kerncijfers")
    wait_for_text(page, f"Gemeente {names[TOWN_CODE]}")

    # The innermost block holding the metric is its bordered card.
    card = (
        page.locator('[data-testid="stVerticalBlock"]').filter(has=page.get_by_text("% 80-plussers", exact=True)).last
    )
    text = card.inner_text()
    assert values["gebied"] in text
    assert (
        f"gemiddelde eerstelijnszone {DEMO_ELZ_NAME}: {values[f'gemiddelde eerstelijnszone {DEMO_ELZ_NAME}']}"
        in text.replace("\n", " ")
    )
    assert f"Vlaanderen: {values['Vlaanderen']}" in text.replace("\n", " ")
    assert "fictief" in page.locator('[data-testid="stSidebar"]').inner_text()
    page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.wait_for(timeout=30000)  # the map rendered
    assert "Traceback" not in page.content()
    assert f"gemeente={TOWN_CODE}" in page.url and f"elz={DEMO_ELZ_CODE}" in page.url

    # Choose another municipality: the page and the URL follow, and the link reopens it.
    other_code, other_name = next((c, n) for c, n in names.items() if c != TOWN_CODE)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stSelectbox"]').filter(has_text="Gemeente").click()
    page.get_by_role("option", name=other_name, exact=True).click()
    wait_for_text(page, f"Gemeente {other_name}")
    page.wait_for_url(re.compile(f"gemeente={other_code}"))
    shared = page.url

    second = page.context.new_page()
    open_app(second, shared)
    wait_for_text(second, f"Gemeente {other_name}")
    second.close()
