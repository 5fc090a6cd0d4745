"""Sector profile, trend and ranking against the engine on the demo zone."""

from __future__ import annotations

import pandas as pd
import pytest

from zorgzaam.comparisons import with_references
from zorgzaam.demo import DEMO_ELZ_NAME, TINY_SECTOR, TOWN_CODE
from zorgzaam.engine import compute
from zorgzaam.profiles import profile_indicators, ranking, sector_profile, trend
from zorgzaam.store import Store, close_all


@pytest.fixture
def store(demo_db):
    yield Store.open(demo_db)
    close_all()


def test_profile_has_every_indicator_beside_municipality_zone_and_flanders(store):
    sector = f"{TOWN_CODE}A05-"
    profile, refs = sector_profile(store, sector)
    assert list(profile["indicator"]) == profile_indicators()
    assert [r.level for r in refs] == ["gemeente", "elz", "gewest"]
    direct, _ = with_references(store, ["pct_alone_75plus"], "statsec", sector)
    row = profile.set_index("indicator").loc["pct_alone_75plus"]
    zone = direct[direct["area_level"] == "elz"].iloc[0]
    own = direct[direct["role"] == "gebied"].iloc[0]
    assert row["value"] == pytest.approx(own["value"])
    assert row["ref_elz"] == pytest.approx(zone["value"])
    assert row["index_elz"] == pytest.approx(own["value"] / zone["value"] * 100)
    assert pd.isna(profile.set_index("indicator").loc["pop_total", "index_elz"])  # counts get no index


def test_hidden_sector_profile_keeps_x_and_no_index(store):
    profile, _ = sector_profile(store, TINY_SECTOR)
    row = profile.set_index("indicator").loc["pct_80plus"]
    assert row["value_text"] == "x" and pd.isna(row["value"]) and pd.isna(row["index_elz"])


def test_trend_covers_every_period_for_sector_and_references(store):
    sector = f"{TOWN_CODE}A05-"
    data = trend(store, "statsec", sector, "pct_80plus")
    assert sorted(data["period"].unique()) == store.periods(["pop_age_80_89"])
    assert set(data["role"]) == {
        "gebied",
        "gemeente Heidebeek",
        f"gemiddelde eerstelijnszone {DEMO_ELZ_NAME}",
        "Vlaanderen",
    }
    for period, rows in data.groupby("period"):
        direct = compute(store, ["pct_80plus"], areas=[("statsec", sector)], period=period)
        assert rows[rows["role"] == "gebied"]["value"].iloc[0] == pytest.approx(direct["value"].iloc[0])


def test_ranking_sorts_highest_first_with_missing_last_and_small_flagged(store):
    result = compute(store, ["pop_total", "pct_80plus"], level="statsec", within=("gemeente", TOWN_CODE))
    pop = result[result["indicator"] == "pop_total"].set_index("area_code")["value"]
    ranked = ranking(result, "pct_80plus", 100, pop)
    known = ranked.dropna(subset=["value"])
    assert list(known["value"]) == sorted(known["value"], reverse=True)
    assert list(known["rank"]) == list(range(1, len(known) + 1))
    assert ranked.iloc[-1]["area_code"] == TINY_SECTOR and ranked.iloc[-1]["value_text"] == "x"
    assert bool(ranked.set_index("area_code").loc[TINY_SECTOR, "small"])
    top = known.iloc[0]
    assert top["count_text"] == f"{int(top['numerator']):,} / {int(top['denominator']):,}".replace(",", ".")


def test_trend_of_an_indicator_built_from_derived_counts(store):
    # mantelzorgratio needs pop_age_40_79 and pop_age_80plus, which are sums and never stored themselves
    data = trend(store, "statsec", f"{TOWN_CODE}A05-", "mantelzorgratio")
    assert sorted(data["period"].unique()) == ["2020", "2025"]
    assert data[data["role"] == "gebied"]["value"].notna().all()


def test_profile_leaves_out_indicators_without_any_data(store):
    sector = f"{TOWN_CODE}A05-"
    profile, _ = sector_profile(store, sector)
    assert "pct_no_basket_1200m" in set(profile["indicator"])  # the demo has its access counts
    store._cursor().execute("BEGIN TRANSACTION")
    try:
        store._cursor().execute("DELETE FROM observations WHERE variable LIKE 'acc_%'")
        without, _ = sector_profile(store, sector)
    finally:
        store._cursor().execute("ROLLBACK")
    codes = set(without["indicator"])
    assert "pct_no_basket_1200m" not in codes and "pct_in_kern" not in codes
    assert "pct_80plus" in codes
