"""The Gegevens page's access step (AppTest): what it will use, its state, and the computation itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.test_gegevens import open_gegevens
from zorgzaam import access
from zorgzaam.formatting import format_number
from zorgzaam.store import Store, close_all


@pytest.fixture
def own_db(tmp_path, demo_db, monkeypatch) -> Path:
    """An own database holding the demo's layers as separate imports would leave them (no access yet)."""
    close_all()
    path = tmp_path / "own.duckdb"
    shutil.copy(demo_db, path)
    store = Store.open(path)
    cur = store._cursor()
    cur.execute("UPDATE datasets SET is_demo = FALSE")
    for table, dataset, where in [
        ("features", "osm", "layer = 'voorziening'"),
        ("stops", "gtfs", "TRUE"),
        ("grid_cells", "raster-inwoners", "layer = 'inwoners'"),
    ]:
        cur.execute(f"UPDATE {table} SET dataset_id = ? WHERE {where}", [dataset])
        cur.execute("INSERT INTO datasets VALUES (?, ?, 'test', NULL, FALSE, NULL, now())", [dataset, dataset])
    cur.execute("DELETE FROM place_access")
    cur.execute("DELETE FROM observations WHERE variable IN (SELECT unnest(?))", [list(access.ACCESS_VARIABLES)])
    close_all()
    monkeypatch.setenv("ZORGZAAM_DB", str(path))
    monkeypatch.setenv("ZORGZAAM_DEMO_DB", str(demo_db))
    yield path
    close_all()


def _button(at: AppTest):
    return next(b for b in at.button if b.key == "gegevens_bereikbaarheid")


def test_the_step_lists_the_layers_and_computes_access_from_them(own_db):
    at = open_gegevens()
    store = Store.open(own_db)
    cells = store._scalar("SELECT count(*) FROM grid_cells WHERE layer = 'inwoners' AND value > 0")
    schools = store._scalar("SELECT count(*) FROM features WHERE layer = 'voorziening' AND category = 'school'")
    lines = next(m.value for m in at.markdown if m.value.startswith("- Woonplaatsen:"))
    assert f"{format_number(cells)} bewoonde hectarecellen" in lines
    assert f"school {format_number(schools)}" in lines
    assert any("Nog niet berekend" in i.value for i in at.info)
    assert not _button(at).disabled and _button(at).label == "Bereikbaarheid berekenen"

    _button(at).click().run()
    assert not at.exception
    done = [s.value for s in at.success]
    assert done and done[0].startswith("Bereikbaarheid berekend uit alle geïmporteerde lagen")
    assert store._scalar("SELECT count(*) FROM place_access WHERE dataset_id = ?", [access.ACCESS_DATASET]) == cells
    assert _button(at).label == "Opnieuw berekenen"
    assert any("laatst berekend op" in c.value for c in at.caption)


def test_without_a_residents_raster_the_button_waits_and_says_what_is_missing(own_db):
    Store.open(own_db)._cursor().execute("DELETE FROM grid_cells WHERE layer = 'inwoners'")
    close_all()
    at = open_gegevens()
    assert _button(at).disabled
    assert any("Nog nodig voor de berekening: hectarecellen met inwoners" in c.value for c in at.caption)


def test_deleting_a_map_layer_removes_it_and_the_access_computed_with_it(own_db):
    at = open_gegevens()
    _button(at).click().run()
    store = Store.open(own_db)
    assert store._scalar("SELECT count(*) FROM place_access") > 0
    at.selectbox(key="gegevens_weg").set_value("raster-inwoners").run()
    at.checkbox(key="gegevens_weg_zeker").check().run()
    at.button(key="gegevens_weg_knop").click().run()
    assert not at.exception
    assert store._scalar("SELECT count(*) FROM grid_cells WHERE layer = 'inwoners'") == 0
    assert store._scalar("SELECT count(*) FROM place_access") == 0
    assert store._scalar("SELECT count(*) FROM datasets WHERE dataset_id = ?", [access.ACCESS_DATASET]) == 0
    assert any("bereikbaarheid is mee verwijderd" in s.value for s in at.success)
    # Figures and other layers stay.
    assert store._scalar("SELECT count(*) FROM stops") > 0 and store._scalar("SELECT count(*) FROM observations") > 0
    assert _button(at).disabled
