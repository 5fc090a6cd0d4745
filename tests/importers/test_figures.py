"""Figures in: Swing/PinC tables and Statbel population, missing-value codes, column mapping."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.importers.conftest import open_copy
from zorgzaam.engine import compute
from zorgzaam.importers.errors import ImportProblem
from zorgzaam.importers.figures import (
    ColumnTarget,
    parse_values,
    plan_figures,
    recognise,
    remember_mapping,
    remembered_mapping,
)


@pytest.fixture
def store(zone_file, tmp_path):
    yield from open_copy(zone_file, tmp_path)


@pytest.fixture(scope="module")
def population(realdata) -> pd.DataFrame:
    return pd.read_csv(realdata / "zenvallei/population_2025_sectors_transcribed.csv", dtype=str)


def statbel_population_file(population: pd.DataFrame) -> pd.DataFrame:
    """The real 2025 sector populations in Statbel's OPENDATA_SECTOREN layout, as read (all text)."""
    return pd.DataFrame(
        {
            "CD_REFNIS": population["sector_id"].str[:5],
            "CD_SECTOR": population["sector_id"],
            "TOTAL": population["population_2025"],
            "OPPERVLAKKTE IN HM²": population["area_ha"].astype(float).map(lambda v: f"{v:.2f}".replace(".", ",")),
            "TX_DESCR_NL": "x",
        }
    )


def test_statbel_population_per_sector_and_its_municipal_sum(store, population):
    frame = statbel_population_file(population)
    assert recognise(frame) == "statbel-bevolking"
    plan = plan_figures(frame, ["OPENDATA_SECTOREN_2025_OLD.txt"], store)
    assert plan.preview.periods == ["2025"] and plan.sector_vintage == "2024"
    assert plan.preview.matched == 154 and plan.preview.unmatched == []
    plan.apply(store)
    stored = store.observations(["pop_total"], ["2025"]).set_index("area_code")["value"]
    expected = population.set_index("sector_id")["population_2025"].astype(float)
    pd.testing.assert_series_equal(stored.sort_index(), expected.sort_index(), check_names=False)
    beersel = compute(store, ["pop_total"], areas=[("gemeente", "23003")], period="2025")
    beersel_sectors = store.sectors_within("gemeente", ["23003"])
    assert beersel["value"].iloc[0] == expected[beersel_sectors].sum()


def test_a_hidden_value_stays_missing_and_makes_the_total_incomplete(store, population):
    frame = statbel_population_file(population)
    frame.loc[0, "TOTAL"] = "x"
    plan = plan_figures(frame, ["OPENDATA_SECTOREN_2025_OLD.txt"], store)
    assert plan.preview.suppressed == 1
    plan.apply(store)
    hidden = store.observations(["pop_total"], ["2025"], [("statsec", frame.loc[0, "CD_SECTOR"])])
    assert hidden["status"].iloc[0] == "verborgen" and pd.isna(hidden["value"].iloc[0])
    municipality = store.parent_of("statsec", frame.loc[0, "CD_SECTOR"], "gemeente")
    total = compute(store, ["pop_total"], areas=[("gemeente", municipality)], period="2025")
    assert total["status"].iloc[0] == "onvolledig" and pd.isna(total["value"].iloc[0])


def test_missing_value_codes_map_to_their_status():
    values, status = parse_values(
        pd.Series(
            ["12", "1.234,5", "45,6", "x", "-99997", "nvt", "-99998", "-", "", "?", "-99999", "-99996", -99997.0, 3.5]
        ),
        "v",
    )
    assert list(status) == [
        "ok",
        "ok",
        "ok",
        "verborgen",
        "verborgen",
        "nvt",
        "nvt",
        "ontbrekend",
        "ontbrekend",
        "ontbrekend",
        "ontbrekend",
        "ontbrekend",
        "verborgen",
        "ok",
    ]
    assert values[0] == 12 and values[1] == 1234.5 and values[2] == 45.6 and values[13] == 3.5
    assert np.isnan(values[3:13]).all()  # never 0


def test_text_in_a_number_column_refuses_the_file_and_changes_nothing(store, population):
    frame = statbel_population_file(population)
    frame.loc[5, "TOTAL"] = "ongeveer 200"
    before = store._query_df("SELECT count(*) AS n FROM observations")["n"].iloc[0]
    with pytest.raises(ImportProblem, match="tekst waar een getal hoort: 'ongeveer 200'"):
        plan_figures(frame, ["OPENDATA_SECTOREN_2025_OLD.txt"], store)
    assert store._query_df("SELECT count(*) AS n FROM observations")["n"].iloc[0] == before


def test_the_real_swing_upload_lists_its_unknown_columns_and_remembers_a_choice(store, realdata):
    frame = pd.read_excel(
        realdata / "pinc_uploads/Upload_landgebruik_open_ruimte_2013_2016.xlsx", dtype=object, engine="calamine"
    )
    assert recognise(frame) == "swing-upload"
    plan = plan_figures(frame, ["Upload_landgebruik_open_ruimte_2013_2016.xlsx"], store)
    assert plan.preview.rows == len(frame) == 18_388
    assert plan.preview.periods == sorted(frame["period"].astype(str).str.split(".").str[0].unique())
    variables = [c for c in frame.columns if str(c).startswith("v1591_")]
    assert plan.unmapped_columns == variables and plan.observations is None
    zenvallei = set(store.sectors_within("elz", ["elz53"]))
    assert zenvallei <= set(frame["geoitem"].astype(str).str.upper())  # PROVENANCE: all 154 present
    remember_mapping(store, {"v1591_opp_or_totaal": ColumnTarget("skip")})
    assert remembered_mapping(store)["v1591_opp_or_totaal"] == ColumnTarget("skip")
    again = plan_figures(frame, ["Upload_landgebruik_open_ruimte_2013_2016.xlsx"], store)
    assert "v1591_opp_or_totaal" not in again.unmapped_columns and len(again.unmapped_columns) == 7


def _upload(rows: list[tuple], columns=("period", "geolevel", "geoitem", "pop_total", "pop_age_80plus")):
    return pd.DataFrame(rows, columns=list(columns)).astype(str)


def test_a_swing_upload_with_catalogue_codes_imports_without_questions(store):
    frame = _upload(
        [(2025, "statsec2024", "23003a001", "1212", "80"), (2025, "statsec2024", "23003A012", "2157", "-99997")]
    )
    plan = plan_figures(frame, ["upload.xlsx"], store)
    assert plan.unmapped_columns == [] and plan.preview.suppressed == 1
    plan.apply(store)
    obs = store.observations(["pop_total", "pop_age_80plus"], ["2025"]).set_index(["area_code", "variable"])
    assert obs.loc[("23003A001", "pop_total"), "value"] == 1212  # the Swing spelling 23003a001 normalised
    assert obs.loc[("23003A012", "pop_age_80plus"), "status"] == "verborgen"


@pytest.mark.parametrize(
    "frame, message",
    [
        (_upload([(2025, "statsec2024", "23003A001", "1", "1"), (2025, "gemeente", "23003", "1", "1")]), "mengt"),
        (
            _upload([(2025, "statsec2024", "23003A001", "1", "1"), (2025, "statsec2024", "23003A001", "2", "1")]),
            "meer dan één keer",
        ),
        (_upload([(2025, "kern", "23003", "1", "1")]), "kent zorgzaam niet"),
        (pd.DataFrame({"Wijken": ["Amandus - Atheneum"], "Aantal|2025": ["3"]}), "geen gebiedscodes"),
        (pd.DataFrame({"iets": ["a"], "anders": ["b"]}), "geen tabel die zorgzaam herkent"),
    ],
)
def test_bad_figure_tables_are_refused_in_dutch(store, frame, message):
    with pytest.raises(ImportProblem, match=message):
        plan_figures(frame, ["bestand.csv"], store)


def test_an_export_with_name_and_code_and_year_headers(store):
    frame = pd.DataFrame(
        {
            "Geo": ["Beersel-Kern (23003A001)", "Laarheide (23003A022)"],
            "pop_total|2024": ["1200", "540"],
            "pop_total|2025": ["1212", "x"],
        }
    )
    plan = plan_figures(frame, ["export.csv"], store)
    assert plan.preview.periods == ["2024", "2025"]
    plan.apply(store)
    obs = store.observations(["pop_total"], ["2024", "2025"]).set_index(["area_code", "period"])
    assert obs.loc[("23003A001", "2025"), "value"] == 1212
    assert obs.loc[("23003A022", "2025"), "status"] == "verborgen"
    assert obs.loc[("23003A022", "2024"), "value"] == 540


def test_the_real_antwerp_export_without_codes_says_what_to_do(realdata, store):
    # The store holds Zennevallei only: the Antwerp wijk names match nothing.
    frame = pd.read_csv(realdata / "antwerpen_wijken/leeftijd_per_wijk.csv", sep=";", dtype=str)
    with pytest.raises(ImportProblem, match="passen niet bij de gebieden in de databank.*wijken ggw7"):
        plan_figures(frame, ["leeftijd_per_wijk.csv"], store)


def test_counts_on_2025_codes_are_summed_to_2024_sectors_with_the_real_crosswalk(store, realdata, population):
    from zorgzaam.importers.vintages import plan_crosswalk, recognise_crosswalk

    crosswalk = pd.read_csv(
        realdata / "zenvallei/statsec2025_2024_crosswalk_zennevallei_transcribed.csv", sep=";", dtype=str
    )
    split = crosswalk[crosswalk["CS01012025"] != crosswalk["CS01012024"]]
    # 2025 counts: each 2024 sector's population spread over its 2025 parts (first part gets the rest).
    parts = crosswalk.merge(population.rename(columns={"sector_id": "CS01012024"}), on="CS01012024")
    parts["n"] = parts.groupby("CS01012024")["CS01012025"].transform("count")
    parts["value"] = parts["population_2025"].astype(int) // parts["n"]
    parts.loc[~parts.duplicated("CS01012024"), "value"] += parts["population_2025"].astype(int) % parts["n"]
    frame = pd.DataFrame(
        {
            "period": "2025",
            "geolevel": "statsec",
            "geoitem": parts["CS01012025"],
            "pop_total": parts["value"].astype(str),
        }
    )
    with pytest.raises(ImportProblem, match="omzettingstabel"):
        plan_figures(frame, ["upload_2025.xlsx"], store)  # no crosswalk yet: refused, nothing written
    assert recognise_crosswalk(crosswalk) == ("CS01012025", "CS01012024")
    plan_crosswalk(crosswalk, ("CS01012025", "CS01012024"), ["crosswalk.csv"], store).apply(store)
    frame.loc[frame["geoitem"] == split["CS01012025"].iloc[0], "pop_total"] = "x"  # hide one part
    plan = plan_figures(frame, ["upload_2025.xlsx"], store)
    note = next(n for n in plan.preview.notes if "Omgezet van sectorindeling 2025 naar 2024" in n)
    # PROVENANCE: 23101A183 and 23101A422 were absorbed into neighbours in 2025.
    assert "2 sectoren van 2024 krijgen geen cijfer" in note and "23101A183, 23101A422" in note
    plan.apply(store)
    stored = store.observations(["pop_total"], ["2025"]).set_index("area_code")
    assert len(stored) == 152
    hidden_old = split["CS01012024"].iloc[0]
    assert stored.loc[hidden_old, "status"] == "verborgen" and pd.isna(stored.loc[hidden_old, "value"])
    expected = population.set_index("sector_id")["population_2025"].astype(float)
    ok = stored[stored["status"] == "ok"]["value"]
    pd.testing.assert_series_equal(
        ok.sort_index(), expected.drop([hidden_old, "23101A183", "23101A422"]).sort_index(), check_names=False
    )
