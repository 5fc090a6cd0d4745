"""The real Gegevens page in Chromium (issue #15): a werkgroep imports the real Zennevallei areas, then the
plain population CSV (``sector_id,population_2025,area_ha,density_per_ha``) with a column mapping, and
the Start page shows the figures. Every expected number is computed here from the CSV itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from zorgzaam.formatting import format_number
from zorgzaam.store import Store, close_all

from .conftest import REPO_ROOT, open_app, start_streamlit, wait_for_app_idle, wait_for_text

pytestmark = pytest.mark.e2e

HALLE = "23027"
ZONE = "elz53"
POPULATION_CSV = "zenvallei/population_2025_sectors_transcribed.csv"
AREA_FILES = (
    "zenvallei/sectors.geojson",
    "pinc_gebiedsniveaus/statsec2024_als_basis.xlsx",
    "pinc_gebiedsniveaus/gemeente_elz.xls",
)
SLOW = 180_000  # ms: reading the PinC workbook (9.918 sectors) and writing the areas takes a while


@pytest.fixture(scope="module")
def realdata(shared_dir) -> Path:
    return shared_dir / "realdata"


@pytest.fixture
def own_server(tmp_path, demo_db, monkeypatch):
    """The real app on a fresh, empty own database, the demo beside it (a copy: the server holds its file)."""
    demo = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, demo)
    if demo_db.with_name(demo_db.name + ".wal").exists():
        shutil.copy(demo_db.with_name(demo_db.name + ".wal"), demo.with_name(demo.name + ".wal"))
    monkeypatch.setenv("ZORGZAAM_DEMO_DB", str(demo))  # start_streamlit passes os.environ on
    server = start_streamlit(REPO_ROOT / "app.py", tmp_path / "own.duckdb", log_path=tmp_path / "streamlit.log")
    try:
        yield server
    finally:
        server.stop()
        close_all()


def _file_input(page):
    return page.locator('[data-testid="stFileUploader"] input[type="file"]').first


def _import(page) -> list[str]:
    """Click Importeren once it is enabled; return the texts of the outcomes shown after the rerun."""
    from playwright.sync_api import expect

    button = page.locator(".st-key-gegevens_importeren button")
    expect(button).to_be_enabled(timeout=SLOW)
    button.click()
    # The outcomes appear once the import is written and the page ran again (the uploader is then empty).
    page.locator('[data-testid="stAlertContentSuccess"], [data-testid="stAlertContentError"]').first.wait_for(
        timeout=SLOW
    )
    wait_for_app_idle(page, timeout=SLOW)
    errors = page.locator('[data-testid="stAlertContentError"]').all_inner_texts()
    assert not errors, errors
    return page.locator('[data-testid="stAlertContentSuccess"]').all_inner_texts()


def _choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the select box ``label``; a rerun still in progress may close the list, so try again."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    box = page.get_by_role("combobox", name=label, exact=True)
    for attempt in range(3):
        wait_for_app_idle(page, timeout=SLOW)
        box.click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=10_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
    expect(box).to_have_value(option, timeout=SLOW)
    wait_for_app_idle(page, timeout=SLOW)


def test_the_plain_population_csv_is_mapped_imported_and_shown_on_the_start_page(page, realdata, own_server):
    population = pd.read_csv(realdata / POPULATION_CSV, dtype=str)
    counts = population["population_2025"].astype(int)
    zone_total = counts.sum()
    # The file's own municipality codes (the test's independent count; the app takes it from area_parents,
    # checked against the store below).
    halle_total = counts[population["sector_id"].str.startswith(HALLE)].sum()
    assert 0 < halle_total < zone_total
    try:
        _run_in_browser(page, realdata, own_server, len(population), zone_total, halle_total)
    except Exception:
        print(f"\nlaatste regels van het serverlog ({own_server.log_path}):\n{own_server.log_tail()}")
        raise

    # The database the page wrote to (the server holds its lock until it stops).
    own_server.stop()
    store = Store.open(own_server.db_path)
    assert list(store.periods(["pop_total"])) == ["2025"]
    stored = store.observations(["pop_total"], ["2025"])
    assert len(stored) == len(population) == 154
    assert set(stored["area_code"]) == set(population["sector_id"])
    assert stored["value"].sum() == zone_total
    assert set(store.sectors_within("gemeente", [HALLE])) == set(
        population.loc[population["sector_id"].str.startswith(HALLE), "sector_id"]
    )
    assert set(store.variables()) == {"pop_total"}  # area_ha and density_per_ha were left out
    close_all()


def _run_in_browser(page, realdata, server, rows, zone_total, halle_total) -> None:
    open_app(page, f"{server.url}/gegevens")
    wait_for_text(page, "Nog niets geïmporteerd")

    # 1. The areas: Statbel's sector outlines and PinC's area tables, previewed, then imported.
    _file_input(page).set_input_files([str(realdata / f) for f in AREA_FILES])
    for name in ("sectors.geojson", "statsec2024_als_basis.xlsx", "gemeente_elz.xls"):
        wait_for_text(page, f"Bestand(en): {name}", timeout=SLOW)
    done = _import(page)
    assert any("sectors.geojson" in t and f"{format_number(rows)} statistische sectoren" in t for t in done), done
    wait_for_text(page, "Eigen gegevens — nu in gebruik")

    # 2. The plain CSV: the catalogue does not know its columns, so the page asks for each.
    _file_input(page).set_input_files(str(realdata / POPULATION_CSV))
    wait_for_text(page, "Kolommen koppelen", timeout=SLOW)
    wait_for_app_idle(page, timeout=SLOW)
    # No period column: the year in 'population_2025' is proposed.
    period = page.get_by_role("textbox", name="Periode van deze cijfers (jaar)")
    assert period.get_attribute("placeholder") == "2025 (uit de kolomnaam)"
    _choose(page, "Kolom 'population_2025'", "telling: Aantal inwoners (pop_total)")
    _choose(page, "Kolom 'area_ha'", "niet importeren")
    _choose(page, "Kolom 'density_per_ha'", "niet importeren")
    page.locator(".st-key-gegevens_koppeling_toepassen button").click()
    wait_for_text(page, "population_2025 → pop_total", timeout=SLOW)
    preview = (
        page.locator('[data-testid="stVerticalBlock"]')
        .filter(has=page.get_by_text("population_2025 → pop_total"))
        .last.inner_text()
    )
    assert "Perioden: 2025" in preview and f"Codes herkend: {format_number(rows)} van {format_number(rows)}" in preview
    done = _import(page)
    assert any(f"{format_number(rows)} cijfers (pop_total; 2025)" in t for t in done), done

    # 3. The Start page of Halle shows the municipality's inhabitants and the care zone's total.
    open_app(page, f"{server.url}/start?elz={ZONE}&gemeente={HALLE}")
    wait_for_text(page, "Gemeente Halle · eerstelijnszone Zennevallei")
    card = (
        page.locator('[data-testid="stVerticalBlock"]').filter(has=page.get_by_text("Aantal inwoners", exact=True)).last
    )
    text = " ".join(card.inner_text().split())
    assert format_number(halle_total) in text  # 42.877
    assert f"totaal eerstelijnszone Zennevallei: {format_number(zone_total)}" in text  # 140.122
    assert "Periode: 2025" in page.locator("body").inner_text()
    assert "Traceback" not in page.content()
