"""The werkgroep's own work (zorgzaam.werkgroep): team names, self-assessments per date, scores
taken over from a poll, reflection notes and actions, against a real on-disk store (restart
included). Expected values are worked out by hand in the comments."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

import duckdb
import pandas as pd
import pytest

from zorgzaam import polls, werkgroep
from zorgzaam.bouwstenen import validate_action
from zorgzaam.store import MAX_NOTE_CHARS, Store, StoreError, close_all, migrate
from zorgzaam.werkgroep import WerkgroepError

TEAM = "Werkgroep zorgzaam Heidebeek"
OTHER = "Buurtteam Kerkwijk"
CODES = [
    "buurt_analyse_plan",
    "visie_organisatie",
    "communicatie",
    "partnerschappen",
    "publieke_ruimte",
    "detectie",
    "toeleiding",
    "sociale_netwerken",
    "inclusie",
]
TODAY = date.today()
LAST_MONTH = TODAY - timedelta(days=30)
LAST_YEAR = TODAY - timedelta(days=365)


@pytest.fixture
def store(tmp_db):
    return Store.open(tmp_db)


def _rows(store: Store, team: str, day: date | None = None) -> pd.DataFrame:
    sql = "SELECT assessed_on, bouwsteen, score FROM team_scores WHERE team = ?"
    params: list = [team]
    if day is not None:
        sql += " AND assessed_on = ?"
        params.append(day)
    return store._query_df(sql + " ORDER BY bouwsteen", params)


# --------------------------------------------------------------------------- team names


def test_team_name_whitespace_is_collapsed():
    assert werkgroep.validate_team("  Werkgroep   zorgzaam\tHeidebeek \n") == TEAM
    assert werkgroep.validate_team("x" * 80) == "x" * 80  # the maximum itself is fine


@pytest.mark.parametrize(
    "name, message",
    [
        ("", "Geef de naam"),
        ("   \t ", "Geef de naam"),
        (None, "Geef de naam"),
        (42, "Geef de naam"),
        ("x" * 81, r"te lang \(81 tekens; maximum 80\)"),
        ("Werkgroep\x00Heidebeek", "onzichtbare tekens"),
        ("Werkgroep\x07", "onzichtbare tekens"),
        ("Werkgroep\u200b", "onzichtbare tekens"),  # a zero-width space would make a look-alike team
    ],
)
def test_bad_team_names_are_refused_in_dutch(name, message):
    with pytest.raises(WerkgroepError, match=message):
        werkgroep.validate_team(name)


# --------------------------------------------------------------------------- saving scores


def test_save_stores_all_nine_codes_and_missing_ones_are_not_scored(store):
    saved = werkgroep.save_scores(
        store, TEAM, LAST_MONTH, {"detectie": 3, "inclusie": "4", "communicatie": "0", "toeleiding": ""}
    )
    assert saved.scored == 2
    rows = _rows(store, TEAM)
    assert sorted(rows["bouwsteen"]) == sorted(CODES)
    got = {code: (None if pd.isna(score) else int(score)) for code, score in zip(rows["bouwsteen"], rows["score"])}
    assert got == {**dict.fromkeys(CODES), "detectie": 3, "inclusie": 4}
    [back] = werkgroep.assessments(store, TEAM)
    assert back.assessed_on == LAST_MONTH and back.team == TEAM
    assert back.scores == {**dict.fromkeys(CODES), "detectie": 3, "inclusie": 4}
    assert back.source == "zijbalk" and back.source_label == "zelf gescoord" and back.poll_round is None


@pytest.mark.parametrize("bad", [6, "abc", 2.5, -1, True])
def test_an_invalid_score_raises_and_keeps_the_earlier_assessment(store, bad):
    werkgroep.save_scores(store, TEAM, LAST_MONTH, {"detectie": 2, "inclusie": 5})
    with pytest.raises(WerkgroepError, match="1 tot 5"):
        werkgroep.save_scores(store, TEAM, LAST_MONTH, {"detectie": 4, "toeleiding": bad})
    [kept] = werkgroep.assessments(store, TEAM)
    assert kept.scores["detectie"] == 2 and kept.scores["inclusie"] == 5 and kept.scores["toeleiding"] is None
    assert len(_rows(store, TEAM)) == 9


def test_unknown_code_all_unscored_and_bad_dates_are_refused(store):
    with pytest.raises(WerkgroepError, match="Onbekende bouwsteen 'mantelzorg'"):
        werkgroep.save_scores(store, TEAM, LAST_MONTH, {"detectie": 3, "mantelzorg": 4})
    with pytest.raises(WerkgroepError, match="minstens één bouwsteen"):
        werkgroep.save_scores(store, TEAM, LAST_MONTH, {"detectie": None, "inclusie": "0", "toeleiding": ""})
    with pytest.raises(WerkgroepError, match="minstens één bouwsteen"):
        werkgroep.save_scores(store, TEAM, LAST_MONTH, {})
    with pytest.raises(WerkgroepError, match="toekomst"):
        werkgroep.save_scores(store, TEAM, TODAY + timedelta(days=5), {"detectie": 3})
    with pytest.raises(WerkgroepError, match="geen datum"):
        werkgroep.save_scores(store, TEAM, "31-12-2024", {"detectie": 3})
    with pytest.raises(WerkgroepError, match="herkomst"):
        werkgroep.save_scores(store, TEAM, LAST_MONTH, {"detectie": 3}, source="raden")
    assert _rows(store, TEAM).empty
    assert store.teams() == []


def test_an_iso_date_string_and_a_datetime_are_accepted(store):
    saved = werkgroep.save_scores(store, TEAM, " 2024-03-05 ", {"partnerschappen": 4})
    assert saved.assessed_on == date(2024, 3, 5)
    werkgroep.save_scores(store, TEAM, datetime(2024, 6, 1, 20, 30), {"partnerschappen": 5})
    assert [a.assessed_on for a in werkgroep.assessments(store, TEAM)] == [date(2024, 3, 5), date(2024, 6, 1)]


def test_saving_the_same_date_replaces_and_another_date_adds_history(store):
    werkgroep.save_scores(store, TEAM, LAST_MONTH, {"detectie": 2, "inclusie": 3})
    werkgroep.save_scores(store, TEAM, LAST_MONTH, {"detectie": 4})  # inclusie now not scored
    assert len(_rows(store, TEAM, LAST_MONTH)) == 9
    [only] = werkgroep.assessments(store, TEAM)
    assert only.scores["detectie"] == 4 and only.scores["inclusie"] is None

    werkgroep.save_scores(store, TEAM, TODAY, {"detectie": 5, "inclusie": 1})
    assert len(_rows(store, TEAM)) == 18
    history = werkgroep.assessments(store, TEAM)
    assert [a.assessed_on for a in history] == [LAST_MONTH, TODAY]
    assert [a.scores["detectie"] for a in history] == [4, 5]


def test_assessments_are_oldest_first_and_latest_before_is_strict(store):
    # Saved out of order on purpose.
    werkgroep.save_scores(store, TEAM, LAST_MONTH, {"communicatie": 2})
    werkgroep.save_scores(store, TEAM, TODAY, {"communicatie": 3})
    werkgroep.save_scores(store, TEAM, LAST_YEAR, {"communicatie": 1})
    assert [a.assessed_on for a in werkgroep.assessments(store, TEAM)] == [LAST_YEAR, LAST_MONTH, TODAY]
    assert werkgroep.latest(store, TEAM).assessed_on == TODAY
    assert werkgroep.latest(store, TEAM, before=TODAY).assessed_on == LAST_MONTH  # not TODAY itself
    assert werkgroep.latest(store, TEAM, before=LAST_MONTH).assessed_on == LAST_YEAR
    assert werkgroep.latest(store, TEAM, before=LAST_YEAR) is None
    assert werkgroep.latest(store, OTHER) is None


def test_delete_assessment_removes_only_that_date(store):
    werkgroep.save_scores(store, TEAM, LAST_YEAR, {"inclusie": 2})
    werkgroep.save_scores(store, TEAM, LAST_MONTH, {"inclusie": 3})
    werkgroep.delete_assessment(store, TEAM, LAST_MONTH.isoformat())
    left = werkgroep.assessments(store, TEAM)
    assert [(a.assessed_on, a.scores["inclusie"]) for a in left] == [(LAST_YEAR, 2)]
    assert len(_rows(store, TEAM)) == 9


def test_history_table_has_nine_rows_per_assessment_with_nullable_scores(store):
    werkgroep.save_scores(store, TEAM, LAST_MONTH, {"detectie": 2, "buurt_analyse_plan": 1})
    werkgroep.save_scores(store, TEAM, TODAY, {"detectie": 3})
    table = werkgroep.history_table(werkgroep.assessments(store, TEAM))
    assert len(table) == 18
    assert str(table["score"].dtype) == "Int64"
    assert table.groupby("assessed_on").size().to_dict() == {LAST_MONTH: 9, TODAY: 9}
    first = table[table["assessed_on"] == LAST_MONTH]
    assert first["number"].tolist() == list(range(1, 10))
    assert first["code"].tolist() == CODES
    assert first.set_index("code").loc["buurt_analyse_plan", "name"] == "Buurt: analyse & plan"
    assert first.set_index("code").loc["detectie", "cluster_label"] == "Minder mazen"
    assert first["score"].notna().sum() == 2 and first["score"].sum() == 3  # 2 + 1
    last = table[table["assessed_on"] == TODAY].set_index("code")["score"]
    assert last["detectie"] == 3 and last.isna().sum() == 8
    assert pd.isna(last["inclusie"])
    assert set(table["source_label"]) == {"zelf gescoord"}
    assert werkgroep.history_table([]).empty


def test_changes_since_the_previous_assessment(store):
    before = werkgroep.save_scores(store, TEAM, LAST_MONTH, {"detectie": 2, "toeleiding": 4, "inclusie": 3})
    now = werkgroep.save_scores(store, TEAM, TODAY, {"detectie": 4, "toeleiding": 3, "communicatie": 2})
    diff = werkgroep.changes(before, now)
    assert diff["detectie"] == 2  # 4 - 2
    assert diff["toeleiding"] == -1  # 3 - 4
    assert diff["inclusie"] is None  # scored before, not now
    assert diff["communicatie"] is None  # scored now, not before
    assert diff["partnerschappen"] is None  # neither
    assert set(diff) == set(CODES)
    assert werkgroep.changes(None, now) == dict.fromkeys(CODES)


def test_teams_are_separate_and_listed_most_recently_active_first(store):
    werkgroep.save_scores(store, TEAM, LAST_MONTH, {"detectie": 5})
    time.sleep(0.01)
    werkgroep.save_scores(store, OTHER, LAST_MONTH, {"detectie": 1})
    assert werkgroep.latest(store, TEAM).scores["detectie"] == 5
    assert werkgroep.latest(store, OTHER).scores["detectie"] == 1
    assert store.teams() == [OTHER, TEAM]
    time.sleep(0.01)
    werkgroep.save_note(store, TEAM, "detectie", "Huisartsen signaleren nu ook.")
    assert store.teams() == [TEAM, OTHER]
    assert werkgroep.notes(store, OTHER) == {}
    # The name is normalised the same way when reading: extra spaces find the same team.
    assert len(werkgroep.assessments(store, "  Werkgroep zorgzaam   Heidebeek")) == 1
    werkgroep.delete_assessment(store, OTHER, LAST_MONTH)
    assert werkgroep.latest(store, TEAM).scores["detectie"] == 5


# --------------------------------------------------------------------------- restart


def test_everything_survives_a_restart(tmp_db):
    store = Store.open(tmp_db)
    werkgroep.save_scores(store, TEAM, LAST_MONTH, {"detectie": 3, "sociale_netwerken": 4})
    werkgroep.save_note(store, TEAM, "inclusie", "Anderstalige buren bereiken we nog niet.")
    action = validate_action("Buurtlunch", ["sociale_netwerken"], "lopend", ["Café Sénior"])
    werkgroep.save_action(store, TEAM, action)
    close_all()

    reopened = Store.open(tmp_db)
    [assessment] = werkgroep.assessments(reopened, TEAM)
    assert assessment.assessed_on == LAST_MONTH
    assert (assessment.scores["detectie"], assessment.scores["sociale_netwerken"]) == (3, 4)
    assert werkgroep.notes(reopened, TEAM) == {"inclusie": "Anderstalige buren bereiken we nog niet."}
    [stored] = werkgroep.actions(reopened, TEAM)
    assert stored.action_id == 1 and stored.action == action
    assert reopened.teams() == [TEAM]


# --------------------------------------------------------------------------- scores from a poll


def test_scores_from_a_bouwstenen_poll_take_the_median_rounded_down(store):
    session, token = polls.create_session(store, "t", polls.bouwstenen_questions())
    qid = {q.bouwsteen: q.question_id for q in session.questions}
    answers = {
        "detectie": {"p1": 3, "p2": 4},  # median 3.5 → 3
        "inclusie": {"p1": 2, "p2": 2, "p3": 5},  # median 2
        "communicatie": {"p1": 4, "p2": 5, "p3": 4, "p4": 5},  # median 4.5 → 4
        "partnerschappen": {"p3": 1},  # one answer: 1
        # toeleiding: nobody answered → None
    }
    for code, by_person in answers.items():
        for pid, value in by_person.items():
            polls.answer(store, session.join_code, pid, qid[code], value)
    result = polls.results(store, session.session_id, token)
    scores = werkgroep.scores_from_poll(result)
    assert scores == {**dict.fromkeys(CODES), "detectie": 3, "inclusie": 2, "communicatie": 4, "partnerschappen": 1}

    saved = werkgroep.save_scores(
        store, TEAM, TODAY, scores, source="peiling", poll_session_id=session.session_id, poll_round=result.round
    )
    [back] = werkgroep.assessments(store, TEAM)
    assert back.scores == saved.scores and back.scored == 4
    assert (back.source, back.poll_session_id, back.poll_round) == ("peiling", session.session_id, 1)
    assert back.source_label == "overgenomen uit een peiling (ronde 1)"
    table = werkgroep.history_table([back])
    assert set(table["source_label"]) == {"overgenomen uit een peiling (ronde 1)"}


def test_only_scale_questions_tied_to_a_bouwsteen_count(store):
    session, token = polls.create_session(
        store,
        "Eigen vragen",
        [
            {"kind": "scale", "text": "Hoe goed werken we samen?"},  # no bouwsteen → ignored
            {"kind": "scale", "text": "Detectie in onze buurt", "bouwsteen": "detectie"},
            {
                "kind": "choice",
                "text": "Communicatie: welk kanaal?",
                "options": ["1", "5"],
                "bouwsteen": "communicatie",
            },
            {"kind": "word", "text": "Eén woord", "bouwsteen": "inclusie"},
            {"kind": "scale", "text": "Onbekend", "bouwsteen": "mantelzorg"},  # not a bouwsteen → ignored
        ],
    )
    for pid, values in {"a": (5, 2, "5", "warm", 4), "b": (5, 4, "5", "open", 4)}.items():
        for question, value in zip(session.questions, values):
            polls.answer(store, session.join_code, pid, question.question_id, value)
    scores = werkgroep.scores_from_poll(polls.results(store, session.session_id, token))
    assert scores == {**dict.fromkeys(CODES), "detectie": 3}  # median of 2, 4; nothing else counts


# --------------------------------------------------------------------------- reflection notes


def test_notes_save_replace_and_empty_removes(store):
    werkgroep.save_note(store, TEAM, "detectie", "  Eerste versie.  ")
    werkgroep.save_note(store, TEAM, "inclusie", "Taalcafé starten.")
    assert werkgroep.notes(store, TEAM) == {"detectie": "Eerste versie.", "inclusie": "Taalcafé starten."}
    werkgroep.save_note(store, TEAM, "detectie", "Tweede versie.")
    assert werkgroep.notes(store, TEAM)["detectie"] == "Tweede versie."
    werkgroep.save_note(store, TEAM, "detectie", "   ")
    werkgroep.save_note(store, TEAM, "inclusie", None)
    assert werkgroep.notes(store, TEAM) == {}
    assert store._query_df("SELECT count(*) AS n FROM bouwsteen_notes")["n"].iloc[0] == 0


def test_bad_notes_are_refused_and_keep_the_old_note(store):
    werkgroep.save_note(store, TEAM, "toeleiding", "Oud.")
    with pytest.raises(WerkgroepError, match="mantelzorg"):
        werkgroep.save_note(store, TEAM, "mantelzorg", "Nieuw.")
    with pytest.raises(WerkgroepError, match="tekst"):
        werkgroep.save_note(store, TEAM, "toeleiding", 12)
    with pytest.raises(StoreError, match="te lang"):
        werkgroep.save_note(store, TEAM, "toeleiding", "x" * (MAX_NOTE_CHARS + 1))
    assert werkgroep.notes(store, TEAM) == {"toeleiding": "Oud."}
    werkgroep.save_note(store, TEAM, "toeleiding", "x" * MAX_NOTE_CHARS)  # the maximum itself is fine
    assert len(werkgroep.notes(store, TEAM)["toeleiding"]) == MAX_NOTE_CHARS


# --------------------------------------------------------------------------- actions


def test_new_actions_get_ids_one_two_and_an_update_keeps_created_at(store):
    first = validate_action("Buurtlunch", ["sociale_netwerken"], "gepland")
    second = validate_action("Signaalkaart voor de apotheek", ["detectie", "toeleiding"], "lopend")
    assert werkgroep.save_action(store, TEAM, first) == 1
    assert werkgroep.save_action(store, TEAM, second) == 2
    assert werkgroep.save_action(store, OTHER, first) == 3  # one sequence for every team
    before = {s.action_id: s for s in werkgroep.actions(store, TEAM)}
    assert before[1].created_at == before[1].updated_at

    time.sleep(0.01)
    changed = validate_action(
        "Maandelijkse buurtlunch",
        ["sociale_netwerken", "inclusie"],
        "lopend",
        ["OCMW"],
        "coproduceren",
        "gemeentebreed",
        "In het dienstencentrum.",
    )
    assert werkgroep.save_action(store, TEAM, changed, action_id=1) == 1
    after = {s.action_id: s for s in werkgroep.actions(store, TEAM)}
    assert list(after) == [1, 2]
    assert after[1].action == changed
    assert after[1].created_at == before[1].created_at
    assert after[1].updated_at > before[1].updated_at
    assert after[2] == before[2]  # the other action is untouched
    assert [s.action.title for s in werkgroep.actions(store, OTHER)] == ["Buurtlunch"]


def test_a_deleted_action_id_is_never_given_again(store):
    ids = [werkgroep.save_action(store, TEAM, validate_action(f"Actie {i}", ["detectie"], "gepland")) for i in range(3)]
    assert werkgroep.delete_action(store, TEAM, ids[-1])
    new_id = werkgroep.save_action(store, TEAM, validate_action("Nieuwe actie", ["detectie"], "gepland"))
    assert new_id not in ids
    with pytest.raises(StoreError, match="bestaat niet"):  # a stale page editing the deleted action
        werkgroep.save_action(store, TEAM, validate_action("Oud", ["detectie"], "lopend"), action_id=ids[-1])
    assert [s.action.title for s in werkgroep.actions(store, TEAM)] == ["Actie 0", "Actie 1", "Nieuwe actie"]


@pytest.mark.parametrize(
    "place, expected, kind",
    [
        ("gemeentebreed", "gemeentebreed", "gemeentebreed"),
        (None, "gemeentebreed", "gemeentebreed"),
        ("11002a00_", "11002A00-", "sector"),  # normalised sector code
        ((4.4025, 51.2194), (4.4025, 51.2194), "punt"),
    ],
)
def test_places_round_trip(store, place, expected, kind):
    action = validate_action("Zitbanken langs de Kerkstraat", ["publieke_ruimte"], "gepland", place=place)
    werkgroep.save_action(store, TEAM, action)
    close_all()
    [stored] = werkgroep.actions(Store.open(store.path), TEAM)
    assert stored.action.place == expected
    assert store._query_df("SELECT place_kind FROM team_actions")["place_kind"].tolist() == [kind]


def test_partners_with_accents_round_trip(store):
    action = validate_action(
        "Vrijwilligers zoeken", ["partnerschappen"], "lopend", ["Café Sénior", "Woonzorgcentrum Ter Hélène", "OCMW"]
    )
    werkgroep.save_action(store, TEAM, action)
    [stored] = werkgroep.actions(store, TEAM)
    assert stored.action.partners == ("Café Sénior", "Woonzorgcentrum Ter Hélène", "OCMW")
    raw = store._query_df("SELECT CAST(partners AS VARCHAR) AS p FROM team_actions")["p"].iloc[0]
    assert "Sénior" in raw  # stored readable, not as \u00e9 escapes


def test_delete_action_then_updating_it_fails(store):
    action = validate_action("Buurtlunch", ["sociale_netwerken"], "gepland")
    werkgroep.save_action(store, TEAM, action)
    werkgroep.save_action(store, TEAM, action)
    assert werkgroep.delete_action(store, TEAM, 1) is True
    assert werkgroep.delete_action(store, TEAM, 1) is False
    assert werkgroep.delete_action(store, OTHER, 2) is False  # another team's id 2 does not exist
    with pytest.raises(StoreError, match="bestaat niet"):
        werkgroep.save_action(store, TEAM, action, action_id=1)
    assert [s.action_id for s in werkgroep.actions(store, TEAM)] == [2]
    with pytest.raises(TypeError):
        werkgroep.save_action(store, TEAM, {"title": "geen Action"})


def test_actions_table_shows_dutch_names(store):
    werkgroep.save_action(
        store,
        TEAM,
        validate_action(
            "Signaalkaart", ["detectie", "toeleiding"], "lopend", ["Apotheek", "Huisarts"], "meebeslissen", "11002A00-"
        ),
    )
    werkgroep.save_action(
        store, TEAM, validate_action("Buurtfeest", ["sociale_netwerken"], "gemist", place=(4.4025, 51.2194))
    )
    werkgroep.save_action(store, TEAM, validate_action("Buurtkrant", ["communicatie"], "gepland", place="11002A01-"))
    table = werkgroep.actions_table(werkgroep.actions(store, TEAM), sector_names={"11002A00-": "Kiel-West"})
    assert list(table.columns) == list(werkgroep.ACTION_TABLE_HEADERS)
    first, second, third = (table.iloc[i] for i in range(3))
    assert first["action_id"] == 1 and first["bouwstenen"] == "Detectie, Toeleiding"
    assert first["participation"] == "(Mee)beslissen"
    assert first["partners"] == "Apotheek, Huisarts"
    assert first["place"] == "Kiel-West (11002A00-)"
    assert second["bouwstenen"] == "Sociale netwerken" and second["participation"] == ""
    assert second["place"] == "punt 4,4025; 51,2194"
    assert third["place"] == "sector 11002A01-"  # a sector without a known name
    assert werkgroep.actions_table([]).empty


# --------------------------------------------------------------------------- schema


def test_a_version_6_file_gets_the_werkgroep_tables_and_keeps_its_polls(tmp_path):
    path = tmp_path / "v6.duckdb"
    con = duckdb.connect(str(path))
    migrate(con, target=6)
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert "poll_sessions" in tables and not {"team_scores", "bouwsteen_notes", "team_actions"} & tables
    con.execute("INSERT INTO poll_sessions VALUES ('s1', 'Oud', 'ABCDEF', ?, 'closed', TRUE, 2, now())", ["0" * 64])
    con.execute("INSERT INTO poll_questions VALUES ('s1', 1, 1, 'scale', 'Detectie', NULL, 'detectie')")
    con.execute("INSERT INTO poll_answers VALUES ('s1', 2, 1, 'p', NULL, '4', now())")
    con.close()

    store = Store.open(path)
    assert store.schema_version() >= 7
    tables = set(store._query_df("SELECT table_name FROM information_schema.tables")["table_name"])
    assert {"team_scores", "bouwsteen_notes", "team_actions"} <= tables
    assert store.poll_session("s1")["current_round"] == 2
    assert store.poll_answers("s1")["value"].tolist() == ["4"]
    werkgroep.save_scores(
        store, TEAM, LAST_MONTH, {"detectie": 4}, source="peiling", poll_session_id="s1", poll_round=2
    )
    assert werkgroep.latest(store, TEAM).source_label == "overgenomen uit een peiling (ronde 2)"


def test_the_score_check_holds_at_the_sql_level(store):
    insert = "INSERT INTO team_scores VALUES (?, ?, 'detectie', ?, 'zijbalk', NULL, NULL, now())"
    with pytest.raises(duckdb.ConstraintException):
        store._cursor().execute(insert, [TEAM, LAST_MONTH, 6])
    with pytest.raises(duckdb.ConstraintException):
        store._cursor().execute(insert, [TEAM, LAST_MONTH, 0])
    store._cursor().execute(insert, [TEAM, LAST_MONTH, None])  # NULL = niet gescoord is allowed
    assert len(_rows(store, TEAM)) == 1
