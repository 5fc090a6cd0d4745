"""The results table: every indicator for every area and period, computed once per data version."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from tests.demo_store import demo_db  # noqa: F401  (session fixture)
from tests.helpers import SECTORS, hierarchy_frames, observations
from zorgzaam import engine
from zorgzaam.engine import compute, refresh_results
from zorgzaam.store import Store, close_all


@pytest.fixture
def demo_copy(demo_db, tmp_path):  # noqa: F811
    close_all()
    path = tmp_path / "copy.duckdb"
    shutil.copy(demo_db, path)
    yield Store.open(path)
    close_all()


@pytest.fixture
def computed_only(monkeypatch):
    """A context in which compute never reads the table (today's work, for comparison)."""

    def switch(on: bool) -> None:
        monkeypatch.setattr(engine, "USE_RESULTS", not on)

    return switch


def _small_store(path) -> Store:
    store = Store.open(path)
    areas, parents = hierarchy_frames()
    rows = {("statsec", code): {"pop_total": 100 + k, "pop_age_80plus": 10 + k} for k, code in enumerate(SECTORS)}
    store.replace_dataset(
        "test", title="Test", source="test", areas=areas, area_parents=parents, observations=observations(rows)
    )
    return store


def test_the_demo_results_equal_the_engine_for_every_indicator_level_and_period(demo_copy, computed_only):
    store = demo_copy
    assert store.results_fresh(), "install_demo computes the results table"
    codes = list(store.catalogue().indicators)
    levels = sorted(set(store.areas()["level"]))
    assert {"statsec", "gemeente", "elz", "provincie", "gewest"} <= set(levels)
    # A period between or after the stored ones reads the latest stored one before it.
    asked = [(period, level) for period in store.periods(None) for level in levels]
    for period, level in [*asked, ("2023", "gemeente"), ("2030", "statsec")]:
        computed_only(True)
        expected = compute(store, codes, level=level, period=period)
        computed_only(False)
        looked_up = engine._stored_results(
            store, [store.catalogue().indicator(c) for c in codes], store.areas(level), period
        )
        assert looked_up is not None, (period, level)
        pd.testing.assert_frame_equal(looked_up, expected)
        if period == "2030":
            assert set(looked_up.loc[looked_up["status"] == "ok", "period"]) == {"2025"}


def test_compute_reads_the_table_for_a_zone_with_references(demo_copy, computed_only, monkeypatch):
    store = demo_copy
    zone = store.areas("elz")["code"].iloc[0]
    areas = [("elz", zone), ("gewest", store.areas("gewest")["code"].iloc[0])]
    computed_only(True)
    expected = compute(store, ["pct_80plus", "pct_alone_75plus"], areas=areas)
    computed_only(False)

    def no_computing(*args, **kwargs):
        raise AssertionError("computed instead of read from the results table")

    monkeypatch.setattr(engine, "_compute_latest", no_computing)
    pd.testing.assert_frame_equal(compute(store, ["pct_80plus", "pct_alone_75plus"], areas=areas), expected)


def test_results_are_recomputed_when_the_data_version_changes(tmp_path, computed_only):
    store = _small_store(tmp_path / "s.duckdb")
    assert store.results_version() is None
    assert refresh_results(store) is True
    assert store.results_fresh()
    assert refresh_results(store) is False, "up to date: nothing to do"
    before = compute(store, ["pct_80plus"], level="statsec")
    assert before["value"].tolist() == pytest.approx([(10 + k) / (100 + k) * 100 for k in range(len(SECTORS))])

    # New figures for the same period: the table is stale, compute does not read it.
    areas, parents = hierarchy_frames()
    rows = {("statsec", code): {"pop_total": 200, "pop_age_80plus": 50} for code in SECTORS}
    store.replace_dataset(
        "test", title="Test", source="test", areas=areas, area_parents=parents, observations=observations(rows)
    )
    assert not store.results_fresh()
    after = compute(store, ["pct_80plus"], level="statsec")
    assert list(after["value"]) != list(before["value"])
    assert after["value"].tolist() == pytest.approx([25.0] * len(after))

    assert refresh_results(store) is True
    assert store.results_fresh()
    computed_only(True)
    pd.testing.assert_frame_equal(compute(store, ["pct_80plus"], level="statsec"), after)


def test_results_computed_before_a_write_are_not_kept(tmp_path):
    store = _small_store(tmp_path / "s.duckdb")
    stale_version = store.data_version()
    areas, parents = hierarchy_frames()
    rows = {("statsec", code): {"pop_total": 1, "pop_age_80plus": 1} for code in SECTORS}
    store.replace_dataset(
        "other", title="Other", source="test", areas=areas, area_parents=parents, observations=observations(rows)
    )
    frame = pd.DataFrame(columns=["asked_period", *engine.RESULT_COLUMNS])
    assert store.replace_results(stale_version, frame) is False
    assert store.results_version() is None


def test_a_read_only_store_computes_without_the_table(tmp_path):
    path = tmp_path / "s.duckdb"
    expected = compute(_small_store(path), ["pct_80plus"], level="statsec")
    close_all()
    reader = Store.open(path, read_only=True)
    assert refresh_results(reader) is False
    pd.testing.assert_frame_equal(compute(reader, ["pct_80plus"], level="statsec"), expected)
    close_all()


def test_every_indicator_of_the_catalogue_is_in_the_table(demo_copy):
    store = demo_copy
    before = set(store._query_df("SELECT DISTINCT indicator FROM indicator_results")["indicator"])
    assert "pct_80plus" in before
    assert len(before) == len(store.catalogue().indicators)


def test_the_table_equals_the_engine_for_indicators_without_data(tmp_path, computed_only):
    # Only population counts: most indicators have no data at all and are "ontbrekend" everywhere.
    store = _small_store(tmp_path / "s.duckdb")
    assert refresh_results(store) is True
    codes = list(store.catalogue().indicators)
    for level in ("statsec", "gemeente", "elz", "gewest"):
        looked_up = compute(store, codes, level=level)
        computed_only(True)
        expected = compute(store, codes, level=level)
        computed_only(False)
        pd.testing.assert_frame_equal(looked_up, expected)
        missing = looked_up[looked_up["indicator"] == "pct_tenants"]
        assert (missing["status"] == "ontbrekend").all() and missing["value"].isna().all()


def test_one_exact_period_read_from_the_table_equals_the_engine(demo_copy, computed_only, monkeypatch):
    # A trend asks each period exactly: an area whose latest figure is older has no data in that period.
    store = demo_copy
    codes = list(store.catalogue().indicators)
    for period in store.periods(None):
        for level in ("statsec", "gemeente", "elz", "gewest"):
            computed_only(True)
            expected = compute(store, codes, level=level, period=period, exact_period=True)
            computed_only(False)
            got = compute(store, codes, level=level, period=period, exact_period=True)
            pd.testing.assert_frame_equal(got, expected)
    older = compute(store, codes, level="statsec", period=store.periods(None)[0], exact_period=True)
    assert (older["status"] == "ontbrekend").any() and (older["status"] == "ok").any()

    def no_computing(*args, **kwargs):
        raise AssertionError("computed instead of read from the results table")

    monkeypatch.setattr(engine, "_compute_period", no_computing)
    compute(store, ["pct_80plus"], level="statsec", period=store.periods(None)[-1], exact_period=True)


def test_a_profile_passing_the_stores_catalogue_reads_the_table(demo_copy, monkeypatch):
    from zorgzaam.profiles import sector_profile

    store = demo_copy
    sector = store.areas("statsec")["code"].iloc[0]
    expected, refs = sector_profile(store, sector)

    def no_computing(*args, **kwargs):
        raise AssertionError("computed instead of read from the results table")

    monkeypatch.setattr(engine, "_compute_latest", no_computing)
    got, got_refs = sector_profile(store, sector)
    pd.testing.assert_frame_equal(got, expected)
    assert got_refs == refs


def test_a_table_of_an_older_row_format_is_recomputed(tmp_path):
    from zorgzaam.store.results import RESULTS_FORMAT

    store = _small_store(tmp_path / "s.duckdb")
    assert refresh_results(store) is True and store.results_fresh()
    with store._transaction() as cur:  # as an older zorgzaam left it
        cur.execute(
            "UPDATE meta SET value = ? WHERE key = 'results_version'",
            [f"{store.data_version()}#{RESULTS_FORMAT - 1}"],
        )
    assert not store.results_fresh()
    assert refresh_results(store) is True and store.results_fresh()
