"""The Antwerp split (issue #6, dataformats.md §4.1): elz2 "Antwerpen en rand" in 4 care zones, per sector.

Real public files from ../shared/realdata (read there, never copied): the 2025 PinC sector table
``statsec_als_basis.xlsx`` (cut down here to the municipalities of elz2 and two neighbouring zones),
the split ``statsec_elzantw.xlsx`` and the outlines ``elzantw.shp``.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from tests.importers.conftest import open_copy
from zorgzaam.comparisons import references
from zorgzaam.importers import SourceFile, plan_sources
from zorgzaam.importers.area_tables import (
    plan_antwerp_zones,
    plan_municipality_zones,
    plan_sector_table,
    recognise_table,
    split_zone_code,
)
from zorgzaam.importers.errors import ImportProblem
from zorgzaam.store import Store, close_all

GEB = "pinc_gebiedsniveaus"
SPLIT_FILE = f"{GEB}/statsec_elzantw.xlsx"
ZONES = ["elzantw1", "elzantw2", "elzantw3", "elzantw4"]
SHP_PARTS = ("shp", "shx", "dbf", "prj", "cpg")


@pytest.fixture(scope="module")
def basis_2025(realdata) -> pd.DataFrame:
    """The 2025 sector table, cut down to the municipalities of elz2, elz43 (RupeLaar) and elz55 (ZORA)."""
    full = pd.read_excel(realdata / f"{GEB}/statsec_als_basis.xlsx", dtype=object, engine="calamine")
    municipalities = set(full.loc[full["elz"].isin(["elz2", "elz43", "elz55"]), "gemeente"])
    return full[full["gemeente"].isin(municipalities)].reset_index(drop=True)


@pytest.fixture(scope="module")
def split_table(realdata) -> pd.DataFrame:
    """The split file as its own reader sees it (independent of the importer)."""
    return pd.read_excel(realdata / SPLIT_FILE, dtype=str, engine="calamine")


@pytest.fixture(scope="module")
def unsplit_file(tmp_path_factory, basis_2025) -> Path:
    """A store with the 2025 table *without* its ELZantw columns: every Antwerp sector still in elz2."""
    path = tmp_path_factory.mktemp("antw") / "unsplit.duckdb"
    store = Store.open(path)
    plain = basis_2025.drop(columns=["ELZantw", "Elzantw_naam"])
    plan_sector_table(plain, "2025", ["statsec_als_basis.xlsx"], store).apply(store)
    close_all()
    return path


@pytest.fixture(scope="module")
def split_file(tmp_path_factory, unsplit_file, realdata) -> Path:
    """The unsplit store after importing statsec_elzantw.xlsx through plan_sources."""
    path = tmp_path_factory.mktemp("antw") / "split.duckdb"
    path.write_bytes(unsplit_file.read_bytes())
    store = Store.open(path)
    (plan,) = plan_sources([SourceFile.from_path(realdata / SPLIT_FILE)], store)
    plan.apply(store)
    close_all()
    return path


@pytest.fixture
def unsplit(unsplit_file, tmp_path):
    yield from open_copy(unsplit_file, tmp_path)


@pytest.fixture
def split(split_file, tmp_path):
    yield from open_copy(split_file, tmp_path)


def _parents(store: Store) -> pd.DataFrame:
    return store._query_df("SELECT level, code, parent_level, parent_code FROM area_parents ORDER BY ALL")


def _snapshot(store: Store) -> tuple:
    return tuple(store._query_df(f"SELECT * FROM {t} ORDER BY ALL").to_csv() for t in ("areas", "area_parents", "meta"))


def test_the_split_file_is_recognised_and_its_preview_explains_antwerpen(unsplit, realdata, split_table):
    frame = pd.read_excel(realdata / SPLIT_FILE, dtype=object, engine="calamine")
    assert recognise_table(frame) == "antwerp-zones"
    (plan,) = plan_sources([SourceFile.from_path(realdata / SPLIT_FILE)], unsplit)
    assert plan.dataset_id == "gebiedsindeling-elzantw" and plan.sector_vintage == "2025"
    assert plan.preview.levels == {"elz": 4, "statsec": len(split_table)}
    assert plan.preview.matched == len(split_table) and plan.preview.unmatched == []
    text = "\n".join(plan.preview.lines())
    assert "Antwerpen ligt in 4 eerstelijnszones" in text
    assert "elke sector van Antwerpen wordt vergeleken met zijn eigen zone" in text
    assert "Wommelgem ligt helemaal in de eerstelijnszone Antwerpen Oost" in text
    assert "Schoten ligt helemaal in de eerstelijnszone Noord Antwerpen" in text
    # The two Scheldt sectors of Antwerpen are in no Antwerp zone: said, and they stay in elz2.
    assert "blijven in Antwerpen en rand" in text and "11002M0QA" in text


def test_each_listed_sector_lies_in_its_own_zone_as_the_file_says(split, unsplit_file, split_table):
    counts = split_table["ELZantw"].map(split_zone_code).value_counts()
    assert sorted(counts.index) == ZONES
    for zone in ZONES:
        assert len(split.sectors_within("elz", [zone])) == counts[zone]
    names = split_table.drop_duplicates("ELZantw").set_index(
        split_table["ELZantw"].drop_duplicates().map(split_zone_code)
    )["Name ELZantw"]
    for zone in ZONES:
        assert split.find_area(zone, "elz")["name"].iloc[0] == names[zone]
    first = split_table.iloc[0]
    assert split.parent_of("statsec", first["statsec"], "elz") == split_zone_code(first["ELZantw"])
    assert split.parent_of("statsec", "11002A00-", "elz") == "elzantw1"
    assert split.parent_of("statsec", "11007A00-", "elz") == "elzantw2"  # ex-Borsbeek, now Antwerpen
    # Replaced, never duplicated: one care zone per sector.
    assert (
        split._scalar(
            "SELECT count(*) FROM (SELECT code FROM area_parents WHERE level = 'statsec'"
            " AND parent_level = 'elz' GROUP BY code HAVING count(*) > 1)"
        )
        == 0
    )
    # Only the sectors the file does not list stay in elz2.
    before = Store.open(unsplit_file, read_only=True)
    in_elz2 = set(before.sectors_within("elz", ["elz2"]))
    assert set(split.sectors_within("elz", ["elz2"])) == in_elz2 - set(split_table["statsec"])
    assert sorted(in_elz2 - set(split_table["statsec"])) == ["11002M0QA", "11002M0RA"]
    for zone in ZONES:  # the zones lie in the province and region of their sectors
        assert split.parent_of("elz", zone, "provincie") == "10000"
        assert split.parent_of("elz", zone, "gewest") == "2000"


def test_municipalities_get_their_zone_or_none_when_split(split):
    assert split.parent_of("gemeente", "11002", "elz") is None  # Antwerpen: 4 zones (+ the Scheldt)
    assert split.parent_of("gemeente", "11040", "elz") == "elzantw4"  # Schoten
    assert split.parent_of("gemeente", "11044", "elz") == "elzantw4"  # Stabroek
    assert split.parent_of("gemeente", "11052", "elz") == "elzantw2"  # Wommelgem
    assert split.parent_of("gemeente", "11001", "elz") == "elz43"  # Aartselaar: untouched


def test_the_picker_finds_antwerpen_under_each_of_its_zones(split):
    east = split.areas("gemeente", within=("elz", "elzantw2"))
    assert dict(zip(east["code"], east["name"])) == {"11002": "Antwerpen", "11052": "Wommelgem"}
    north = split.areas("gemeente", within=("elz", "elzantw4"))
    assert set(north["code"]) == {"11002", "11040", "11044"}
    for zone in ("elzantw1", "elzantw3"):
        assert list(split.areas("gemeente", within=("elz", zone))["code"]) == ["11002"]
    assert "elzantw3" in set(split.areas("elz", within=("provincie", "10000"))["code"])


def test_the_picker_lists_normal_municipalities_exactly_as_before(split):
    for zone in ("elz43", "elz55"):
        direct = split._query_df(
            "SELECT code FROM area_parents WHERE level = 'gemeente' AND parent_level = 'elz'"
            " AND parent_code = ? ORDER BY code",
            [zone],
        )["code"].tolist()
        assert len(direct) > 3
        assert split.areas("gemeente", within=("elz", zone))["code"].tolist() == direct
    # Sectors of a municipality, and no zone found "inside" itself through its sectors.
    assert len(split.areas("statsec", within=("gemeente", "11001"))) == len(split.sectors_within("gemeente", ["11001"]))
    assert split.areas("elz", within=("elz", "elz43")).empty
    assert split.areas("gemeente", within=("elz", "elz999")).empty


def test_comparisons_use_each_sectors_own_zone(split):
    sector = references(split, "statsec", "11002A00-")
    assert [(r.level, r.code) for r in sector] == [("gemeente", "11002"), ("elz", "elzantw1"), ("gewest", "2000")]
    assert sector[1].label == "gemiddelde eerstelijnszone Antwerpen Centrum"
    assert [r.level for r in references(split, "gemeente", "11002")] == ["gewest"]  # no zone for all of Antwerpen
    assert [(r.level, r.code) for r in references(split, "gemeente", "11052")][0] == ("elz", "elzantw2")


def test_importing_the_split_twice_changes_nothing(split, realdata):
    before = (_snapshot(split), len(split.datasets()))
    (plan,) = plan_sources([SourceFile.from_path(realdata / SPLIT_FILE)], split)
    plan.apply(split)
    assert (_snapshot(split), len(split.datasets())) == before


def test_the_2025_table_carries_the_same_split_in_either_order(split, basis_2025, tmp_path, realdata):
    # The real table has the columns ELZantw | Elzantw_naam: importing it alone gives the same zones.
    alone = Store.open(tmp_path / "alone.duckdb")
    plan = plan_sector_table(basis_2025, "2025", ["statsec_als_basis.xlsx"], alone)
    assert plan.preview.levels["elz"] == basis_2025["elz"].nunique() + 4
    assert any("Antwerpen ligt in 4 eerstelijnszones" in n for n in plan.preview.notes)
    plan.apply(alone)
    pd.testing.assert_frame_equal(_parents(alone), _parents(split))
    # Re-importing the table after the split file keeps the split, and so does gemeente_elz.xls
    # (which still says elz2 for all four municipalities): a municipality's zone follows its sectors.
    before = _parents(split)
    plan_sector_table(basis_2025, "2025", ["statsec_als_basis.xlsx"], split).apply(split)
    zones = pd.read_excel(realdata / f"{GEB}/gemeente_elz.xls", dtype=object, engine="calamine")
    plan_municipality_zones(zones, ["gemeente_elz.xls"], split).apply(split)
    after = _parents(split)
    kept = after.merge(before[["level", "code"]].drop_duplicates())  # gemeente_elz.xls adds all of Flanders
    pd.testing.assert_frame_equal(kept, before)
    assert split.parent_of("gemeente", "11002", "elz") is None
    assert split.parent_of("gemeente", "11040", "elz") == "elzantw4"


def test_the_split_file_is_refused_in_a_2024_store(tmp_path, realdata):
    store = Store.open(tmp_path / "old.duckdb")
    store.import_dataset("x", title="x", source="x", sector_vintage="2024")
    before = _snapshot(store)
    frame = pd.read_excel(realdata / SPLIT_FILE, dtype=object, engine="calamine")
    with pytest.raises(ImportProblem, match="indeling 2025, de databank de indeling 2024"):
        plan_antwerp_zones(frame, ["statsec_elzantw.xlsx"], store)
    assert _snapshot(store) == before
    close_all()


def test_the_outlines_of_the_four_zones(split, realdata):
    shapes = gpd.read_file(realdata / f"{GEB}/elzantw.shp")
    inside = shapes[shapes["ELZantw"] != "#LEEG!"]
    assert len(shapes) == 5 and len(inside) == 4
    (plan,) = plan_sources([SourceFile.from_path(realdata / f"{GEB}/elzantw.{e}") for e in SHP_PARTS], split)
    assert plan.dataset_id == "gebiedsindeling-vormen-elzantw" and plan.preview.levels == {"elz": 4}
    assert any("#LEEG!" in n for n in plan.preview.notes)
    plan.apply(split)
    stored = split._query_df(
        "SELECT code, name, area_ha FROM areas WHERE level = 'elz' AND code LIKE 'elzantw%' ORDER BY code"
    )
    assert stored["code"].tolist() == ZONES
    assert stored["name"].tolist() == ["Antwerpen Centrum", "Antwerpen Oost", "Antwerpen Zuid", "Noord Antwerpen"]
    expected = inside.set_index(inside["ELZantw"].map(split_zone_code)).to_crs(31370).area / 10_000
    for code, ha in zip(stored["code"], stored["area_ha"]):
        assert ha == pytest.approx(expected[code], rel=1e-6)
    assert not split.geometries("elz", ZONES).empty


def test_a_municipalitys_zone_follows_its_sectors_without_real_files(tmp_path):
    """The store rule on its own (no ../shared needed): a sector's zone wins, the municipality follows."""
    store = Store.open(tmp_path / "tiny.duckdb")
    areas = pd.DataFrame(
        {
            "level": ["statsec"] * 4 + ["gemeente"] * 3 + ["elz"] * 4,
            "code": ["S1", "S2", "S3", "S4", "G1", "G2", "G3", "A", "B", "Z1", "Z2"],
            "name": ["s1", "s2", "s3", "s4", "Groot", "Klein", "Ander", "Oud", "Buur", "Een", "Twee"],
        }
    )
    links = [
        ("statsec", "S1", "gemeente", "G1"),
        ("statsec", "S2", "gemeente", "G1"),
        ("statsec", "S3", "gemeente", "G2"),
        ("statsec", "S4", "gemeente", "G3"),
        ("gemeente", "G1", "elz", "A"),
        ("gemeente", "G2", "elz", "A"),
        ("gemeente", "G3", "elz", "B"),
    ]
    parents = pd.DataFrame(links, columns=["level", "code", "parent_level", "parent_code"])
    store.import_dataset("tabel", title="t", source="t", areas=areas, area_parents=parents)
    assert store.parent_of("statsec", "S1", "elz") == "A"  # derived from the municipality
    split = pd.DataFrame(
        [("statsec", "S1", "elz", "Z1"), ("statsec", "S2", "elz", "Z2"), ("statsec", "S3", "elz", "Z1")],
        columns=["level", "code", "parent_level", "parent_code"],
    )
    for _ in range(2):  # twice: the same result
        store.import_dataset("split", title="s", source="s", area_parents=split)
        assert store.parent_of("statsec", "S1", "elz") == "Z1"  # replaced, not added
        assert store._scalar("SELECT count(*) FROM area_parents WHERE level = 'statsec' AND parent_level = 'elz'") == 4
        assert store.parent_of("gemeente", "G1", "elz") is None  # in two zones
        assert store.parent_of("gemeente", "G2", "elz") == "Z1"  # wholly in one
        assert store.parent_of("gemeente", "G3", "elz") == "B"  # untouched
        assert store.areas("gemeente", within=("elz", "Z1"))["code"].tolist() == ["G1", "G2"]
        assert store.areas("gemeente", within=("elz", "Z2"))["code"].tolist() == ["G1"]
        assert store.areas("gemeente", within=("elz", "A")).empty
        assert store.areas("gemeente", within=("elz", "B"))["code"].tolist() == ["G3"]
        assert [r.code for r in references(store, "statsec", "S2")] == ["G1", "Z2"]
        assert [r.level for r in references(store, "gemeente", "G1")] == []
    close_all()
