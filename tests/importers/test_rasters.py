"""Hectare rasters (zorgzaam.importers.rasters): GeoTIFFs made here, laid over the real Zennevallei sectors."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from pyproj import Transformer
from rasterio.transform import Affine

from tests.importers.conftest import open_copy
from zorgzaam.cli import main
from zorgzaam.importers import APPLY_ORDER, plan_dataset, rasters
from zorgzaam.importers.errors import ImportProblem
from zorgzaam.importers.files import SourceFile, collect
from zorgzaam.importers.sectors import plan_sector_geometry
from zorgzaam.store import Store, close_all

NODATA = -9999.0


# --- fixtures and helpers -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def zennevallei(realdata) -> gpd.GeoDataFrame:
    """The 154 real Zennevallei sectors (2024 division) in Lambert 72, code and geometry."""
    gdf = gpd.read_file(realdata / "zenvallei/sectors.geojson").to_crs(31370)
    return gdf.rename(columns={"id": "code"})[["code", "geometry"]]


@pytest.fixture(scope="module")
def sector_file(tmp_path_factory, realdata):
    """A store file with the real Zennevallei sector geometry."""
    path = tmp_path_factory.mktemp("rasters") / "sectors.duckdb"
    store = Store.open(path)
    gdf = gpd.read_file(realdata / "zenvallei/sectors.geojson")
    plan_sector_geometry(gdf, ["sectors.geojson"], store).apply(store)
    close_all()
    return path


@pytest.fixture
def store(sector_file, tmp_path):
    yield from open_copy(sector_file, tmp_path)


@pytest.fixture(scope="module")
def anchor(zennevallei) -> tuple[str, float, float]:
    """(sector code, x, y): the lower-left corner of a 100 m grid cell with a 5 × 5 hectare block
    around it that lies wholly inside one sector (the largest one)."""
    largest = zennevallei.loc[zennevallei.geometry.area.idxmax()]
    core = largest.geometry.buffer(-400)
    assert not core.is_empty
    p = shapely.point_on_surface(core)
    x, y = math.floor(p.x / 100) * 100, math.floor(p.y / 100) * 100
    assert largest.geometry.contains(shapely.box(x - 200, y - 200, x + 300, y + 300))
    return largest["code"], float(x), float(y)


def write_tif(
    path,
    values,
    left: float,
    top: float,
    size: float = 100.0,
    crs: str | None = "EPSG:31370",
    nodata: float | None = NODATA,
    dtype: str = "float32",
):
    values = np.asarray(values, dtype=dtype)
    profile = dict(
        driver="GTiff",
        width=values.shape[1],
        height=values.shape[0],
        count=1,
        dtype=dtype,
        transform=Affine(size, 0.0, left, 0.0, -size, top),
    )
    if crs is not None:
        profile["crs"] = crs
    if nodata is not None:
        profile["nodata"] = nodata
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(values, 1)
    return path


def plan_file(path, store, **kwargs):
    (dataset,) = collect([SourceFile.from_path(path)])
    assert dataset.kind == "raster"
    (plan,) = plan_dataset(dataset, store, **kwargs)
    return plan


def snapshot(store: Store) -> tuple:
    return tuple(store._query_df(f"SELECT * FROM {t} ORDER BY ALL").to_csv() for t in ("grid_cells", "datasets"))


def cells_by_xy(cells) -> dict[tuple[float, float], tuple[float, str]]:
    return {
        (float(x), float(y)): (float(v), s)
        for x, y, v, s in cells[["x", "y", "value", "statsec"]].itertuples(index=False)
    }


# --- 100 m rasters ------------------------------------------------------------------------------


def test_hectare_cells_get_their_sector_and_nodata_nan_and_zero_are_left_out(store, anchor, tmp_path):
    code, x, y = anchor
    # 3 × 3 hectares, all inside the anchor's sector; the top-left cell has its lower-left corner at (x-100, y+100).
    values = [[5, NODATA, 0], [7, 12.5, np.nan], [1, 2, 3]]
    path = write_tif(tmp_path / "inwoners_2019.tif", values, left=x - 100, top=y + 200)
    plan = plan_file(path, store)
    assert plan.preview.kind == rasters.KIND == "hectareraster" and plan.dataset_id == "raster-inwoners"
    assert plan.preview.description == "Hectareraster: inwoners per hectare (100 m)"
    assert plan.preview.crs == "EPSG:31370 (Lambert 72)"
    cells = plan.grid_cells
    assert plan.preview.rows == len(cells) == 6  # 9 minus nodata, NaN and 0
    got = cells_by_xy(cells)
    assert got[(x + 50, y + 50)] == (12.5, code)  # the centre cell: its centre lies in the anchor's sector
    assert got == {
        (x - 50, y + 150): (5.0, code),
        (x - 50, y + 50): (7.0, code),
        (x + 50, y + 50): (12.5, code),
        (x - 50, y - 50): (1.0, code),
        (x + 50, y - 50): (2.0, code),
        (x + 150, y - 50): (3.0, code),
    }
    assert set(cells["layer"]) == {"inwoners"}
    lines = plan.preview.lines()
    assert "Cellen zonder inwoners (0) weggelaten: 1" in lines
    assert "Waarden: van 1 tot 12,5" in lines
    assert "Inwoners in de cellen samen: 30" in lines  # 30.5 rounded for display
    assert "Sectoren met cellen: 1 van 154" in lines
    assert "Cellen buiten de sectoren van de databank (weggelaten): 0" in lines
    plan.apply(store)
    stored = store.grid_cells(layer="inwoners")
    assert len(stored) == 6 and stored["value"].sum() == pytest.approx(30.5)
    assert set(stored["dataset_id"]) == {"raster-inwoners"}


def test_a_raster_over_the_whole_zone_places_every_cell_like_a_spatial_join(store, zennevallei, tmp_path):
    minx, miny, maxx, maxy = zennevallei.total_bounds
    left, top = math.floor(minx / 100) * 100 - 1000, math.ceil(maxy / 100) * 100 + 1000
    w, h = int((maxx - left) // 100) + 20, int((top - miny) // 100) + 20
    rng = np.random.default_rng(6)
    values = rng.integers(1, 40, size=(h, w)).astype("float32")
    values[rng.random((h, w)) < 0.05] = NODATA
    plan = plan_file(write_tif(tmp_path / "bevolking.tif", values, left, top), store)
    # Independently: every valid cell centre, joined to the sectors with geopandas.
    rows, cols = np.nonzero(values != NODATA)
    xs, ys = left + (cols + 0.5) * 100, top - (rows + 0.5) * 100
    pts = gpd.GeoDataFrame({"v": values[rows, cols]}, geometry=gpd.points_from_xy(xs, ys), crs=31370)
    in_box = pts.cx[minx:maxx, miny:maxy]
    joined = gpd.sjoin(in_box, zennevallei, predicate="intersects")
    joined = joined.sort_values("code", kind="stable")
    joined = joined[~joined.index.duplicated()]
    assert len(plan.grid_cells) == len(joined) > 15_000
    expected = {(p.x, p.y): c for p, c in zip(joined.geometry, joined["code"])}
    assert cells_by_xy(plan.grid_cells) == {
        xy: (float(values[int((top - xy[1]) // 100), int((xy[0] - left) // 100)]), c) for xy, c in expected.items()
    }
    lines = plan.preview.lines()
    assert (
        f"Cellen buiten de sectoren van de databank (weggelaten): {len(in_box) - len(joined):,}".replace(",", ".")
        in lines
    )
    assert "Sectoren met cellen: 154 van 154" in lines
    assert "Alleen het deel van het raster over de sectoren in de databank is gelezen." in lines


def test_reimporting_a_layer_replaces_it(store, anchor, tmp_path):
    _, x, y = anchor
    path = write_tif(tmp_path / "ni_inw_ha_vlaa_2019.tif", np.full((4, 4), 3.0), x - 100, y + 200)
    for _ in range(2):
        plan = plan_file(path, store)
        plan.apply(store)
    assert plan.source.startswith("Departement Omgeving")
    assert len(store.grid_cells(layer="inwoners")) == 16
    assert store._scalar("SELECT count(*) FROM datasets WHERE dataset_id = 'raster-inwoners'") == 1
    # Another layer is another dataset, next to it.
    plan_file(write_tif(tmp_path / "walkability.tif", np.full((2, 2), 0.5), x, y + 100), store).apply(store)
    assert len(store.grid_cells(layer="inwoners")) == 16 and len(store.grid_cells(layer="walkability")) == 4
    assert set(store.grid_cells(layer="walkability")["dataset_id"]) == {"raster-walkability"}


# --- finer rasters ------------------------------------------------------------------------------


def test_a_10_m_raster_is_summed_or_averaged_per_hectare_ignoring_nodata(store, anchor, tmp_path):
    code, x, y = anchor
    rng = np.random.default_rng(3)
    values = rng.integers(0, 5, size=(20, 20)).astype("float32")  # 2 × 2 hectares
    values[0, 0] = values[5, 7] = NODATA  # top-left hectare: two empty pixels
    values[10:20, 10:20] = NODATA  # bottom-right hectare: empty throughout
    path = write_tif(tmp_path / "inwoners_10m.tif", values, left=x, top=y + 200, size=10)
    plan = plan_file(path, store)
    assert plan.preview.description == "Hectareraster: inwoners per hectare (10 m, opgeteld per hectare)"
    valid = np.where(values == NODATA, np.nan, values)
    blocks = valid.reshape(2, 10, 2, 10)
    sums = np.nansum(blocks, axis=(1, 3))
    expected = {(x + 50, y + 150): sums[0, 0], (x + 150, y + 150): sums[0, 1], (x + 50, y + 50): sums[1, 0]}
    assert cells_by_xy(plan.grid_cells) == {xy: (float(v), code) for xy, v in expected.items() if v > 0}
    assert any("10 × 10 cellen samengevoegd" in n for n in plan.preview.notes)

    walk = plan_file(write_tif(tmp_path / "walkability_10m.tif", values, left=x, top=y + 200, size=10), store)
    counts = np.isfinite(blocks).sum(axis=(1, 3))
    means = sums / np.maximum(counts, 1)
    got = cells_by_xy(walk.grid_cells)
    assert set(got) == {(x + 50, y + 150), (x + 150, y + 150), (x + 50, y + 50)}  # the empty hectare is left out
    for (cx, cy), (value, statsec) in got.items():
        r, c = int((y + 200 - cy) // 100), int((cx - x) // 100)
        assert value == pytest.approx(means[r, c]) and statsec == code
    assert walk.preview.description == "Hectareraster: walkabilityscore (10 m, gemiddeld per hectare)"


def test_a_fine_raster_off_the_grid_is_aggregated_on_the_100_m_lambert_grid(store, anchor, tmp_path):
    code, x, y = anchor
    # 25 m cells whose origin is 50 m off the hectare grid: hectares still end on multiples of 100 m.
    values = np.arange(1, 8 * 8 + 1, dtype="float32").reshape(8, 8)
    plan = plan_file(write_tif(tmp_path / "inwoners_25m.tif", values, left=x - 50, top=y + 150, size=25), store)
    cells = plan.grid_cells
    assert set(((cells["x"] - 50) % 100).round(6)) == {0.0} and set(((cells["y"] - 50) % 100).round(6)) == {0.0}
    assert cells["value"].sum() == values.sum()  # every pixel counted once
    # The hectare with lower-left (x, y) gets pixels in rows 2..5 and columns 2..5.
    assert cells_by_xy(cells)[(x + 50, y + 50)] == (float(values[2:6, 2:6].sum()), code)
    assert len(cells) == 9


def test_a_lambert_2008_raster_is_placed_in_lambert_72(store, anchor, tmp_path):
    code, x, y = anchor
    to_3812 = Transformer.from_crs(31370, 3812, always_xy=True)
    cx, cy = to_3812.transform(x + 50, y + 50)
    left, top = math.floor(cx / 100) * 100 - 100, math.floor(cy / 100) * 100 + 200
    plan = plan_file(write_tif(tmp_path / "inwoners_lb08.tif", np.full((3, 3), 4.0), left, top, crs="EPSG:3812"), store)
    assert plan.preview.crs == "EPSG:3812 (Lambert 2008)" and len(plan.grid_cells) == 9
    back = Transformer.from_crs(3812, 31370, always_xy=True)
    ex, ey = back.transform(left + 150, top - 150)  # the centre cell, in Lambert 72
    got = cells_by_xy(plan.grid_cells)
    key = min(got, key=lambda k: (k[0] - ex) ** 2 + (k[1] - ey) ** 2)
    assert key == pytest.approx((ex, ey), abs=1e-6) and got[key] == (4.0, code)


# --- which layer --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, layer",
    [
        ("be.vlaanderen.omgeving.distribution.geo.x.ni_inw_ha_vlaa_2019.tif", "inwoners"),
        ("Bevolkingsdichtheid.tif", "inwoners"),
        ("walkabilityscore_2020.tif", "walkability"),
        ("ni_huish_basisvoorz_ha_vlaa_2013.tif", "voorzieningenniveau"),
        ("Voorzieningenniveau.TIF", "voorzieningenniveau"),
        ("kaart.tif", None),
        ("inwoners_walkability.tif", None),
    ],
)
def test_layer_from_the_file_name(name, layer):
    assert rasters.layer_from_name(name) == layer


def test_an_unnamed_raster_needs_a_layer(store, anchor, tmp_path):
    _, x, y = anchor
    path = write_tif(tmp_path / "kaart.tif", np.full((2, 2), 7.0), x, y + 100)
    before = snapshot(store)
    with pytest.raises(ImportProblem) as exc:
        plan_file(path, store)
    message = str(exc.value)
    assert all(word in message for word in ("inwoners", "walkability", "voorzieningenniveau", "bestandsnaam"))
    assert snapshot(store) == before
    plan = plan_file(path, store, raster_layer="voorzieningenniveau")
    assert plan.dataset_id == "raster-voorzieningenniveau" and set(plan.grid_cells["layer"]) == {"voorzieningenniveau"}
    with pytest.raises(ImportProblem, match="geen rasterlaag"):
        plan_file(path, store, raster_layer="hittestress")


# --- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(crs=None), "geen CRS"),
        (dict(crs="EPSG:4326"), "EPSG:4326"),
        (dict(crs="EPSG:3035"), "EPSG:3035"),
        (dict(size=30.0), "30 m groot"),
        (dict(size=200.0), "200 m groot"),
    ],
)
def test_wrong_crs_and_cell_sizes_are_refused_and_change_nothing(store, anchor, tmp_path, kwargs, message):
    _, x, y = anchor
    path = write_tif(tmp_path / "inwoners.tif", np.full((3, 3), 1.0), x, y + 300, **kwargs)
    before = snapshot(store)
    with pytest.raises(ImportProblem, match=message) as exc:
        plan_file(path, store)
    assert "\n" not in str(exc.value) and "Traceback" not in str(exc.value)
    assert snapshot(store) == before


def test_no_sectors_no_overlap_and_too_large(tmp_path, anchor, monkeypatch, store):
    _, x, y = anchor
    empty = Store.open(tmp_path / "leeg.duckdb")
    path = write_tif(tmp_path / "inwoners.tif", np.full((3, 3), 1.0), x, y + 300)
    with pytest.raises(ImportProblem, match="Importeer eerst de sectorgeometrie"):
        plan_file(path, empty)
    far = write_tif(tmp_path / "inwoners_ver.tif", np.full((3, 3), 1.0), 30_000, 200_000)
    with pytest.raises(ImportProblem, match="ligt niet over de sectoren"):
        plan_file(far, store)
    monkeypatch.setattr(rasters, "MAX_PIXELS", 4)
    with pytest.raises(ImportProblem, match="pixels"):
        plan_file(path, store)


def test_a_raster_is_written_with_the_figures_after_the_areas():
    assert APPLY_ORDER[rasters.KIND] == 2


def test_raster_from_bytes_reads_like_from_disk(store, anchor, tmp_path):
    _, x, y = anchor
    path = write_tif(tmp_path / "inwoners.tif", [[1, 2], [3, NODATA]], x, y + 100)
    (dataset,) = collect([SourceFile.from_bytes("inwoners.tif", path.read_bytes())])
    (plan,) = plan_dataset(dataset, store)
    assert sorted(plan.grid_cells["value"]) == [1.0, 2.0, 3.0]


# --- the command line ---------------------------------------------------------------------------


def test_cli_imports_a_geotiff(sector_file, anchor, tmp_path, capsys):
    _, x, y = anchor
    db = tmp_path / "cli.duckdb"
    db.write_bytes(sector_file.read_bytes())
    path = write_tif(tmp_path / "ni_inw_ha_vlaa_2019.tif", np.full((3, 3), 2.0), x - 100, y + 200)
    code = main(["--db", str(db), "import", str(path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Hectareraster: inwoners per hectare (100 m)" in out and "Rijen: 9" in out
    assert "Bewaard als dataset 'raster-inwoners'" in out
    store = Store.open(db)
    assert len(store.grid_cells(layer="inwoners")) == 9
    close_all()
    bad = write_tif(tmp_path / "inwoners_wgs.tif", np.full((3, 3), 2.0), 4.3, 50.8, size=0.001, crs="EPSG:4326")
    code = main(["--db", str(db), "import", str(bad)])
    out, err = capsys.readouterr()
    assert code == 1 and err.startswith("Fout: ") and "EPSG:4326" in err and err.count("\n") == 1
    close_all()


def test_undeclared_float_nodata_is_no_value(store, anchor, tmp_path):
    code, x, y = anchor
    values = [[0.25, -3.4028235e38], [np.nan, 0.75]]
    plan = plan_file(write_tif(tmp_path / "walkability.tif", values, x, y + 100, nodata=None), store)
    assert cells_by_xy(plan.grid_cells) == {(x + 50, y + 50): (0.25, code), (x + 150, y - 50): (0.75, code)}
    assert "Waarden: van 0,25 tot 0,75" in plan.preview.lines()


def test_cli_imports_a_raster_given_before_the_sectors_it_needs(realdata, anchor, tmp_path, capsys):
    _, x, y = anchor
    db = tmp_path / "fresh.duckdb"
    raster = write_tif(tmp_path / "ni_inw_ha_vlaa_2019.tif", np.full((3, 3), 2.0), x - 100, y + 200)
    code = main(["--db", str(db), "import", str(raster), str(realdata / "zenvallei/sectors.geojson")])
    out, err = capsys.readouterr()
    assert code == 0, err
    # The sectors were written first, then the raster was planned against them.
    assert out.index("Statistische sectoren") < out.index("Hectareraster") and "2 import(s) bewaard" in out
    store = Store.open(db)
    assert len(store.grid_cells(layer="inwoners")) == 9
    close_all()
