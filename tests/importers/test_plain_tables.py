"""Plain tables (a column of sector or NIS codes, columns of numbers) and files whose codes do not meet
the store's areas (figures.recognise_plain, figures.plan_figures, core.require_known_codes)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.importers.conftest import open_copy
from zorgzaam.importers import ImportProblem, SourceFile, plan_sources
from zorgzaam.importers.figures import PLAIN, ColumnTarget, plan_figures, recognise_plain, year_in_name

POPULATION = "zenvallei/population_2025_sectors_transcribed.csv"


@pytest.fixture
def store(zone_file, tmp_path):
    yield from open_copy(zone_file, tmp_path)


@pytest.fixture(scope="module")
def population(realdata) -> pd.DataFrame:
    return pd.read_csv(realdata / POPULATION, dtype=str)


def snapshot(store) -> dict[str, object]:
    """What a refused import must leave as it was: every row count and the datasets."""
    counts = {
        t: store._scalar(f"SELECT count(*) FROM {t}")
        for t in ("areas", "area_parents", "observations", "datasets", "column_mappings", "indicators", "base_counts")
    }
    counts["dataset_ids"] = sorted(store.datasets()["dataset_id"]) if len(store.datasets()) else []
    counts["wijk_codes"] = sorted(store.areas("wijk")["code"])
    return counts


def test_the_plain_population_csv_is_recognised_and_imports_once_mapped(store, population, realdata):
    source = SourceFile.from_path(realdata / POPULATION)
    (plan,) = plan_sources([source], store)  # recognised, but nothing is mapped yet
    assert plan.unmapped_columns == ["population_2025", "area_ha", "density_per_ha"]
    assert plan.value_columns == ["population_2025", "area_ha", "density_per_ha"]
    assert plan.observations is None and not plan.writes_something
    assert plan.asks_period and plan.period_proposal == "2025"
    assert plan.preview.matched == 154 and plan.preview.unmatched == []
    assert "sector_id" in plan.preview.description

    mapping = {"population_2025": ColumnTarget("base", "pop_total"), "area_ha": ColumnTarget("skip")}
    (plan,) = plan_sources([source], store, mapping)
    assert plan.preview.periods == ["2025"]  # the year in the column's name
    assert plan.unmapped_columns == ["density_per_ha"]  # left out, listed
    plan.apply(store)
    stored = store.observations(["pop_total"], ["2025"])
    expected = population["population_2025"].astype(int)
    assert len(stored) == len(population) == 154
    assert stored["value"].sum() == expected.sum()
    assert set(stored["area_code"]) == set(population["sector_id"]) and set(stored["area_level"]) == {"statsec"}
    one = population.iloc[7]
    assert stored.set_index("area_code").loc[one["sector_id"], "value"] == int(one["population_2025"])
    assert store.observations(["area_ha"], ["2025"]).empty


def test_a_given_period_overrides_the_year_in_the_column_name(store, population):
    mapping = {"population_2025": ColumnTarget("base", "pop_total")}
    plan = plan_figures(population, ["bevolking.csv"], store, mapping, layout=PLAIN, period="2024")
    assert plan.preview.periods == ["2024"] and set(plan.observations["period"]) == {"2024"}
    with pytest.raises(ImportProblem, match="geen jaar"):
        plan_figures(population, ["bevolking.csv"], store, mapping, layout=PLAIN, period="vorig jaar")


def test_a_column_without_a_year_takes_the_year_of_the_other_columns(store, population):
    mapping = {"population_2025": ColumnTarget("base", "pop_total"), "area_ha": ColumnTarget("base", "pop_men")}
    plan = plan_figures(population, ["bevolking.csv"], store, mapping)
    assert set(plan.observations["period"]) == {"2025"} and plan.lacking_period == []
    assert "voorgesteld voor area_ha: 2025" in " ".join(plan.preview.notes)


def test_a_column_without_a_year_waits_for_a_period(store, population):
    frame = population.rename(columns={"population_2025": "inwoners"})
    plan = plan_figures(frame, ["bevolking.csv"], store, {"inwoners": ColumnTarget("base", "pop_total")})
    assert plan.lacking_period == ["inwoners"] and not plan.writes_something and plan.period_proposal is None
    assert any("geef de periode op" in w for w in plan.preview.warnings)
    given = plan_figures(
        frame, ["bevolking.csv"], store, {"inwoners": ColumnTarget("base", "pop_total")}, period="2025"
    )
    assert given.lacking_period == [] and given.observations["value"].sum() == frame["inwoners"].astype(int).sum()


def test_year_in_a_column_name():
    assert year_in_name("population_2025") == "2025"
    assert year_in_name("inwoners 2019 tot 2023") == "2023"
    assert year_in_name("ses_pre1945Housing") is None and year_in_name("v2506_elek") is None
    assert year_in_name("area_ha") is None


def test_a_table_per_municipality_with_nis_codes(store, population):
    per_nis = (
        population.assign(nis=population["sector_id"].str[:5], inwoners_2025=population["population_2025"].astype(int))
        .groupby("nis", as_index=False)["inwoners_2025"]
        .sum()
    )
    frame = per_nis.astype(str)
    assert recognise_plain(frame, store) == ("nis", "gemeente")
    plan = plan_figures(frame, ["gemeenten.csv"], store, {"inwoners_2025": ColumnTarget("base", "pop_total")})
    assert plan.preview.matched == len(per_nis) == 7
    plan.apply(store)
    stored = store.observations(["pop_total"], ["2025"])
    assert set(stored["area_level"]) == {"gemeente"}
    assert stored.set_index("area_code")["value"].to_dict() == per_nis.set_index("nis")["inwoners_2025"].to_dict()


def test_a_table_whose_codes_match_no_area_is_refused_and_nothing_is_written(store, population):
    before = snapshot(store)
    # Walloon-looking sectors: the shape of sector codes, none of them in the store.
    strangers = population.assign(sector_id="52011A" + population.index.astype(str).str.zfill(3))
    mapping = {"population_2025": ColumnTarget("base", "pop_total")}
    with pytest.raises(ImportProblem) as refused:
        plan_figures(strangers, ["elders.csv"], store, mapping)
    text = refused.value.message
    assert text.startswith("Geen van de 154 codes komt overeen met de gebieden in de databank")
    assert "gevonden: 52011A000, 52011A001, 52011A002" in text and "verwacht: sectorcodes zoals" in text
    assert text.count(".") == 1 and text.endswith(".")
    # Too few: 60 of 154 match (39 %), and they cover far less than half of the store's sectors.
    few = population.copy()
    few.loc[60:, "sector_id"] = strangers.loc[60:, "sector_id"]
    with pytest.raises(
        ImportProblem, match=r"^Slechts 60 van de 154 codes \(39,0 %\) komen overeen.*minder dan de helft"
    ):
        plan_figures(few, ["elders.csv"], store, mapping)
    assert snapshot(store) == before


def test_an_outline_file_that_meets_none_of_the_stores_areas_is_refused(store, realdata):
    # The store knows the wijken of the area table (codes like 1100101); PinC's ggw7 outlines use 11001W01.
    assert len(store.areas("wijk")) > 2000
    before = snapshot(store)
    parts = [
        SourceFile.from_path(realdata / "pinc_gebiedsniveaus" / f"ggw7.{e}")
        for e in ("shp", "shx", "dbf", "prj", "cpg")
    ]
    with pytest.raises(ImportProblem) as refused:
        plan_sources(parts, store)
    text = refused.value.message
    assert text.startswith("Geen van de 2.767 codes komt overeen met de gebieden in de databank")
    assert "gevonden: 11001W01, 11001W02, 11001W03" in text and "verwacht: wijkcodes zoals 1100101" in text
    assert snapshot(store) == before


def test_a_first_import_of_outlines_still_defines_its_areas(realdata, tmp_path):
    from zorgzaam.store import Store, close_all

    store = Store.open(tmp_path / "leeg.duckdb")
    try:
        parts = [
            SourceFile.from_path(realdata / "pinc_gebiedsniveaus" / f"elz.{e}")
            for e in ("shp", "shx", "dbf", "prj", "cpg")
        ]
        (plan,) = plan_sources(parts, store)
        plan.apply(store)
        assert len(store.areas("elz")) == plan.preview.levels["elz"] > 50
    finally:
        close_all()
