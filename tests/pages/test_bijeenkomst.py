"""The presenter view of a meeting (pages/bijeenkomst.py) and a phone in meeting mode (pages/meedoen.py), in AppTest.

The state is read back from the database the app writes: the step on screen, the notes, the answers.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO_ROOT
from tests.pages.conftest import open_app_page
from zorgzaam import meetings, polls
from zorgzaam.demo import TOWN_CODE, WZC_SECTOR
from zorgzaam.store import Store

PAGE = "pages/bijeenkomst.py"
PHONE = "pages/meedoen.py"


@pytest.fixture
def store(demo_db) -> Store:
    return Store.open(demo_db)


def _plan(store: Store, template: str = "visievorming", title: str = "Proef") -> meetings.Meeting:
    return meetings.plan(store, team="Werkgroep pagina", title=title, meeting_date="2026-12-01",
                         agenda=meetings.TEMPLATES[template].agenda(), template=template, municipality=TOWN_CODE,
                         sectors=[WZC_SECTOR])


def _texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
                     + [s.value for s in at.success])


def test_a_planned_meeting_starts_from_its_page_and_shows_its_first_step(app, store):
    planned = _plan(store)
    open_app_page(app, PAGE, id=planned.meeting_id)
    assert [b.label for b in app.button if b.key == "meeting_start"] == ["Start de bijeenkomst"]
    app.button(key="meeting_start").click().run()
    assert not app.exception and not app.error
    token = app.query_params["beheer"]
    meeting = meetings.authorise(store, planned.meeting_id, token)
    assert meeting.state == "bezig" and meeting.current_step == 0
    assert "stap 1 van 5" in _texts(app)
    assert "Deed je onlangs iets zorgzaam? Zeg het in één woord." in _texts(app)
    assert app.button(key="meeting_prev").disabled
    assert "<b>Hierna:</b> Wat verstaan we onder een zorgzame buurt? (30 min)" in _texts(app)


def test_without_the_token_nobody_leads_the_meeting(app, store):
    meeting, _token = meetings.start(store, _plan(store).meeting_id)
    open_app_page(app, "pages/bijeenkomsten.py")  # any page, then the presenter with a wrong token
    app.query_params["id"] = meeting.meeting_id
    app.query_params["beheer"] = "verkeerd"
    app.switch_page(PAGE)
    app.run()
    assert not app.exception
    assert any("Geen toegang" in e.value for e in app.error)
    assert not [b for b in app.button if b.key in ("meeting_next", "meeting_prev", "meeting_finish")]
    assert not app.text_area
    assert meetings.get(store, meeting.meeting_id).current_step == 0


def test_an_unknown_meeting_is_one_dutch_sentence(app):
    open_app_page(app, "pages/bijeenkomsten.py")
    app.query_params["id"] = "bestaatniet"
    app.switch_page(PAGE)
    app.run()
    assert not app.exception
    assert [e.value for e in app.error] == [
        "Deze bijeenkomst bestaat niet (meer). Kies een bijeenkomst op de pagina Bijeenkomsten."]


def test_moving_on_writing_notes_and_finishing(app, store):
    meeting, token = meetings.start(store, _plan(store, template="toetsen").meeting_id)
    open_app_page(app, PAGE, id=meeting.meeting_id, beheer=token)
    app.text_area(key=f"meeting_note|{meeting.meeting_id}|0|notities").input("Een buur bracht soep.").run()
    assert meetings.notes(store, meeting.meeting_id) == {(0, "notities"): "Een buur bracht soep."}

    app.button(key="meeting_next").click().run()
    assert not app.exception and not app.error
    assert meetings.get(store, meeting.meeting_id).current_step == 1
    assert "stap 2 van 5" in _texts(app) and "Bouwstenen scoren" in _texts(app)
    # the note field of this step starts empty; the first step's note is kept
    assert app.text_area(key=f"meeting_note|{meeting.meeting_id}|1|notities").value == ""

    app.button(key="meeting_jump_4").click().run()
    assert meetings.get(store, meeting.meeting_id).current_step == 4
    assert "Afspraken" in [t.label for t in app.text_area]
    app.text_area(key=f"meeting_note|{meeting.meeting_id}|4|afspraken").input("Volgende keer: de buurtwandeling.")
    app.run()
    app.button(key="meeting_finish").click().run()
    assert not app.exception and not app.error
    finished = meetings.get(store, meeting.meeting_id)
    assert finished.state == "afgerond" and finished.finished_at is not None
    assert meetings.notes(store, meeting.meeting_id)[(4, "afspraken")] == "Volgende keer: de buurtwandeling."
    assert any("De bijeenkomst is afgerond" in s.value for s in app.success)
    assert {b.label for b in app.button if b.key and b.key.startswith("maak_verslag_")} == {
        "Verslag (PDF) maken", "Verslag (Word) maken", "Verslag (HTML) maken"}


def test_a_phone_sees_only_the_current_steps_question(app, store):
    meeting, token = meetings.start(store, _plan(store, title="Gsm").meeting_id)
    code = store.poll_session(meeting.poll_session_id)["join_code"]
    phone = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90)
    open_app_page(phone, PHONE, code=code)
    assert [t.label for t in phone.text_input] == ["**Deed je onlangs iets zorgzaam? Zeg het in één woord.**"]
    phone.text_input[0].input("soep").run()
    assert polls.find_session(store, code) is not None
    results = meetings.step_results(store, meetings.get(store, meeting.meeting_id), 0)
    assert results.questions[0].distribution == {"soep": 1}

    meetings.go_to(store, meeting.meeting_id, token, 2)  # "Wat doen jullie al?": no question for the phones
    phone.run()
    assert not phone.text_input and not phone.radio
    assert any("Kijk mee op het grote scherm" in i.value for i in phone.info)

    meetings.go_to(store, meeting.meeting_id, token, 3)  # the bouwstenen poll
    phone.run()
    assert len(phone.radio) == 9 and not phone.text_input  # no name field: a meeting's answers are anonymous
    assert "Bouwstenen scoren" in [h.value for h in phone.subheader]

    meetings.finish(store, meeting.meeting_id, token)
    phone.run()
    assert any("De bijeenkomst is afgelopen" in i.value for i in phone.info) and not phone.radio


def test_the_wie_step_shows_what_the_figures_say_beside_its_summary_questions(app, store):
    meeting, token = meetings.start(store, _plan(store, template="analyse", title="Analyse").meeting_id)
    wie = meeting.steps_of("wie")[0]
    meetings.go_to(store, meeting.meeting_id, token, wie)
    open_app_page(app, PAGE, id=meeting.meeting_id, beheer=token)
    assert "Wie leeft er in je buurt(en)?" in " ".join(t.label for t in app.text_area)
    captions = [c.value for c in app.caption if "wat de cijfers tonen" in c.value]
    assert len(captions) == 4  # 2.1 to 2.4
    assert f"Ter Heide** ({WZC_SECTOR})" in _texts(app)  # a signal standout of the chosen sector
    # the map of the first indicator was recorded for the verslag
    assert meetings.shown_indicators(store, meeting.meeting_id, wie) == ["pct_80plus"]
