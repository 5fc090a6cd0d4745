"""The indicator engine: formulas on hand-computed numbers, ratio of sums, hidden values."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tests.helpers import SECTOR_1, make_store, scaled
from zorgzaam.catalogue import BUILTIN, REQUIRED_CODES
from zorgzaam.engine import EngineError, compute, derive_counts
from zorgzaam.store import close_all

S1, S2, S3, S4 = "11111A00-", "11111A01-", "22222A00-", "22222A012"


@pytest.fixture
def store(tmp_path):
    rows = {
        ("statsec", S1): SECTOR_1,
        ("statsec", S2): scaled(SECTOR_1, 0.5),
        ("statsec", S3): scaled(SECTOR_1, 2.0),
        ("statsec", S4): scaled(SECTOR_1, 0.1),
    }
    # Sector 2 is younger: fewer 80+ (so sector percentages differ).
    rows[("statsec", S2)].update({"pop_age_80_89": 5, "pop_age_90plus": 0, "pop_age_75plus": 20})
    s = make_store(tmp_path / "t.duckdb", rows)
    yield s
    close_all()


def value(df: pd.DataFrame, code: str, indicator: str) -> float:
    row = df[(df["area_code"] == code) & (df["indicator"] == indicator)]
    assert len(row) == 1
    return float(row["value"].iloc[0])


def status(df: pd.DataFrame, code: str, indicator: str) -> str:
    return df[(df["area_code"] == code) & (df["indicator"] == indicator)]["status"].iloc[0]


# Hand-computed from SECTOR_1.
EXPECTED_SECTOR_1 = {
    "pop_total": 1000,
    "n_households": 400,
    "pct_men": 49.0,
    "pct_women": 51.0,
    "pct_age_0_9": 10.0,
    "pct_age_10_19": 11.0,
    "pct_age_20_29": 12.0,
    "pct_age_30_39": 13.0,
    "pct_age_40_49": 14.0,
    "pct_age_50_59": 13.0,
    "pct_age_60_69": 12.0,
    "pct_age_70_79": 8.0,
    "pct_age_80_89": 6.0,
    "pct_age_90plus": 1.0,
    "pct_65plus": 21.0,
    "pct_80plus": 7.0,  # (60 + 10) / 1000
    "pct_same_address": 90.0,
    "mantelzorgratio": 470 / 70,  # (140+130+120+80) / (60+10), no x100
    "groene_druk": 210 / 560 * 100,  # (100+110) / 20-64
    "grijze_druk": 210 / 560 * 100,  # 65+ / 20-64
    "interne_vergrijzing": 70 / 210 * 100,  # 80+ / 65+
    "pct_single_person_hh": 30.0,  # households, not residents
    "pct_single_parent_hh": 5.0,
    "pct_alone_18_64": 58 / 582 * 100,  # residents 18-64, not households
    "pct_alone_75plus": 40.0,  # 44 / 110 residents 75+
    "pct_low_edu_mother_primary": 15.0,
    "pct_low_edu_mother_secondary": 10.0,
    "pct_increased_reimbursement_20_64": 10.0,
    "pct_replacement_income_65plus": 5.0,
    "pct_tenants": 25.0,  # 95 / 380 households with known tenure
    "social_rental_per_100hh": 3.0,  # 12 / 400 x 100
    "n_social_rental_dwellings": 12,
    "pct_non_belgian_birth_nat": 5.0,
    "pct_non_belgian_origin": 15.0,
    "pct_chronic_condition": 20.0,
    "pct_antidepressants": 10.0,
    "avg_net_taxable_income": 37_500.0,  # 19,5 million euro / 520 returns
    "cars_per_household": 1.1,  # 451 cars / 410 households
}


def test_every_required_code_is_in_the_catalogue():
    assert set(REQUIRED_CODES) <= set(BUILTIN.indicators)
    # The access indicators come from the spatial layers, not from published counts (test_access.py).
    published = {c for c, ind in BUILTIN.indicators.items() if ind.theme != "voorzieningen en bereikbaarheid"}
    assert set(EXPECTED_SECTOR_1) == published


def test_every_formula_on_hand_computed_numbers(store):
    df = compute(store, list(EXPECTED_SECTOR_1), areas=[("statsec", S1)])
    for code, expected in EXPECTED_SECTOR_1.items():
        assert status(df, S1, code) == "ok", code
        assert value(df, S1, code) == pytest.approx(expected), code


def test_numerator_and_denominator_are_the_base_counts(store):
    df = compute(store, ["pct_alone_75plus", "mantelzorgratio"], areas=[("statsec", S1)])
    row = df[df["indicator"] == "pct_alone_75plus"].iloc[0]
    assert (row["numerator"], row["denominator"]) == (44, 110)
    row = df[df["indicator"] == "mantelzorgratio"].iloc[0]
    assert (row["numerator"], row["denominator"]) == (470, 70)


def test_care_zone_is_a_ratio_of_sums_not_a_mean_of_percentages(store):
    sectors = compute(store, ["pct_80plus"], level="statsec")
    zone = compute(store, ["pct_80plus"], areas=[("elz", "elz1")])
    expected = sectors["numerator"].sum() / sectors["denominator"].sum() * 100
    assert value(zone, "elz1", "pct_80plus") == pytest.approx(expected)
    mean_of_pcts = sectors["value"].mean()
    assert not math.isclose(value(zone, "elz1", "pct_80plus"), mean_of_pcts, rel_tol=1e-3)


def test_every_level_sums_its_own_sectors(store):
    df = compute(store, ["pct_single_person_hh"], level="gemeente")
    sectors = compute(store, ["pct_single_person_hh"], level="statsec")
    for gemeente, members in (("11111", [S1, S2]), ("22222", [S3, S4])):
        sub = sectors[sectors["area_code"].isin(members)]
        assert value(df, gemeente, "pct_single_person_hh") == pytest.approx(
            sub["numerator"].sum() / sub["denominator"].sum() * 100
        )


def test_within_filters_to_the_parent(store):
    df = compute(store, ["pop_total"], level="statsec", within=("gemeente", "22222"))
    assert sorted(df["area_code"]) == [S3, S4]


def test_hidden_value_makes_indicator_missing_and_totals_incomplete(tmp_path):
    hidden = dict(SECTOR_1, pop_age_80_89="x")
    rows = {("statsec", S1): SECTOR_1, ("statsec", S2): SECTOR_1, ("statsec", S3): SECTOR_1, ("statsec", S4): hidden}
    store = make_store(tmp_path / "h.duckdb", rows)
    try:
        df = compute(store, ["pct_80plus", "pct_men", "mantelzorgratio"], level="statsec")
        assert status(df, S4, "pct_80plus") == "verborgen"
        assert math.isnan(value(df, S4, "pct_80plus"))
        assert status(df, S4, "mantelzorgratio") == "verborgen"
        assert status(df, S4, "pct_men") == "ok"  # does not need the hidden count
        # The municipality and the zone contain the hidden value: not a sum with a 0 in it.
        totals = compute(
            store, ["pct_80plus", "pct_men"], areas=[("gemeente", "22222"), ("elz", "elz1"), ("gemeente", "11111")]
        )
        assert status(totals, "22222", "pct_80plus") == "onvolledig"
        assert math.isnan(value(totals, "22222", "pct_80plus"))
        assert status(totals, "elz1", "pct_80plus") == "onvolledig"
        assert status(totals, "11111", "pct_80plus") == "ok"
        assert value(totals, "elz1", "pct_men") == pytest.approx(49.0)
    finally:
        close_all()


def test_published_municipal_total_fills_what_hidden_sectors_cannot(tmp_path):
    hidden = dict(SECTOR_1, pop_age_80_89="x")
    rows = {
        ("statsec", S1): SECTOR_1,
        ("statsec", S2): SECTOR_1,
        ("statsec", S3): SECTOR_1,
        ("statsec", S4): hidden,
        # The source publishes the municipality with the hidden value included.
        ("gemeente", "22222"): {"pop_total": 2000, "pop_age_80_89": 125, "pop_age_90plus": 20},
    }
    store = make_store(tmp_path / "m.duckdb", rows)
    try:
        df = compute(store, ["pct_80plus"], areas=[("gemeente", "22222"), ("elz", "elz1")])
        assert value(df, "22222", "pct_80plus") == pytest.approx(145 / 2000 * 100)
        # The zone sums its municipalities: 11111 from its sectors, 22222 as published.
        assert status(df, "elz1", "pct_80plus") == "ok"
        assert value(df, "elz1", "pct_80plus") == pytest.approx((70 + 70 + 145) / (1000 + 1000 + 2000) * 100)
    finally:
        close_all()


def test_stored_reference_value_is_used_without_sectors(tmp_path):
    rows = {
        ("statsec", S1): SECTOR_1,
        ("gewest", "2000"): {"pop_total": 6_800_000, "pop_age_80_89": 380_000, "pop_age_90plus": 55_000},
    }
    store = make_store(tmp_path / "r.duckdb", rows)
    try:
        df = compute(store, ["pct_80plus"], areas=[("gewest", "2000")])
        assert value(df, "2000", "pct_80plus") == pytest.approx(435_000 / 6_800_000 * 100)
    finally:
        close_all()


def test_zero_denominator_is_not_applicable(tmp_path):
    store = make_store(tmp_path / "z.duckdb", {("statsec", S1): dict(SECTOR_1, pop_age_80_89=0, pop_age_90plus=0)})
    try:
        df = compute(store, ["mantelzorgratio"], areas=[("statsec", S1)])
        assert status(df, S1, "mantelzorgratio") == "nvt"
        assert math.isnan(value(df, S1, "mantelzorgratio"))
    finally:
        close_all()


def test_missing_data_is_ontbrekend_not_zero(tmp_path):
    store = make_store(tmp_path / "o.duckdb", {("statsec", S1): {"pop_total": 500}})
    try:
        df = compute(store, ["pct_tenants"], areas=[("statsec", S1)], period="2025")
        assert status(df, S1, "pct_tenants") == "ontbrekend"
        assert math.isnan(value(df, S1, "pct_tenants"))
    finally:
        close_all()


def test_stored_indicator_value_fills_a_gap(tmp_path):
    extra = pd.DataFrame(
        [("statsec", S1, "pct_antidepressants", "2025", 12.5, "ok")],
        columns=["area_level", "area_code", "variable", "period", "value", "status"],
    )
    store = make_store(tmp_path / "i.duckdb", {("statsec", S1): {"pop_total": 500}}, extra=extra)
    try:
        df = compute(store, ["pct_antidepressants"], areas=[("statsec", S1)])
        assert value(df, S1, "pct_antidepressants") == 12.5
        assert status(df, S1, "pct_antidepressants") == "ok"
    finally:
        close_all()


def test_derived_count_prefers_a_stored_value():
    obs = pd.DataFrame(
        [
            ("gemeente", "1", "pop_age_80_89", "2025", 10.0, "ok"),
            ("gemeente", "1", "pop_age_90plus", "2025", 2.0, "ok"),
            ("gemeente", "2", "pop_age_80_89", "2025", 10.0, "ok"),
            ("gemeente", "2", "pop_age_90plus", "2025", 2.0, "ok"),
            ("gemeente", "2", "pop_age_80plus", "2025", 13.0, "ok"),
        ],
        columns=["area_level", "area_code", "variable", "period", "value", "status"],
    )
    out = derive_counts(obs)
    plus = out[out["variable"] == "pop_age_80plus"].set_index("area_code")["value"]
    assert plus["1"] == 12.0
    assert plus["2"] == 13.0


def test_latest_period_is_the_default(tmp_path):
    store = make_store(tmp_path / "p.duckdb", {("statsec", S1): SECTOR_1}, period="2020")
    try:
        store.replace_dataset(
            "later",
            title="Later",
            source="test",
            observations=pd.DataFrame(
                [("statsec", S1, "pop_total", "2025", 1100.0, "ok")],
                columns=["area_level", "area_code", "variable", "period", "value", "status"],
            ),
        )
        df = compute(store, ["pop_total"], areas=[("statsec", S1)])
        assert df["period"].iloc[0] == "2025"
        assert value(df, S1, "pop_total") == 1100
        old = compute(store, ["pop_total"], areas=[("statsec", S1)], period="2020")
        assert value(old, S1, "pop_total") == 1000
    finally:
        close_all()


def test_unknown_area_is_a_clear_dutch_error(store):
    with pytest.raises(EngineError, match="bestaat niet"):
        compute(store, ["pop_total"], areas=[("gemeente", "99999")])
