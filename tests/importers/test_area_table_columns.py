"""A PinC sector table (``statsec*_als_basis.xlsx``) without some of its columns: a missing name column costs only
the names (the areas are named by their code, a name the store knows stays), a missing code column is one Dutch
sentence naming it and nothing is written; never a traceback, on the CLI nor on the page's path (importers.run).

The tables are slices of the real public files in ../shared/realdata (read there, never copied into the repo).
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.importers.conftest import open_copy
from zorgzaam.cli import main
from zorgzaam.importers import ImportProblem, SourceFile
from zorgzaam.importers.area_tables import plan_sector_table, recognise_table
from zorgzaam.importers.files import collect
from zorgzaam.importers.run import plan_datasets
from zorgzaam.store import Store, close_all

NAME_COLUMNS_2024 = [
    "statsec2024_naam",
    "deelgemeente2024_naam",
    "gemeente_naam",
    "elz_naam",
    "provincie_naam",
    "gewest_naam",
]


@pytest.fixture(scope="module")
def zennevallei_2024(sectors_2024) -> pd.DataFrame:
    """The rows of the care zone Zennevallei (elz53) of the real 2024 table."""
    return sectors_2024[sectors_2024["elz"] == "elz53"].reset_index(drop=True)


@pytest.fixture
def store(tmp_path):
    yield Store.open(tmp_path / "own.duckdb")
    close_all()


@pytest.fixture
def zone_store(zone_file, tmp_path):
    """A fresh copy of the store with the whole real 2024 table (every Flemish sector, with its names)."""
    yield from open_copy(zone_file, tmp_path)


def _snapshot(store: Store) -> tuple:
    return tuple(
        store._query_df(f"SELECT * FROM {t} ORDER BY ALL").to_csv()
        for t in ("areas", "area_parents", "observations", "datasets", "meta")
    )


def _names(store: Store, level: str, codes: list[str]) -> dict[str, str]:
    return store.area_names(codes, (level,))


def _cli(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _planned(store: Store, tmp_path, name: str, frame: pd.DataFrame):
    """The page's path: the file collected and planned by importers.run; an unforeseen error fails the test
    (the page would show its generic 'onverwachte fout')."""
    data = frame.to_csv(sep=";", index=False).encode()
    datasets = collect([SourceFile.from_bytes(name, data)], workdir=tmp_path)

    def unexpected(dataset):
        pytest.fail(f"unforeseen error while planning {dataset.label}")

    return plan_datasets(datasets, store, unexpected=unexpected)


def test_a_sector_table_without_the_sector_names_is_imported_with_the_codes_as_names(
    tmp_path, capsys, zennevallei_2024
):
    path = tmp_path / "statsec2024_als_basis.xlsx"
    zennevallei_2024.drop(columns=["statsec2024_naam"]).to_excel(path, index=False)
    db = tmp_path / "own.duckdb"
    code, out, err = _cli(capsys, "--db", db, "import", path)
    assert code == 0 and "Traceback" not in err, err
    assert "Let op: In deze gebiedstabel ontbreekt de kolom statsec2024_naam: de statistische sectoren krijgen" in out
    store = Store.open(db)
    sectors = sorted(zennevallei_2024.loc[~zennevallei_2024["statsec2024"].str.endswith("ZZZZ"), "statsec2024"])
    assert store.sectors_within("elz", ["elz53"]) == sectors  # every membership is there
    assert _names(store, "statsec", sectors) == {c: c for c in sectors}
    assert store.find_area("23003", "gemeente")["name"].iloc[0] == "Beersel"  # the other names are read
    assert store.find_area("elz53", "elz")["name"].iloc[0] == "Zennevallei"
    close_all()


def test_a_table_without_any_name_column_keeps_the_names_the_store_knows(zone_store, zennevallei_2024):
    sectors = [c for c in zennevallei_2024["statsec2024"] if not c.endswith("ZZZZ")]
    before = _names(zone_store, "statsec", sectors)
    areas_before = len(zone_store.areas("statsec"))
    nameless = zennevallei_2024.drop(columns=NAME_COLUMNS_2024)
    plan = plan_sector_table(nameless, "2024", ["statsec2024_als_basis.xlsx"], zone_store)
    (warning,) = plan.preview.warnings
    assert warning.startswith(f"In deze gebiedstabel ontbreken de kolommen {', '.join(NAME_COLUMNS_2024)}: ")
    assert "provincies en gewesten krijgen hun code als naam" in warning
    plan.apply(zone_store)
    assert _names(zone_store, "statsec", sectors) == before and before["23003A001"] != "23003A001"
    assert zone_store.find_area("elz53", "elz")["name"].iloc[0] == "Zennevallei"
    assert len(zone_store.areas("statsec")) == areas_before


def test_a_2025_table_with_the_antwerp_split_and_no_names_is_planned(store, realdata):
    table = pd.read_excel(realdata / "pinc_gebiedsniveaus/statsec_als_basis.xlsx", dtype=str, engine="calamine")
    antwerp = table[table["elz"] == "elz2"]
    nameless = antwerp.drop(columns=[c for c in antwerp.columns if c.lower().endswith("_naam")])
    assert recognise_table(nameless) == "sectors-2025"
    plan = plan_sector_table(nameless, "2025", ["statsec_als_basis.xlsx"], store)
    assert "statsec_naam" in plan.preview.warnings[0]
    assert any("ligt in 4 eerstelijnszones (elzantw1, elzantw2, elzantw3, elzantw4)" in n for n in plan.preview.notes)
    plan.apply(store)
    assert store.find_area("11002", "gemeente")["name"].iloc[0] == "11002"


@pytest.mark.parametrize("column", ["provincie", "ggw72024", "deelgemeente2024"])
def test_a_table_without_a_code_column_is_one_dutch_sentence_and_changes_nothing(
    tmp_path, capsys, zone_file, zennevallei_2024, column
):
    db = tmp_path / "zone.duckdb"
    db.write_bytes(zone_file.read_bytes())
    store = Store.open(db)
    before, n_areas = _snapshot(store), len(store.areas("statsec"))
    close_all()
    path = tmp_path / "statsec2024_als_basis.xlsx"
    zennevallei_2024.drop(columns=[column]).to_excel(path, index=False)
    code, out, err = _cli(capsys, "--db", db, "import", path)
    assert code == 1 and "Traceback" not in err
    assert err.startswith(f"Fout: In deze gebiedstabel ontbreekt de kolom {column}. Gevonden kolommen: ")
    assert err.count("\n") == 1
    store = Store.open(db)
    assert _snapshot(store) == before and len(store.areas("statsec")) == n_areas
    close_all()


def test_the_page_path_plans_a_nameless_table_and_keeps_the_problem_of_a_missing_code_column(
    store, tmp_path, zennevallei_2024
):
    (item,) = _planned(store, tmp_path, "zonder_namen.csv", zennevallei_2024.drop(columns=NAME_COLUMNS_2024))
    assert item.problem is None
    assert "gemeente_naam" in item.plans[0].preview.warnings[0]
    (item,) = _planned(store, tmp_path, "zonder_gewest.csv", zennevallei_2024.drop(columns=["gewest"]))
    assert isinstance(item.problem, ImportProblem) and not item.plans
    assert str(item.problem).startswith("In deze gebiedstabel ontbreekt de kolom gewest.")
    assert store.is_empty()
