"""Real files, honest counts and sources: the Zennevallei sectors and population, the real AFMPS and
OpenStreetMap pharmacy lists and a Fluvius file in the Provincies in Cijfers upload layout.

Both pharmacy lists hold most pharmacies; access counts a place once (``access.without_duplicate_amenities``: of
two amenities of one category from different imports less than ``DUPLICATE_RADIUS_M`` apart, the one of the
dataset listed first by id is kept). Every other count (Wat is er? table, meeting step, profile) must agree.
Each caption names only the datasets of what it shows, by their own name and file (zorgzaam.sources).
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from scipy.spatial import cKDTree

from tests.importers.conftest import open_copy
from zorgzaam.access import DUPLICATE_RADIUS_M
from zorgzaam.importers import amenities, plan_dataset
from zorgzaam.importers.figures import ColumnTarget, plan_figures, remember_mapping
from zorgzaam.importers.files import SourceFile, collect, read_json, read_workbook
from zorgzaam.importers.sectors import plan_sector_geometry
from zorgzaam.store import Store, close_all

ELEK = "pinc_uploads/upload_elektriciteit_verbruik.xlsx"
ELEK_COLUMN = "v2506_elek_res_n"
HALLE = "23027"
HALLE_CENTRUM = "23027A00-"  # sectorName HALLE-CENTRUM in zenvallei/sectors.geojson


@pytest.fixture(scope="module")
def pharmacies_file(tmp_path_factory, zone_file, realdata):
    """The 2024 area table, the Zennevallei sectors and their population, and both real pharmacy lists."""
    import shutil

    path = tmp_path_factory.mktemp("pharmacies") / "ph.duckdb"
    shutil.copy(zone_file, path)
    store = Store.open(path)
    plan_sector_geometry(gpd.read_file(realdata / "zenvallei/sectors.geojson"), ["sectors.geojson"], store).apply(store)
    population = pd.read_csv(realdata / "zenvallei/population_2025_sectors_transcribed.csv", dtype=str)
    text = "CD_REFNIS|CD_SECTOR|TOTAL|TX_DESCR_NL\n" + "".join(
        f"{s[:5]}|{s}|{p}|x\n" for s, p in zip(population["sector_id"], population["population_2025"])
    )
    (dataset,) = collect([SourceFile.from_bytes("OPENDATA_SECTOREN_2025_OLD.txt", text.encode())])
    for plan in plan_dataset(dataset, store):
        plan.apply(store)
    (afmps,) = read_workbook(SourceFile.from_path(realdata / "pharmacies_be/Lst_Pharmacies_pub_Extended.xlsx")).values()
    amenities.plan_points(afmps, ["Lst_Pharmacies_pub_Extended.xlsx"], store).apply(store)
    osm = read_json(SourceFile.from_path(realdata / "pharmacies_be/last-pharmacies_osm.json"))
    amenities.plan_json(osm, ["last-pharmacies_osm.json"], store).apply(store)
    # A werkgroep's own Fluvius file in PinC's upload layout (period | geolevel | geoitem | …), one column mapped.
    elek = pd.read_excel(realdata / ELEK, dtype=object, engine="calamine")
    mapping = {ELEK_COLUMN: ColumnTarget.extra("Elektriciteitsaansluitingen", "aansluitingen")}
    remember_mapping(store, mapping)  # as the Gegevens page does: the extra indicator joins the catalogue
    plan_figures(elek, ["upload_elektriciteit_verbruik.xlsx"], store, mapping=mapping).apply(store)
    close_all()
    return path


@pytest.fixture
def store(pharmacies_file, tmp_path):
    yield from open_copy(pharmacies_file, tmp_path)


def _sectors(store: Store) -> gpd.GeoDataFrame:
    raw = store.geometries("statsec", store.sectors_within("gemeente", [HALLE]), display=False)
    return gpd.GeoDataFrame(
        {"code": raw["code"]}, geometry=list(shapely.from_wkb([bytes(g) for g in raw["geometry"]])), crs=31370
    )


def _expected(store: Store, sectors: gpd.GeoDataFrame) -> tuple[pd.Series, pd.Series]:
    """Independently: distinct pharmacies per sector, and the sum of both lists' points per sector.

    With two lists the rule of access.py comes to: every point of the list first by dataset id, plus the points
    of the other list with no point of the first within DUPLICATE_RADIUS_M.
    """
    rows = store._query_df(
        "SELECT dataset_id, geom_lambert FROM features WHERE layer = 'voorziening' AND category = 'apotheek'"
    )
    geoms = shapely.from_wkb([bytes(g) for g in rows["geom_lambert"]])
    xy = np.column_stack([shapely.get_x(geoms), shapely.get_y(geoms)])
    first = rows["dataset_id"].min()
    is_first = (rows["dataset_id"] == first).to_numpy()
    assert rows["dataset_id"].nunique() == 2
    nearest, _ = cKDTree(xy[is_first]).query(xy[~is_first], k=1)
    keep = is_first.copy()
    keep[~is_first] = nearest > DUPLICATE_RADIUS_M
    pts = gpd.GeoDataFrame({"keep": keep}, geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=31370)
    hits = gpd.sjoin(pts, sectors, predicate="within")
    codes = list(sectors["code"])
    distinct = hits[hits["keep"]].groupby("code").size().reindex(codes, fill_value=0)
    both = hits.groupby("code").size().reindex(codes, fill_value=0)
    return distinct, both


def test_every_amenity_count_counts_a_pharmacy_in_both_lists_once(store):
    from zorgzaam.reports import meeting_maps
    from zorgzaam.environment import amenities_in_sectors, amenity_counts
    from zorgzaam.reports.profile import build_profiles
    from zorgzaam.ui.spatial_data import _cached_view_layers
    from zorgzaam.ui.wat_sections import sector_table

    sectors = _sectors(store)
    distinct, both = _expected(store, sectors)
    assert HALLE_CENTRUM in set(sectors["code"])
    # The lists overlap in Halle-Centrum (otherwise this test would prove nothing) ...
    assert both[HALLE_CENTRUM] > distinct[HALLE_CENTRUM] > 0
    codes = list(sectors["code"])

    # ... the one domain function counts each place once, in every sector of Halle,
    points = amenities_in_sectors(store, sectors[["code", "geometry"]])
    counts = amenity_counts(points, points["statsec"], codes)["apotheek"]
    assert counts.to_dict() == distinct.to_dict()

    # the Wat is er? table,
    layers = _cached_view_layers(store, "test", "gemeente", HALLE)
    names = pd.Series(codes, index=codes)
    table = sector_table(layers, names).set_index("Code")
    assert table["Alle voorzieningen in de sector"].to_dict() == distinct.to_dict()
    assert table["Basisvoorzieningen in de sector"].to_dict() == distinct.to_dict()

    # the meeting step,
    _png, step = meeting_maps.amenities_map(store, HALLE, [HALLE_CENTRUM, codes[-1]], source="test")
    assert step.loc[HALLE_CENTRUM, "apotheek"] == distinct[HALLE_CENTRUM]
    assert step.loc[codes[-1], "apotheek"] == distinct[codes[-1]]

    # and the profile.
    doc = build_profiles(store, sector_codes=[HALLE_CENTRUM], with_maps=False)
    assert dict(doc.sections[0].amenities) == {"apotheek": distinct[HALLE_CENTRUM]}


# --- sources ----------------------------------------------------------------------------------------


def test_a_caption_names_only_the_datasets_of_what_the_view_shows(store):
    from zorgzaam import meeting_content
    from zorgzaam.sources import source_text

    population = source_text(store, ["pop_total"], period="2025")
    assert population == "Statbel (OPENDATA_SECTOREN_2025_OLD.txt), 2025"
    step = meeting_content.step_source(store, "wie", ["pop_total"], "2025")
    for text in (population, step):
        assert "AFMPS" not in text and "OpenStreetMap" not in text and "upload_elektriciteit" not in text
    assert "sectors.geojson" in step  # the step's map draws the sectors
    for text in (source_text(store, layers=["voorzieningen"]), meeting_content.step_source(store, "wat")):
        assert "FAGG/AFMPS" in text and "Lst_Pharmacies_pub_Extended.xlsx" in text
        assert "OpenStreetMap" in text and "last-pharmacies_osm.json" in text
        assert "Statbel" not in text
    # Only the amenities chosen: no pharmacy list when the view shows bakers only.
    assert source_text(store, layers=["voorzieningen"], categories=["bakker"]) == "onbekend"


def test_an_own_file_in_the_pinc_upload_layout_is_named_by_its_file_with_its_own_period(store, realdata):
    from zorgzaam.sources import all_sources, source_text

    text = source_text(store, ["eigen_elektriciteitsaansluitingen"], period="2025")
    # The file holds 2018–2021: a view of 2025 shows its latest year up to 2025.
    periods = sorted(
        str(p) for p in pd.read_excel(realdata / ELEK, dtype=object, engine="calamine")["period"].dropna().unique()
    )
    assert text == f"eigen bestand upload_elektriciteit_verbruik.xlsx, {periods[-1]}"
    assert "Provincies in Cijfers" not in text
    assert source_text(store, ["eigen_elektriciteitsaansluitingen"]) == (
        f"eigen bestand upload_elektriciteit_verbruik.xlsx, {periods[0]}–{periods[-1]}"
    )
    # The area table does come from Provincies in Cijfers, and says so.
    assert "Provincies in Cijfers (statsec2024_als_basis.xlsx), 2024" in all_sources(store)


def test_no_nan_for_a_dataset_without_a_period(store):
    from zorgzaam.reports.profile import build_profiles
    from zorgzaam.sources import all_sources, dataset_rows, source_text

    assert store.datasets().set_index("dataset_id")["period_label"].isna().sum() >= 2  # the pharmacy lists
    doc = build_profiles(store, sector_codes=[HALLE_CENTRUM], with_maps=False)
    texts = [
        *all_sources(store),
        *dataset_rows(store),
        source_text(store, layers=["voorzieningen"]),
        doc.source_line,
        *doc.sources,
    ]
    assert not [t for t in texts if re.search(r"\bnan\b", t, flags=re.IGNORECASE)]
    assert "FAGG/AFMPS, lijst van de publieke apotheken (Lst_Pharmacies_pub_Extended.xlsx)" in all_sources(store)
