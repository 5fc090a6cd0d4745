"""python -m zorgzaam import: real files in, areas before figures, a preview, Dutch errors."""

from __future__ import annotations

import shutil
import zipfile

import pandas as pd

from zorgzaam.cli import main
from zorgzaam.store import Store, close_all


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_import_a_zipped_shapefile_an_area_table_and_figures_in_one_go(tmp_path, capsys, realdata):
    # A zip with a folder, as the sources ship them; given last, but areas are written first.
    archive = tmp_path / "elz.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            zf.write(realdata / f"pinc_gebiedsniveaus/elz{suffix}", f"elz/elz{suffix}")
    population = pd.read_csv(realdata / "zenvallei/population_2025_sectors_transcribed.csv", dtype=str)
    statbel = tmp_path / "OPENDATA_SECTOREN_2025_OLD.txt"
    statbel.write_text(
        "\ufeffCD_REFNIS|CD_SECTOR|TOTAL|TX_DESCR_NL\n"
        + "".join(f"{s[:5]}|{s}|{p}|x\n" for s, p in zip(population["sector_id"], population["population_2025"])),
        encoding="utf-8",
    )
    db = tmp_path / "own.duckdb"
    code, out, err = run(
        capsys,
        "--db",
        db,
        "import",
        statbel,
        realdata / "zenvallei/sectors.geojson",
        realdata / "pinc_gebiedsniveaus/statsec2024_als_basis.xlsx",
        archive,
    )
    assert code == 0, err
    assert "4 import(s) bewaard" in out
    assert out.index("Gebiedsindeling") < out.index("Cijfers per statsec")  # areas before figures
    assert "Codes herkend: 154 van 154" in out  # the figures met the sectors imported just before
    store = Store.open(db)
    assert len(store.sectors_within("elz", ["elz53"])) == 154
    stored = store.observations(["pop_total"], ["2025"])
    assert len(stored) == 154 and stored["value"].sum() == population["population_2025"].astype(int).sum()
    close_all()


def test_dry_run_writes_nothing_and_a_bad_file_is_one_dutch_line(tmp_path, capsys, realdata):
    db = tmp_path / "own.duckdb"
    code, out, _ = run(capsys, "--db", db, "import", "--dry-run", realdata / "zenvallei/sectors.geojson")
    assert code == 0 and "proefdraai: niets bewaard" in out and "Rijen: 154" in out
    assert Store.open(db).is_empty()
    close_all()
    broken = tmp_path / "kapot.geojson"
    shutil.copy(realdata / "zenvallei/sectors.geojson", broken)
    broken.write_bytes(broken.read_bytes()[:5000])  # cut off halfway
    code, out, err = run(capsys, "--db", db, "import", broken)
    assert code == 1 and err.startswith("Fout: ") and "Traceback" not in err
    assert err.count("\n") == 1


# --- a plain table through the command line: --map KOLOM=CODE, --period ----------------------------------


def _zone_copy(zone_file, tmp_path):
    db = tmp_path / "zone.duckdb"
    shutil.copy(zone_file, db)
    return db


def _observation_count(db) -> int:
    store = Store.open(db)
    try:
        return store._scalar("SELECT count(*) FROM observations")
    finally:
        close_all()


def test_the_plain_population_csv_imports_with_map(zone_file, tmp_path, capsys, realdata):
    db = _zone_copy(zone_file, tmp_path)
    csv = realdata / "zenvallei/population_2025_sectors_transcribed.csv"
    population = pd.read_csv(csv, dtype=str)
    code, out, err = run(capsys, "--db", db, "import", csv, "--map", "population_2025=pop_total", "--map", "area_ha=-")
    assert code == 0, err
    assert "Variabelen: population_2025 → pop_total" in out and "Perioden: 2025" in out
    assert "density_per_ha" in out and "--map KOLOM=CODE" in out  # the column left out, and how to map it
    store = Store.open(db)
    stored = store.observations(["pop_total"], ["2025"])
    assert len(stored) == 154
    assert stored["value"].sum() == population["population_2025"].astype(int).sum()
    from zorgzaam.importers.figures import ColumnTarget, remembered_mapping

    assert remembered_mapping(store)["population_2025"] == ColumnTarget("base", "pop_total")
    close_all()
    # --period overrides the year in the column's name.
    code, out, err = run(capsys, "--db", db, "import", csv, "--map", "population_2025=pop_total", "--period", "2024")
    assert code == 0, err
    store = Store.open(db)
    assert store.observations(["pop_total"], ["2024"])["value"].sum() == population["population_2025"].astype(int).sum()
    close_all()


def test_an_unmapped_plain_table_or_an_unknown_code_is_one_dutch_line(zone_file, tmp_path, capsys, realdata):
    db = _zone_copy(zone_file, tmp_path)
    before = _observation_count(db)
    csv = realdata / "zenvallei/population_2025_sectors_transcribed.csv"
    code, _out, err = run(capsys, "--db", db, "import", csv)
    assert (
        code == 1
        and err.startswith("Fout: Geen enkele kolom van population_2025_sectors_transcribed.csv is gekoppeld")
        and err.count("\n") == 1
    )
    assert "population_2025, area_ha, density_per_ha" in err and "--map KOLOM=CODE" in err
    code, _out, err = run(capsys, "--db", db, "import", csv, "--map", "population_2025=pop_totaal")
    assert code == 1 and err.startswith("Fout: Onbekende code 'pop_totaal' in --map population_2025=pop_totaal")
    assert err.count("\n") == 1
    code, _out, err = run(capsys, "--db", db, "import", csv, "--map", "population_2025")
    assert code == 1 and "is geen koppeling" in err
    # No year in the names of the scores file: the period is asked for.
    code, _out, err = run(
        capsys,
        "--db",
        db,
        "import",
        realdata / "zenvallei/scores_flat_derived.csv",
        "--extra",
        "final=score:Hittekwetsbaarheid:score 0-10",
    )
    assert code == 1 and "--period" in err and err.count("\n") == 1
    assert _observation_count(db) == before


def test_the_heat_scores_import_as_a_score_from_the_command_line(zone_file, tmp_path, capsys, realdata):
    db = _zone_copy(zone_file, tmp_path)
    scores = pd.read_csv(realdata / "zenvallei/scores_flat_derived.csv", dtype=str)
    code, out, err = run(
        capsys,
        "--db",
        db,
        "import",
        realdata / "zenvallei/scores_flat_derived.csv",
        "--extra",
        "final=score:Hittekwetsbaarheid:score 0-10",
        "--period",
        "2024",
    )
    assert code == 0, err
    code, out, err = run(
        capsys,
        "--db",
        db,
        "query",
        "--indicator",
        "eigen_hittekwetsbaarheid",
        "--area",
        "23100",
        "--area",
        "23100A10-",
        "--period",
        "2024",
    )
    assert code == 0, err
    rows = {line.split(",")[0]: line.split(",") for line in out.splitlines()[1:]}
    assert rows["23100"][8] == "ontbrekend" and rows["23100"][7] == ""  # Linkebeek: no sum of scores
    assert float(rows["23100A10-"][7]) == float(scores.set_index("sectorId").loc["23100A10-", "final"])
