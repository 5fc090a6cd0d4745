"""Werkgroep meeting mode (zorgzaam.meetings): agenda validation, planning, running step by step with
a step-bound poll, notes, restart survival, finishing into the team's self-assessment, keywords,
the progress table over meetings and the schema migration 11."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import duckdb
import pytest

from zorgzaam import bouwstenen, meetings, polls, werkgroep
from zorgzaam.meetings import BLOCKS, TEMPLATES, MeetingError
from zorgzaam.meetings import _today as belgian_today
from zorgzaam.polls import PollError
from zorgzaam.store import MAX_NOTE_CHARS, SCHEMA_VERSION, Store, close_all, migrate

TEAM = "Werkgroep zorgzaam Heidebeek"
OTHER_TEAM = "Werkgroep Vennebroek"
DAY = date(2026, 12, 2)
B = [b.code for b in bouwstenen.BOUWSTENEN]


@pytest.fixture
def path(tmp_path):
    yield tmp_path / "meetings.duckdb"
    close_all()


@pytest.fixture
def store(path):
    return Store.open(path)


def _plan(store, template="toetsen", team=TEAM, day=DAY, title="Tweede bijeenkomst", **kw):
    return meetings.plan(
        store, team=team, title=title, meeting_date=day, agenda=TEMPLATES[template].agenda(), template=template, **kw
    )


def _start(store, template="toetsen", **kw):
    planned = _plan(store, template, **kw)
    meeting, token = meetings.start(store, planned.meeting_id)
    code = store.poll_session(meeting.poll_session_id)["join_code"]
    return meeting, token, code


def _session(store, meeting):
    return polls.find_session(store, store.poll_session(meeting.poll_session_id)["join_code"])


def _qids(store, meeting, step):
    return [q.question_id for q in _session(store, meeting).questions if q.step == step]


def _score_all(store, code, meeting, step, participant, value):
    for qid in _qids(store, meeting, step):
        polls.answer(store, code, participant, qid, value)


# --------------------------------------------------------------------------- blocks and templates


def test_every_template_validates_and_sums_to_its_minutes():
    expected = {"visievorming": 90, "analyse": 90, "toetsen": 90}
    assert set(TEMPLATES) == set(expected)
    for code, template in TEMPLATES.items():
        agenda = meetings.validate_agenda(template.agenda())
        assert agenda == template.agenda()
        assert sum(item.minutes for item in agenda) == expected[code]
        for kind, title, minutes in template.items:
            assert kind in BLOCKS
            assert 1 <= minutes <= meetings.MAX_MINUTES
    # the own titles of a template replace the block's
    assert TEMPLATES["visievorming"].agenda()[2].title == "Wat doen jullie al?"
    assert TEMPLATES["analyse"].agenda()[1].title == BLOCKS["wie"].title


def test_blocks_have_their_questions_and_note_fields():
    assert [q["kind"] for q in BLOCKS["checkin"].questions] == ["word"]
    assert [q["bouwsteen"] for q in BLOCKS["bouwstenen"].questions] == B
    assert all(q["kind"] == "scale" for q in BLOCKS["bouwstenen"].questions)
    assert len(BLOCKS["definitie"].questions) == 3
    for block in BLOCKS.values():
        keys = [f.key for f in block.note_fields]
        assert meetings.NOTES_FIELD in keys and len(keys) == len(set(keys))
    assert meetings.AGREEMENTS_FIELD in [f.key for f in BLOCKS["afspraken"].note_fields]
    assert meetings.DEFINITION_FIELD in [f.key for f in BLOCKS["definitie"].note_fields]


@pytest.mark.parametrize(
    "items, fragment",
    [
        ([{"kind": "koffiepauze", "title": "Pauze", "minutes": 10}], "onbekend soort blok"),
        ([{"kind": "eigen", "title": "Pauze", "minutes": 0}], "tussen 1 en 180"),
        ([{"kind": "eigen", "title": "Pauze", "minutes": 181}], "tussen 1 en 180"),
        ([{"kind": "eigen", "title": "Pauze", "minutes": None}], "duur in hele minuten"),
        ([{"kind": "eigen", "title": "Pauze", "minutes": 1.5}], "duur in hele minuten"),
        ([{"kind": "eigen", "title": "Pauze", "minutes": True}], "duur in hele minuten"),
        ([], "minstens één agendapunt"),
        ([{"kind": "eigen", "title": "Punt", "minutes": 5}] * 21, "hoogstens 20"),
        ([{"kind": "eigen", "title": "a" * 121, "minutes": 5}], "te lang (121 tekens"),
        ([{"kind": "eigen", "title": "Pauze\x07", "minutes": 5}], "niet toegelaten"),
        ([{"kind": "eigen", "title": "Pau\u200bze", "minutes": 5}], "niet toegelaten"),
    ],
)
def test_validate_agenda_rejects(items, fragment):
    with pytest.raises(MeetingError, match=fragment.replace("(", r"\(")):
        meetings.validate_agenda(items)


def test_validate_agenda_accepts_limits_and_defaults_the_title():
    items = [{"kind": "eigen", "title": "a" * 120, "minutes": 180}] + [{"kind": "checkin", "minutes": 1}] * 19
    agenda = meetings.validate_agenda(items)
    assert len(agenda) == 20
    assert agenda[0].minutes == 180 and agenda[0].title == "a" * 120
    assert agenda[1].title == BLOCKS["checkin"].title and agenda[1].minutes == 1
    assert meetings.validate_agenda([{"kind": "eigen", "title": "  Een   pauze ", "minutes": "7"}])[
        0
    ] == meetings.AgendaItem("eigen", "Een pauze", 7)


# --------------------------------------------------------------------------- planning


def test_plan_and_get_round_trip(store):
    agenda = [{"kind": "checkin", "title": "Welkom", "minutes": 5}, {"kind": "wie", "title": "", "minutes": 20}]
    planned = meetings.plan(
        store,
        team=f"  {TEAM} ",
        title="Eerste  bijeenkomst",
        meeting_date="2026-12-02",
        agenda=agenda,
        template="analyse",
        municipality="13091",
        sectors=["13091A03-", " 13091A14- ", "13091A03-"],
        indicators=["pct_80plus"],
    )
    got = meetings.get(store, planned.meeting_id)
    assert got == planned
    assert got.team == TEAM and got.title == "Eerste bijeenkomst" and got.meeting_date == DAY
    assert got.sectors == ("13091A03-", "13091A14-") and all(type(s) is str for s in got.sectors)
    assert got.indicators == ("pct_80plus",) and isinstance(got.indicators, tuple)
    assert got.agenda == (
        meetings.AgendaItem("checkin", "Welkom", 5),
        meetings.AgendaItem("wie", BLOCKS["wie"].title, 20),
    )
    assert got.state == "gepland" and got.current_step is None and got.poll_session_id is None
    assert got.template == "analyse" and got.municipality == "13091" and got.planned_minutes == 25
    assert [m.meeting_id for m in meetings.meetings(store, TEAM)] == [planned.meeting_id]
    assert meetings.meetings(store, OTHER_TEAM) == []


def test_plan_validates(store):
    with pytest.raises(MeetingError):
        _plan(store, team="   ")
    with pytest.raises(MeetingError, match="datum"):
        _plan(store, day="morgen")
    with pytest.raises(MeetingError, match="hoogstens 12 indicatoren"):
        _plan(store, indicators=[f"ind_{i}" for i in range(13)])
    with pytest.raises(MeetingError, match="titel"):
        _plan(store, title="")
    assert meetings.meetings(store) == []
    # an unknown template is not kept
    assert (
        meetings.plan(
            store, team=TEAM, title="x", meeting_date=DAY, agenda=TEMPLATES["analyse"].agenda(), template="bestaat-niet"
        ).template
        is None
    )


def test_edit_planned_meeting_then_not_after_start(store):
    planned = _plan(store)
    edited = meetings.plan(
        store,
        meeting_id=planned.meeting_id,
        team=TEAM,
        title="Andere titel",
        meeting_date=date(2026, 12, 9),
        agenda=[{"kind": "checkin", "title": "Kort", "minutes": 3}],
        sectors=["13091A03-"],
    )
    assert edited.meeting_id == planned.meeting_id and edited.created_at == planned.created_at
    got = meetings.get(store, planned.meeting_id)
    assert got.title == "Andere titel" and got.meeting_date == date(2026, 12, 9)
    assert got.agenda == (meetings.AgendaItem("checkin", "Kort", 3),) and got.sectors == ("13091A03-",)
    assert len(meetings.meetings(store)) == 1
    meetings.start(store, planned.meeting_id)
    with pytest.raises(MeetingError, match="al begonnen"):
        meetings.plan(
            store,
            meeting_id=planned.meeting_id,
            team=TEAM,
            title="Nog eens",
            meeting_date=DAY,
            agenda=TEMPLATES["toetsen"].agenda(),
        )
    with pytest.raises(MeetingError, match="bestaat niet"):
        meetings.plan(
            store, meeting_id="onbekend", team=TEAM, title="x", meeting_date=DAY, agenda=TEMPLATES["toetsen"].agenda()
        )


# --------------------------------------------------------------------------- start and the step-bound poll


def test_start_makes_a_poll_with_the_questions_of_every_step(store):
    planned = _plan(store, "visievorming")
    meeting, token = meetings.start(store, planned.meeting_id)
    assert isinstance(token, str) and len(token) >= 24
    assert meeting.state == "bezig" and meeting.current_step == 0
    assert meeting.started_at is not None and meeting.step_started_at is not None
    assert meeting.token_hash == polls.hash_token(token) and token not in json.dumps(
        store.meeting(meeting.meeting_id), default=str
    )
    session = _session(store, meeting)
    assert session.follows_steps and session.current_step == 0 and session.is_open
    expected = [
        (q["kind"], q["text"], q.get("bouwsteen"), step)
        for step, item in enumerate(meeting.agenda)
        for q in item.block.questions
    ]
    assert [(q.kind, q.text, q.bouwsteen, q.step) for q in session.questions] == expected
    assert [q.step for q in session.questions] == [0, 1, 1, 1] + [3] * 9
    visible = session.visible_questions()
    assert len(visible) == 1 and visible[0].kind == "word" and visible[0].step == 0
    assert visible[0].text == BLOCKS["checkin"].questions[0]["text"]
    # the facilitator token of the meeting controls its poll too
    assert polls.facilitator_session(store, meeting.poll_session_id, token).session_id == session.session_id


def test_answers_follow_the_current_step(store):
    meeting, token, code = _start(store, "visievorming")
    checkin = _qids(store, meeting, 0)[0]
    scores = _qids(store, meeting, 3)
    assert polls.answer(store, code, "p1", checkin, "koffie") == 1
    with pytest.raises(PollError, match="staat nu niet open"):
        polls.answer(store, code, "p1", scores[0], 3)
    meetings.go_to(store, meeting.meeting_id, token, 3)
    session = _session(store, meeting)
    assert session.current_step == 3
    assert [q.question_id for q in session.visible_questions()] == scores and len(scores) == 9
    for qid in scores:
        polls.answer(store, code, "p1", qid, 4)
    with pytest.raises(PollError, match="staat nu niet open"):
        polls.answer(store, code, "p1", checkin, "thee")
    assert len(store.poll_answers(meeting.poll_session_id)) == 10


def test_start_an_agenda_without_questions(store):
    planned = meetings.plan(
        store,
        team=TEAM,
        title="Alleen kijken",
        meeting_date=DAY,
        agenda=[{"kind": "wie", "minutes": 10}, {"kind": "eigen", "title": "Pauze", "minutes": 5}],
    )
    meeting, token = meetings.start(store, planned.meeting_id)
    assert meeting.state == "bezig" and meeting.current_step == 0
    session = _session(store, meeting)
    assert session.questions == () and session.visible_questions() == ()
    assert meetings.step_results(store, meeting, 0) is None
    assert meetings.finish(store, meeting.meeting_id, token)[1] is None


def test_poll_session_without_questions(store):
    session, token = polls.create_session(store, "Leeg", [], allow_empty=True)
    assert session.questions == () and session.visible_questions() == ()
    with pytest.raises(PollError):
        polls.create_session(store, "Leeg", [])


def test_create_session_with_own_token_and_steps(store):
    session, token = polls.create_session(
        store,
        "Met stappen",
        [
            {"kind": "word", "text": "Woord", "step": 0},
            {"kind": "scale", "text": "Score", "bouwsteen": B[0], "step": 2},
        ],
        token="mijn-token",
    )
    assert token == "mijn-token"
    assert store.poll_session(session.session_id)["token_hash"] == polls.hash_token("mijn-token")
    assert [q.step for q in session.questions] == [0, 2]
    assert session.follows_steps and session.current_step is None and session.visible_questions() == ()
    with pytest.raises(PollError, match="staat nu niet open"):
        polls.answer(store, session.join_code, "p1", 1, "woord")
    with pytest.raises(PollError, match="minstens één vraag"):
        polls.create_session(store, "Leeg", [])


def test_wrong_token_and_double_start(store):
    meeting, token, _ = _start(store)
    mid = meeting.meeting_id
    for wrong in ("", "verkeerd", token + "x", None):
        with pytest.raises(MeetingError, match="Geen toegang"):
            meetings.authorise(store, mid, wrong)
    with pytest.raises(MeetingError, match="Geen toegang"):
        meetings.go_to(store, mid, "verkeerd", 1)
    with pytest.raises(MeetingError, match="Geen toegang"):
        meetings.next_step(store, mid, "verkeerd")
    with pytest.raises(MeetingError, match="Geen toegang"):
        meetings.save_note(store, mid, "verkeerd", 0, meetings.NOTES_FIELD, "x")
    with pytest.raises(MeetingError, match="Geen toegang"):
        meetings.finish(store, mid, "verkeerd")
    with pytest.raises(MeetingError, match="Geen toegang"):
        meetings.save_keyword_domains(store, mid, "verkeerd", 0, {})
    with pytest.raises(MeetingError, match="Geen toegang"):
        meetings.set_next_meeting(store, mid, "verkeerd", None)
    with pytest.raises(MeetingError, match="al begonnen"):
        meetings.start(store, mid)
    with pytest.raises(MeetingError, match="bestaat niet"):
        meetings.start(store, "onbekend")
    # a planned meeting has no token yet
    planned = _plan(store, title="Later")
    with pytest.raises(MeetingError, match="Geen toegang"):
        meetings.authorise(store, planned.meeting_id, token)
    assert meetings.get(store, mid).current_step == 0 and meetings.notes(store, mid) == {}
    assert meetings.authorise(store, mid, token).meeting_id == mid


def test_step_navigation_limits(store):
    meeting, token, _ = _start(store)  # toetsen: 5 steps
    mid = meeting.meeting_id
    with pytest.raises(MeetingError, match="eerste stap"):
        meetings.previous_step(store, mid, token)
    for bad in (-1, 5, 99, "twee", None):
        with pytest.raises(MeetingError, match="bestaat niet"):
            meetings.go_to(store, mid, token, bad)
    assert meetings.next_step(store, mid, token).current_step == 1
    assert meetings.previous_step(store, mid, token).current_step == 0
    assert meetings.go_to(store, mid, token, 4).current_step == 4
    assert meetings.get(store, mid).current_item.kind == "afspraken" and meetings.get(store, mid).next_item is None
    with pytest.raises(MeetingError, match="laatste stap"):
        meetings.next_step(store, mid, token)
    assert meetings.get(store, mid).current_step == 4


def test_step_visits_and_time_per_step(store):
    meeting, token, _ = _start(store)
    mid = meeting.meeting_id
    meetings.go_to(store, mid, token, 1)
    meetings.go_to(store, mid, token, 1)  # the same step: no new visit
    meetings.go_to(store, mid, token, 0)
    visits = store.meeting_step_visits(mid)
    assert list(visits["step"]) == [0, 1, 0]
    assert visits["ended_at"].isna().tolist() == [False, False, True]
    assert visits["ended_at"].iloc[0] == visits["started_at"].iloc[1]
    # deterministic times: step 0 for 5 min, step 1 for 4 min, step 0 again (still on screen)
    t0 = datetime(2026, 12, 2, 13, 0)
    with store._transaction() as cur:
        cur.execute("DELETE FROM meeting_step_visits WHERE meeting_id = ?", [mid])
        cur.executemany(
            "INSERT INTO meeting_step_visits VALUES (?, ?, ?, ?)",
            [
                [mid, 0, t0, t0 + timedelta(minutes=5)],
                [mid, 1, t0 + timedelta(minutes=5), t0 + timedelta(minutes=9)],
                [mid, 0, t0 + timedelta(minutes=9), None],
            ],
        )
        cur.execute("UPDATE meetings SET step_started_at = ? WHERE meeting_id = ?", [t0 + timedelta(minutes=9), mid])
    meeting = meetings.get(store, mid)
    now = t0 + timedelta(minutes=12)
    spent = meetings.time_per_step(store, meeting, now=now)
    assert spent == pytest.approx({0: 8.0, 1: 4.0})
    assert 2 not in spent
    assert meetings.step_elapsed(meeting, now=now) == timedelta(minutes=3)
    assert meetings.step_elapsed(meeting, now=t0) == timedelta(0)  # a clock behind: never negative
    planned = _plan(store, title="Nog niet begonnen")
    assert meetings.step_elapsed(planned) == timedelta(0)
    assert meetings.time_per_step(store, planned) == {}


def test_restart_keeps_everything(path):
    store = Store.open(path)
    meeting, token, code = _start(store, "visievorming")
    mid = meeting.meeting_id
    polls.answer(store, code, "p1", _qids(store, meeting, 0)[0], "Koffie")
    polls.answer(store, code, "p2", _qids(store, meeting, 0)[0], "koffie")
    meetings.save_note(store, mid, token, 0, meetings.NOTES_FIELD, "Iedereen stelde zich voor.\nTwee nieuwe leden.")
    meetings.go_to(store, mid, token, 1)
    for i, qid in enumerate(_qids(store, meeting, 1)):
        polls.answer(store, code, "p1", qid, ["buren", "respect", "zorg"][i])
    meetings.save_note(store, mid, token, 1, meetings.DEFINITION_FIELD, "Een buurt waar mensen naar elkaar omkijken.")
    meetings.go_to(store, mid, token, 2)
    before = meetings.get(store, mid)
    results_before = [meetings.step_results(store, before, s) for s in range(5)]
    notes_before = meetings.notes(store, mid)
    close_all()

    store = Store.open(path)
    after = meetings.get(store, mid)
    assert after == before
    assert after.current_step == 2 and after.step_started_at == before.step_started_at and after.state == "bezig"
    assert (
        meetings.notes(store, mid)
        == notes_before
        == {
            (0, "notities"): "Iedereen stelde zich voor.\nTwee nieuwe leden.",
            (1, "definitie"): "Een buurt waar mensen naar elkaar omkijken.",
        }
    )
    assert [meetings.step_results(store, after, s) for s in range(5)] == results_before
    checkin = meetings.step_results(store, after, 0)
    assert checkin.participants == 2 and checkin.questions[0].distribution == {"koffie": 2}
    assert meetings.step_results(store, after, 2) is None  # acties: no questions
    # step 2 (acties) has no questions: nothing is answerable, the earlier steps are refused
    session = _session(store, after)
    assert session.current_step == 2 and session.visible_questions() == ()
    for step in (0, 1, 3):
        with pytest.raises(PollError):
            polls.answer(store, code, "p3", _qids(store, after, step)[0], 3 if step == 3 else "woord")
    meetings.next_step(store, mid, token)
    polls.answer(store, code, "p3", _qids(store, after, 3)[0], 3)
    assert meetings.authorise(store, mid, token).meeting_id == mid


# --------------------------------------------------------------------------- finishing


def test_finish_closes_the_poll_and_saves_the_median_rounded_down(store):
    meeting, token, code = _start(store, day=belgian_today())  # toetsen: bouwstenen at step 1
    mid = meeting.meeting_id
    polls.answer(store, code, "p1", _qids(store, meeting, 0)[0], "thee")
    meetings.next_step(store, mid, token)
    q = _qids(store, meeting, 1)
    polls.answer(store, code, "p1", q[0], 2)
    polls.answer(store, code, "p2", q[0], 3)
    polls.answer(store, code, "p1", q[1], 4)
    polls.answer(store, code, "p2", q[1], 5)
    polls.answer(store, code, "p3", q[2], 1)
    assert meetings.bouwsteen_scores(store, meetings.get(store, mid)) == {
        **{c: None for c in B},
        B[0]: 2,
        B[1]: 4,
        B[2]: 1,
    }
    finished, saved = meetings.finish(store, mid, token)
    assert finished.state == "afgerond" and finished.current_step is None and finished.finished_at is not None
    assert saved is not None and saved.source == "peiling" and saved.team == TEAM
    assert saved.scores[B[0]] == 2 and saved.scores[B[1]] == 4 and saved.scores[B[2]] == 1
    assert all(saved.scores[c] is None for c in B[3:])
    assert saved.poll_session_id == meeting.poll_session_id and saved.poll_round == 1
    stored = werkgroep.assessments(store, TEAM)
    assert len(stored) == 1 and stored[0].scores == saved.scores and stored[0].source == "peiling"
    assert stored[0].assessed_on == finished.meeting_date == belgian_today()
    session = _session(store, finished)
    assert not session.is_open
    with pytest.raises(PollError, match="gesloten"):
        polls.answer(store, code, "p4", q[3], 3)
    visits = store.meeting_step_visits(mid)
    assert visits["ended_at"].notna().all()
    # finishing twice changes nothing
    again, saved_again = meetings.finish(store, mid, token)
    assert again.state == "afgerond" and saved_again is None
    # reopen: bezig at the last step, the poll open again
    reopened = meetings.reopen(store, mid, token)
    assert reopened.state == "bezig" and reopened.current_step == len(reopened.agenda) - 1
    session = _session(store, reopened)
    assert session.is_open and session.current_step == 4
    meetings.save_note(store, mid, token, 4, meetings.AGREEMENTS_FIELD, "Volgende keer: acties")
    with pytest.raises(PollError, match="staat nu niet open"):
        polls.answer(store, code, "p4", q[3], 3)
    assert meetings.reopen(store, mid, token).state == "bezig"  # reopening a running meeting: nothing happens


def test_finish_without_bouwstenen_answers_saves_nothing(store):
    meeting, token, code = _start(store)
    polls.answer(store, code, "p1", _qids(store, meeting, 0)[0], "thee")
    finished, saved = meetings.finish(store, meeting.meeting_id, token)
    assert finished.state == "afgerond" and saved is None
    assert werkgroep.assessments(store, TEAM) == []
    m2, t2, _ = _start(store, "analyse", title="Zonder bouwstenen")
    assert meetings.finish(store, m2.meeting_id, t2)[1] is None
    assert werkgroep.assessments(store, TEAM) == []
    with pytest.raises(MeetingError, match="afgerond"):
        meetings.go_to(store, m2.meeting_id, t2, 0)


# --------------------------------------------------------------------------- notes and the next meeting


def test_save_note_rules(store):
    meeting, token, _ = _start(store, "analyse")  # step 1: wie (summary questions), 3: wie_vs_wat
    mid = meeting.meeting_id
    wie_fields = [f.key for f in BLOCKS["wie"].note_fields]
    meetings.save_note(store, mid, token, 1, wie_fields[0], "Veel alleenwonenden in Ter Heide")
    meetings.save_note(store, mid, token, 1, meetings.NOTES_FIELD, "Regel 1\nRegel 2\tmet tab")
    with pytest.raises(MeetingError, match="notitieveld"):
        meetings.save_note(store, mid, token, 0, wie_fields[0], "hoort bij stap 2")
    with pytest.raises(MeetingError, match="notitieveld"):
        meetings.save_note(store, mid, token, 1, meetings.AGREEMENTS_FIELD, "x")
    with pytest.raises(MeetingError, match="hoort niet bij"):
        meetings.save_note(store, mid, token, 6, meetings.NOTES_FIELD, "x")
    with pytest.raises(MeetingError, match="te lang"):
        meetings.save_note(store, mid, token, 0, meetings.NOTES_FIELD, "a" * (MAX_NOTE_CHARS + 1))
    with pytest.raises(MeetingError, match="niet toegelaten"):
        meetings.save_note(store, mid, token, 0, meetings.NOTES_FIELD, "bel\x07")
    meetings.save_note(store, mid, token, 0, meetings.NOTES_FIELD, "a" * MAX_NOTE_CHARS)
    assert meetings.notes(store, mid) == {
        (1, wie_fields[0]): "Veel alleenwonenden in Ter Heide",
        (1, "notities"): "Regel 1\nRegel 2\tmet tab",
        (0, "notities"): "a" * MAX_NOTE_CHARS,
    }
    meetings.save_note(store, mid, token, 1, wie_fields[0], "")
    meetings.save_note(store, mid, token, 0, meetings.NOTES_FIELD, "   ")
    meetings.save_note(store, mid, token, 1, meetings.NOTES_FIELD, None)
    assert meetings.notes(store, mid) == {}


def test_set_next_meeting(store):
    meeting, token, _ = _start(store, day=belgian_today())
    mid = meeting.meeting_id
    day = meeting.meeting_date
    with pytest.raises(MeetingError, match="vóór"):
        meetings.set_next_meeting(store, mid, token, day - timedelta(days=1))
    with pytest.raises(MeetingError, match="datum"):
        meetings.set_next_meeting(store, mid, token, "volgende week")
    later = day + timedelta(days=49)
    assert meetings.set_next_meeting(store, mid, token, later.isoformat()).next_meeting == later
    assert meetings.set_next_meeting(store, mid, token, day).next_meeting == day
    assert meetings.set_next_meeting(store, mid, token, None).next_meeting is None
    assert meetings.get(store, mid).next_meeting is None


def test_delete(store):
    planned = _plan(store, title="Gepland")
    meetings.delete(store, planned.meeting_id)
    assert meetings.get(store, planned.meeting_id) is None
    meetings.delete(store, "bestaat-niet")  # nothing to do
    meeting, token, _ = _start(store)
    mid = meeting.meeting_id
    meetings.save_note(store, mid, token, 0, meetings.NOTES_FIELD, "x")
    with pytest.raises(MeetingError, match="Geen toegang"):
        meetings.delete(store, mid)
    with pytest.raises(MeetingError, match="Geen toegang"):
        meetings.delete(store, mid, "verkeerd")
    assert meetings.get(store, mid) is not None
    meetings.delete(store, mid, token)
    assert meetings.get(store, mid) is None
    assert meetings.notes(store, mid) == {} and store.meeting_step_visits(mid).empty


# --------------------------------------------------------------------------- time helpers


def test_format_clock_and_local_time():
    assert meetings.format_clock(65) == "1:05"
    assert meetings.format_clock(0) == "0:00"
    assert meetings.format_clock(59.9) == "0:59"
    assert meetings.format_clock(-30) == "\u22120:30"
    assert meetings.format_clock(3725) == "1:02:05"
    assert meetings.format_clock(-3725) == "\u22121:02:05"
    assert meetings.local_time(datetime(2026, 1, 15, 13, 0)) == "14:00"
    assert meetings.local_time(datetime(2026, 7, 15, 13, 0)) == "15:00"
    assert meetings.local_time(None) == "-"


# --------------------------------------------------------------------------- keywords


def test_cluster_keywords():
    counts = {"buren": 3, "burenhulp": 2, "respect": 2, "respekt": 1, "zorg": 4, "koffie": 1}
    clusters = meetings.cluster_keywords(counts)
    assert [(c.label, c.words, c.total) for c in clusters] == [
        ("buren", {"buren": 3, "burenhulp": 2}, 5),
        ("zorg", {"zorg": 4}, 4),
        ("respect", {"respect": 2, "respekt": 1}, 3),
        ("koffie", {"koffie": 1}, 1),
    ]
    assert all(c.domain is None for c in clusters)
    with_domains = meetings.cluster_keywords(
        counts,
        {"burenhulp": "welzijn", "koffie": "vrije tijd", "zorg": "zorg", "respekt": "ander", "respect": "welzijn"},
    )
    assert {c.label: c.domain for c in with_domains} == {
        "buren": "welzijn",
        "zorg": "zorg",
        "respect": "welzijn",
        "koffie": "vrije tijd",
    }
    assert meetings.cluster_keywords({}) == []
    assert meetings.cluster_keywords({"": 3}) == []


def test_keyword_domains_and_step_clusters(store):
    meeting, token, code = _start(store, "visievorming")  # step 1: definitie
    mid = meeting.meeting_id
    meetings.go_to(store, mid, token, 1)
    q = _qids(store, meeting, 1)
    for pid, words in {
        "p1": ["Buren", "respect", "zorg"],
        "p2": ["burenhulp", "Respekt", "koffie"],
        "p3": ["buren", "zorg"],
    }.items():
        for qid, word in zip(q, words):
            polls.answer(store, code, pid, qid, word)
    counts = meetings.keyword_counts(meetings.step_results(store, meetings.get(store, mid), 1))
    assert counts == {"buren": 2, "burenhulp": 1, "respect": 1, "respekt": 1, "zorg": 2, "koffie": 1}
    with pytest.raises(MeetingError, match="Onbekend domein"):
        meetings.save_keyword_domains(store, mid, token, 1, {"buren": "sport"})
    meetings.save_keyword_domains(store, mid, token, 1, {"BUREN": "welzijn", "zorg": "zorg", "koffie": ""})
    assert store.meeting_keywords(mid, 1) == {"buren": "welzijn", "zorg": "zorg"}
    clusters = meetings.step_clusters(store, meetings.get(store, mid), 1)
    assert [(c.label, c.total, c.domain) for c in clusters] == [
        ("buren", 3, "welzijn"),
        ("respect", 2, None),
        ("zorg", 2, "zorg"),
        ("koffie", 1, None),
    ]
    meetings.save_keyword_domains(store, mid, token, 1, {"koffie": "vrije tijd"})  # replaces the step's grouping
    clusters = meetings.step_clusters(store, meetings.get(store, mid), 1)
    assert {c.label: c.domain for c in clusters} == {
        "buren": None,
        "respect": None,
        "zorg": None,
        "koffie": "vrije tijd",
    }
    assert meetings.step_clusters(store, meetings.get(store, mid), 0) == []  # the check-in: nobody answered
    assert store.meeting_keywords(mid, 0) == {}


# --------------------------------------------------------------------------- progress over meetings


def _finished_with_scores(store, team, day, title, answers: dict[str, list[int | None]]):
    meeting, token, code = _start(store, "toetsen", team=team, day=day, title=title)
    meetings.next_step(store, meeting.meeting_id, token)
    q = _qids(store, meeting, 1)
    for pid, values in answers.items():
        for qid, value in zip(q, values):
            if value is not None:
                polls.answer(store, code, pid, qid, value)
    meetings.finish(store, meeting.meeting_id, token)
    with store._transaction() as cur:  # the day it was held (start may re-date a meeting to its real day)
        cur.execute("UPDATE meetings SET meeting_date = ? WHERE meeting_id = ?", [day, meeting.meeting_id])
    return meeting


def test_progress_table(store):
    # the later meeting is held first: columns follow the meeting date
    _finished_with_scores(store, TEAM, date(2026, 11, 20), "Tweede", {"p1": [4, 4], "p2": [5, 2]})
    _finished_with_scores(store, TEAM, date(2026, 10, 2), "Eerste", {"p1": [3, 2, 1], "p2": [3, 3]})
    _finished_with_scores(store, OTHER_TEAM, date(2026, 10, 9), "Elders", {"p1": [1] * 9})
    _plan(store, day=date(2026, 12, 20), title="Derde")
    table = meetings.progress_table(store, TEAM)
    assert list(table.columns) == ["Bouwsteen", "02/10/2026 Eerste", "20/11/2026 Tweede"]
    assert list(table["Bouwsteen"]) == [b.name for b in bouwstenen.BOUWSTENEN]
    assert list(table["02/10/2026 Eerste"][:4]) == ["3 (n=2)", "2 (n=2)", "1 (n=1)", "-"]
    assert list(table["20/11/2026 Tweede"][:3]) == ["4 (n=2)", "3 (n=2)", "-"]
    assert set(table["20/11/2026 Tweede"][2:]) == {"-"}
    assert list(meetings.progress_table(store, "Niemand").columns) == ["Bouwsteen"]


def test_progress_table_same_day_same_title_gets_two_columns(store):
    _finished_with_scores(store, TEAM, DAY, "Bijeenkomst", {"p1": [2]})
    _finished_with_scores(store, TEAM, DAY, "Bijeenkomst", {"p1": [5]})
    table = meetings.progress_table(store, TEAM)
    assert table.shape[1] == 3
    assert sorted(table.iloc[0, 1:]) == ["2 (n=1)", "5 (n=1)"]


# --------------------------------------------------------------------------- migration 11


def test_migration_from_schema_10_keeps_plain_polls(path):
    con = duckdb.connect(str(path))
    assert migrate(con, target=10) == 0
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "10"
    token = "oud-token"
    con.execute(
        "INSERT INTO poll_sessions VALUES ('s-oud', 'Oude peiling', 'ABCDEF', ?, 'open', FALSE, 1, ?)",
        [polls.hash_token(token), datetime(2026, 5, 1, 12, 0)],
    )
    con.execute("INSERT INTO poll_questions VALUES ('s-oud', 1, 1, 'scale', 'Buurt', NULL, ?)", [B[0]])
    con.execute("INSERT INTO poll_questions VALUES ('s-oud', 2, 2, 'word', 'Een woord', NULL, NULL)")
    con.execute("INSERT INTO poll_answers VALUES ('s-oud', 1, 1, 'p-oud', NULL, '3', ?)", [datetime(2026, 5, 1, 12, 5)])
    con.close()

    store = Store.open(path)
    assert store.schema_version() == SCHEMA_VERSION
    for table in ("meetings", "meeting_step_visits", "meeting_notes", "meeting_keywords"):
        assert store._scalar(f"SELECT count(*) FROM {table}") == 0
    assert [r["step"] for r in store.poll_questions("s-oud")] == [None, None]
    assert store.poll_session("s-oud")["current_step"] is None
    session = polls.find_session(store, "abc-def")
    assert not session.follows_steps and session.current_step is None
    assert session.visible_questions() == session.questions and len(session.questions) == 2
    assert all(q.step is None for q in session.questions)
    assert polls.answer(store, "ABCDEF", "p-nieuw", 2, "buren") == 1
    assert polls.answer(store, "ABCDEF", "p-oud", 1, 4) == 1
    res = polls.results(store, "s-oud", token)
    assert res.participants == 2 and res.questions[0].distribution[4] == 1 and res.questions[1].n == 1
    assert not store.meeting_for_poll("s-oud")


# --------------------------------------------------------------------------- concurrency


def test_two_simultaneous_starts_give_one_meeting(store, monkeypatch):
    planned = _plan(store)
    real_create = polls.create_session
    inner: dict = {}

    def create_and_race(*args, **kwargs):
        result = real_create(*args, **kwargs)
        if not inner:  # another request starts the same meeting between the check and the save
            inner["busy"] = True
            inner["result"] = meetings.start(store, planned.meeting_id)
        return result

    monkeypatch.setattr(polls, "create_session", create_and_race)
    outcomes = []
    try:
        outcomes.append(meetings.start(store, planned.meeting_id))
    except MeetingError:
        pass
    outcomes.append(inner["result"])
    # whoever got a token must be able to lead the meeting
    for _meeting, token in outcomes:
        assert meetings.authorise(store, planned.meeting_id, token)
    assert len(outcomes) == 1


def test_action_added_after_reopen_is_new_in_the_minutes(store):
    from zorgzaam.bouwstenen import validate_action
    from zorgzaam.reports.minutes import build_minutes

    meeting, token, _ = _start(store)
    meetings.finish(store, meeting.meeting_id, token)
    meetings.reopen(store, meeting.meeting_id, token)
    werkgroep.save_action(store, TEAM, validate_action("Na heropenen", [B[0]], "gepland"))
    doc = build_minutes(store, meeting.meeting_id, with_maps=False)
    assert list(doc.actions["Nieuw"]) == ["nieuw"]
    assert doc.finished is None


def test_schedule_line_gives_start_and_planned_end_in_belgian_time():
    from datetime import datetime

    base = meetings.validate_agenda(
        [{"kind": "eigen", "title": "Punt", "minutes": 50}, {"kind": "eigen", "title": "Nog een punt", "minutes": 40}]
    )
    meeting = meetings.Meeting(
        meeting_id="m",
        team="T",
        title="t",
        meeting_date=datetime(2026, 1, 15).date(),
        template=None,
        municipality=None,
        sectors=(),
        indicators=(),
        agenda=base,
        state="bezig",
        poll_session_id=None,
        current_step=0,
        step_started_at=None,
        started_at=datetime(2026, 1, 15, 13, 2),
        finished_at=None,
        next_meeting=None,
        created_at=datetime(2026, 1, 15, 12, 0),
    )
    assert meetings.schedule_line(meeting) == "Gestart om 14:02 · gepland einde 15:32"
    assert meetings.schedule_line(meeting.__class__(**{**meeting.__dict__, "started_at": None})) == ""


def test_the_maps_shown_in_a_wie_step_are_remembered_apart_from_the_notes(store):
    meeting, token, _code = _start(store, template="analyse")
    wie = meeting.steps_of("wie")[0]
    meetings.record_shown(store, meeting.meeting_id, token, wie, "pct_80plus")
    meetings.record_shown(store, meeting.meeting_id, token, wie, "pct_tenants")
    meetings.record_shown(store, meeting.meeting_id, token, wie, "pct_80plus")  # shown again: once
    assert meetings.shown_indicators(store, meeting.meeting_id, wie) == ["pct_80plus", "pct_tenants"]
    assert meetings.notes(store, meeting.meeting_id) == {}  # not a note of the note-taker
    with pytest.raises(MeetingError, match="geen kaart"):
        meetings.record_shown(store, meeting.meeting_id, token, 0, "pct_80plus")  # the check-in
    with pytest.raises(MeetingError, match="Geen toegang"):
        meetings.record_shown(store, meeting.meeting_id, "verkeerd", wie, "pct_65plus")


# --------------------------------------------------------------------------- a lost facilitator link


def test_finish_lost_needs_the_confirmation_and_gives_nobody_a_token(store):
    meeting, token, code = _start(store, day=belgian_today())  # toetsen: bouwstenen at step 1
    mid = meeting.meeting_id
    meetings.next_step(store, mid, token)
    q = _qids(store, meeting, 1)
    polls.answer(store, code, "p1", q[0], 4)
    polls.answer(store, code, "p2", q[0], 2)
    text = meetings.finish_lost_consequences(store, meetings.get(store, mid))
    assert text.startswith(meetings.FINISH_LOST_CONSEQUENCES) and f"zelfevaluatie van {TEAM}" in text
    with pytest.raises(MeetingError) as refused:
        meetings.finish_lost(store, mid)
    assert str(refused.value) == f"{text} Bevestig eerst dat je ze wilt afsluiten."
    with pytest.raises(MeetingError):
        meetings.finish_lost(store, mid, confirmed="ja")  # only True confirms
    still = meetings.get(store, mid)
    assert still.state == "bezig" and still.current_step == 1 and _session(store, still).is_open

    result = meetings.finish_lost(store, mid, confirmed=True)
    assert len(result) == 2 and not isinstance(result[1], str)  # the meeting and its assessment, no token
    finished, saved = result
    assert finished.state == "afgerond" and finished.token_hash is None and finished.current_step is None
    assert saved is not None and saved.scores[B[0]] == 3 and saved.team == TEAM  # as an ordinary finish does
    assert not _session(store, finished).is_open
    with pytest.raises(PollError, match="gesloten"):
        polls.answer(store, code, "p3", q[1], 3)
    with pytest.raises(MeetingError, match="zonder begeleiderslink afgesloten"):
        meetings.reopen(store, mid, token)
    with pytest.raises(PollError, match="Geen toegang"):
        polls.open_poll(store, meeting.poll_session_id, token)
    # Again: nothing changes, nothing is saved twice.
    again, saved_again = meetings.finish_lost(store, mid, confirmed=True)
    assert again.finished_at == finished.finished_at and saved_again is None
    assert len(werkgroep.assessments(store, TEAM)) == 1


def test_finish_lost_refuses_a_planned_or_unknown_meeting(store):
    planned = _plan(store)
    with pytest.raises(MeetingError, match="nog niet begonnen"):
        meetings.finish_lost(store, planned.meeting_id, confirmed=True)
    assert meetings.get(store, planned.meeting_id).state == "gepland"
    with pytest.raises(MeetingError, match="bestaat niet"):
        meetings.finish_lost(store, "bestaatniet", confirmed=True)


def test_delete_lost_needs_the_confirmation(store):
    meeting, token, code = _start(store)
    mid = meeting.meeting_id
    meetings.save_note(store, mid, token, 0, meetings.NOTES_FIELD, "Iets gezegd.")
    with pytest.raises(MeetingError) as refused:
        meetings.delete_lost(store, mid)
    assert str(refused.value).startswith(meetings.DELETE_CONSEQUENCES)
    assert meetings.get(store, mid) is not None and meetings.notes(store, mid)
    deleted = meetings.delete_lost(store, mid, confirmed=True)
    assert deleted.meeting_id == mid and meetings.get(store, mid) is None and meetings.notes(store, mid) == {}
    row = store.poll_session(meeting.poll_session_id)
    assert row["state"] == "closed"
    with pytest.raises(PollError, match="Geen toegang"):
        polls.facilitator_session(store, meeting.poll_session_id, token)
    assert "verwijderd" in meetings.delete_consequences(_plan(store)) and "verslag" not in meetings.delete_consequences(
        _plan(store)
    )
