"""Each indicator from its own latest period, and incomplete references with their coverage."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.helpers import SECTORS, hierarchy_frames, observations
from zorgzaam.engine import compute
from zorgzaam.formatting import format_figure
from zorgzaam.catalogue import BUILTIN
from zorgzaam.store import Store, close_all


@pytest.fixture
def close():
    yield
    close_all()


def _store(path, by_period: dict[str, dict[tuple[str, str], dict]]) -> Store:
    store = Store.open(path)
    areas, parents = hierarchy_frames()
    obs = pd.concat([observations(rows, period) for period, rows in by_period.items()], ignore_index=True)
    store.replace_dataset("test", title="Test", source="test", areas=areas, area_parents=parents, observations=obs)
    return store


def _row(result: pd.DataFrame, code: str, indicator: str) -> pd.Series:
    return result[(result["area_code"] == code) & (result["indicator"] == indicator)].iloc[0]


def sectors(values: dict[str, object]) -> dict[tuple[str, str], dict]:
    return {("statsec", code): dict(values) for code in SECTORS}


def test_each_indicator_takes_its_own_latest_period_up_to_the_one_asked(tmp_path, close):
    store = _store(
        tmp_path / "p.duckdb",
        {
            "2023": sectors({"tax_returns": 100, "net_taxable_income": 4_000_000}),
            "2022": sectors({"tax_returns": 100, "net_taxable_income": 3_000_000}),
            "2025": sectors({"pop_total": 500}),
        },
    )
    result = compute(store, ["pop_total", "avg_net_taxable_income"], level="statsec", period="2025")
    assert set(result.loc[result["indicator"] == "pop_total", "period"]) == {"2025"}
    income = result[result["indicator"] == "avg_net_taxable_income"]
    assert set(income["period"]) == {"2023"} and (income["value"] == 40_000).all()
    # Asked for 2022: income of 2022, population has no data up to 2022 ("ontbrekend", never hidden).
    older = compute(store, ["pop_total", "avg_net_taxable_income"], level="statsec", period="2022")
    assert (older.loc[older["indicator"] == "avg_net_taxable_income", "value"] == 30_000).all()
    pop = older[older["indicator"] == "pop_total"]
    assert set(pop["status"]) == {"ontbrekend"} and set(pop["period"]) == {"2022"}
    # The default period is the latest of any indicator asked.
    default = compute(store, ["pop_total", "avg_net_taxable_income"], areas=[("gemeente", "11111")])
    assert _row(default, "11111", "pop_total")["value"] == 1000
    assert _row(default, "11111", "avg_net_taxable_income")["period"] == "2023"
    # A trend asks for exactly one period.
    exact = compute(store, ["avg_net_taxable_income"], level="statsec", period="2025", exact_period=True)
    assert set(exact["status"]) == {"ontbrekend"}


def test_the_period_is_resolved_per_area(tmp_path, close):
    rows_2024 = sectors({"pop_total": 400})
    rows_2025 = {("statsec", c): {"pop_total": 500} for c in SECTORS if c.startswith("11111")}
    store = _store(tmp_path / "p.duckdb", {"2024": rows_2024, "2025": rows_2025})
    result = compute(store, ["pop_total"], level="statsec", period="2025")
    by_code = result.set_index("area_code")
    assert by_code.loc["11111A00-", "period"] == "2025" and by_code.loc["11111A00-", "value"] == 500
    assert by_code.loc["22222A00-", "period"] == "2024" and by_code.loc["22222A00-", "value"] == 400
    # The municipality sums its sectors within one period: Tweedorp from 2024, Eenstad from 2025.
    towns = compute(store, ["pop_total"], level="gemeente", period="2025").set_index("area_code")
    assert towns.loc["11111", "value"] == 1000 and towns.loc["11111", "period"] == "2025"
    assert towns.loc["22222", "value"] == 800 and towns.loc["22222", "period"] == "2024"


def test_a_ratio_never_mixes_periods(tmp_path, close):
    # Numerator only in 2023, denominator only in 2025: no period has both, so no value.
    store = _store(
        tmp_path / "p.duckdb",
        {
            "2023": sectors({"pop_age_80_89": 30, "pop_age_90plus": 5}),
            "2025": sectors({"pop_total": 500}),
        },
    )
    result = compute(store, ["pct_80plus"], level="statsec", period="2025")
    assert set(result["status"]) == {"ontbrekend"} and result["value"].isna().all()


def test_a_hidden_value_stays_hidden_in_its_latest_period(tmp_path, close):
    store = _store(
        tmp_path / "p.duckdb",
        {
            "2022": sectors({"pop_total": 500}),
            "2023": {**sectors({"pop_total": 510}), ("statsec", "22222A012"): {"pop_total": "x"}},
        },
    )
    result = compute(store, ["pop_total"], level="statsec", period="2025").set_index("area_code")
    assert result.loc["22222A012", "status"] == "verborgen" and result.loc["22222A012", "period"] == "2023"


def test_an_incomplete_reference_is_the_ratio_over_its_known_part_with_its_coverage(tmp_path, close):
    rows = sectors({"tax_returns": 1000, "net_taxable_income": 40_000_000})
    rows[("statsec", "22222A012")] = {"tax_returns": 10, "net_taxable_income": "x"}
    rows[("statsec", "22222A00-")] = {"tax_returns": 990, "net_taxable_income": 49_500_000}
    store = _store(tmp_path / "p.duckdb", {"2023": rows})
    result = compute(store, ["avg_net_taxable_income"], areas=[("gemeente", "22222"), ("elz", "elz1")])
    town = _row(result, "22222", "avg_net_taxable_income")
    assert town["status"] == "onvolledig" and pd.isna(town["value"])  # never a complete value
    assert town["approx"] == pytest.approx(49_500_000 / 990)
    assert town["coverage"] == pytest.approx(990 / 1000) and town["coverage_of"] == "aangiften"
    zone = _row(result, "elz1", "avg_net_taxable_income")
    assert zone["approx"] == pytest.approx((80_000_000 + 49_500_000) / 2990)
    assert zone["coverage"] == pytest.approx(2990 / 3000)
    ind = BUILTIN.indicator("avg_net_taxable_income")
    assert format_figure(ind, town) == "≈ 50.000 euro · 99,0 % van de aangiften"


def test_coverage_by_sectors_when_the_denominator_is_hidden_too(tmp_path, close):
    rows = sectors({"tax_returns": 1000, "net_taxable_income": 40_000_000})
    rows[("statsec", "22222A012")] = {"tax_returns": "x", "net_taxable_income": "x"}
    store = _store(tmp_path / "p.duckdb", {"2023": rows})
    town = _row(
        compute(store, ["avg_net_taxable_income"], areas=[("gemeente", "22222")]), "22222", "avg_net_taxable_income"
    )
    assert town["status"] == "onvolledig" and town["approx"] == pytest.approx(40_000)
    assert town["coverage"] == pytest.approx(0.5) and town["coverage_of"] == "sectoren"


def test_a_reference_without_data_is_missing_not_hidden(tmp_path, close):
    # Flanders holds sectors without any data beside the zone's: it is "-" (ontbrekend), not "x".
    store = Store.open(tmp_path / "p.duckdb")
    areas, parents = hierarchy_frames()
    others = [f"33333A{k:02d}-" for k in range(10)]
    areas = pd.concat([areas, pd.DataFrame({"level": "statsec", "code": others, "name": others})], ignore_index=True)
    parents = pd.concat(
        [parents, pd.DataFrame({"level": "statsec", "code": others, "parent_level": "gewest", "parent_code": "2000"})],
        ignore_index=True,
    )
    rows = sectors({"pop_total": 100})
    rows[("statsec", "22222A012")] = {"pop_total": "x"}
    store.replace_dataset(
        "test", title="Test", source="test", areas=areas, area_parents=parents, observations=observations(rows, "2025")
    )
    result = compute(store, ["pop_total"], areas=[("gewest", "2000"), ("elz", "elz1")])
    flanders = _row(result, "2000", "pop_total")
    assert flanders["status"] == "ontbrekend" and format_figure(BUILTIN.indicator("pop_total"), flanders) == "-"
    zone = _row(result, "elz1", "pop_total")
    assert zone["status"] == "onvolledig" and zone["approx"] == 300 and zone["coverage_of"] == "sectoren"
