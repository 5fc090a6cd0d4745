"""Acceptance on the real Zennevallei files, imported through the command line as an analyst would.

The areas (Statbel sectors 2024, PinC's statsec2024_als_basis.xlsx and gemeente_elz.xls), the plain
population CSV of 2025 (mapped with --map), Statbel's fiscal income per sector 2019-2023 in its own layout
(rebuilt from zenvallei/income_flat_derived.csv: an unpublished sector keeps its number of tax returns and
has 'C' for the income, as Statbel writes it), the heat-vulnerability scores (a 0-10 score, never summed)
and both pharmacy lists. Then the figures are read back from the CLI's query, the profile (HTML and PDF)
and the summary workbook. Every expected number is computed here from the files themselves.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from zorgzaam.cli import main
from zorgzaam.store import Store, close_all

HALLE = "23027"
HALLE_CENTRUM = "23027A00-"
ZONE = "elz53"


def run(capsys, *args) -> str:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def _income_file(realdata, path) -> pd.DataFrame:
    income = pd.read_csv(realdata / "zenvallei/income_flat_derived.csv", dtype={"sector_id": str})
    income = income[income["sourceStatus"] != "sector-unmatched"]
    hidden = income["sourceStatus"] == "not-published"

    def cells(column: str, decimals: int) -> pd.Series:
        return income[column].map(lambda v: "" if pd.isna(v) else f"{v:.{decimals}f}").where(~hidden, "C")

    pd.DataFrame(
        {
            "CD_YEAR": income["year"].astype(str),
            "CD_MUNTY_REFNIS": income["sector_id"].str[:5],
            "CD_SECTOR": income["sector_id"],
            "MS_NBR_NON_ZERO_INC": income["numberOfDeclarations"].map("{:.0f}".format),
            "MS_TOT_NET_TAXABLE_INC": cells("totalNetTaxableIncome", 2),
            "MS_AVG_TOT_NET_TAXABLE_INC": cells("averageNetTaxableIncome", 0),
            "MS_MEDIAN_NET_TAXABLE_INC": cells("medianNetTaxableIncome", 0),
            "TX_SECTOR_DESCR_NL": "x",
            "TX_SECTOR_DESCR_FR": "x",
        }
    ).to_excel(path, index=False)
    return income


@pytest.fixture(scope="module")
def imported(tmp_path_factory, realdata):
    """One database with every real file, imported with the CLI (areas first, then figures and layers)."""
    import contextlib  # capsys is function-scoped: this module fixture captures into its own buffers
    import io

    folder = tmp_path_factory.mktemp("acceptance")
    db = folder / "zennevallei.duckdb"
    income = _income_file(realdata, folder / "TF_PSNL_INC_TAX_SECTOR.xlsx")
    geb = realdata / "pinc_gebiedsniveaus"
    commands = [
        [
            "import",
            realdata / "zenvallei/sectors.geojson",
            geb / "statsec2024_als_basis.xlsx",
            geb / "gemeente_elz.xls",
        ],
        [
            "import",
            realdata / "zenvallei/population_2025_sectors_transcribed.csv",
            "--map",
            "population_2025=pop_total",
            "--map",
            "area_ha=-",
            "--map",
            "density_per_ha=-",
        ],
        ["import", folder / "TF_PSNL_INC_TAX_SECTOR.xlsx"],
        [
            "import",
            realdata / "zenvallei/scores_flat_derived.csv",
            "--extra",
            "final=score:Hittekwetsbaarheid:score",
            "--period",
            "2026",
        ],  # Departement Zorg's scores 2026
        [
            "import",
            realdata / "pharmacies_be/Lst_Pharmacies_pub_Extended.xlsx",
            realdata / "pharmacies_be/last-pharmacies_osm.json",
        ],
    ]
    for command in commands:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--db", str(db), *map(str, command)])
        assert code == 0, f"{command[:2]}: {err.getvalue()}"
    close_all()
    return {"db": db, "income": income, "folder": folder}


@pytest.fixture
def db(imported):
    yield imported["db"]
    close_all()


def _query(capsys, db, *args) -> pd.DataFrame:
    out = run(capsys, "--db", db, "query", *args, "--format", "json")
    return pd.DataFrame(json.loads(out))


def test_population_of_the_zone_and_of_halle_centrum(capsys, db, realdata):
    population = pd.read_csv(realdata / "zenvallei/population_2025_sectors_transcribed.csv", dtype=str)
    total = population["population_2025"].astype(int).sum()
    assert total == 140_122
    rows = _query(capsys, db, "--indicator", "pop_total", "--area", ZONE, "--area", HALLE_CENTRUM)
    by_code = rows.set_index("area_code")
    assert by_code.loc[ZONE, "value"] == total and by_code.loc[ZONE, "period"] == "2025"
    own = int(population.set_index("sector_id").loc[HALLE_CENTRUM, "population_2025"])
    assert own == 2_930 and by_code.loc[HALLE_CENTRUM, "value"] == own


def test_income_comes_from_its_own_latest_year_and_halle_is_onvolledig(capsys, db, imported):
    income = imported["income"]
    rows = _query(
        capsys, db, "--indicator", "avg_net_taxable_income", "--area", HALLE, "--area", HALLE_CENTRUM, "--area", "2000"
    ).set_index("area_code")
    latest = income[income["year"] == 2023]
    sector = latest.set_index("sector_id").loc[HALLE_CENTRUM]
    assert rows.loc[HALLE_CENTRUM, "period"] == "2023" and rows.loc[HALLE_CENTRUM, "status"] == "ok"
    assert rows.loc[HALLE_CENTRUM, "value"] == pytest.approx(
        sector["totalNetTaxableIncome"] / sector["numberOfDeclarations"]
    )
    # Halle: two sectors are hidden; the known part and its share of the tax returns.
    town = latest[latest["sector_id"].str.startswith(HALLE)]
    known = town[town["sourceStatus"] == "available"]
    assert (town["sourceStatus"] == "not-published").sum() == 2 and town["numberOfDeclarations"].sum() == 24_926
    assert rows.loc[HALLE, "status"] == "onvolledig" and pd.isna(rows.loc[HALLE, "value"])
    assert rows.loc[HALLE, "approx"] == pytest.approx(
        known["totalNetTaxableIncome"].sum() / known["numberOfDeclarations"].sum()
    )
    assert round(rows.loc[HALLE, "approx"]) == 41_863
    assert rows.loc[HALLE, "coverage"] == pytest.approx(known["numberOfDeclarations"].sum() / 24_926)
    assert rows.loc[HALLE, "coverage_of"] == "aangiften"
    # Flanders: no data in the store beyond this zone, so "-" (ontbrekend), not "x".
    assert rows.loc["2000", "status"] == "ontbrekend"


def _pdf_text(path) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(path).pages))


def _html_text(path) -> str:
    import html

    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<style.*?</style>|<img[^>]*>", " ", text, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


def _expected_pharmacies(db) -> int:
    """Distinct pharmacies in Halle-Centrum, counted here (the rule of access.py, recomputed independently)."""
    from tests.importers.test_counts_and_sources import _expected, _sectors

    store = Store.open(db, read_only=True)
    try:
        sectors = _sectors(store)
        distinct, both = _expected(store, sectors)
    finally:
        close_all()
    assert both[HALLE_CENTRUM] > distinct[HALLE_CENTRUM] > 0  # the two lists overlap here
    return int(distinct[HALLE_CENTRUM])


def test_profile_of_halle_centrum_in_html_and_pdf(capsys, db, imported):
    pharmacies = _expected_pharmacies(db)
    folder = imported["folder"]
    texts = {}
    for suffix in ("html", "pdf"):
        out = folder / f"halle-centrum.{suffix}"
        run(capsys, "--db", db, "report", "--area", HALLE_CENTRUM, "--output", out)
        texts[suffix] = _html_text(out) if suffix == "html" else _pdf_text(out)
    for kind, text in texts.items():
        assert "2.930 inwoners (2025)" in text, kind  # the view is "up to 2026" (the heat scores)
        assert "33.196 euro (2023)" in text, kind  # the income of its own latest year, beside 2025's population
        assert "≈ 41.863 euro · 99,9 % van de aangiften (2023)" in text, kind  # Halle, onvolledig
        assert "weinig inwoners" not in text.lower(), kind
        assert "geen gegevens" in text.lower(), kind
        assert "geen signaal" not in text.lower() and "geen enkele indicator valt op" not in text.lower(), kind
        assert f"{pharmacies} × apotheek" in text, kind


def test_summary_workbook_keeps_each_figure_with_its_own_year(capsys, db, imported):
    out = imported["folder"] / "samenvatting.xlsx"
    run(capsys, "--db", db, "report", "--area", HALLE, "--output", out)
    book = load_workbook(out, read_only=True)
    table = list(book["Cijfers"].values)
    figures = pd.DataFrame(table[1:], columns=table[0])
    own = figures[figures["Sectorcode"] == HALLE_CENTRUM].set_index("Indicatorcode")
    assert own.loc["pop_total", "Waarde"] == 2930 and str(own.loc["pop_total", "Periode"]) == "2025"
    assert own.loc["avg_net_taxable_income", "Periode"] == "2023"
    assert round(own.loc["avg_net_taxable_income", "Waarde"]) == 33_196
    table = list(book["Samenvatting"].values)
    rows = pd.DataFrame(table[1:], columns=table[0])
    assert len(rows) == 41  # every sector of Halle
    text = " ".join(str(v) for v in rows.to_numpy().ravel() if v is not None).lower()
    assert "geen gegevens" in text and "geen signaal" not in text
    # "Weinig inwoners" from each sector's own 2025 population, never from a year without population data.
    population = rows.set_index("Sectorcode")["Inwoners"]
    flagged = rows.set_index("Sectorcode")["Weinig inwoners"].fillna("") != ""
    assert population[HALLE_CENTRUM] == 2930 and not flagged[HALLE_CENTRUM]
    assert (flagged == (population.astype(float) < 100)).all()


def test_heat_score_is_a_score_per_sector_never_summed(capsys, db, realdata):
    scores = pd.read_csv(realdata / "zenvallei/scores_flat_derived.csv", dtype={"sectorId": str})
    linkebeek = scores[scores["municipality"] == "Linkebeek"]
    store = Store.open(db, read_only=True)
    try:
        code = next(c for c in store.catalogue().indicators if c.startswith("eigen_") and "hitte" in c)
    finally:
        close_all()
    town = linkebeek["sectorId"].str[:5].iloc[0]
    areas = [a for s in [town, *linkebeek["sectorId"]] for a in ("--area", s)]
    rows = _query(capsys, db, "--indicator", code, *areas)
    by_code = rows.set_index("area_code")
    for sector, value in zip(linkebeek["sectorId"], linkebeek["final"]):
        if pd.notna(value):
            assert by_code.loc[sector, "value"] == pytest.approx(value)
    # Without a weight a score has no value for the municipality (never the sum 33 of its sectors).
    assert pd.isna(by_code.loc[town, "value"]) and by_code.loc[town, "status"] != "ok"
