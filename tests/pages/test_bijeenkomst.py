"""The presenter view of a meeting (pages/bijeenkomst.py) and a phone in meeting mode (pages/meedoen.py), in AppTest.

The state is read back from the database the app writes: the step on screen, the notes, the answers.
"""

from __future__ import annotations

import html
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO_ROOT
from tests.pages.conftest import open_app_page
from zorgzaam import meetings, polls
from zorgzaam.demo import TOWN_CODE, WZC_SECTOR
from zorgzaam.store import Store, close_all

PAGE = "pages/bijeenkomst.py"
PHONE = "pages/meedoen.py"


@pytest.fixture
def store(demo_db) -> Store:
    return Store.open(demo_db)


def _plan(store: Store, template: str = "visievorming", title: str = "Proef") -> meetings.Meeting:
    return meetings.plan(
        store,
        team="Werkgroep pagina",
        title=title,
        meeting_date="2026-12-01",
        agenda=meetings.TEMPLATES[template].agenda(),
        template=template,
        municipality=TOWN_CODE,
        sectors=[WZC_SECTOR],
    )


def _texts(at: AppTest) -> str:
    return "\n".join(
        [m.value for m in at.markdown]
        + [c.value for c in at.caption]
        + [i.value for i in at.info]
        + [s.value for s in at.success]
    )


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
        "Deze bijeenkomst bestaat niet (meer). Kies een bijeenkomst op de pagina Bijeenkomsten."
    ]


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
        "Verslag (PDF) maken",
        "Verslag (Word) maken",
        "Verslag (HTML) maken",
    }


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


# --- what the big screen showed wrongly: "-" as a bullet, an all-grey map, "None", localhost --------------------

NO_80PLUS = ("pop_age_80_89", "pop_age_90plus", "pop_age_80plus")


@pytest.fixture
def gap_app(demo_db, tmp_path, monkeypatch):
    """The app on a copy of the demo where the town's sectors have no 80-plussers counts (other towns do):
    % 80-plussers is an indicator of the store, but its map of this town would be all grey."""
    path = tmp_path / "gap.duckdb"
    shutil.copy(demo_db, path)
    store = Store.open(path)
    town = list(store.sectors_within("gemeente", [TOWN_CODE]))
    with store._transaction() as cur:
        cur.execute(
            f"DELETE FROM observations WHERE area_level = 'statsec' AND variable IN "
            f"({', '.join('?' * len(NO_80PLUS))}) AND area_code IN ({', '.join('?' * len(town))})",
            [*NO_80PLUS, *town],
        )
    store.forget_results()  # a raw delete bypasses the data version; the app recomputes the results table
    close_all()
    monkeypatch.setenv("ZORGZAAM_DB", str(path))
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90)
    yield at, path
    close_all()


def test_the_wie_step_opens_its_map_on_an_indicator_with_data_and_shows_dashes_as_text(gap_app):
    app, path = gap_app
    store = Store.open(path)
    planned = meetings.plan(
        store,
        team="Werkgroep pagina",
        title="Grijze kaart",
        meeting_date="2026-12-01",
        agenda=meetings.TEMPLATES["analyse"].agenda(),
        template="analyse",
        municipality=TOWN_CODE,
        sectors=[WZC_SECTOR],
        indicators=["pct_80plus", "pct_alone_75plus"],
    )
    meeting, token = meetings.start(store, planned.meeting_id)
    wie = meeting.steps_of("wie")[0]
    meetings.go_to(store, meeting.meeting_id, token, wie)
    open_app_page(app, PAGE, id=meeting.meeting_id, beheer=token)
    (control,) = [b for b in app.button_group if b.key == f"meeting_map_ind_{meeting.meeting_id}"]
    assert control.value == "pct_alone_75plus"
    labels = [o.content for o in control.proto.options]
    assert labels == ["% 80-plussers (geen gegevens)", "% alleenwonend 75-plussers"]
    assert meetings.shown_indicators(store, meeting.meeting_id, wie) == ["pct_alone_75plus"]

    (table,) = app.table
    cells = table.value
    # st.table reads Markdown: a bare "-" would be drawn as a bullet. Every cell is escaped text ...
    assert not (cells.astype(str) == "-").any().any()
    shown = cells.map(html.unescape)
    shown.index = [html.unescape(i) for i in shown.index]
    shown.columns = [html.unescape(c) for c in shown.columns]
    # ... that reads as the formatted figure: "-" for the sector without 80-plussers, nowhere "None".
    sector_row = next(i for i in shown.index if WZC_SECTOR in i)
    assert shown.loc[sector_row, "% 80-plussers"] == "-"
    assert shown.loc[sector_row, "% alleenwonend 75-plussers"].endswith(" %")
    assert not shown.isin(["None", "nan"]).any().any()


def test_the_presenter_warns_when_phones_cannot_reach_the_join_link(app, store, monkeypatch):
    monkeypatch.delenv("ZORGZAAM_PUBLIC_URL", raising=False)
    meeting, token = meetings.start(store, _plan(store, title="Lokaal").meeting_id)
    open_app_page(app, PAGE, id=meeting.meeting_id, beheer=token)
    warnings = [w.value for w in app.warning if w.value.startswith("Telefoons")]
    assert warnings and all(
        w.startswith(
            "Telefoons in de zaal kunnen localhost niet bereiken. Zet "
            "ZORGZAAM_PUBLIC_URL op het adres van deze computer in het netwerk, bv. "
            "http://192.168.1.20:8501"
        )
        for w in warnings
    )

    monkeypatch.setenv("ZORGZAAM_PUBLIC_URL", "http://10.1.2.3:8501")
    app.run()
    assert not [w for w in app.warning if w.value.startswith("Telefoons")]
    code = store.poll_session(meeting.poll_session_id)["join_code"]
    link = f"http://10.1.2.3:8501/meedoen?code={code}"
    assert any(f"[{link}]({link})" in m.value for m in app.markdown)  # the join box (popover)
    assert not any("localhost" in m.value and "meedoen" in m.value for m in app.markdown)


def test_a_meeting_finished_without_its_link_no_longer_opens_with_the_old_link(app, store):
    meeting, token = meetings.start(store, _plan(store, title="Afgesloten zonder link").meeting_id)
    meetings.finish_lost(store, meeting.meeting_id, confirmed=True)
    open_app_page(app, "pages/bijeenkomsten.py")
    app.query_params["id"] = meeting.meeting_id
    app.query_params["beheer"] = token
    app.switch_page(PAGE)
    app.run()
    assert not app.exception
    assert [e.value for e in app.error] == [
        "Deze bijeenkomst werd zonder begeleiderslink afgesloten en kan niet meer geleid worden. Het verslag staat "
        "op de pagina Bijeenkomsten."
    ]
    assert not [b for b in app.button if b.key in ("meeting_reopen", "meeting_next", "meeting_finish")]


def test_ungrouped_keywords_show_an_empty_domain_not_none(app, store):
    meeting, token = meetings.start(store, _plan(store, title="Kernwoorden").meeting_id)
    meetings.go_to(store, meeting.meeting_id, token, 1)  # visievorming: the definition
    session = polls.find_session(store, store.poll_session(meeting.poll_session_id)["join_code"])
    first = next(q for q in session.questions if q.step == 1)
    polls.answer(store, session.join_code, polls.new_participant_id(), first.question_id, "buren")
    polls.answer(store, session.join_code, polls.new_participant_id(), first.question_id, "respect")
    meetings.save_keyword_domains(store, meeting.meeting_id, token, 1, {"respect": "welzijn"})
    open_app_page(app, PAGE, id=meeting.meeting_id, beheer=token)
    (editor,) = [d for d in app.dataframe if d.key.startswith(f"meeting_domains_{meeting.meeting_id}_1_")]
    domains = dict(zip(editor.value["Kernwoord"], editor.value["Domein"]))
    assert domains == {"buren": "", "respect": "welzijn"}
