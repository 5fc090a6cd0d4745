"""The analysis pages on an own database built from real public files (AppTest)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO_ROOT
from zorgzaam.importers import SourceFile, plan_sources
from zorgzaam.store import Store, close_all


@pytest.fixture(scope="module")
def prepared_own(shared_dir, tmp_path_factory) -> Path:
    """The real Flemish area table (every zone), the 154 Zennevallei sector maps, their 2025 population
    (Statbel layout) and the AFMPS pharmacies: no bus stops, no kernen."""
    realdata = shared_dir / "realdata"
    folder = tmp_path_factory.mktemp("own")
    pop = pd.read_csv(realdata / "zenvallei/population_2025_sectors_transcribed.csv", dtype=str)
    pd.DataFrame(
        {
            "CD_REFNIS": pop["sector_id"].str[:5],
            "CD_SECTOR": pop["sector_id"],
            "TOTAL": pop["population_2025"],
            "TX_DESCR_NL": "x",
        }
    ).to_csv(folder / "OPENDATA_SECTOREN_2025_OLD.txt", sep="|", index=False, encoding="utf-8-sig")
    path = folder / "own.duckdb"
    store = Store.open(path)
    files = [
        realdata / "pinc_gebiedsniveaus/statsec2024_als_basis.xlsx",
        realdata / "zenvallei/sectors.geojson",
        folder / "OPENDATA_SECTOREN_2025_OLD.txt",
        realdata / "pharmacies_be/Lst_Pharmacies_pub_Extended.xlsx",
    ]
    for file in files:
        for plan in plan_sources([SourceFile.from_path(file)], store):
            plan.apply(store)
    close_all()
    return path


@pytest.fixture
def own_db(prepared_own, tmp_path, demo_db, monkeypatch) -> Path:
    path = tmp_path / "own.duckdb"
    shutil.copy(prepared_own, path)
    monkeypatch.setenv("ZORGZAAM_DB", str(path))
    monkeypatch.setenv("ZORGZAAM_DEMO_DB", str(demo_db))
    yield path
    close_all()


def test_the_pages_open_on_the_zone_with_sector_maps_not_the_first_of_the_alphabet(own_db):
    store = Store.open(own_db)
    zones = store.areas("elz")
    assert len(zones) > 50  # the area table lists every Flemish zone
    assert store.areas_by_mapped_sectors("elz") == ["elz53"]
    busiest = store.areas_by_mapped_sectors("gemeente", within=("elz", "elz53"))
    assert len(busiest) == 7
    mapped = store._query_df(
        "SELECT p.parent_code AS g, count(*) AS n FROM area_parents p JOIN areas a"
        " ON a.level = 'statsec' AND a.code = p.code AND a.geom_display IS NOT NULL"
        " WHERE p.level = 'statsec' AND p.parent_level = 'gemeente' GROUP BY 1"
    )
    assert busiest[0] == mapped.sort_values(["n", "g"], ascending=[False, True])["g"].iloc[0]
    close_all()

    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/wat_is_er.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.sidebar.selectbox(key="elz").value == "elz53"
    assert at.sidebar.selectbox(key="gemeente").value == busiest[0]
    captions = [c.value for c in at.caption]
    # Layers switched on without data in the view get no legend but one line that says where to get them.
    missing = next(c for c in captions if c.startswith("Geen gegevens in dit gebied voor: "))
    assert "Bushaltes" in missing and "Kernen" in missing and "Voorzieningen" not in missing
    assert any("FAGG/AFMPS" in c for c in captions)


def test_wie_vs_wat_says_what_is_missing_instead_of_finding_no_mismatch(own_db):
    def infos() -> list[str]:
        at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
        at.switch_page("pages/wie_vs_wat.py")
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        assert not any("hoogste derde" in m.value for m in at.markdown)
        return [i.value for i in at.info]

    # Only the population: no "wie" can be shown.
    first = infos()
    assert len(first) == 1 and first[0].startswith("Voor '% 80-plussers' zijn er geen cijfers in de databank")
    assert "'inwoners 80 jaar en ouder'" in first[0]
    # With 80+ counts (made up here, per real sector) the need is there, but access was never computed.
    store = Store.open(own_db)
    sectors = store.sectors_within("elz", ["elz53"])
    frame = pd.DataFrame(
        {"period": "2025", "geolevel": "statsec2024", "geoitem": sectors, "pop_age_80_89": 30, "pop_age_90plus": 5}
    )
    for plan in plan_sources([SourceFile.from_bytes("upload_80plus.csv", frame.to_csv(index=False).encode())], store):
        plan.apply(store)
    close_all()
    second = infos()
    assert len(second) == 1 and "nog geen bereikbaarheid per woonplaats berekend" in second[0]
    assert "Bereikbaarheid berekenen" in second[0]


def test_wie_woont_er_opens_on_an_indicator_the_own_data_can_show(own_db):
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/wie_woont_er.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    picker = at.selectbox(key="indicator")
    assert picker.value == "pop_total"  # only population was imported
    labels = dict(zip(picker.options, picker.options))
    assert any(o.endswith("% 80-plussers · geen cijfers") for o in labels)
    assert not any(o.endswith("Aantal inwoners · geen cijfers") for o in labels)
    store = Store.open(own_db)
    halle = store._query_df(
        "SELECT sum(value) AS v FROM observations o JOIN area_parents p ON p.level = 'statsec'"
        " AND p.code = o.area_code AND p.parent_level = 'gemeente' AND p.parent_code = '23027'"
        " WHERE o.variable = 'pop_total'"
    )["v"].iloc[0]
    close_all()
    summary = next(m.value for m in at.markdown if m.value.startswith("**Aantal inwoners**"))
    assert at.sidebar.selectbox(key="gemeente").value == "23027"  # Halle: the most mapped sectors (41)
    assert f"gemeente Halle: **{int(halle):,} inwoners**".replace(",", ".") in summary


def test_an_imported_facilities_raster_is_a_map_layer_with_its_own_legend(own_db, tmp_path):
    import numpy as np
    import rasterio
    import shapely
    from rasterio.transform import from_origin

    store = Store.open(own_db)
    halle = store.sectors_within("gemeente", ["23027"])
    geoms = store.geometries("statsec", halle, display=False)
    union = shapely.union_all(shapely.from_wkb([bytes(g) for g in geoms["geometry"]]))
    x0, y0, x1, y1 = (round(v, -2) for v in union.bounds)
    width, height = int((x1 - x0) / 100), int((y1 - y0) / 100)
    values = (np.arange(width * height) % 4 + 1).reshape(height, width).astype("float32")
    path = tmp_path / "ni_huish_basisvoorz_ha_vlaa_2013.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=width,
        height=height,
        count=1,
        dtype="float32",
        crs="EPSG:31370",
        transform=from_origin(x0, y1, 100, 100),
        nodata=-9999,
    ) as dst:
        dst.write(values, 1)
    for plan in plan_sources([SourceFile.from_path(path)], store):
        plan.apply(store)
    cells = store.grid_cells(layer="voorzieningenniveau", statsecs=halle)
    assert len(cells) > 1000 and set(cells["value"]) == {1.0, 2.0, 3.0, 4.0}
    close_all()

    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    at.query_params["lagen"] = "sectoren,voorzieningenniveau"
    at.switch_page("pages/wat_is_er.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    legend = next(m.value for m in at.markdown if "Voorzieningenniveau (per hectare)" in m.value)
    assert all(f"waarde {v}" in legend for v in (1, 2, 3, 4))
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    layer = next(layer for layer in deck["layers"] if layer["id"] == "voorzieningenniveau")
    # One image for the whole raster (not an object per hectare), over Halle's extent.
    assert layer["@@type"] == "BitmapLayer" and layer["image"].startswith("data:image/png;base64,")
    west, south, east, north = layer["bounds"]
    assert 4.1 < west < east < 4.4 and 50.6 < south < north < 50.8
