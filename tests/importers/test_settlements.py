"""Kernen, linten, verspreide bebouwing (zorgzaam.importers.settlements): small layers made here."""

from __future__ import annotations

import json
import math
import shutil

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import shapely
from rasterio.transform import Affine

from tests.importers.conftest import open_copy
from zorgzaam.access import AGE_GROUPS, build_access, settlement_class
from zorgzaam.catalogue import BUILTIN
from zorgzaam.importers import APPLY_ORDER, plan_dataset, settlements
from zorgzaam.importers.errors import ImportProblem
from zorgzaam.importers.files import SourceFile, collect, read_vector
from zorgzaam.importers.sectors import KIND as SECTORS_KIND
from zorgzaam.importers.sectors import plan_sector_geometry
from zorgzaam.layers import settlement_layers
from zorgzaam.store import Store, close_all

# A spot in Halle/Beersel, Lambert 72 (metres); the shapes below are a few hundred metres around it.
X0, Y0 = 140_000.0, 160_000.0


def square(cx: float, cy: float, half: float) -> shapely.Polygon:
    return shapely.box(cx - half, cy - half, cx + half, cy + half)


def write(gdf: gpd.GeoDataFrame, path) -> object:
    gdf.to_file(path)
    return path


def plan_file(path, store):
    # A shapefile comes with its .shx, .dbf, .prj and .cpg.
    (dataset,) = collect([SourceFile.from_path(p) for p in sorted(path.parent.glob(f"{path.stem}.*"))])
    (plan,) = plan_dataset(dataset, store)
    return plan


def snapshot(store: Store) -> tuple:
    return tuple(store._query_df(f"SELECT * FROM {t} ORDER BY ALL").to_csv() for t in ("features", "datasets"))


@pytest.fixture
def store(tmp_path):
    yield Store.open(tmp_path / "s.duckdb")
    close_all()


def mixed_layer(crs: int = 31370) -> gpd.GeoDataFrame:
    geoms = [
        square(X0, Y0, 100),
        shapely.LineString([(X0 + 500, Y0), (X0 + 1500, Y0)]),
        square(X0 - 800, Y0, 50),
        square(X0 + 300, Y0 + 300, 50),
    ]
    gdf = gpd.GeoDataFrame(
        {"TYPE": ["Kern", "LINT", "verspreide bebouwing", "kernen"], "naam": ["Halle-centrum", None, None, "Lembeek"]},
        geometry=geoms,
        crs=31370,
    )
    return gdf.to_crs(crs) if crs != 31370 else gdf


# --- recognising the category -------------------------------------------------------------------


def test_category_from_a_column_per_feature(store, tmp_path):
    plan = plan_file(write(mixed_layer(), tmp_path / "bebouwingstypologie.gpkg"), store)
    assert plan.preview.kind == settlements.KIND == "nederzetting"
    assert plan.dataset_id == "nederzetting-kern-lint-verspreid"
    f = plan.features
    assert list(f["category"]) == ["kern", "lint", "verspreid", "kern"]
    assert set(f["layer"]) == {"nederzetting"} and f["feature_id"].is_unique
    assert list(f["name"]) == ["Halle-centrum", None, None, "Lembeek"]
    assert json.loads(f["properties"].iloc[1])["soort"] == "LINT"
    lines = plan.preview.lines()
    assert "Soort bepaald uit: kolom 'TYPE'" in lines
    assert "Per soort: kernen 2, linten 1, verspreide bebouwing 1" in lines
    assert "Oppervlakte kernen: 5,0 ha" in lines  # 200 m × 200 m + 100 m × 100 m
    assert "Oppervlakte verspreide bebouwing: 1,0 ha" in lines
    assert "Lengte linten: 1,0 km" in lines
    assert plan.preview.crs == "EPSG:31370 (Lambert 72)" and plan.preview.rows == 4
    # Geometry as the other importers store it: Lambert as given, a display copy in degrees.
    lam = shapely.from_wkb(f["geom_lambert"].iloc[0])
    assert lam.equals(square(X0, Y0, 100))
    lon, lat = shapely.get_coordinates(shapely.from_wkb(f["geom_display"].iloc[0]))[0]
    assert 4.0 < lon < 4.5 and 50.6 < lat < 50.9


@pytest.mark.parametrize(
    "category_values, expected",
    [
        (["KERNBEBOUWING", "Lintbebouwing", "Verspreid", "core"], ["kern", "lint", "verspreid", "kern"]),
    ],
)
def test_value_spellings(category_values, expected):
    assert [settlements.category_of(v) for v in category_values] == expected
    assert (
        settlements.category_of("Buiten de kernen") is None
        and settlements.category_of("Kern van Halle en de omliggende woonwijken langs de Zenne") is None
    )  # a description, not a category


@pytest.mark.parametrize(
    "name, category",
    [("kernen_2019.gpkg", "kern"), ("Linten.geojson", "lint"), ("verspreide_bebouwing.shp", "verspreid")],
)
def test_category_from_the_file_name(store, tmp_path, name, category):
    geom = shapely.LineString([(X0, Y0), (X0 + 400, Y0 + 10)]) if category == "lint" else square(X0, Y0, 60)
    gdf = gpd.GeoDataFrame(
        {"naam": ["a", "b"], "oppervlak": [1.0, 2.0]},
        geometry=[geom, shapely.affinity.translate(geom, 1000, 0)],
        crs=31370,
    )
    plan = plan_file(write(gdf, tmp_path / name), store)
    assert list(plan.features["category"]) == [category, category]
    assert plan.dataset_id == f"nederzetting-{category}"
    assert "Soort bepaald uit: bestandsnaam" in plan.preview.lines()


def test_lines_are_linten_when_the_name_speaks_of_several_kinds(store, tmp_path):
    gdf = gpd.GeoDataFrame(
        {"id": [7, 8]},
        geometry=[
            shapely.LineString([(X0, Y0), (X0 + 300, Y0)]),
            shapely.LineString([(X0, Y0 + 500), (X0 + 200, Y0 + 500)]),
        ],
        crs=31370,
    )
    plan = plan_file(write(gdf, tmp_path / "kernen_linten_2019.geojson"), store)
    assert list(plan.features["category"]) == ["lint", "lint"]
    assert list(plan.features["feature_id"]) == ["lint-7", "lint-8"]
    assert "Lengte linten: 0,5 km" in plan.preview.lines()
    # Polygons with such a name cannot be told apart: one Dutch sentence that says how to name the file.
    polygons = gpd.GeoDataFrame(geometry=[square(X0, Y0, 50)], crs=31370)
    with pytest.raises(ImportProblem, match="kernen, linten of verspreide_bebouwing"):
        plan_file(write(polygons, tmp_path / "kernen_en_linten.geojson"), store)
    with pytest.raises(ImportProblem, match="kernen, linten of verspreide_bebouwing"):
        settlements.plan_settlements(polygons, ["bebouwing.gpkg"], store)
    assert (
        settlements.plan_settlements(polygons, ["bebouwing.gpkg"], store, category="verspreid").dataset_id
        == "nederzetting-verspreid"
    )


def test_a_lint_polygon_is_kept_and_drawn_as_its_outline(store):
    gdf = gpd.GeoDataFrame(geometry=[square(X0, Y0, 20)], crs=31370)
    plan = settlements.plan_settlements(gdf, ["linten.gpkg"], store)
    assert shapely.from_wkb(plan.features["geom_lambert"].iloc[0]).geom_type == "Polygon"
    assert shapely.from_wkb(plan.features["geom_display"].iloc[0]).geom_type in ("LineString", "LinearRing")
    plan.apply(store)
    assert [layer.id for layer in settlement_layers(store.features(layer="nederzetting", display=True))] == ["linten"]


# --- not stealing other files -------------------------------------------------------------------


def test_sector_files_and_amenities_are_not_taken_for_settlements(store, tmp_path, realdata):
    # The Zennevallei sectors have names like "BEERSEL-KERN"; even named "kernen" they stay sectors.
    sectors_copy = tmp_path / "kernen_sectoren.geojson"
    shutil.copy(realdata / "zenvallei/sectors.geojson", sectors_copy)
    gdf = read_vector(SourceFile.from_path(sectors_copy))
    assert not settlements.recognise(gdf, "kernen_sectoren")
    assert plan_file(sectors_copy, store).preview.kind == SECTORS_KIND
    # OSM amenities (tag columns) stay amenities, whatever the file is called.
    osm = gpd.GeoDataFrame(
        {"amenity": ["pharmacy"], "name": ["Apotheek Kern"]}, geometry=[shapely.Point(4.24, 50.73)], crs=4326
    )
    assert plan_file(write(osm, tmp_path / "kern_voorzieningen.geojson"), store).preview.kind == "voorzieningen"
    # PinC's Limburg "kern" layer is an area division (with "buiten de kernen" areas), not the typology.
    pinc = gpd.GeoDataFrame(
        {"geoitem": ["71002_1", "RWM_MLO_BG"], "naam": ["As", "Buiten de kernen (MLO)"]},
        geometry=[square(X0, Y0, 50), square(X0 + 500, Y0, 50)],
        crs=31370,
    )
    assert not settlements.recognise(pinc, "kern")
    # A polygon file with neither the words nor a category column is not a settlement file.
    other = gpd.GeoDataFrame({"code": ["A"]}, geometry=[square(X0, Y0, 50)], crs=31370)
    assert not settlements.recognise(other, "percelen")


# --- coordinates and broken shapes --------------------------------------------------------------


@pytest.mark.parametrize("crs, label", [(4326, "EPSG:4326 (WGS84)"), (3812, "EPSG:3812 (Lambert 2008)")])
def test_other_crs_are_transformed_to_lambert_72(store, tmp_path, crs, label):
    plan = plan_file(write(mixed_layer(crs), tmp_path / "typologie.gpkg"), store)
    assert plan.preview.crs == label
    kern = shapely.from_wkb(plan.features["geom_lambert"].iloc[0])
    assert kern.area == pytest.approx(40_000, rel=1e-3)
    assert shapely.Point(X0, Y0).within(kern) and kern.hausdorff_distance(square(X0, Y0, 100)) < 0.5


def test_refusals_change_nothing(store, tmp_path):
    settlements.plan_settlements(mixed_layer(), ["typologie.gpkg"], store).apply(store)
    before = snapshot(store)
    wrong_crs = mixed_layer().set_crs(3035, allow_override=True)
    with pytest.raises(ImportProblem, match="EPSG:3035"):
        settlements.plan_settlements(wrong_crs, ["typologie.gpkg"], store)
    no_crs = mixed_layer().set_crs(None, allow_override=True)
    with pytest.raises(ImportProblem, match="coördinatenstelsel .* onbekend"):
        settlements.plan_settlements(no_crs, ["typologie.gpkg"], store)
    empty = gpd.GeoDataFrame({"TYPE": ["kern", "kern"]}, geometry=[None, shapely.Polygon()], crs=31370)
    with pytest.raises(ImportProblem, match="lege geometrie"):
        settlements.plan_settlements(empty, ["kernen.gpkg"], store)
    lines_as_kern = gpd.GeoDataFrame(geometry=[shapely.LineString([(X0, Y0), (X0 + 100, Y0)])], crs=31370)
    with pytest.raises(ImportProblem, match="vlakken"):
        settlements.plan_settlements(lines_as_kern, ["kernen.gpkg"], store)
    degrees_as_lambert = gpd.GeoDataFrame(geometry=[square(4.2, 50.7, 0.01)], crs=31370)
    with pytest.raises(ImportProblem, match="niet in België"):
        settlements.plan_settlements(degrees_as_lambert, ["kernen.gpkg"], store)
    assert snapshot(store) == before


def test_missing_shapes_are_left_out_and_broken_ones_repaired(store):
    bowtie = shapely.Polygon([(X0, Y0), (X0 + 100, Y0 + 100), (X0 + 100, Y0), (X0, Y0 + 100)])
    extra = [square(X0 + 2000 + 100 * i, Y0, 30) for i in range(8)]
    gdf = gpd.GeoDataFrame(
        {"soort": ["kern", "kern", "verspreid", "bos"] + ["verspreid"] * 8},
        geometry=[bowtie, None, square(X0 + 500, Y0, 30), square(X0 + 900, Y0, 30)] + extra,
        crs=31370,
    )
    plan = settlements.plan_settlements(gdf, ["typologie.gpkg"], store)
    assert list(plan.features["category"]) == ["kern"] + ["verspreid"] * 9
    repaired = shapely.from_wkb(plan.features["geom_lambert"].iloc[0])
    assert repaired.is_valid and repaired.area == pytest.approx(5_000)
    text = "\n".join(plan.preview.lines())
    assert "Kapotte vormen hersteld: 1" in text
    assert "1 objecten zonder vorm (lege geometrie) weggelaten" in text
    assert "1 objecten zonder herkenbare soort weggelaten (waarden: bos)" in text


def test_reimport_replaces_and_an_overlapping_set_is_warned_about(store, tmp_path):
    path = write(mixed_layer(), tmp_path / "typologie.gpkg")
    for _ in range(2):
        plan_file(path, store).apply(store)
    assert len(store.features(layer="nederzetting")) == 4
    kernen = gpd.GeoDataFrame(geometry=[square(X0 + 3000, Y0, 100)], crs=31370)
    plan = settlements.plan_settlements(kernen, ["kernen.gpkg"], store)
    assert any("kernen uit 'nederzetting-kern-lint-verspreid'" in w for w in plan.preview.warnings)
    assert APPLY_ORDER[settlements.KIND] == 2


# --- the layers feed the access computation -----------------------------------------------------


@pytest.fixture(scope="module")
def zennevallei_file(tmp_path_factory, realdata):
    """A store file with the real Zennevallei sectors and their population (Statbel layout, 2025)."""
    path = tmp_path_factory.mktemp("settlements") / "zv.duckdb"
    store = Store.open(path)
    plan_sector_geometry(gpd.read_file(realdata / "zenvallei/sectors.geojson"), ["sectors.geojson"], store).apply(store)
    population = pd.read_csv(realdata / "zenvallei/population_2025_sectors_transcribed.csv", dtype=str)
    text = "CD_REFNIS|CD_SECTOR|TOTAL|TX_DESCR_NL\n" + "".join(
        f"{s[:5]}|{s}|{p}|x\n" for s, p in zip(population["sector_id"], population["population_2025"])
    )
    (dataset,) = collect([SourceFile.from_bytes("OPENDATA_SECTOREN_2025_OLD.txt", text.encode())])
    for plan in plan_dataset(dataset, store):
        plan.apply(store)
    close_all()
    return path


@pytest.fixture
def zv_store(zennevallei_file, tmp_path):
    yield from open_copy(zennevallei_file, tmp_path)


def test_imported_cells_and_kernen_give_places_their_settlement_type(zv_store, tmp_path, realdata):
    store = zv_store
    sectors = gpd.read_file(realdata / "zenvallei/sectors.geojson").to_crs(31370)
    largest = sectors.loc[sectors.geometry.area.idxmax()]
    p = shapely.point_on_surface(largest.geometry.buffer(-600))
    x, y = math.floor(p.x / 100) * 100, math.floor(p.y / 100) * 100
    assert largest.geometry.contains(shapely.box(x - 500, y - 500, x + 600, y + 600))
    # 11 × 11 hectares of residents around (x, y); a kern of 3 × 3 hectares in the middle, a lint 400 m north.
    tif = tmp_path / "inwoners_2019.tif"
    with rasterio.open(
        tif,
        "w",
        driver="GTiff",
        width=11,
        height=11,
        count=1,
        dtype="float32",
        crs="EPSG:31370",
        transform=Affine(100.0, 0.0, x - 500, 0.0, -100.0, y + 600),
        nodata=-1,
    ) as dst:
        dst.write(np.full((11, 11), 8.0, dtype="float32"), 1)
    plan_file(tif, store).apply(store)
    kernen = gpd.GeoDataFrame(
        {"TYPE": ["kern", "lint"]},
        geometry=[
            shapely.box(x - 100, y - 100, x + 200, y + 200),
            shapely.LineString([(x - 500, y + 450), (x + 600, y + 450)]),
        ],
        crs=31370,
    )
    plan_file(write(kernen, tmp_path / "kernen_linten.gpkg"), store).apply(store)

    variables = (
        ["pop_total"]
        + list(AGE_GROUPS.values())
        + [p for v in AGE_GROUPS.values() for p in BUILTIN.base_counts[v].sum_of]
    )
    base_obs = store.observations(variables, ["2025"])
    assert len(base_obs)  # the residents of the sectors are in the store
    table, obs = build_access(
        store.features(), store.stops(), store.grid_cells(layer="inwoners"), base_obs, "2025", store.parents("statsec")
    )
    assert len(table) == 121 and set(table["statsec"]) == {largest["id"]}
    by_xy = {(r.x, r.y): r.settlement for r in table.itertuples()}
    assert by_xy[(x + 50, y + 50)] == "kern"  # the centre cell, inside the kern polygon
    assert by_xy[(x + 150, y - 50)] == "kern"
    assert by_xy[(x + 50, y + 450)] == "lint"  # a centre on the lint
    assert by_xy[(x + 50, y + 350)] == "elders"  # 100 m from the lint: beyond 75 m
    assert by_xy[(x - 450, y - 450)] == "elders"
    assert (table["settlement"] == "kern").sum() == 9
    kern_pop = obs[(obs["variable"] == "acc_pop_in_kern") & (obs["area_code"] == largest["id"])]["value"]
    assert list(kern_pop) == [72.0]
    # The same answer as settlement_class on the stored features, straight.
    assert list(settlement_class(table, store.features())) == list(table["settlement"])
