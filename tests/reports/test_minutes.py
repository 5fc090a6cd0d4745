"""The minutes of a full werkgroep meeting on a copy of the demo store (zorgzaam.reports.minutes.build_minutes),
rendered as PDF, DOCX and HTML (zorgzaam.reports.minutes_render)."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from datetime import date, timedelta

import docx
import pytest
from pypdf import PdfReader

from zorgzaam import bouwstenen, meeting_content, meetings, polls, werkgroep
from zorgzaam.bouwstenen import validate_action
from zorgzaam.demo import TINY_SECTOR, TOWN_CODE, WZC_SECTOR
from zorgzaam.formatting import format_date
from zorgzaam.meetings import _today as belgian_today
from zorgzaam.reports.minutes import AGREEMENTS_MOVED, build_minutes, poll_result
from zorgzaam.reports.minutes_render import minutes_docx, minutes_html, minutes_pdf, share_text
from zorgzaam.store import Store, close_all

TEAM = "Werkgroep zorgzaam Heidebeek"
TITLE = "Analyse- en scoringsbijeenkomst"
DAY = belgian_today()  # a meeting is held (and dated) today, in Belgium
NEXT = DAY + timedelta(days=49)
TODAY = date(2026, 12, 2)
NAME = "Marieke Peeters"
PID_A = "deelnemerAAAqwerty123"
PID_B = "deelnemerBBBzxcvbn456"
B = [b.code for b in bouwstenen.BOUWSTENEN]
# bouwsteen index → the two participants' scores (None: not answered)
SCORES = {0: (2, 3), 1: (4, 4), 2: (1, 5), 3: (5, None)}
CHECKIN_NOTE = "Iedereen stelde zich voor; twee nieuwe leden uit de buurtwerking"
WIE_NOTE = "Ter Heide valt op door veel alleenwonende 80-plussers"
AGREEMENTS = "Het OCMW nodigt de huisartsen uit tegen januari"
OLD_ACTION = "Buurtfeest Vlasbloem"
NEW_ACTION = "Huisbezoeken Ter Heide"
AGENDA = [
    {"kind": "checkin", "title": "", "minutes": 5},
    {"kind": "definitie", "title": "", "minutes": 15},
    {"kind": "wie", "title": "", "minutes": 20},
    {"kind": "wat", "title": "", "minutes": 15},
    {"kind": "bouwstenen", "title": "", "minutes": 15},
    {"kind": "acties", "title": "", "minutes": 10},
    {"kind": "afspraken", "title": "", "minutes": 10},
    {"kind": "eigen", "title": "Rondvraag", "minutes": 5},  # never reached
]


def _qids(store, meeting, step):
    code = store.poll_session(meeting.poll_session_id)["join_code"]
    return [q.question_id for q in polls.find_session(store, code).questions if q.step == step]


@pytest.fixture(scope="module")
def store(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("minutes") / "demo.duckdb"
    shutil.copy(demo_db, path)
    store = Store.open(path)
    yield store
    close_all()


@pytest.fixture(scope="module")
def meeting_id(store):
    werkgroep.save_action(store, TEAM, validate_action(OLD_ACTION, [B[1]], "lopend", ["Buurtwerk"]))
    planned = meetings.plan(
        store,
        team=TEAM,
        title=TITLE,
        meeting_date=DAY,
        agenda=AGENDA,
        template="analyse",
        municipality=TOWN_CODE,
        sectors=[WZC_SECTOR, TINY_SECTOR],
        indicators=["pct_80plus", "pct_alone_75plus"],
    )
    meeting, token = meetings.start(store, planned.meeting_id)
    mid = meeting.meeting_id
    code = store.poll_session(meeting.poll_session_id)["join_code"]
    checkin = _qids(store, meeting, 0)[0]
    polls.answer(store, code, PID_A, checkin, "koffie", name=NAME)
    polls.answer(store, code, PID_B, checkin, "Koffie")
    meetings.save_note(store, mid, token, 0, meetings.NOTES_FIELD, CHECKIN_NOTE)
    meetings.next_step(store, mid, token)  # definitie
    for qid, word in zip(_qids(store, meeting, 1), ("buren", "burenhulp", "respect")):
        polls.answer(store, code, PID_A, qid, word, name=NAME)
    meetings.save_keyword_domains(store, mid, token, 1, {"buren": "welzijn"})
    meetings.next_step(store, mid, token)  # wie
    meetings.save_note(store, mid, token, 2, "2.1", WIE_NOTE)
    meetings.next_step(store, mid, token)  # wat
    meetings.next_step(store, mid, token)  # bouwstenen
    qids = _qids(store, meeting, 4)
    for i, (a, b) in SCORES.items():
        polls.answer(store, code, PID_A, qids[i], a, name=NAME)
        if b is not None:
            polls.answer(store, code, PID_B, qids[i], b)
    meetings.next_step(store, mid, token)  # acties
    werkgroep.save_action(store, TEAM, validate_action(NEW_ACTION, [B[0]], "gepland", ["OCMW"], None, WZC_SECTOR))
    meetings.next_step(store, mid, token)  # afspraken
    meetings.save_note(store, mid, token, 6, meetings.AGREEMENTS_FIELD, AGREEMENTS)
    meetings.set_next_meeting(store, mid, token, NEXT)
    meetings.finish(store, mid, token)
    return mid


@pytest.fixture(scope="module")
def doc(store, meeting_id):
    return build_minutes(store, meeting_id, today=TODAY)


@pytest.fixture(scope="module")
def rendered(doc):
    pdf = minutes_pdf(doc)
    pdf_text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    data = minutes_docx(doc)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        docx_xml = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    docx_text = " ".join(" ".join(parts).split())
    html_text = minutes_html(doc)
    return {"pdf": pdf_text, "docx": docx_text, "docx_xml": docx_xml, "html": html_text}


def test_header_and_participants(doc):
    assert doc.title == TITLE and doc.team == TEAM and doc.meeting_date == DAY
    assert doc.place == "Heidebeek"
    assert doc.sectors == (f"Ter Heide ({WZC_SECTOR})", f"Industriezone De Vaart ({TINY_SECTOR})")
    assert doc.participants == 2
    assert re.fullmatch(r"\d\d:\d\d", doc.started) and re.fullmatch(r"\d\d:\d\d", doc.finished)
    assert doc.made_on == TODAY and doc.source_line.startswith("Bron: ")


def test_checkin_and_definition_polls(doc):
    checkin = doc.steps[0]
    assert checkin.number == 1 and checkin.participants == 2
    assert len(checkin.polls) == 1
    assert checkin.polls[0].kind == "word" and checkin.polls[0].n == 2
    assert checkin.polls[0].distribution == (("koffie", 2),)
    definitie = doc.steps[1]
    assert definitie.participants == 1
    assert definitie.clusters == (("welzijn", "buren, burenhulp", 2), ("", "respect", 1))


def test_bouwstenen_distributions(doc):
    step = doc.steps[4]
    assert step.participants == 2 and len(step.polls) == 9
    for i, poll in enumerate(step.polls):
        assert poll.kind == "scale" and poll.text == bouwstenen.BOUWSTENEN[i].name
        assert [label.split(" · ")[0] for label, _ in poll.distribution] == ["1", "2", "3", "4", "5"]
        assert [label.split(" · ", 1)[1] for label, _ in poll.distribution] == list(bouwstenen.SCALE.values())
        given = [v for v in SCORES.get(i, ()) if v is not None]
        assert [count for _, count in poll.distribution] == [given.count(s) for s in range(1, 6)]
        assert poll.n == len(given)
    assert step.polls[0].median == "2,5" and step.polls[0].spread == "van 2 tot 3"
    assert step.polls[1].median == "4" and step.polls[1].spread == "van 4 tot 4"
    assert step.polls[2].spread == "van 1 tot 5 · meningen lopen uiteen"
    assert step.polls[8].median is None and step.polls[8].spread is None


def test_agenda_times_and_steps_without_questions(doc):
    assert [(nr, title, planned) for nr, title, planned, _ in doc.agenda] == [
        (i + 1, item["title"] or meetings.BLOCKS[item["kind"]].title, item["minutes"]) for i, item in enumerate(AGENDA)
    ]
    spent = [s for *_, s in doc.agenda]
    assert all(isinstance(s, float) and s >= 0 for s in spent[:7])
    assert spent[7] is None and doc.steps[7].spent_minutes is None
    assert [s.spent_minutes for s in doc.steps] == spent
    assert doc.steps[2].participants is None and doc.steps[2].polls == ()  # wie: no questions
    assert doc.steps[5].participants is None


def test_notes_with_their_field_labels(doc):
    assert [(n.label, n.text) for n in doc.steps[0].notes] == [("Notities", CHECKIN_NOTE)]
    wie_label = next(f.label for f in meetings.BLOCKS["wie"].note_fields if f.key == "2.1")
    assert [(n.label, n.text) for n in doc.steps[2].notes] == [(wie_label, WIE_NOTE)]
    # The agreements typed in the Afspraken step are the document's Afspraken, printed once (not also as a note).
    assert doc.steps[6].notes == () and doc.steps[6].remark == AGREEMENTS_MOVED
    assert all(not s.notes for i, s in enumerate(doc.steps) if i not in (0, 2))
    assert all(s.remark is None for i, s in enumerate(doc.steps) if i != 6)
    assert doc.agreements == AGREEMENTS and doc.next_meeting == NEXT


def test_figures_and_maps(store, doc):
    wie, wat = doc.steps[2], doc.steps[3]
    expected = meeting_content.sector_figures(
        store, TOWN_CODE, [WZC_SECTOR, TINY_SECTOR], ["pct_80plus", "pct_alone_75plus"]
    )
    assert wie.table.equals(expected.table)
    assert wie.table_title.startswith(f"Cijfers van de gekozen sectoren, tot en met {expected.period} ")
    assert len(wie.images) == 1 and wie.images[0][1][:8] == b"\x89PNG\r\n\x1a\n"
    assert "% 80-plussers" in wie.images[0][0]
    assert wat.table is not None and len(wat.images) == 1 and wat.images[0][1][:4] == b"\x89PNG"
    assert all(not s.images for i, s in enumerate(doc.steps) if i not in (2, 3))


def test_without_maps(store, meeting_id, doc):
    plain = build_minutes(store, meeting_id, with_maps=False, today=TODAY)
    assert all(step.images == () for step in plain.steps)
    assert plain.steps[2].table.equals(doc.steps[2].table)
    assert plain.steps[4].polls == doc.steps[4].polls


def test_actions_and_scores(doc):
    actions = doc.actions
    assert list(actions.columns[:3]) == ["Nr.", "Nieuw", "Actie"]
    by_title = dict(zip(actions["Actie"], actions["Nieuw"]))
    assert by_title == {OLD_ACTION: "", NEW_ACTION: "nieuw"}
    scores = doc.scores
    column = f"{DAY.strftime('%d/%m/%Y')} {TITLE}"
    assert list(scores.columns) == ["Bouwsteen", column]
    assert list(scores[column][:5]) == ["2 (n=2)", "4 (n=2)", "3 (n=2)", "5 (n=1)", "-"]


def test_poll_result_of_a_choice_question():
    question = polls.Question(1, 1, "choice", "Wanneer?", options=("dinsdag", "donderdag"))
    res = polls._question_result(question, ["donderdag", "donderdag"])
    out = poll_result(res)
    assert out.distribution == (("dinsdag", 0), ("donderdag", 2)) and out.n == 2 and out.median is None


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_rendered_documents_hold_the_content(rendered, fmt):
    text = rendered[fmt]
    if fmt == "html":
        import html as html_lib

        text = " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", text)).split())
    assert f"Verslag: {TITLE}" in text
    assert "koffie" in text and share_text(2, 2) in text  # 100,0 %
    assert share_text(1, 2) in text  # 50,0 %: one of two answers on a score
    assert "nog niet op ingezet" in text and "jullie ondernemen actie en stuurden al bij" in text
    assert "mediaan 2,5" in text and "van 1 tot 5" in text
    for note in (CHECKIN_NOTE, WIE_NOTE, AGREEMENTS):
        assert note in text
    assert "buren, burenhulp" in text and NEW_ACTION in text and "nieuw" in text
    assert format_date(NEXT) in text
    assert "Rondvraag" in text


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_the_agreements_are_printed_once_and_no_cell_says_none(rendered, fmt):
    text = rendered[fmt]
    if fmt == "html":
        import html as html_lib

        text = " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", text)).split())
    assert text.count(AGREEMENTS) == 1
    assert AGREEMENTS_MOVED in text
    assert text.index(AGREEMENTS_MOVED) < text.index(AGREEMENTS)  # the step points ahead to the Afspraken section
    assert not re.search(r"\bNone\b", text) and not re.search(r"\bnan\b", text)


@pytest.mark.parametrize("fmt", ["pdf", "docx_xml", "html"])
def test_no_participant_is_named(rendered, fmt):
    text = rendered[fmt]
    for secret in (NAME, "Marieke", "Peeters", PID_A, PID_B):
        assert secret not in text


def test_build_minutes_holds_no_name_or_id(doc):
    blob = repr(doc)
    for secret in (NAME, PID_A, PID_B):
        assert secret not in blob


def test_unknown_meeting(store):
    with pytest.raises(LookupError):
        build_minutes(store, "bestaat-niet")


def test_the_verslag_draws_the_maps_that_were_on_screen(demo_db, tmp_path):
    import shutil

    from zorgzaam import meetings
    from zorgzaam.demo import TOWN_CODE, WZC_SECTOR
    from zorgzaam.reports.minutes import build_minutes
    from zorgzaam.store import Store, close_all

    path = tmp_path / "maps.duckdb"
    shutil.copy(demo_db, path)
    store = Store.open(path)
    try:
        planned = meetings.plan(
            store,
            team="Werkgroep kaarten",
            title="Kaarten",
            meeting_date="2026-12-02",
            agenda=[{"kind": "wie", "minutes": 20}],
            municipality=TOWN_CODE,
            sectors=[WZC_SECTOR],
            indicators=["pct_80plus", "pct_tenants", "pct_single_person_hh"],
        )
        meeting, token = meetings.start(store, planned.meeting_id)
        first = build_minutes(store, meeting.meeting_id)
        assert [caption.split(" per ")[0] for caption, _ in first.steps[0].images] == ["% 80-plussers"]
        meetings.record_shown(store, meeting.meeting_id, token, 0, "pct_tenants")
        meetings.record_shown(store, meeting.meeting_id, token, 0, "pct_80plus")
        doc = build_minutes(store, meeting.meeting_id)
        assert [caption.split(" per ")[0] for caption, _ in doc.steps[0].images] == ["% huurders", "% 80-plussers"]
        assert all(png[:4] == b"\x89PNG" for _, png in doc.steps[0].images)
        assert doc.steps[0].images[0][1] != doc.steps[0].images[1][1]
    finally:
        close_all()


def test_the_verslag_says_no_data_where_the_signal_indicators_are_absent(tmp_path):
    from tests.helpers import signal_store

    def verslag(kind: str, **kwargs) -> str:
        store = signal_store(tmp_path / f"{kind}.duckdb", kind, **kwargs)
        planned = meetings.plan(
            store,
            team="Werkgroep drie toestanden",
            title="Analyse",
            meeting_date=DAY,
            agenda=[{"kind": "wie_vs_wat", "minutes": 20}],
            municipality="11111",
            sectors=[],
        )
        meeting, _ = meetings.start(store, planned.meeting_id)
        page = minutes_html(build_minutes(store, meeting.meeting_id, with_maps=False)).replace("&#x27;", "'")
        close_all()
        return page

    absent = verslag("absent", with_access=True)
    assert "Geen gegevens: importeer leeftijd, woonstabiliteit, huishoudens" in absent
    assert "Geen gegevens: importeer leeftijd per sector (bv. uit Provincies in Cijfers)." in absent  # wie vs wat
    assert "Geen signaal" not in absent and meeting_content.NOT_IN_ATTENTION not in absent
    flat = verslag("flat")
    assert "Geen signaal volgens de regel" in flat and "Geen gegevens" not in flat
