"""The Gegevens page imports map layers too (AppTest): a raster that needs the sectors uploaded with it,
kernen, a pharmacy list; then the access step computes from them."""

from __future__ import annotations

import io
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from rasterio.transform import from_origin

from tests.pages.test_gegevens import assert_clean, open_gegevens, realdata, upload  # noqa: F401 (fixture)
from zorgzaam.store import Store, close_all


@pytest.fixture
def own_db(tmp_path, demo_db, monkeypatch) -> Path:
    path = tmp_path / "own.duckdb"
    monkeypatch.setenv("ZORGZAAM_DB", str(path))
    monkeypatch.setenv("ZORGZAAM_DEMO_DB", str(demo_db))
    yield path
    close_all()


def _raster_inside(sectors: gpd.GeoDataFrame) -> tuple[bytes, str, int]:
    """A 3 × 3 hectare residents raster lying wholly inside the largest sector: (bytes, sector, cells)."""
    largest = sectors.loc[sectors.geometry.area.idxmax()]
    p = shapely.point_on_surface(largest.geometry.buffer(-400))
    x, y = math.floor(p.x / 100) * 100, math.floor(p.y / 100) * 100
    assert largest.geometry.contains(shapely.box(x - 100, y - 100, x + 200, y + 200))
    buffer = io.BytesIO()
    with rasterio.open(
        buffer,
        "w",
        driver="GTiff",
        width=3,
        height=3,
        count=1,
        dtype="float32",
        crs="EPSG:31370",
        transform=from_origin(x - 100, y + 200, 100, 100),
        nodata=-9999,
    ) as dst:
        dst.write(np.array([[5, 10, 0], [20, -9999, 7], [1, 2, 3]], dtype="float32"), 1)
    return buffer.getvalue(), largest["id"], 7  # 0 and nodata are no residents


def test_layers_uploaded_with_their_sectors_are_imported_in_one_go(own_db, realdata):  # noqa: F811 (the fixture)
    sectors = gpd.read_file(realdata / "zenvallei/sectors.geojson").to_crs(31370)
    raster, sector, cells = _raster_inside(sectors)
    kern = gpd.GeoDataFrame({"type": ["kern"]}, geometry=[sectors.geometry.iloc[0].buffer(-50)], crs=31370)
    at = open_gegevens()
    upload(
        at,
        [
            ("ni_inw_ha_zennevallei.tif", raster),
            ("sectors.geojson", (realdata / "zenvallei/sectors.geojson").read_bytes()),
            ("kernen.geojson", kern.to_json().encode("utf-8")),
            (
                "Lst_Pharmacies_pub_Extended.xlsx",
                (realdata / "pharmacies_be/Lst_Pharmacies_pub_Extended.xlsx").read_bytes(),
            ),
        ],
    )
    # The raster needs the sectors: it waits for them instead of being refused.
    waiting = [w.value for w in at.warning if "Importeer eerst de sectorgeometrie" in w.value]
    assert len(waiting) == 1 and "nog eens gelezen" in waiting[0]
    at.button(key="gegevens_importeren").click()
    at.run()
    assert_clean(at)
    done = [s.value for s in at.success]
    assert len(done) == 4, done
    assert any(d.startswith("ni_inw_ha_zennevallei.tif") and f"{cells} hectarecellen" in d for d in done)
    assert any(d.startswith("kernen.geojson") and "1 kernen, linten of verspreide bebouwing" in d for d in done)
    assert any(d.startswith("Lst_Pharmacies") and "5.026 voorzieningen" in d for d in done)
    store = Store.open(own_db)
    grid = store.grid_cells(layer="inwoners")
    assert len(grid) == cells and set(grid["statsec"]) == {sector} and grid["value"].sum() == 48
    assert store._scalar("SELECT count(*) FROM features WHERE layer = 'nederzetting'") == 1
    assert store._scalar("SELECT count(*) FROM features WHERE layer = 'voorziening'") == 5026
    # The access step has its places now, and still waits for the population per sector.
    assert at.button(key="gegevens_bereikbaarheid").disabled
    needs = next(c.value for c in at.caption if c.value.startswith("Nog nodig voor de berekening"))
    assert "inwonersaantallen per sector" in needs and "hectarecellen" not in needs
