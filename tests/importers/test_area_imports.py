"""Areas in: Provincies in Cijfers area tables and polygons, sector geometry, merged in one store.

Real public files from ../shared/realdata (read there, never copied); broken variants are made here.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from tests.importers.conftest import open_copy
from zorgzaam.importers.area_tables import (
    plan_area_polygons,
    plan_municipality_zones,
    plan_sector_table,
    recognise_polygons,
    recognise_table,
)
from zorgzaam.importers.errors import ImportProblem
from zorgzaam.importers.sectors import detect_vintage, is_split_code, plan_sector_geometry
from zorgzaam.store import Store, close_all


@pytest.fixture(scope="module")
def zenvallei(realdata) -> gpd.GeoDataFrame:
    return gpd.read_file(realdata / "zenvallei/sectors.geojson")


@pytest.fixture
def store(tmp_path):
    yield Store.open(tmp_path / "import.duckdb")
    close_all()


def _snapshot(store: Store) -> tuple:
    """Everything an import may touch, to prove a refused import changed nothing."""
    return tuple(
        store._query_df(f"SELECT * FROM {t} ORDER BY ALL").to_csv()
        for t in ("areas", "area_parents", "observations", "datasets", "meta")
    )


@pytest.fixture(scope="module")
def zone_file(tmp_path_factory, realdata, sectors_2024, zenvallei):
    """A store file with the 2024 PinC table, the Zennevallei sector polygons and the PinC outlines."""
    path = tmp_path_factory.mktemp("zone") / "zone.duckdb"
    store = Store.open(path)
    plan_sector_table(sectors_2024, "2024", ["statsec2024_als_basis.xlsx"], store).apply(store)
    plan_sector_geometry(zenvallei, ["sectors.geojson"], store).apply(store)
    for stem in ("gemeente", "elz"):
        layer = gpd.read_file(realdata / f"pinc_gebiedsniveaus/{stem}.shp")
        plan_area_polygons(layer, recognise_polygons(layer, stem), [f"{stem}.shp"], store).apply(store)
    close_all()
    return path


@pytest.fixture
def zone_store(zone_file, tmp_path):
    """A fresh copy of the zone store for one test."""
    yield from open_copy(zone_file, tmp_path)


def test_the_pinc_2024_table_gives_every_level_and_the_zone_of_each_sector(store, sectors_2024):
    assert recognise_table(sectors_2024) == "sectors-2024"
    plan = plan_sector_table(sectors_2024, "2024", ["statsec2024_als_basis.xlsx"], store)
    real = sectors_2024[~sectors_2024["statsec2024"].str.endswith("ZZZZ")]
    assert plan.preview.levels["statsec"] == real["statsec2024"].nunique()
    assert (
        plan.preview.levels["gemeente"]
        == real["gemeente"].nunique() - real["gemeente"].isin(["99991", "99992", "99993", "99999"]).any()
    )
    plan.apply(store)
    zenvallei_codes = sorted(real.loc[real["elz"] == "elz53", "statsec2024"])
    assert store.sectors_within("elz", ["elz53"]) == zenvallei_codes
    assert len(zenvallei_codes) == 154  # PROVENANCE: all 154 Zennevallei 2024 codes, elz53
    # The municipality comes from the table, not from the code: ex-Borsbeek 11007… lies in Antwerpen.
    moved = real[real["statsec2024"].str[:5] != real["gemeente"]].iloc[0]
    assert store.parent_of("statsec", moved["statsec2024"], "gemeente") == moved["gemeente"]
    assert store.parent_of("gemeente", "23003", "elz") == "elz53"
    assert store.find_area("23003", "gemeente")["name"].iloc[0] == "Beersel"
    assert store.sector_vintage() == "2024"


def test_sector_polygons_merge_into_the_table_and_keep_its_names(zone_store, zenvallei):
    areas = zone_store._query_df(
        "SELECT code, name, area_ha, geom_lambert FROM areas WHERE level = 'statsec' AND code IN (SELECT unnest(?))",
        [list(zenvallei["sectorId"])],
    )
    assert len(areas) == 154 and areas["geom_lambert"].notna().all()
    # The polygons' capitals ("BEERSEL-KERN") never replace the table's name.
    assert areas.set_index("code").loc["23003A001", "name"] == "Beersel-Kern"
    expected_ha = zenvallei.to_crs(31370).area.sum() / 10_000
    assert areas["area_ha"].sum() == pytest.approx(expected_ha, rel=1e-6)
    assert expected_ha == pytest.approx(18_142, rel=1e-3)  # PROVENANCE: 181,42 km²
    zone = zone_store._query_df("SELECT area_ha, geom_lambert FROM areas WHERE level = 'elz' AND code = 'elz53'")
    assert zone["area_ha"].iloc[0] == pytest.approx(18_141, rel=1e-3)  # PROVENANCE: 181,41 km²
    inside = shapely.from_wkb(bytes(zone["geom_lambert"].iloc[0]))
    sectors = shapely.from_wkb([bytes(g) for g in areas["geom_lambert"]])
    share = shapely.area(shapely.intersection(sectors, inside)).sum() / shapely.area(sectors).sum()
    assert share > 0.999  # PROVENANCE: 99,95 % of the sector area lies inside elz53
    assert zone_store.find_area("elz53", "elz")["name"].iloc[0] == "Zennevallei"  # not replaced by the code


def test_reimporting_the_same_files_replaces_and_never_duplicates(zone_store, sectors_2024, zenvallei):
    before = (
        zone_store.level_counts().sort_values("level").to_csv(index=False),
        zone_store._scalar("SELECT count(*) FROM area_parents"),
        len(zone_store.datasets()),
    )
    plan_sector_table(sectors_2024, "2024", ["statsec2024_als_basis.xlsx"], zone_store).apply(zone_store)
    plan_sector_geometry(zenvallei, ["sectors.geojson"], zone_store).apply(zone_store)
    after = (
        zone_store.level_counts().sort_values("level").to_csv(index=False),
        zone_store._scalar("SELECT count(*) FROM area_parents"),
        len(zone_store.datasets()),
    )
    assert after == before


def test_the_2025_table_is_refused_in_a_2024_store_and_changes_nothing(zone_store, realdata):
    new = pd.read_excel(realdata / "pinc_gebiedsniveaus/statsec_als_basis.xlsx", dtype=object, engine="calamine")
    assert recognise_table(new) == "sectors-2025"
    before = _snapshot(zone_store)
    with pytest.raises(ImportProblem, match="indeling 2025, de databank de indeling 2024"):
        plan_sector_table(new, "2025", ["statsec_als_basis.xlsx"], zone_store)
    assert _snapshot(zone_store) == before


def test_municipality_zones_table(store, realdata):
    table = pd.read_excel(realdata / "pinc_gebiedsniveaus/gemeente_elz.xls", dtype=object, engine="calamine")
    assert recognise_table(table) == "gemeente-elz"
    plan = plan_municipality_zones(table, ["gemeente_elz.xls"], store)
    plan.apply(store)
    assert store.parent_of("gemeente", "11001", "elz") == "elz43"
    assert store.find_area("elz43", "elz")["name"].iloc[0] == "RupeLaar"
    real = table[~table["elz"].astype(str).str.fullmatch(r"elz9\d")]
    assert len(store.areas("gemeente")) == real["gemeente"].nunique()


def test_the_split_codes_of_2025_are_recognised_and_older_ones_are_not(realdata, sectors_2024):
    new = pd.read_excel(realdata / "pinc_gebiedsniveaus/statsec_als_basis.xlsx", dtype=str, engine="calamine")
    assert is_split_code(new["statsec"]).sum() > 3000
    assert not is_split_code(sectors_2024["statsec2024"].astype(str)).any()
    assert detect_vintage(new["statsec"], ["x.geojson"], "cd_sector")[0] == "2025"
    assert (
        detect_vintage(pd.Series(["23003A001"]), ["sh_statbel_statistical_sectors_3812_20240101.geojson"], "cd_sector")[
            0
        ]
        == "2024"
    )
    assert detect_vintage(pd.Series(["23003A001"]), ["x.shp"], "CS01012025")[0] == "2025"
    assert detect_vintage(pd.Series(["23003A001"]), ["x.geojson"], "cd_sector")[0] is None


def _statbel_like(zenvallei: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The Zennevallei polygons in Statbel's GeoJSON layout (lower-case names, Lambert 2008)."""
    frame = zenvallei.to_crs(3812)
    municipalities = {
        "Beersel": "23003",
        "Halle": "23027",
        "Pepingen": "23064",
        "Sint-Pieters-Leeuw": "23077",
        "Drogenbos": "23098",
        "Linkebeek": "23100",
        "Sint-Genesius-Rode": "23101",
    }
    return gpd.GeoDataFrame(
        {
            "cd_sector": frame["sectorId"],
            "tx_sector_descr_nl": frame["sectorName"],
            "cd_sub_munty": frame["sectorId"].str[:6],
            "cd_munty_refnis": frame["municipality"].map(municipalities),
            "tx_munty_descr_nl": frame["municipality"],
            "cd_prov_refnis": "20001",
            "tx_prov_descr_nl": "Provincie Vlaams-Brabant",
            "cd_rgn_refnis": "02000",
            "tx_rgn_descr_nl": "Vlaams Gewest",
        },
        geometry=frame.geometry,
        crs=3812,
    )


def test_a_statbel_layout_file_brings_its_own_municipalities(store, zenvallei):
    statbel = _statbel_like(zenvallei)
    plan = plan_sector_geometry(statbel, ["sh_statbel_statistical_sectors_3812_20240101.geojson"], store)
    assert plan.preview.crs == "EPSG:3812 (Lambert 2008)" and plan.sector_vintage == "2024"
    plan.apply(store)
    assert len(store.sectors_within("gemeente", ["23003"])) == int((zenvallei["municipality"] == "Beersel").sum())
    assert store.parent_of("statsec", "23003A001", "gewest") == "2000"  # Statbel's 02000
    beersel = store._query_df("SELECT area_ha FROM areas WHERE level = 'gemeente' AND code = '23003'")
    expected = zenvallei[zenvallei["municipality"] == "Beersel"].to_crs(31370).area.sum() / 10_000
    assert beersel["area_ha"].iloc[0] == pytest.approx(expected, rel=1e-4)  # the union of its sectors


@pytest.mark.parametrize(
    "breakage, message",
    [
        (lambda g: pd.concat([g, g.iloc[[0]]]), "meer dan één keer"),
        (lambda g: g.assign(geometry=[None] + list(g.geometry[1:])), "geen vorm"),
        (lambda g: g.set_crs(None, allow_override=True), "onbekend"),
        (lambda g: g.set_crs(31370, allow_override=True), "niet in België"),
        (lambda g: g.assign(geometry=g.geometry.representative_point()), "punten of lijnen"),
        (lambda g: g.assign(sectorId="abc", id="abc"), "geen kolom met codes"),
        (lambda g: g.iloc[0:0], "geen enkele sector"),
    ],
)
def test_broken_sector_files_give_one_dutch_sentence_and_change_nothing(zone_store, zenvallei, breakage, message):
    before = _snapshot(zone_store)
    with pytest.raises(ImportProblem, match=message):
        plan_sector_geometry(gpd.GeoDataFrame(breakage(zenvallei.copy())), ["sectors.geojson"], zone_store)
    assert _snapshot(zone_store) == before


def test_a_self_intersecting_polygon_is_repaired_and_said(store, zenvallei):
    frame = zenvallei.copy()
    bow_tie = shapely.Polygon([(4.25, 50.75), (4.26, 50.76), (4.26, 50.75), (4.25, 50.76)])
    frame.loc[frame.index[0], "geometry"] = bow_tie
    plan = plan_sector_geometry(frame, ["sectors.geojson"], store)
    assert any("hersteld" in w for w in plan.preview.warnings)
    plan.apply(store)
    geom = shapely.from_wkb(
        bytes(
            store._query_df("SELECT geom_lambert FROM areas WHERE code = ?", [frame.iloc[0]["sectorId"]])[
                "geom_lambert"
            ].iloc[0]
        )
    )
    assert geom.is_valid and geom.area > 0
