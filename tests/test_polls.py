"""Live polls: join codes and tokens, validation, one answer per participant, facilitator rights,
concurrent answers against a real on-disk store, restart, results, rounds and export."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter

import pytest

from zorgzaam import polls
from zorgzaam.polls import PollError
from zorgzaam.store import Store, close_all


@pytest.fixture
def store(tmp_path):
    yield Store.open(tmp_path / "polls.duckdb")
    close_all()


def _bouwstenen(store):
    return polls.create_session(store, "Werkgroep Heidekempen", polls.bouwstenen_questions())


def _answers_in_store(store, session_id):
    return store.poll_answers(session_id)


# --- pure helpers ---------------------------------------------------------------------


def test_join_codes_are_six_unambiguous_characters_and_tokens_are_hashed():
    codes = {polls.new_join_code() for _ in range(500)}
    assert len(codes) > 490
    for code in codes:
        assert len(code) == 6 and not set(code) & set("0O1IL")
    token = polls.new_facilitator_token()
    assert len(token) >= 32 and polls.new_facilitator_token() != token
    assert polls.hash_token(token) == polls.hash_token(token) != token
    assert len(polls.hash_token(token)) == 64
    assert polls.normalise_join_code(" ab-c de2 ") == "ABCDE2"


def test_scale_summary_and_the_disagreement_rule():
    agree = polls.scale_summary([3, 3, 4, 3, 2])
    assert (agree["median"], agree["min"], agree["max"], agree["disagreement"]) == (3.0, 2, 4, False)
    split = polls.scale_summary([1, 1, 2, 4, 5, 5])
    assert split["iqr"] >= 2 and split["disagreement"]
    assert polls.scale_summary([2, 4])["median"] == 3.0
    # The rule of zorgzaam.bouwstenen: a quarter of the answers more than one point from the median.
    assert polls.scale_summary([1, 3, 3, 3, 3, 5, 3, 3])["disagreement"]  # 2 of 8 far away
    assert not polls.scale_summary([1, 3, 3, 3, 3, 3, 3, 3, 3])["disagreement"]  # 1 of 9
    assert not polls.scale_summary([4])["disagreement"]  # one answer cannot disagree
    assert polls.scale_summary([])["median"] is None


def test_the_bouwstenen_question_set_has_nine_scale_questions():
    questions = polls.bouwstenen_questions()
    assert len(questions) == 9 and {q["kind"] for q in questions} == {"scale"}
    assert [q["text"] for q in questions][0] == "Buurt: analyse & plan"
    assert len({q["bouwsteen"] for q in questions}) == 9


# --- creating and answering ----------------------------------------------------------------


def test_create_keeps_only_the_token_hash_and_finds_the_session_by_code(store):
    session, token = _bouwstenen(store)
    assert session.is_open and not session.results_visible and session.current_round == 1
    assert len(session.questions) == 9
    row = store.poll_session(session.session_id)
    assert row["token_hash"] == polls.hash_token(token)
    assert token not in str(store._query_df("SELECT * FROM poll_sessions").to_dict())
    found = polls.find_session(store, session.join_code.lower())
    assert found is not None and found.session_id == session.session_id
    assert not hasattr(found, "token_hash")
    assert polls.find_session(store, "ZZZZZZ") is None
    assert polls.find_session(store, session.session_id) is None  # participants join by code only


def test_own_questions_are_validated(store):
    session, _ = polls.create_session(
        store,
        "Eigen vragen",
        [
            {"kind": "choice", "text": "Welke dag past?", "options": ["maandag", "dinsdag"]},
            {"kind": "word", "text": "Eén woord voor onze buurt"},
        ],
    )
    assert session.questions[0].options == ("maandag", "dinsdag")
    with pytest.raises(PollError, match="minstens één vraag"):
        polls.create_session(store, "Leeg", [])
    with pytest.raises(PollError, match="tussen 2 en"):
        polls.create_session(store, "Keuze", [{"kind": "choice", "text": "?", "options": ["ja"]}])
    with pytest.raises(PollError, match="onbekend soort"):
        polls.create_session(store, "Soort", [{"kind": "slider", "text": "?"}])
    with pytest.raises(PollError, match="titel"):
        polls.create_session(store, "   ", polls.bouwstenen_questions())


def test_a_second_answer_replaces_the_first(store):
    session, token = _bouwstenen(store)
    q = session.questions[0].question_id
    polls.answer(store, session.join_code, "p-1", q, 2, name="An")
    polls.answer(store, session.join_code, "p-1", q, 5)
    rows = _answers_in_store(store, session.session_id)
    assert len(rows) == 1 and rows["value"].tolist() == ["5"]
    assert polls.my_answers(store, session.join_code, "p-1") == {q: "5"}
    result = polls.results(store, session.join_code, token).by_question()[q]
    assert result.n == 1 and result.distribution == {1: 0, 2: 0, 3: 0, 4: 0, 5: 1}


@pytest.mark.parametrize(
    "kind_index, value, message",
    [
        (0, 0, "score van 1 tot 5"),
        (0, 6, "score van 1 tot 5"),
        (0, 2.5, "score van 1 tot 5"),
        (0, "drie", "score van 1 tot 5"),
        (0, True, "score van 1 tot 5"),
        (1, "woensdag", "voorgestelde antwoorden"),
        (2, "   ", "kort woord"),
        (2, "x" * 41, "te lang"),
        (2, "buurt\x00", "niet toegelaten"),
    ],
)
def test_invalid_values_are_refused_in_dutch_and_change_nothing(store, kind_index, value, message):
    session, _ = polls.create_session(
        store,
        "Mix",
        [
            {"kind": "scale", "text": "Hoe ver staan we?"},
            {"kind": "choice", "text": "Welke dag?", "options": ["maandag", "dinsdag"]},
            {"kind": "word", "text": "Eén woord"},
        ],
    )
    q = session.questions[kind_index].question_id
    with pytest.raises(PollError, match=message):
        polls.answer(store, session.join_code, "p-1", q, value)
    assert _answers_in_store(store, session.session_id).empty


def test_unknown_code_question_participant_or_name_is_refused(store):
    session, _ = _bouwstenen(store)
    other, _ = _bouwstenen(store)
    with pytest.raises(PollError, match="geen peiling met deze code"):
        polls.answer(store, "ZZZZZZ", "p-1", 1, 3)
    with pytest.raises(PollError, match="hoort niet bij deze peiling"):
        polls.answer(store, session.join_code, "p-1", 99, 3)
    with pytest.raises(PollError, match="niet herkend"):
        polls.answer(store, session.join_code, "", 1, 3)
    with pytest.raises(PollError, match="naam is te lang"):
        polls.answer(store, session.join_code, "p-1", 1, 3, name="n" * 41)
    assert _answers_in_store(store, session.session_id).empty
    # The same question number in another session is that session's own question.
    polls.answer(store, other.join_code, "p-1", 1, 3)
    assert _answers_in_store(store, session.session_id).empty


# --- facilitator rights ------------------------------------------------------------------------


def test_a_wrong_token_cannot_control_the_poll(store):
    session, token = _bouwstenen(store)
    other, other_token = _bouwstenen(store)
    for action in (
        polls.close_poll,
        polls.open_poll,
        polls.reveal_results,
        polls.hide_results,
        polls.new_round,
        polls.results,
        polls.export_rows,
        polls.facilitator_session,
    ):
        for wrong in ("", "raden", other_token, polls.hash_token(token), None):
            with pytest.raises(PollError, match="Geen toegang"):
                action(store, session.session_id, wrong)
    with pytest.raises(PollError, match="Geen toegang"):
        polls.compare_rounds(store, session.join_code, other_token, 1, 1)
    row = store.poll_session(session.session_id)
    assert (row["state"], row["results_visible"], row["current_round"]) == ("open", False, 1)


def test_a_closed_poll_refuses_answers_and_hidden_results_stay_hidden(store):
    session, token = _bouwstenen(store)
    polls.answer(store, session.join_code, "p-1", 1, 4)
    assert polls.public_results(store, session.join_code) is None
    closed = polls.close_poll(store, session.join_code, token)
    assert not closed.is_open
    with pytest.raises(PollError, match="gesloten"):
        polls.answer(store, session.join_code, "p-2", 1, 2)
    assert len(_answers_in_store(store, session.session_id)) == 1
    polls.reveal_results(store, session.session_id, token)
    public = polls.public_results(store, session.join_code)
    assert public is not None and public.by_question()[1].distribution[4] == 1
    polls.hide_results(store, session.session_id, token)
    assert polls.public_results(store, session.join_code) is None
    polls.open_poll(store, session.session_id, token)
    polls.answer(store, session.join_code, "p-2", 1, 2)
    assert len(_answers_in_store(store, session.session_id)) == 2


def test_new_round_keeps_earlier_answers_and_rounds_compare(store):
    session, token = _bouwstenen(store)
    for pid, score in (("a", 1), ("b", 2), ("c", 2)):
        polls.answer(store, session.join_code, pid, 1, score)
    polls.reveal_results(store, session.session_id, token)
    second = polls.new_round(store, session.session_id, token)
    assert second.current_round == 2 and second.is_open and not second.results_visible
    for pid, score in (("a", 4), ("b", 4)):
        polls.answer(store, session.join_code, pid, 1, score)
    assert polls.results(store, session.session_id, token, round=1).by_question()[1].n == 3
    now = polls.results(store, session.session_id, token).by_question()[1]
    assert now.n == 2 and now.median == 4.0
    table = polls.compare_rounds(store, session.session_id, token, 1, 2)
    first = table.set_index("question_id").loc[1]
    assert (first["n_a"], first["n_b"], first["median_a"], first["median_b"], first["median_change"]) == (
        3,
        2,
        2.0,
        4.0,
        2.0,
    )
    with pytest.raises(PollError, match="Ronde 3 bestaat niet"):
        polls.results(store, session.session_id, token, round=3)


def test_results_per_kind_and_the_anonymous_export(store):
    session, token = polls.create_session(
        store,
        "Mix",
        [
            {"kind": "scale", "text": "Hoe ver staan we?", "bouwsteen": "detectie"},
            {"kind": "choice", "text": "Welke dag?", "options": ["maandag", "dinsdag"]},
            {"kind": "word", "text": "Eén woord"},
        ],
    )
    code = session.join_code
    for pid, score, day, word, name in (
        ("p1", 1, "maandag", "Samen", "An"),
        ("p2", 5, "maandag", " samen ", None),
        ("p3", 1, "dinsdag", "Warm", "Bart"),
        ("p4", 5, "maandag", "buren", None),
    ):
        polls.answer(store, code, pid, 1, score, name=name)
        polls.answer(store, code, pid, 2, day, name=name)
        polls.answer(store, code, pid, 3, word, name=name)
    res = polls.results(store, code, token)
    assert res.participants == 4
    scale, choice, word = res.questions
    assert scale.distribution == {1: 2, 2: 0, 3: 0, 4: 0, 5: 2} and scale.disagreement
    assert (scale.median, scale.min, scale.max) == (3.0, 1, 5)
    assert choice.distribution == {"maandag": 3, "dinsdag": 1}
    assert word.distribution == {"samen": 2, "buren": 1, "warm": 1}

    anonymous = polls.export_rows(store, code, token)
    assert list(anonymous.columns) == list(polls.EXPORT_COLUMNS) and len(anonymous) == 12
    assert "naam" not in anonymous.columns
    assert not anonymous.isin(["An", "Bart", "p1", "p2"]).any().any()
    assert set(anonymous["deelnemer"]) == {"deelnemer 1", "deelnemer 2", "deelnemer 3", "deelnemer 4"}
    assert sorted(anonymous.loc[anonymous["vraag_nr"] == 1, "antwoord"]) == [1, 1, 5, 5]
    named = polls.export_rows(store, code, token, with_names=True)
    assert set(named["naam"].dropna()) == {"An", "Bart"}
    # The same person keeps one pseudonym across questions.
    assert named.groupby("deelnemer")["naam"].nunique(dropna=False).max() == 1


# --- concurrency and restart -----------------------------------------------------------------------


def test_fifty_participants_answering_at_once_lose_nothing_and_survive_a_restart(tmp_path):
    path = tmp_path / "live.duckdb"
    store = Store.open(path)
    session, token = _bouwstenen(store)
    question_ids = [q.question_id for q in session.questions]
    sent: dict[tuple[str, int], int] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(50)

    def participant(i: int) -> None:
        rng = random.Random(i)
        pid = polls.new_participant_id()
        scores = {q: rng.randint(1, 5) for q in question_ids}
        for q, score in scores.items():
            sent[(pid, q)] = score
        start.wait()
        try:
            for q in rng.sample(question_ids, len(question_ids)):
                polls.answer(store, session.join_code, pid, q, scores[q], name=f"deelnemer {i}")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=participant, args=(i,)) for i in range(50)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    print(f"50 deelnemers x 9 vragen: {elapsed:.2f} s ({450 / elapsed:.0f} antwoorden/s)")
    assert not errors, errors[:3]

    def check(st: Store) -> None:
        res = polls.results(st, session.session_id, token).by_question()
        assert sum(r.n for r in res.values()) == 450
        for q in question_ids:
            expected = Counter(score for (_, qid), score in sent.items() if qid == q)
            assert res[q].distribution == {v: expected.get(v, 0) for v in range(1, 6)}
        stored = st.poll_answers(session.session_id)
        assert len(stored) == 450
        assert {(r.participant_id, int(r.question_id)): int(r.value) for r in stored.itertuples()} == sent

    check(store)
    close_all()  # a "restart": every connection closed, the file opened again
    check(Store.open(path))
    close_all()


def test_a_double_tap_from_many_threads_keeps_one_answer(tmp_path):
    store = Store.open(tmp_path / "tap.duckdb")
    session, token = _bouwstenen(store)
    errors: list[BaseException] = []
    start = threading.Barrier(12)

    def tap(score: int) -> None:
        start.wait()
        try:
            polls.answer(store, session.join_code, "same-phone", 1, score)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=tap, args=(1 + i % 5,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    assert polls.results(store, session.session_id, token).by_question()[1].n == 1
    assert len(store.poll_answers(session.session_id)) == 1
    close_all()


def test_a_full_round_refuses_new_participants_but_not_those_already_in(store, monkeypatch):
    monkeypatch.setattr(polls, "MAX_PARTICIPANTS", 3)
    session, token = _bouwstenen(store)
    q1, q2 = (q.question_id for q in session.questions[:2])
    for pid in ("p-aaaaaaaa", "p-bbbbbbbb", "p-cccccccc"):
        polls.answer(store, session.join_code, pid, q1, 3)
    with pytest.raises(PollError, match="vol"):
        polls.answer(store, session.join_code, "p-dddddddd", q1, 4)
    polls.answer(store, session.join_code, "p-aaaaaaaa", q2, 5)  # someone already in answers on
    polls.answer(store, session.join_code, "p-aaaaaaaa", q1, 1)  # and changes an answer
    assert polls.results(store, session.session_id, token).participants == 3
    assert set(_answers_in_store(store, session.session_id)["participant_id"]) == {
        "p-aaaaaaaa",
        "p-bbbbbbbb",
        "p-cccccccc",
    }
    polls.new_round(store, session.session_id, token)  # every round starts with room again
    polls.answer(store, session.join_code, "p-dddddddd", q1, 4)
