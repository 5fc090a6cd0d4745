"""The DuckDB store: schema migrations, all-or-nothing writes, thread-local cursors."""

from __future__ import annotations

import threading

import duckdb
import pandas as pd
import pytest

from tests.helpers import SECTOR_1, hierarchy_frames, make_store, observations
from zorgzaam.store import MIGRATIONS, PLACE_ACCESS_COLUMNS, SCHEMA_VERSION, Store, StoreError, close_all, migrate


@pytest.fixture(autouse=True)
def _close():
    yield
    close_all()


def test_new_store_has_the_latest_schema_and_catalogue(tmp_path):
    store = Store.open(tmp_path / "new.duckdb")
    assert store.schema_version() == SCHEMA_VERSION
    store.sync_catalogue()
    codes = set(store.indicator_rows()["code"])
    assert {"pct_80plus", "mantelzorgratio", "pct_antidepressants"} <= codes


def test_a_version_1_file_is_migrated_and_keeps_its_data(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    migrate(con, target=1)
    con.execute("INSERT INTO observations VALUES ('statsec', '11111A00-', 'pop_total', '2020', 812, 'ok', 'old')")
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert "stops" not in tables  # version 1 predates the spatial layers
    con.close()

    store = Store.open(path)
    assert store.schema_version() == SCHEMA_VERSION > 1
    kept = store.observations(["pop_total"], ["2020"])
    assert kept["value"].tolist() == [812]
    assert store._query_df("SELECT count(*) AS n FROM stops")["n"].iloc[0] == 0


def test_a_newer_file_is_refused_with_a_dutch_message(tmp_path):
    path = tmp_path / "future.duckdb"
    con = duckdb.connect(str(path))
    migrate(con)
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    con.close()
    with pytest.raises(StoreError, match="nieuwer dan deze versie"):
        Store.open(path)


def test_migrations_are_numbered_in_order():
    versions = [v for v, _, _ in MIGRATIONS]
    assert versions == list(range(1, len(versions) + 1))


def test_codes_stay_text_with_leading_zeros(tmp_path):
    store = make_store(tmp_path / "t.duckdb", {("statsec", "11111A00-"): {"pop_total": 5}})
    store.replace_dataset(
        "zeros",
        title="t",
        source="t",
        areas=pd.DataFrame(
            [("gewest", "02000", "Vlaams Gewest", None, None, None)],
            columns=["level", "code", "name", "area_ha", "geom_lambert", "geom_display"],
        ),
    )
    assert store.find_area("02000")["code"].tolist() == ["02000"]


def test_a_failed_import_changes_nothing(tmp_path):
    store = make_store(tmp_path / "t.duckdb", {("statsec", "11111A00-"): SECTOR_1})
    before = store.observations(["pop_total"], ["2025"])
    bad = observations({("statsec", "11111A00-"): {"pop_total": 1}})
    bad.loc[0, "status"] = "kapot"  # violates the status check
    areas, parents = hierarchy_frames()
    with pytest.raises(duckdb.Error):
        store.replace_dataset("test", title="Test", source="test", areas=areas, area_parents=parents, observations=bad)
    after = store.observations(["pop_total"], ["2025"])
    assert after.equals(before)
    assert store.datasets()["dataset_id"].tolist() == ["test"]


def test_reimporting_a_dataset_replaces_never_duplicates(tmp_path):
    rows = {("statsec", "11111A00-"): {"pop_total": 10}}
    store = make_store(tmp_path / "t.duckdb", rows)
    make_store(tmp_path / "t.duckdb", {("statsec", "11111A00-"): {"pop_total": 11}})
    got = store.observations(["pop_total"], ["2025"])
    assert got["value"].tolist() == [11]
    assert len(store.areas("statsec")) == 4


def test_each_thread_gets_its_own_cursor(tmp_path):
    store = make_store(tmp_path / "t.duckdb", {("statsec", "11111A00-"): {"pop_total": 10}})
    cursors, totals = [], []

    def work():
        cur = store._cursor()
        cursors.append(cur)
        totals.append(cur.execute("SELECT sum(value) FROM observations").fetchone()[0])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(c) for c in cursors}) == 4
    assert totals == [10.0] * 4
    assert store._cursor() is store._cursor()


def test_duplicate_keys_in_one_import_are_refused_in_dutch(tmp_path):
    store = make_store(tmp_path / "t.duckdb", {("statsec", "11111A00-"): {"pop_total": 10}})
    twice = pd.concat([observations({("statsec", "11111A00-"): {"pop_total": 12}})] * 2, ignore_index=True)
    with pytest.raises(StoreError, match="Dubbele waarde"):
        store.replace_dataset("other", title="t", source="t", observations=twice)
    assert store.observations(["pop_total"], ["2025"])["value"].tolist() == [10]


def test_a_newer_dataset_replaces_the_same_key_and_deleting_it_leaves_the_rest(tmp_path):
    store = make_store(tmp_path / "t.duckdb", {("statsec", "11111A00-"): {"pop_total": 10, "pop_men": 5}})
    store.replace_dataset(
        "update", title="t", source="t", observations=observations({("statsec", "11111A00-"): {"pop_total": 12}})
    )
    got = store.observations(["pop_total", "pop_men"], ["2025"]).set_index("variable")["value"]
    assert got.to_dict() == {"pop_total": 12, "pop_men": 5}
    store.delete_dataset("test")
    assert store.observations(["pop_total", "pop_men"], ["2025"])["variable"].tolist() == ["pop_total"]
    assert store.areas().empty and store.parents("statsec").shape[0] == 0


def test_summary_notes_upsert_remove_and_bound(tmp_db):
    store = Store.open(tmp_db)
    store.save_summary_note("gemeente", "11111", "2025", "wie", "  Veel jonge gezinnen.  ")
    store.save_summary_note("gemeente", "11111", "2025", "wie", "Veel jonge gezinnen in de verkaveling.")
    store.save_summary_note("gemeente", "11111", "2020", "wie", "Ander jaar.")
    assert store.summary_notes("gemeente", "11111", "2025") == {"wie": "Veel jonge gezinnen in de verkaveling."}
    store.save_summary_note("gemeente", "11111", "2025", "wie", "   ")
    assert store.summary_notes("gemeente", "11111", "2025") == {}
    assert store.summary_notes("gemeente", "11111", "2020") == {"wie": "Ander jaar."}
    with pytest.raises(StoreError, match="te lang"):
        store.save_summary_note("gemeente", "11111", "2025", "wie", "x" * 20_001)
    assert store.summary_notes("gemeente", "11111", "2025") == {}


def test_a_version_3_file_gets_the_place_access_table(tmp_path):
    path = tmp_path / "v3.duckdb"
    con = duckdb.connect(str(path))
    migrate(con, target=3)
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert "summary_notes" in tables and "place_access" not in tables
    con.execute("INSERT INTO grid_cells VALUES ('inwoners', 150050, 200050, 12, '11111A00-', 'old')")
    con.close()

    store = Store.open(path)
    assert store.schema_version() == SCHEMA_VERSION >= 4
    assert store.place_access().empty
    assert list(store.place_access().columns) == list(PLACE_ACCESS_COLUMNS)
    assert store.grid_cells("old")["value"].tolist() == [12]


def _place_rows(statsecs: list[str], residents: float) -> pd.DataFrame:
    frame = pd.DataFrame({c: [0.0] * len(statsecs) for c in PLACE_ACCESS_COLUMNS})
    frame["x"] = [150_050.0 + 100 * k for k in range(len(statsecs))]
    frame["y"] = 200_050.0
    frame["statsec"] = statsecs
    frame["residents"] = residents
    frame["settlement"] = "kern"
    for c in PLACE_ACCESS_COLUMNS:
        if c.startswith(("n400_", "n1200_")):
            frame[c] = 2
    frame["dist_basket"] = float("nan")  # no basket in the data: NULL in the store, NaN back
    return frame


def test_place_access_is_replaced_per_dataset_read_by_sector_and_deleted_with_it(tmp_path):
    store = make_store(tmp_path / "p.duckdb", {("statsec", "11111A00-"): SECTOR_1})
    store.replace_place_access("test", _place_rows(["11111A00-", "11111A01-", "22222A00-"], 5.0))
    store.replace_place_access("other", _place_rows(["22222A012"], 7.0))
    store.replace_place_access("test", _place_rows(["11111A00-", "11111A01-"], 6.0))  # replaces, never adds
    everything = store.place_access()
    assert len(everything) == 3 and sorted(everything["residents"]) == [6.0, 6.0, 7.0]
    assert everything["dist_basket"].isna().all() and (everything["n1200_bakker"] == 2).all()
    mine = store.place_access(["11111A01-", "22222A012"])
    assert sorted(mine["statsec"]) == ["11111A01-", "22222A012"]
    assert len(store.place_access(dataset_id="other")) == 1
    assert store.place_access(["'; DROP TABLE place_access; --"]).empty  # parameters, not SQL text
    # Re-importing a dataset replaces its place table too; deleting it removes it.
    areas, parents = hierarchy_frames()
    store.replace_dataset(
        "test",
        title="Test",
        source="test",
        areas=areas,
        area_parents=parents,
        observations=observations({("statsec", "11111A00-"): SECTOR_1}),
        place_access=_place_rows(["11111A00-"], 9.0),
    )
    assert sorted(store.place_access()["residents"]) == [7.0, 9.0]
    store.delete_dataset("other")
    assert store.place_access()["residents"].tolist() == [9.0]


def test_a_version_4_file_gets_feature_bounds_and_bbox_reads_use_them(tmp_path):
    import shapely

    path = tmp_path / "v4.duckdb"
    con = duckdb.connect(str(path))
    migrate(con, target=4)
    near = shapely.to_wkb(shapely.Point(150_000, 200_000))
    far = shapely.to_wkb(shapely.box(190_000, 230_000, 191_000, 231_000))
    con.execute(
        "INSERT INTO features VALUES ('voorziening', 'a', 'bakker', 'Bakker', '{}', ?, ?, 'old'),"
        " ('nederzetting', 'b', 'kern', 'Kern', '{}', ?, ?, 'old')",
        [near, near, far, far],
    )
    con.close()

    store = Store.open(path)
    assert store.schema_version() == SCHEMA_VERSION >= 5
    bounds = store._query_df("SELECT feature_id, minx, miny, maxx, maxy FROM features ORDER BY feature_id")
    assert bounds.iloc[0][["minx", "miny", "maxx", "maxy"]].tolist() == [150_000, 200_000, 150_000, 200_000]
    assert bounds.iloc[1][["minx", "maxy"]].tolist() == [190_000, 231_000]
    # A box around the bakker only; a box touching the kern's corner only.
    assert store.features(bbox=(149_000, 199_000, 151_000, 201_000))["feature_id"].tolist() == ["a"]
    assert store.features(bbox=(191_000, 231_000, 195_000, 235_000))["feature_id"].tolist() == ["b"]
    assert store.features(bbox=(160_000, 210_000, 170_000, 220_000)).empty


def test_a_version_5_file_gets_the_poll_tables(tmp_path):
    path = tmp_path / "v5.duckdb"
    con = duckdb.connect(str(path))
    migrate(con, target=5)
    con.execute("INSERT INTO summary_notes VALUES ('gemeente', '11002', '2024', 'q1', 'bewaard', now())")
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert not {"poll_sessions", "poll_questions", "poll_answers"} & tables
    con.close()

    store = Store.open(path)
    assert store.schema_version() == SCHEMA_VERSION >= 6
    tables = set(store._query_df("SELECT table_name FROM information_schema.tables")["table_name"])
    assert {"poll_sessions", "poll_questions", "poll_answers"} <= tables
    assert store.summary_notes("gemeente", "11002", "2024") == {"q1": "bewaard"}
    assert store.create_poll_session(
        "s1", "Peiling", "ABCDEF", "0" * 64, True, [(1, 1, "scale", "Detectie", None, "detectie", None)]
    )
    assert not store.create_poll_session("s2", "Andere", "ABCDEF", "1" * 64, True, [])  # join code taken
    assert store.record_poll_answer("s1", 1, "p", None, "4") == 1
    assert store.record_poll_answer("s1", 1, "p", "An", "5") == 1  # replaces
    assert store.poll_answers("s1")[["display_name", "value"]].values.tolist() == [["An", "5"]]


def test_team_scores_are_replaced_all_or_nothing(tmp_db):
    from datetime import date

    store = Store.open(tmp_db)
    day = date(2024, 5, 14)
    store.save_team_scores("Team", day, [("detectie", 3), ("inclusie", None)], "zijbalk")
    # The second write deletes that date's rows first, then fails on score 6 (CHECK 1-5):
    # the delete must be rolled back with it.
    with pytest.raises(duckdb.ConstraintException):
        store.save_team_scores("Team", day, [("detectie", 4), ("inclusie", 6)], "zijbalk")
    kept = store.team_scores("Team")
    assert kept["bouwsteen"].tolist() == ["detectie", "inclusie"]
    assert kept["score"].iloc[0] == 3 and pd.isna(kept["score"].iloc[1])
    store.delete_team_scores("Team", date(2024, 5, 15))  # another date: nothing to delete
    assert len(store.team_scores("Team")) == 2
    store.delete_team_scores("Team", day)
    assert store.team_scores("Team").empty


def test_a_version_9_file_gets_version_10_and_keeps_its_mappings_and_catalogue(tmp_path):
    path = tmp_path / "v9.duckdb"
    con = duckdb.connect(str(path))
    migrate(con, target=9)
    con.execute("INSERT INTO column_mappings VALUES ('v9999_alleenwonend', 'base', 'pop_alone_75plus', now())")
    con.execute("INSERT INTO base_counts VALUES ('pop_total', 'Aantal inwoners', 'inwoners', [])")
    con.execute("INSERT INTO observations VALUES ('statsec', '11111A00-', 'pop_total', '2020', 812, 'ok', 'old')")
    con.close()

    store = Store.open(path)
    assert store.schema_version() == SCHEMA_VERSION >= 10
    assert store.column_mappings() == [("v9999_alleenwonend", "base", "pop_alone_75plus")]
    assert store.column_mapping_rows()[0]["label"] is None
    assert store.observations(["pop_total"], ["2020"])["value"].tolist() == [812]
    assert store._scalar("SELECT is_builtin FROM base_counts WHERE code = 'pop_total'") is True
    assert store.amenity_tag_mappings() == {}
    # The new kind is accepted now (the CHECK of version 8 refused it).
    store.save_column_mappings(
        [("v2506_elek_res_n", "extra", "user_aansluitingen", "Aansluitingen", "aansluitingen", "pop_total", 1000.0)]
    )
    rows = {r["column_name"]: r for r in store.column_mapping_rows()}
    assert rows["v2506_elek_res_n"]["multiplier"] == 1000.0 and rows["v2506_elek_res_n"]["denominator"] == "pop_total"


def _user_indicator():
    from zorgzaam.catalogue import extra_indicator

    return extra_indicator("Elektriciteitsaansluitingen", "aansluitingen", "hh_private", 100, source="eigen bestand")


def test_user_indicators_survive_sync_and_reopen_and_the_catalogue_follows_writes(tmp_path):
    from zorgzaam.catalogue import BUILTIN, USER_THEME

    store = make_store(tmp_path / "t.duckdb", {("statsec", "11111A00-"): {"pop_total": 10}})
    assert store.catalogue() is BUILTIN  # nothing of the werkgroep's own yet
    base, ind = _user_indicator()
    store.save_user_indicator(base, ind)
    catalogue = store.catalogue()
    assert catalogue.indicator(ind.code) == ind and catalogue.base_counts[base.code] == base
    assert store.catalogue() is catalogue  # cached until the next write
    assert catalogue.by_theme()[USER_THEME] == [ind]
    assert list(catalogue.by_theme())[-1] == USER_THEME
    # Every import syncs the built-in catalogue: the user rows stay.
    make_store(tmp_path / "t.duckdb", {("statsec", "11111A00-"): {"pop_total": 11}})
    assert store._scalar("SELECT count(*) FROM base_counts WHERE code = ?", [base.code]) == 1
    close_all()
    reopened = Store.open(tmp_path / "t.duckdb")
    assert reopened.catalogue().indicator(ind.code) == ind
    reopened.delete_user_indicator(ind.code)
    assert reopened.catalogue() is BUILTIN
    assert not reopened._scalar("SELECT count(*) FROM base_counts WHERE code = ?", [base.code])
    with pytest.raises(StoreError, match="user_"):
        reopened.save_user_indicator(BUILTIN.base_counts["pop_total"], ind)


def test_remembered_mappings_are_forgotten_one_by_one_or_all(tmp_db):
    store = Store.open(tmp_db)
    store.save_column_mappings(
        [("a", "base", "pop_total"), ("b", "skip", None), ("c'; DROP TABLE x; --", "skip", None)]
    )
    assert store.forget_column_mappings(["b", "c'; DROP TABLE x; --", "onbekend"]) == 2
    assert [r[0] for r in store.column_mappings()] == ["a"]
    assert store.forget_column_mappings() == 1 and store.column_mappings() == []
    store.save_amenity_tag_mappings({"shop=florist": "voedingswinkel", "amenity=bench": None})
    assert store.amenity_tag_mappings() == {"amenity=bench": None, "shop=florist": "voedingswinkel"}
    store.save_amenity_tag_mappings({"shop=florist": "supermarkt"})  # replaces
    assert store.amenity_tag_mappings()["shop=florist"] == "supermarkt"
    assert store.forget_amenity_tag_mappings(["amenity=bench"]) == 1
    assert store.forget_amenity_tag_mappings() == 1 and store.amenity_tag_mappings() == {}
