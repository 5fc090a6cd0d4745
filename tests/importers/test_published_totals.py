"""Published totals of a municipality, the province or Flanders win over sums; unknown-sector rows count
in their municipality's total (issue #15, item 3).

No Statbel municipal file (TF_PSNL_INC_TAX_MUNTY, "Tabel C.1") is in ../shared/realdata. They are built
here in Statbel's layout from the real Zennevallei income per sector (zenvallei/income_flat_derived.csv):
a municipality's published total is the sum of its sectors, including the sectors Statbel hides. **The
amounts of those hidden sectors are made up** (``HIDDEN_RETURNS`` returns of ``HIDDEN_AVERAGE`` € each),
and so are the province's and Flanders' totals of the Tabel C.1 (``made_up_reference``): only the layout is
Statbel's. The unknown-sector rows are the real ones of the Fluvius upload in ../shared/realdata.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from openpyxl import Workbook

from tests.importers.conftest import open_copy
from tests.importers.test_statbel_files import statbel_income_file
from zorgzaam.engine import compute
from zorgzaam.importers import SourceFile, plan_sources
from zorgzaam.importers.errors import ImportProblem
from zorgzaam.formatting import format_number
from zorgzaam.importers.figures import ColumnTarget, plan_figures, remember_mapping
from zorgzaam.importers.files import read_workbook
from zorgzaam.importers.names import coarse_areas, match_coarser
from zorgzaam.store import Store

HALLE, ZONE, PROVINCE, FLANDERS = "23027", "elz53", "20001", "2000"
YEAR = "2023"
AVG = "avg_net_taxable_income"
#: Made up: what a hidden sector (Statbel: too few returns) is given in the published municipal totals.
HIDDEN_RETURNS, HIDDEN_AVERAGE = 9, 31_000.0
ELEK = "pinc_uploads/upload_elektriciteit_verbruik.xlsx"
ELEK_COLUMN = "v2506_elek_res_n"


@pytest.fixture
def store(zone_file, tmp_path):
    yield from open_copy(zone_file, tmp_path)


@pytest.fixture(scope="module")
def income(realdata) -> pd.DataFrame:
    return pd.read_csv(realdata / "zenvallei/income_flat_derived.csv", dtype={"sector_id": str})


def municipal_totals(income: pd.DataFrame) -> pd.DataFrame:
    """Per municipality and year: returns and net taxable income, the hidden sectors included (made up)."""
    rows = income[income["sourceStatus"] != "sector-unmatched"].copy()
    hidden = rows["sourceStatus"] == "not-published"
    assert hidden.any()
    rows.loc[hidden, "numberOfDeclarations"] = HIDDEN_RETURNS
    rows.loc[hidden, "totalNetTaxableIncome"] = HIDDEN_RETURNS * HIDDEN_AVERAGE
    rows["municipality"] = rows["sector_id"].str[:5]
    out = rows.groupby(["municipality", "year"], as_index=False)[
        ["numberOfDeclarations", "totalNetTaxableIncome"]
    ].sum()
    out["year"] = out["year"].astype(str)
    return out


def import_sector_income(store: Store, income: pd.DataFrame, tmp_path) -> None:
    path = tmp_path / "TF_PSNL_INC_TAX_SECTOR.xlsx"
    statbel_income_file(income).to_excel(path, index=False)
    for plan in plan_sources([SourceFile.from_path(path)], store):
        plan.apply(store)


def observation_count(store: Store) -> int:
    return int(store._scalar("SELECT count(*) FROM observations"))


def test_statbel_municipal_income_file_replaces_the_partial_sum(store, income, tmp_path):
    import_sector_income(store, income, tmp_path)
    before = compute(store, [AVG], areas=[("gemeente", HALLE)], period=YEAR).iloc[0]
    assert before["status"] == "onvolledig" and before["approx"] > 0  # Halle has two hidden sectors

    totals = municipal_totals(income)
    munty = pd.DataFrame(
        {
            "CD_YEAR": totals["year"],
            "CD_MUNTY_REFNIS": totals["municipality"],
            "TX_MUNTY_DESCR_NL": "x",
            "MS_NBR_NON_ZERO_INC": totals["numberOfDeclarations"].astype(int),
            "MS_TOT_NET_TAXABLE_INC": totals["totalNetTaxableIncome"].round(2),
            "MS_AVG_TOT_NET_TAXABLE_INC": (totals["totalNetTaxableIncome"] / totals["numberOfDeclarations"]).round(0),
        }
    )
    path = tmp_path / "TF_PSNL_INC_TAX_MUNTY.xlsx"
    munty.to_excel(path, index=False)
    [plan] = plan_sources([SourceFile.from_path(path)], store)
    assert plan.preview.description == (
        "Cijfers per gemeente (Statbel, fiscale inkomens per gemeente (TF_PSNL_INC_TAX_MUNTY))"
    )
    assert plan.preview.matched == 7 and plan.preview.periods == sorted(totals["year"].unique())
    plan.apply(store)

    got = compute(store, [AVG], level="gemeente", within=("elz", ZONE), period=YEAR).set_index("area_code")
    expected = totals[totals["year"] == YEAR].set_index("municipality")
    assert got["status"].eq("ok").all() and len(got) == 7
    for code, row in expected.iterrows():
        assert got.loc[code, "value"] == pytest.approx(
            round(row["totalNetTaxableIncome"], 2) / row["numberOfDeclarations"]
        )
    assert got.loc[HALLE, "denominator"] == expected.loc[HALLE, "numberOfDeclarations"]
    assert pd.isna(got.loc[HALLE, "approx"])
    # The care zone: the sum of the published totals.
    zone = compute(store, [AVG], areas=[("elz", ZONE)], period=YEAR).iloc[0]
    assert zone["status"] == "ok"
    assert zone["value"] == pytest.approx(
        expected["totalNetTaxableIncome"].round(2).sum() / expected["numberOfDeclarations"].sum()
    )

    # A file with text in a number column is refused and changes nothing.
    n = observation_count(store)
    bad = munty.assign(CD_REFNIS=munty.pop("CD_MUNTY_REFNIS")).astype(object)
    bad.loc[0, "MS_TOT_NET_TAXABLE_INC"] = "n.b."
    bad.to_excel(path, index=False)
    with pytest.raises(ImportProblem, match="n.b."):
        plan_sources([SourceFile.from_path(path)], store)
    assert observation_count(store) == n
    again = compute(store, [AVG], areas=[("gemeente", HALLE)], period=YEAR).iloc[0]
    assert again["status"] == "ok" and again["value"] == got.loc[HALLE, "value"]


def made_up_reference(totals: pd.DataFrame, factor: float) -> tuple[int, float]:
    """Made up values for an area above the zone (the layout needs them; the real ones are not in realdata)."""
    return int(totals["numberOfDeclarations"].sum() * factor), float(
        totals["totalNetTaxableIncome"].sum() * factor * 1.02
    )


def tabel_c1(path, store: Store, totals: pd.DataFrame) -> dict[str, tuple[int, float]]:
    """A Statbel "Tabel C.1" as a workbook: two title rows, a header over two rows (a merged cell above
    "Totaal | Gemiddeld per aangifte"), the municipalities by name, then arrondissement, province, region and
    Belgium, and a source line. Returns the values written per row name."""
    names = store.areas("gemeente").set_index("code")["name"]
    rows: dict[str, tuple[int, float]] = {
        names[m]: (int(r["numberOfDeclarations"]), round(float(r["totalNetTaxableIncome"]), 2))
        for m, r in totals.set_index("municipality").iterrows()
    }
    rows["Arrondissement Halle-Vilvoorde"] = made_up_reference(totals, 5.0)
    rows["Provincie Vlaams-Brabant"] = made_up_reference(totals, 8.0)
    rows["Vlaams Gewest"] = made_up_reference(totals, 50.0)
    rows["België"] = made_up_reference(totals, 80.0)
    wb = Workbook()
    ws = wb.active
    ws.title = "Tabel C.1"
    ws.append(["Tabel C.1 - Aangiften en netto belastbaar inkomen per gemeente"])
    ws.append([f"Inkomensjaar {YEAR}"])
    ws.append(["Gemeente", "Aantal aangiften", "Netto belastbaar inkomen", None])
    ws.append([None, None, "Totaal", "Gemiddeld per aangifte"])
    ws.merge_cells("C3:D3")
    ws.merge_cells("A3:A4")
    for name, (returns, total) in rows.items():
        ws.append([name, returns, total, round(total / returns)])
    ws.append(["Bron: Statbel (Algemene Directie Statistiek - Statistics Belgium)"])
    wb.save(path)
    return rows


TOTAL_COLUMN = "Netto belastbaar inkomen - Totaal"
C1_MAPPING = {
    "Aantal aangiften": ColumnTarget("base", "tax_returns"),
    TOTAL_COLUMN: ColumnTarget("base", "net_taxable_income"),
}


def test_a_tabel_c1_by_name_with_a_two_row_header_gives_the_municipalities_province_and_flanders(
    store, income, tmp_path
):
    import_sector_income(store, income, tmp_path)
    for area in (("gemeente", HALLE), ("gewest", FLANDERS)):
        assert compute(store, [AVG], areas=[area], period=YEAR)["status"].iloc[0] != "ok"
    totals = municipal_totals(income)
    totals = totals[totals["year"] == YEAR]
    path = tmp_path / "fisc2023_C1.xlsx"
    written = tabel_c1(path, store, totals)

    (sheet,) = read_workbook(SourceFile.from_path(path)).values()
    assert list(sheet.columns) == [
        "Gemeente",
        "Aantal aangiften",
        TOTAL_COLUMN,
        "Netto belastbaar inkomen - Gemiddeld per aangifte",
    ]
    assert sheet.attrs["titles"][1] == f"Inkomensjaar {YEAR}"
    assert sheet["Gemeente"].iloc[0] == next(iter(written))  # no header row left among the data

    [plan] = plan_sources([SourceFile.from_path(path)], store, mapping=C1_MAPPING)
    lines = "\n".join(plan.preview.lines())
    assert plan.preview.periods == [YEAR] and f"Periode uit de titel: {YEAR}" in lines
    assert "Gebiedsniveaus: gemeente 7, provincie 1, gewest 1" in lines
    assert "Provincie Vlaams-Brabant (provincie 20001)" in lines and "Vlaams Gewest (gewest 2000)" in lines
    assert "Niet herkend, niet geïmporteerd: Arrondissement Halle-Vilvoorde, België, Bron: Statbel" in lines
    assert "Netto belastbaar inkomen - Gemiddeld per aangifte" in plan.unmapped_columns
    plan.apply(store)

    names = store.areas("gemeente").set_index("code")["name"]
    halle = compute(store, [AVG], areas=[("gemeente", HALLE)], period=YEAR).iloc[0]
    returns, total = written[names[HALLE]]
    assert halle["status"] == "ok" and halle["value"] == pytest.approx(total / returns)
    for level, code, row in (
        ("provincie", PROVINCE, "Provincie Vlaams-Brabant"),
        ("gewest", FLANDERS, "Vlaams Gewest"),
    ):
        got = compute(store, [AVG], areas=[(level, code)], period=YEAR).iloc[0]
        returns, total = written[row]
        assert got["status"] == "ok" and got["value"] == pytest.approx(total / returns)
        assert got["denominator"] == returns

    # Names that match no area: refused, nothing written.
    n = observation_count(store)
    wb = Workbook()
    ws = wb.active
    ws.append(["Tabel C.1"])
    ws.append(["Gemeente", "Aantal aangiften"])
    for name in ("Atlantis", "Utopia", "Eldorado"):
        ws.append([name, 100])
    wb.save(tmp_path / "onbekend.xlsx")
    with pytest.raises(ImportProblem, match="Geen enkel werkblad"):
        plan_sources([SourceFile.from_path(tmp_path / "onbekend.xlsx")], store, mapping=C1_MAPPING)
    assert observation_count(store) == n


def test_flanders_and_provinces_are_found_by_their_names(store):
    areas = coarse_areas(store)
    found = match_coarser(
        [
            "Vlaanderen",
            "Vlaams Gewest",
            "Provincie Vlaams-Brabant",
            "Limburg",
            "Halle",
            "Arrondissement Halle-Vilvoorde",
            "België",
        ],
        areas,
    )
    assert found == {
        "Vlaanderen": ("gewest", "2000"),
        "Vlaams Gewest": ("gewest", "2000"),
        "Provincie Vlaams-Brabant": ("provincie", "20001"),
        "Limburg": ("provincie", "70000"),
        "Halle": ("gemeente", HALLE),
    }
    # Below a municipality level, only the coarser levels are looked for.
    assert match_coarser(["Halle", "Vlaanderen"], areas, finer_than="gemeente") == {"Vlaanderen": ("gewest", "2000")}


def test_pinc_exports_at_municipality_province_and_region_level(store, income, tmp_path):
    import_sector_income(store, income, tmp_path)
    totals = municipal_totals(income)
    halle = totals[(totals["municipality"] == HALLE) & (totals["year"] == YEAR)].iloc[0]
    province = made_up_reference(totals[totals["year"] == YEAR], 8.0)
    flanders = made_up_reference(totals[totals["year"] == YEAR], 50.0)

    # Swing uploads: one level per file, the PinC codes (gemeente2018, provincie 20001, gewest 2000).
    for geolevel, code, (returns, total) in (
        ("gemeente2018", HALLE, (int(halle["numberOfDeclarations"]), float(halle["totalNetTaxableIncome"]))),
        ("provincie", PROVINCE, province),
        ("gewest", FLANDERS, flanders),
    ):
        upload = pd.DataFrame(
            {
                "period": [YEAR],
                "geolevel": [geolevel],
                "geoitem": [code],
                "tax_returns": [returns],
                "net_taxable_income": [total],
            }
        )
        [plan] = plan_sources(
            [SourceFile.from_bytes(f"upload_{geolevel}.csv", upload.to_csv(index=False).encode())], store
        )
        assert plan.preview.matched == 1 and plan.preview.unmatched == []
        plan.apply(store)
        level = "gemeente" if geolevel.startswith("gemeente") else geolevel
        got = compute(store, [AVG], areas=[(level, code)], period=YEAR).iloc[0]
        assert got["status"] == "ok" and got["value"] == pytest.approx(total / returns)

    # A Swing export ("Naam (CODE)") of municipalities with their province and region as reference rows.
    export = pd.DataFrame(
        {
            "Geo": ["Halle (23027)", "Vlaams-Brabant (20001)", "Vlaams Gewest (2000)"],
            "Perioden": ["2022"] * 3,
            "tax_returns": [101, 2002, 30003],
            "net_taxable_income": [4_040_000.0, 90_090_000.0, 1_500_150_000.0],
        }
    )
    [plan] = plan_sources([SourceFile.from_bytes("export.csv", export.to_csv(index=False, sep=";").encode())], store)
    assert "Gebiedsniveaus: gemeente 1, provincie 1, gewest 1" in plan.preview.lines()
    plan.apply(store)
    for (level, code), returns, total in zip(
        (("gemeente", HALLE), ("provincie", PROVINCE), ("gewest", FLANDERS)),
        export["tax_returns"],
        export["net_taxable_income"],
    ):
        got = compute(store, [AVG], areas=[(level, code)], period="2022").iloc[0]
        assert got["status"] == "ok" and got["value"] == pytest.approx(total / returns)

    # A region code the store does not know: refused, nothing written.
    n = observation_count(store)
    upload = pd.DataFrame({"period": [YEAR], "geolevel": ["gewest"], "geoitem": ["7000"], "tax_returns": [1]})
    with pytest.raises(ImportProblem, match="7000"):
        plan_sources([SourceFile.from_bytes("upload_gewest.csv", upload.to_csv(index=False).encode())], store)
    assert observation_count(store) == n


@pytest.fixture(scope="module")
def elek(realdata) -> pd.DataFrame:
    return pd.read_excel(realdata / ELEK, dtype=object, engine="calamine")


def _sums(rows: pd.DataFrame) -> pd.Series:
    return (
        pd.to_numeric(rows[ELEK_COLUMN])
        .groupby([rows["geoitem"].astype(str).str[:5], rows["period"].astype(str)])
        .sum()
    )


def test_unknown_sector_rows_count_in_their_municipality_total(store, elek):
    target = ColumnTarget.extra("Elektriciteitsaansluitingen", "aansluitingen")
    plan = plan_figures(elek, ["upload_elektriciteit_verbruik.xlsx"], store, mapping={ELEK_COLUMN: target})

    # Independently, from the file and the store's sectors: the known unknown-sector rows whose municipality
    # has every one of its sectors in the file that year with a number.
    geoitem = elek["geoitem"].astype(str)
    numbers = pd.to_numeric(elek[ELEK_COLUMN], errors="coerce")
    known = numbers.notna() & ~numbers.isin([-99996, -99997, -99998, -99999])  # Swing's codes for missing
    unknown = elek[geoitem.str.endswith("ZZZZ") & known]
    sectors = elek[~geoitem.str.endswith("ZZZZ")]
    present = {
        p: set(rows["geoitem"].astype(str))
        for p, rows in sectors[known[sectors.index]].groupby(sectors["period"].astype(str))
    }
    members = {
        code: set(store.sectors_within("gemeente", [code])) for code in unknown["geoitem"].astype(str).str[:5].unique()
    }
    complete = sum(
        bool(members[code]) and members[code] <= present.get(period, set())
        for code, period in zip(unknown["geoitem"].astype(str).str[:5], unknown["period"].astype(str))
    )
    assert complete > 0
    assert any(
        line.startswith(
            f"{format_number(complete)} rijen zonder bekende sector tellen mee in het totaal van hun gemeente"
        )
        for line in plan.preview.lines()
    )
    remember_mapping(store, {ELEK_COLUMN: target})
    plan.apply(store)

    with_unknown = _sums(
        elek[elek["geoitem"].astype(str).str[:5].isin({s[:5] for s in store.sectors_within("elz", [ZONE])})]
    )
    without_unknown = _sums(
        sectors[sectors["geoitem"].astype(str).str[:5].isin(set(with_unknown.index.get_level_values(0)))]
    )
    assert (with_unknown != without_unknown).any()  # the unknown rows do add connections (Beersel, Sint-Pieters-Leeuw)
    for period in sorted(elek["period"].astype(str).unique()):
        got = compute(
            store, [target.indicator()[1].code], level="gemeente", within=("elz", ZONE), period=period
        ).set_index("area_code")
        assert got["status"].eq("ok").all()
        for code, value in got["value"].items():
            assert value == with_unknown[(code, period)]
    # The file's sectors keep their own values; no sector stands for the unknown rows.
    assert not plan.observations["area_code"].str.endswith("ZZZZ").any()


def test_no_total_for_a_score_or_a_municipality_the_file_does_not_cover(store, elek):
    score = ColumnTarget.extra("Aansluitingsscore", "score", measure="score")
    plan = plan_figures(elek, ["upload_elektriciteit_verbruik.xlsx"], store, mapping={ELEK_COLUMN: score})
    assert set(plan.observations["area_level"]) == {"statsec"}
    assert any("rijen zonder bekende sector (…ZZZZ) overgeslagen" in line for line in plan.preview.lines())

    # One Halle sector missing in 2021: Halle gets no total that year; the engine shows the partial sum.
    target = ColumnTarget.extra("Elektriciteitsaansluitingen", "aansluitingen")
    full = plan_figures(elek, ["upload_elektriciteit_verbruik.xlsx"], store, mapping={ELEK_COLUMN: target})
    refused = re.search(r"voor (\d+) gemeenten niet", "\n".join(full.preview.lines()))
    geoitem, period = elek["geoitem"].astype(str), elek["period"].astype(str)
    dropped = geoitem[geoitem.str.startswith(HALLE) & ~geoitem.str.endswith("ZZZZ")].iloc[0]
    partial = elek[~((geoitem == dropped) & (period == "2021"))]
    plan = plan_figures(partial, ["upload_elektriciteit_verbruik.xlsx"], store, mapping={ELEK_COLUMN: target})
    municipal = plan.observations[plan.observations["area_level"] == "gemeente"]
    assert not ((municipal["area_code"] == HALLE) & (municipal["period"] == "2021")).any()
    assert ((municipal["area_code"] == HALLE) & (municipal["period"] == "2020")).any()
    assert refused is not None and f"voor {int(refused.group(1)) + 1} gemeenten niet (of niet elk jaar)" in "\n".join(
        plan.preview.lines()
    )
    remember_mapping(store, {ELEK_COLUMN: target})
    plan.apply(store)
    got = compute(store, [target.indicator()[1].code], areas=[("gemeente", HALLE)], period="2021").iloc[0]
    halle_sectors = partial[
        (partial["period"].astype(str) == "2021")
        & partial["geoitem"].astype(str).str.startswith(HALLE)
        & ~partial["geoitem"].astype(str).str.endswith("ZZZZ")
    ]
    assert got["status"] == "onvolledig"
    assert got["approx"] == pd.to_numeric(halle_sectors[ELEK_COLUMN]).sum()

    # Text in an unknown-sector row refuses the whole file; nothing changes.
    n = observation_count(store)
    bad = elek.copy()
    bad.loc[geoitem.str.endswith("ZZZZ").idxmax(), ELEK_COLUMN] = "onbekend"
    with pytest.raises(ImportProblem, match="onbekend"):
        plan_figures(bad, ["upload_elektriciteit_verbruik.xlsx"], store, mapping={ELEK_COLUMN: target})
    assert observation_count(store) == n
