"""The remaining real public files, imported as a user would (``plan_sources`` → ``ImportPlan.apply``).

Each file is also read here on its own with pandas/GeoPandas, and the store is checked against it:
PinC ``gemeente_elz.xlsx``, ``elz.xlsx`` and ``statsec.xlsx`` (name lists), the outlines ``elz.shp`` and
``elzantw.shp``, the Fluvius upload ``upload_elektriciteit_verbruik.xlsx`` and PinC's upload templates
``000_voorbeeld_upload.xlsx``. Files are read in ../shared/realdata, never copied.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

from zorgzaam.importers import SourceFile, plan_sources
from zorgzaam.importers.errors import ImportProblem
from zorgzaam.importers.figures import recognise
from zorgzaam.store import Store, close_all

GEB = "pinc_gebiedsniveaus"
UPLOADS = "pinc_uploads"
SHP_PARTS = ("shp", "shx", "dbf", "prj", "cpg")
TECHNICAL_ZONES = {"elz91", "elz92", "elz93", "elz99"}
UNKNOWN_MUNICIPALITIES = {"99991", "99992", "99993", "99999"}


@pytest.fixture
def store(tmp_path):
    yield Store.open(tmp_path / "more.duckdb")
    close_all()


def _plans(realdata, store: Store, *names: str):
    return plan_sources([SourceFile.from_path(realdata / n) for n in names], store)


def _shapefile(realdata, store: Store, stem: str):
    return _plans(realdata, store, *(f"{GEB}/{stem}.{e}" for e in SHP_PARTS))


def _read(realdata, name: str) -> pd.DataFrame:
    return pd.read_excel(realdata / name, dtype=str, engine="calamine")


def test_gemeente_elz_xlsx_gives_every_municipality_its_zone(store, realdata):
    table = _read(realdata, f"{GEB}/gemeente_elz.xlsx")
    assert len(table) == 308 and list(table.columns) == ["gemeente", "elz"]
    (plan,) = _plans(realdata, store, f"{GEB}/gemeente_elz.xlsx")
    assert plan.dataset_id == "gebiedsindeling-gemeente-elz"
    plan.apply(store)
    real = table[~table["gemeente"].isin(UNKNOWN_MUNICIPALITIES) & ~table["elz"].isin(TECHNICAL_ZONES)]
    assert len(real) == 304
    stored = store.parents("gemeente").set_index("code")["elz"]
    pd.testing.assert_series_equal(
        stored.sort_index(), real.set_index("gemeente")["elz"].sort_index(), check_names=False
    )
    assert set(store.areas("elz")["code"]) == set(real["elz"])
    assert len(store.areas("gemeente", within=("elz", "elz53"))) == int((real["elz"] == "elz53").sum()) == 7


def test_elz_xlsx_names_the_zones_in_either_order(store, realdata):
    names = _read(realdata, f"{GEB}/elz.xlsx")
    assert len(names) == 61
    (plan,) = _plans(realdata, store, f"{GEB}/elz.xlsx")
    assert plan.dataset_id == "gebiedsindeling-namen-elz" and plan.preview.levels == {"elz": 57}
    plan.apply(store)
    real = names[~names["geoitem code"].isin(TECHNICAL_ZONES)]
    stored = store.areas("elz").set_index("code")["name"]
    pd.testing.assert_series_equal(
        stored.sort_index(), real.set_index("geoitem code")["short name"].sort_index(), check_names=False
    )
    assert stored["elz53"] == "Zennevallei"
    # The codes-only gemeente_elz.xlsx afterwards never replaces a name by its code.
    _plans(realdata, store, f"{GEB}/gemeente_elz.xlsx")[0].apply(store)
    assert store.find_area("elz53", "elz")["name"].iloc[0] == "Zennevallei"
    assert store.parent_of("gemeente", "23003", "elz") == "elz53"


def test_statsec_xlsx_names_the_2025_sectors(store, realdata):
    names = _read(realdata, f"{GEB}/statsec.xlsx")
    assert len(names) == 10902
    (plan,) = _plans(realdata, store, f"{GEB}/statsec.xlsx")
    real = names[~names["geoitem code"].str.endswith("ZZZZ")]
    assert plan.dataset_id == "gebiedsindeling-namen-statsec" and plan.sector_vintage == "2025"
    assert plan.preview.levels == {"statsec": len(real)}
    plan.apply(store)
    assert store.sector_vintage() == "2025"
    stored = store.areas("statsec").set_index("code")["name"]
    assert len(stored) == len(real)
    assert stored["35006B042"] == "'s Gravendries"  # the short name, not "'s Gravendries (35006B042)"
    sample = real.sample(50, random_state=1)
    assert stored[sample["geoitem code"]].tolist() == sample["short name"].tolist()


def test_statsec_xlsx_is_refused_in_a_2024_store(store, realdata):
    store.import_dataset("x", title="x", source="x", sector_vintage="2024")
    with pytest.raises(ImportProblem, match="indeling 2025, de databank de indeling 2024"):
        _plans(realdata, store, f"{GEB}/statsec.xlsx")
    assert store.areas("statsec").empty


def test_elz_shp_gives_57_outlines_and_keeps_the_names(store, realdata):
    shapes = gpd.read_file(realdata / f"{GEB}/elz.shp")
    assert len(shapes) == 57
    _plans(realdata, store, f"{GEB}/elz.xlsx")[0].apply(store)
    (plan,) = _shapefile(realdata, store, "elz")
    assert plan.dataset_id == "gebiedsindeling-vormen-elz" and plan.preview.levels == {"elz": 57}
    assert plan.preview.crs == "EPSG:31370 (Lambert 72)" and plan.preview.matched == 57
    plan.apply(store)
    stored = store._query_df("SELECT code, name, area_ha FROM areas WHERE level = 'elz'").set_index("code")
    assert len(stored) == 57 and stored.loc["elz53", "name"] == "Zennevallei"
    expected = shapes.set_index("elz").area / 10_000
    for code in ("elz2", "elz53", "elz7"):
        assert stored.loc[code, "area_ha"] == pytest.approx(expected[code], rel=1e-6)
    assert stored["area_ha"].sum() == pytest.approx(expected.sum(), rel=1e-6)


def test_elzantw_shp_gives_the_four_antwerp_zones_beside_elz2(store, realdata):
    shapes = gpd.read_file(realdata / f"{GEB}/elzantw.shp")
    inside = shapes[shapes["ELZantw"] != "#LEEG!"]
    assert len(shapes) == 5 and sorted(inside["ELZantw"]) == ["1", "2", "3", "4"]
    _shapefile(realdata, store, "elz")[0].apply(store)
    (plan,) = _shapefile(realdata, store, "elzantw")
    assert plan.dataset_id == "gebiedsindeling-vormen-elzantw" and plan.preview.levels == {"elz": 4}
    plan.apply(store)
    stored = store._query_df(
        "SELECT code, area_ha FROM areas WHERE level = 'elz' AND code LIKE 'elzantw%' ORDER BY code"
    )
    assert stored["code"].tolist() == ["elzantw1", "elzantw2", "elzantw3", "elzantw4"]
    assert stored["area_ha"].sum() == pytest.approx(inside.area.sum() / 10_000, rel=1e-6)
    # Both layers stay: the outlines of elz2 are not replaced, and each file is its own dataset.
    assert len(store.areas("elz")) == 57 + 4
    assert {"gebiedsindeling-vormen-elz", "gebiedsindeling-vormen-elzantw"} <= set(store.datasets()["dataset_id"])


def test_the_fluvius_upload_lists_its_unmapped_columns_and_writes_none(store, realdata):
    name = f"{UPLOADS}/upload_elektriciteit_verbruik.xlsx"
    table = _read(realdata, name)
    assert len(table) == 40932 and set(table["geolevel"]) == {"statsec2019"}
    variables = [c for c in table.columns if c.startswith("v2506_")]
    assert len(variables) == 9
    (plan,) = _plans(realdata, store, name)
    assert plan.unmapped_columns == variables
    assert plan.observations is None and not plan.writes_something
    assert plan.preview.rows == len(table)
    assert plan.preview.periods == sorted(table["period"].str.split(".").str[0].unique())
    assert plan.sector_vintage == "2024"  # statsec2019: the 2020-2024 division
    assert any("nog niet gekoppeld" in w for w in plan.preview.warnings)
    plan.apply(store)
    assert store._scalar("SELECT count(*) FROM observations") == 0


def test_the_upload_templates_write_nothing_and_the_example_is_per_gemeente(store, realdata):
    name = f"{UPLOADS}/000_voorbeeld_upload.xlsx"
    sheets = pd.read_excel(realdata / name, sheet_name=None, dtype=str, engine="calamine")
    assert len(sheets) == 5
    templates = {s: f for s, f in sheets.items() if s != "voorbeeld_UPLOAD_onderwijs"}
    for sheet, frame in templates.items():
        empty = [c for c in frame.columns if c.startswith("naam_onderwerp")]
        assert len(empty) == 7 and frame[empty].isna().all().all(), sheet
        assert recognise(frame) is None  # an empty template is no figures table
    example = sheets["voorbeeld_UPLOAD_onderwijs"]
    assert set(example["geolevel"]) == {"gemeente2024"}
    (plan,) = _plans(realdata, store, name)  # only the example sheet: the templates give no plan
    assert plan.file_name.endswith("[voorbeeld_UPLOAD_onderwijs]")
    assert plan.preview.description.startswith("Cijfers per gemeente")
    assert plan.unmapped_columns == ["v2302_GKO_V", "v2301_BKO_V", "v2301_GLO_V"]
    assert not plan.writes_something and plan.sector_vintage is None
    assert plan.preview.rows == len(example)
    assert plan.preview.periods == sorted(example["period"].unique())
    plan.apply(store)
    assert store._scalar("SELECT count(*) FROM observations") == 0
