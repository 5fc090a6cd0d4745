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
    statbel.write_text("\ufeffCD_REFNIS|CD_SECTOR|TOTAL|TX_DESCR_NL\n" + "".join(
        f"{s[:5]}|{s}|{p}|x\n" for s, p in zip(population["sector_id"], population["population_2025"])),
        encoding="utf-8")
    db = tmp_path / "own.duckdb"
    code, out, err = run(capsys, "--db", db, "import", statbel, realdata / "zenvallei/sectors.geojson",
                         realdata / "pinc_gebiedsniveaus/statsec2024_als_basis.xlsx", archive)
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
