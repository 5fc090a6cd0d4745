"""Statbel's fiscal income (TF_PSNL_INC_TAX_SECTOR) and cars (TF_CAR_HH_SECTOR) per sector.

No such file is in ../shared/realdata; the fiscal one is rebuilt in Statbel's layout (dataformats.md
§2.3) from the real Zennevallei income figures (zenvallei/income_flat_derived.csv, flattened from the
same Statbel table), so every value checked comes from the real data.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest

from tests.importers.conftest import open_copy
from zorgzaam.engine import compute
from zorgzaam.importers import SourceFile, plan_sources
from zorgzaam.importers.figures import recognise


@pytest.fixture
def store(zone_file, tmp_path):
    yield from open_copy(zone_file, tmp_path)


@pytest.fixture(scope="module")
def income(realdata) -> pd.DataFrame:
    return pd.read_csv(realdata / "zenvallei/income_flat_derived.csv", dtype={"sector_id": str})


def statbel_income_file(income: pd.DataFrame) -> pd.DataFrame:
    """The real figures in TF_PSNL_INC_TAX_SECTOR's columns; an unpublished sector is 'C' as Statbel writes it."""
    published = income[income["sourceStatus"] != "sector-unmatched"]
    hidden = published["sourceStatus"] == "not-published"

    def cells(column: str, decimals: int) -> pd.Series:
        text = published[column].map(lambda v: "" if pd.isna(v) else f"{v:.{decimals}f}")
        return text.where(~hidden, "C")

    return pd.DataFrame(
        {
            "CD_YEAR": published["year"].astype(str),
            "CD_MUNTY_REFNIS": published["sector_id"].str[:5],
            "CD_SECTOR": published["sector_id"],
            "MS_NBR_NON_ZERO_INC": cells("numberOfDeclarations", 0),
            "MS_TOT_NET_TAXABLE_INC": cells("totalNetTaxableIncome", 2),
            "MS_AVG_TOT_NET_TAXABLE_INC": cells("averageNetTaxableIncome", 0),
            "MS_MEDIAN_NET_TAXABLE_INC": cells("medianNetTaxableIncome", 0),
            "TX_SECTOR_DESCR_NL": "x",
            "TX_SECTOR_DESCR_FR": "x",
        }
    )


def test_fiscal_income_per_sector_is_a_ratio_of_sums_and_hidden_sectors_stay_hidden(store, income, tmp_path):
    frame = statbel_income_file(income)
    assert recognise(frame) == "statbel-inkomen"
    path = tmp_path / "TF_PSNL_INC_TAX_SECTOR.xlsx"
    frame.to_excel(path, index=False)
    [plan] = plan_sources([SourceFile.from_path(path)], store)
    assert plan.preview.description.startswith("Cijfers per statsec (Statbel, fiscale inkomens")
    assert plan.preview.periods == sorted(frame["CD_YEAR"].unique())
    hidden_cells = (frame[["MS_NBR_NON_ZERO_INC", "MS_TOT_NET_TAXABLE_INC"]].isin(["C", ""])).sum().sum()
    assert plan.preview.suppressed == int(hidden_cells) > 0
    assert plan.preview.matched == frame["CD_SECTOR"].nunique() and plan.sector_vintage == "2024"
    plan.apply(store)

    year = "2023"
    rows = income[(income["year"].astype(str) == year) & (income["sourceStatus"] == "available")]
    sector = rows.iloc[0]
    got = compute(store, ["avg_net_taxable_income"], areas=[("statsec", sector["sector_id"])], period=year)
    assert got["value"].iloc[0] == pytest.approx(sector["totalNetTaxableIncome"] / sector["numberOfDeclarations"])
    # Statbel's own (rounded) average agrees to the euro.
    assert abs(got["value"].iloc[0] - sector["averageNetTaxableIncome"]) <= 1
    # A hidden sector is hidden, never 0; its municipality's total is then incomplete.
    hidden = income[(income["year"].astype(str) == year) & (income["sourceStatus"] == "not-published")]
    code = hidden["sector_id"].iloc[0]
    got = compute(store, ["avg_net_taxable_income"], areas=[("statsec", code)], period=year)
    assert got["status"].iloc[0] == "verborgen" and pd.isna(got["value"].iloc[0])
    municipality = compute(store, ["avg_net_taxable_income"], areas=[("gemeente", code[:5])], period=year)
    assert municipality["status"].iloc[0] == "onvolledig"


def test_a_municipality_gets_the_ratio_of_its_sums_and_an_empty_total_is_hidden(store, income, tmp_path):
    frame = statbel_income_file(income)
    frame.to_csv(tmp_path / "TF_PSNL_INC_TAX_SECTOR.txt", sep="|", index=False, encoding="utf-8-sig")
    for plan in plan_sources([SourceFile.from_path(tmp_path / "TF_PSNL_INC_TAX_SECTOR.txt")], store):
        plan.apply(store)
    rows = income[income["sourceStatus"] != "sector-unmatched"].set_index(["year", "sector_id"])
    checked = {"ok": 0, "onvolledig": 0}
    for level in ("wijk", "gemeente"):
        for code in store.areas(level, within=("elz", "elz53"))["code"]:
            if min(checked.values()) >= 3:
                break
            sectors = store.sectors_within(level, [code])
            for year in (2023,):
                keys = [(year, c) for c in sectors]
                if not all(k in rows.index for k in keys):
                    continue  # a sector of the area is not in the file at all
                mine = rows.loc[keys]
                got = compute(store, ["avg_net_taxable_income"], areas=[(level, code)], period=str(year)).iloc[0]
                if mine["totalNetTaxableIncome"].notna().all():
                    assert got["status"] == "ok"
                    assert got["value"] == pytest.approx(
                        mine["totalNetTaxableIncome"].sum() / mine["numberOfDeclarations"].sum()
                    )
                else:  # Statbel left a total empty: hidden, so the area is incomplete, never a smaller sum
                    known = mine[mine["totalNetTaxableIncome"].notna()]
                    share = len(known) / len(mine)  # the returns are hidden too: coverage by sectors
                    assert pd.isna(got["value"])
                    if share < 0.5:  # mostly unknown: no reference at all
                        assert got["status"] == "ontbrekend"
                        continue
                    assert got["status"] == "onvolledig" and got["coverage"] == pytest.approx(share)
                    assert got["approx"] == pytest.approx(
                        known["totalNetTaxableIncome"].sum() / known["numberOfDeclarations"].sum()
                    )
                checked[got["status"]] += 1
    assert checked["ok"] > 0 and checked["onvolledig"] > 0


def test_cars_per_household_in_both_column_schemes(store, tmp_path):
    sectors = store.sectors_within("gemeente", ["23027"])[:3]
    lower = pd.DataFrame(
        {
            "CD_YEAR": "2024",
            "CD_REFNIS": "23027",
            "TX_MUNTY_DESCR_NL": "Halle",
            "cd_sector": sectors,
            "total_huisH": ["400", "250", "C"],
            "total_wagens": ["520", "180", "C"],
        }
    )
    assert recognise(lower) == "statbel-wagens"
    text = lower.to_csv(sep="|", index=False).encode("utf-8-sig")
    for plan in plan_sources([SourceFile.from_bytes("TF_CAR_HH_SECTOR.txt", text)], store):
        assert plan.preview.suppressed == 2
        plan.apply(store)
    got = compute(store, ["cars_per_household"], areas=[("statsec", s) for s in sectors], period="2024")
    values = got.set_index("area_code")
    assert values.loc[sectors[0], "value"] == pytest.approx(520 / 400)
    assert values.loc[sectors[2], "status"] == "verborgen"
    upper = pd.DataFrame({"CD_YEAR": ["2024"], "cd_sector": [sectors[0]], "MS_TOT_HH": ["10"], "MS_TOT_CARS": ["7"]})
    assert recognise(upper) == "statbel-wagens"
    buffer = io.StringIO()
    upper.to_csv(buffer, sep="|", index=False)
    [plan] = plan_sources([SourceFile.from_bytes("TF_CAR_HH_SECTOR_2025.txt", buffer.getvalue().encode())], store)
    assert [v.split(" → ")[1] for v in plan.preview.variables] == ["hh_statbel", "cars"]
