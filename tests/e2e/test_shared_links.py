"""A link sent by mail reopens exactly that view (issue #7: shareable views), in a fresh browser context."""

from __future__ import annotations

import pytest

from zorgzaam.demo import DEMO_ELZ_CODE, TOWN_CODE
from zorgzaam.engine import compute
from zorgzaam.store import Store, close_all

from .conftest import open_app, wait_for_text

pytestmark = pytest.mark.e2e


def _second_town(demo_db) -> tuple[str, str, str, str]:
    """(municipality code, its name, a sector code, its name): not the default choice, so the link decides."""
    store = Store.open(demo_db)
    towns = store.areas("gemeente", within=("elz", DEMO_ELZ_CODE))
    other = towns[towns["code"] != TOWN_CODE].iloc[0]
    result = compute(store, ["pct_tenants"], level="statsec", within=("gemeente", other["code"]))
    close_all()
    sector = result.dropna(subset=["value"]).sort_values("area_code").iloc[1]
    return other["code"], other["name"], sector["area_code"], sector["area_name"]


def test_a_shared_wie_woont_er_link_opens_the_same_municipality_indicator_classes_and_sector(
    browser, app_server, demo_db
):
    code, name, sector, sector_name = _second_town(demo_db)
    link = (
        f"{app_server.url}/wie-woont-er?elz={DEMO_ELZ_CODE}&gemeente={code}&indicator=pct_tenants"
        f"&indeling=gelijke_intervallen&sector={sector}"
    )
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="nl-BE")
    page = context.new_page()
    try:
        open_app(page, link)
        wait_for_text(page, f"Sector {sector_name} ({sector})")
        # The sidebar's municipality and the view picker ("Gemeente X") follow the link, not the default.
        wait_for_text(page, f"Gemeente {name}")
        # The indicator's own section and the chosen classification.
        wait_for_text(page, "% huurders")
        control = page.locator('[data-testid="stButtonGroup"]').filter(has_text="Gelijke intervallen").first
        active = [
            b.inner_text().strip()
            for b in control.locator(
                "button[data-selected='true'], button[aria-pressed='true'], button[aria-checked='true']"
            ).all()
        ]
        assert active == ["Gelijke intervallen"], active
        # The view is still the one of the link (nothing reset it on the first run).
        for part in (f"gemeente={code}", "indicator=pct_tenants", "indeling=gelijke_intervallen", f"sector={sector}"):
            assert part in page.url
    finally:
        context.close()


def test_a_shared_wat_is_er_link_opens_the_same_layers(browser, app_server):
    link = f"{app_server.url}/wat-is-er?elz={DEMO_ELZ_CODE}&gemeente={TOWN_CODE}&lagen=sectoren,bushaltes"
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="nl-BE")
    page = context.new_page()
    try:
        open_app(page, link)
        wait_for_text(page, "Bushaltes (vertrekken per uur, weekdag)")  # the legend of a layer that is on
        pills = (
            page.locator('[data-testid="stButtonGroup"]')
            .filter(has=page.locator("button", has_text="Verspreide bebouwing"))
            .first
        )
        on: list[str] = []
        for _ in range(20):  # the pills render just after the legend on a slow machine
            on = sorted(b.inner_text().strip() for b in pills.locator("button[aria-pressed='true']").all())
            if on:
                break
            page.wait_for_timeout(500)
        assert on == ["Bushaltes", "Statistische sectoren"]
        assert "lagen=sectoren%2Cbushaltes" in page.url or "lagen=sectoren,bushaltes" in page.url
    finally:
        context.close()
