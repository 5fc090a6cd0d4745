"""The poll pages (AppTest): the facilitator's "Peiling" and the participant's "Meedoen".

Answers are written and read back through zorgzaam.polls on the same database file the app uses.
"""

from __future__ import annotations

import uuid
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO_ROOT
from tests.pages.conftest import open_app_page
from zorgzaam import bouwstenen, polls, werkgroep
from zorgzaam.store import Store
from zorgzaam.ui.poll_sections import own_questions

PAGE = "pages/peiling.py"
PHONE = "pages/meedoen.py"
CONTROL_KEYS = {"poll_close", "poll_open", "poll_reveal", "poll_hide", "poll_new_round", "poll_take"}


@pytest.fixture
def store(demo_db) -> Store:
    return Store.open(demo_db)


@pytest.fixture
def phone(app) -> AppTest:
    """A second browser: the participant's phone (``app`` already points ZORGZAAM_DB at the demo)."""
    return AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90)


def create_via_form(app: AppTest) -> tuple[str, str]:
    open_app_page(app, PAGE)
    app.button(key="poll_create").click().run()
    assert not app.exception, [e.message for e in app.exception]
    return app.query_params["sessie"], app.query_params["beheer"]


def open_facilitator(app: AppTest, session_id: str, token: str) -> AppTest:
    return open_app_page(app, PAGE, sessie=session_id, beheer=token)


def open_phone(phone: AppTest, code: str, **params: str) -> AppTest:
    return open_app_page(phone, PHONE, code=code, **params)


def scale_rows(app: AppTest):
    table = next(df.value for df in app.dataframe if "Mediaan" in df.value.columns and "1" in df.value.columns)
    return table.set_index("Nr.")


def button_keys(at: AppTest) -> set[str]:
    return {b.key for b in at.button}


def answer_key(session: polls.PollSession, question_id: int) -> str:
    return f"poll_answer_{session.session_id}_{session.current_round}_{question_id}"


# --- facilitator -----------------------------------------------------------------------------


def test_creating_a_bouwstenen_poll_puts_the_facilitator_link_in_the_url(app, store):
    before = len(store.poll_sessions())
    session_id, token = create_via_form(app)
    assert len(store.poll_sessions()) == before + 1
    session = polls.facilitator_session(store, session_id, token)  # the URL's token is the real one
    assert [q.bouwsteen for q in session.questions] == [b.code for b in bouwstenen.BOUWSTENEN]
    assert all(q.kind == "scale" for q in session.questions)
    assert session.is_open and not session.results_visible and session.current_round == 1
    months = (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    )
    today = date.today()
    assert session.title == f"Bouwstenen zelfevaluatie {today.day} {months[today.month - 1]} {today.year}"
    # The big screen: the join code in large letters, the participant link and its QR code.
    assert any(session.join_code in m.value and "font-size" in m.value for m in app.markdown)
    link = f"http://localhost:8501/meedoen?code={session.join_code}"
    assert any(link in m.value for m in app.markdown)
    assert app.image and link in app.image[0].captions[0]
    assert any("begeleiderslink" in w.value and "bladwijzer" in w.value for w in app.warning)
    assert {"poll_close", "poll_reveal", "poll_new_round", "poll_take"} <= button_keys(app)
    assert {d.label for d in app.download_button} == {
        "Antwoorden als CSV",
        "Antwoorden en resultaten als Excel (XLSX)",
        "Verdeling van ronde 1 als afbeelding (PNG)",
    }
    # The token is shown only as part of the facilitator link, never beside the join code.
    assert not any(token in m.value for m in app.markdown)


LOCAL_WARNING = "Telefoons in de zaal kunnen localhost niet bereiken. Zet ZORGZAAM_PUBLIC_URL op"


def test_the_join_link_on_localhost_comes_with_a_warning_what_to_set(app, store, monkeypatch):
    monkeypatch.delenv("ZORGZAAM_PUBLIC_URL", raising=False)
    session, token = polls.create_session(store, "Zonder adres", polls.bouwstenen_questions())
    open_facilitator(app, session.session_id, token)
    warnings = [w.value for w in app.warning if w.value.startswith("Telefoons")]
    assert len(warnings) == 1 and warnings[0].startswith(LOCAL_WARNING) and "http://192.168.1.20:8501" in warnings[0]


def test_the_join_link_and_qr_code_use_zorgzaam_public_url(app, store, monkeypatch):
    monkeypatch.setenv("ZORGZAAM_PUBLIC_URL", "http://192.168.1.20:8501/")
    session, token = polls.create_session(store, "Met adres", polls.bouwstenen_questions())
    open_facilitator(app, session.session_id, token)
    link = f"http://192.168.1.20:8501/meedoen?code={session.join_code}"
    assert any(f"[{link}]({link})" in m.value for m in app.markdown)
    assert app.image and app.image[0].captions[0] == f"QR-code: {link}"
    assert not any("localhost" in m.value for m in app.markdown)
    assert not any(w.value.startswith("Telefoons") for w in app.warning)


def test_the_join_link_uses_streamlits_browser_server_address(app, store, monkeypatch):
    from streamlit import config

    monkeypatch.delenv("ZORGZAAM_PUBLIC_URL", raising=False)
    get_option, manual = config.get_option, config.is_manually_set
    settings = {"browser.serverAddress": "10.0.0.7", "server.port": 8600}
    monkeypatch.setattr(config, "is_manually_set", lambda key: key == "browser.serverAddress" or manual(key))
    monkeypatch.setattr(config, "get_option", lambda key: settings.get(key, get_option(key)))
    session, token = polls.create_session(store, "Met serveradres", polls.bouwstenen_questions())
    open_facilitator(app, session.session_id, token)
    link = f"http://10.0.0.7:8600/meedoen?code={session.join_code}"
    assert app.image and app.image[0].captions[0] == f"QR-code: {link}"
    assert not any(w.value.startswith("Telefoons") for w in app.warning)


def test_own_questions_from_the_editor_and_a_validation_error_creates_nothing(app, store):
    open_app_page(app, PAGE)
    before = len(store.poll_sessions())
    app.text_input(key="poll_new_title").input("  ").run()
    app.button(key="poll_create").click().run()
    assert [e.value for e in app.error] == ["De titel van de peiling is leeg."]
    assert len(store.poll_sessions()) == before and "sessie" not in app.query_params

    app.text_input(key="poll_new_title").input("Buurtavond").run()
    app.radio(key="poll_new_set").set_value("Eigen vragen").run()
    app.button(key="poll_create").click().run()
    assert not app.error
    session = polls.facilitator_session(store, app.query_params["sessie"], app.query_params["beheer"])
    assert session.title == "Buurtavond"
    assert [q.kind for q in session.questions] == ["scale", "choice", "word"]
    assert session.questions[1].options == ("Communicatie", "Partnerschappen", "Publieke ruimte")


def test_own_questions_rows_become_poll_questions():
    frame = pd.DataFrame(
        {
            "soort": ["meerkeuze", None, "kort woord", None],
            "vraag": ["Wat eerst?", None, "Eén woord", "Vergeten soort"],
            "keuzes": ["Bank ; Bus;; ", None, "genegeerd", ""],
        }
    )
    with pytest.raises(polls.PollError, match="rij 4"):
        own_questions(frame)
    assert own_questions(frame.iloc[:3]) == [
        {"kind": "choice", "text": "Wat eerst?", "options": ["Bank", "Bus"]},
        {"kind": "word", "text": "Eén woord"},
    ]


def test_answers_appear_in_the_facilitator_results(app, store):
    session_id, token = create_via_form(app)
    code = polls.facilitator_session(store, session_id, token).join_code
    # Question 1: 1, 3, 5 (two of three more than a point from the median 3: disagreement);
    # question 2: 3, 3 (one participant skipped it).
    for pid, first, second in (("p1", 1, 3), ("p2", 3, 3), ("p3", 5, None)):
        polls.answer(store, code, pid, 1, first)
        if second is not None:
            polls.answer(store, code, pid, 2, second)
    app.run()
    assert not app.exception and not app.error
    rows = scale_rows(app)
    assert rows.loc[1, "Antwoorden"] == "3 van 3"
    assert [rows.loc[1, str(s)] for s in range(1, 6)] == [
        "1 (33,3 %)",
        "0 (0,0 %)",
        "1 (33,3 %)",
        "0 (0,0 %)",
        "1 (33,3 %)",
    ]
    assert rows.loc[1, "Mediaan"] == "3" and rows.loc[1, "Van–tot"] == "1–5"
    assert rows.loc[1, "Meningen"] == "lopen uiteen"
    assert rows.loc[2, "Antwoorden"] == "2 van 3" and rows.loc[2, "3"] == "2 (100,0 %)"
    assert rows.loc[2, "Meningen"] == "" and rows.loc[3, "Antwoorden"] == "0 van 3"
    assert any("3 deelnemers in deze ronde" in m.value and "verborgen" in m.value for m in app.markdown)
    badge = next(m.value for m in app.markdown if "meningen lopen uiteen" in m.value)
    assert "Buurt: analyse & plan" in badge and "2 van de 3 scores liggen meer dan 1 punt van de mediaan" in badge


def test_controls_change_the_stored_state_and_rounds_can_be_compared(app, store):
    session_id, token = create_via_form(app)
    code = polls.facilitator_session(store, session_id, token).join_code
    polls.answer(store, code, "p1", 1, 2)
    polls.answer(store, code, "p2", 1, 2)

    app.button(key="poll_close").click().run()
    assert not polls.find_session(store, code).is_open
    assert "poll_open" in button_keys(app) and "poll_close" not in button_keys(app)
    app.button(key="poll_open").click().run()
    assert polls.find_session(store, code).is_open

    app.button(key="poll_reveal").click().run()
    assert polls.find_session(store, code).results_visible
    assert polls.public_results(store, code).by_question()[1].distribution[2] == 2
    app.button(key="poll_hide").click().run()
    assert not polls.find_session(store, code).results_visible

    app.button(key="poll_new_round").click().run()
    session = polls.find_session(store, code)
    assert session.current_round == 2 and session.is_open and not session.results_visible
    assert polls.results(store, code, token, round=1).by_question()[1].n == 2  # round 1 is kept
    polls.answer(store, code, "p1", 1, 4)
    polls.answer(store, code, "p2", 1, 5)
    app.run()
    compare = next(df.value for df in app.dataframe if "Verschil mediaan" in df.value.columns).set_index("Nr.")
    assert compare.loc[1, "Mediaan ronde 1"] == "2" and compare.loc[1, "Mediaan ronde 2"] == "4,5"
    assert compare.loc[1, "Verschil mediaan"] == "+2,5"
    assert compare.loc[1, "Antwoorden ronde 1"] == 2 and compare.loc[1, "Antwoorden ronde 2"] == 2
    assert compare.loc[2, "Verschil mediaan"] == "-"
    assert compare.loc[1, "Meningen lopen uiteen ronde 1"] == "nee"
    assert compare.loc[2, "Meningen lopen uiteen ronde 2"] == "-"  # no answers: no verdict


def test_group_scores_are_taken_over_as_the_teams_self_assessment(app, store):
    session_id, token = create_via_form(app)
    code = polls.facilitator_session(store, session_id, token).join_code
    # Bouwsteen 1: 3 and 4 (median 3,5 → 3, rounded down); bouwsteen 2: 4, 4, 5 (→ 4); the rest: none.
    for pid, value in (("a", 3), ("b", 4)):
        polls.answer(store, code, pid, 1, value)
    for pid, value in (("a", 4), ("b", 4), ("c", 5)):
        polls.answer(store, code, pid, 2, value)
    app.run()
    proposal = next(df.value for df in app.dataframe if "Voorstel" in df.value.columns).set_index("Bouwsteen")
    assert proposal.loc["Buurt: analyse & plan", "Mediaan"] == "3,5"
    assert proposal.loc["Buurt: analyse & plan", "Voorstel"] == "3 · " + bouwstenen.SCALE[3]
    assert proposal.loc["Visie & organisatie", "Voorstel"] == "4 · " + bouwstenen.SCALE[4]
    assert proposal.loc["Communicatie", "Voorstel"] == bouwstenen.NOT_SCORED_LABEL

    assert app.text_input(key="poll_team").value == ""  # no team chosen in the sidebar
    team = f"Testteam peiling {uuid.uuid4().hex[:6]}"
    app.text_input(key="poll_team").input(team).run()
    app.button(key="poll_take").click().run()
    assert not app.error, [e.value for e in app.error]
    saved = werkgroep.latest(store, team)
    try:
        assert saved is not None and saved.source == "peiling"
        assert saved.poll_session_id == session_id and saved.poll_round == 1
        assert saved.assessed_on == date.today()
        expected = {b.code: None for b in bouwstenen.BOUWSTENEN}
        expected.update(buurt_analyse_plan=3, visie_organisatie=4)
        assert saved.scores == expected
        assert any(team in s.value and "2 van de 9" in s.value for s in app.success)
    finally:
        werkgroep.delete_assessment(store, team, date.today())


def test_an_existing_poll_opens_from_its_pasted_facilitator_link(app, store):
    session, token = polls.create_session(store, "Vorige week", polls.bouwstenen_questions())
    open_app_page(app, PAGE)
    app.text_input(key="poll_paste_link").input("https://example.org/peiling?code=ABC").run()
    assert any("geen begeleiderslink" in e.value for e in app.error) and "sessie" not in app.query_params
    link = f"https://zorgzaam.example/peiling?sessie={session.session_id}&beheer={token}"
    app.text_input(key="poll_paste_link").input(link).run()
    assert app.query_params["sessie"] == session.session_id and app.query_params["beheer"] == token
    assert not app.error and any(session.join_code in m.value and "font-size" in m.value for m in app.markdown)


def test_the_team_field_follows_the_sidebar_team_until_typed_over(app):
    app.session_state["team"] = "Werkgroep zorgzaam Heidebeek"
    create_via_form(app)
    assert app.text_input(key="poll_team").value == "Werkgroep zorgzaam Heidebeek"
    app.text_input(key="poll_team").input("Stuurgroep").run()
    assert app.text_input(key="poll_team").value == "Stuurgroep"


def test_wrong_or_missing_token_shows_an_error_and_no_controls(app, store):
    session, token = polls.create_session(store, "Geheim", polls.bouwstenen_questions())
    for beheer in ("verkeerd", ""):
        app.query_params["sessie"] = session.session_id
        app.query_params["beheer"] = beheer
        app.switch_page(PAGE)
        app.run()
        assert not app.exception
        assert len(app.error) == 1 and "Geen toegang" in app.error[0].value
        assert not app.button and not app.download_button
        assert not any(session.join_code in m.value for m in app.markdown)
    assert polls.find_session(store, session.join_code).is_open  # nothing changed


# --- participant ---------------------------------------------------------------------------


def test_participant_answers_are_stored_and_shown_again(phone, store):
    questions = polls.bouwstenen_questions()[:2] + [
        {"kind": "choice", "text": "Wat eerst?", "options": ["Bank", "Bus"]},
        {"kind": "word", "text": "Eén woord"},
    ]
    session, token = polls.create_session(store, "Op de gsm", questions)
    open_phone(phone, session.join_code.lower())  # the code is forgiving
    pid = phone.query_params["deelnemer"]
    assert pid and phone.header[0].value == "Op de gsm"
    radio = phone.radio(key=answer_key(session, 1))
    assert radio.options[0] == "1 · nog niet op ingezet" and radio.value is None
    radio.set_value(4).run()
    phone.text_input(key="poll_name").input("An").run()
    phone.radio(key=answer_key(session, 3)).set_value("Bus").run()
    phone.text_input(key=answer_key(session, 4)).input("  Samen  ").run()
    assert not phone.error, [e.value for e in phone.error]
    assert polls.my_answers(store, session.join_code, pid) == {1: "4", 3: "Bus", 4: "Samen"}
    names = polls.export_rows(store, session.session_id, token, with_names=True)
    assert set(names["naam"]) == {"An"}  # the name typed after the first answer went with it too
    assert any(c.value.endswith("Bewaard: «Samen»") for c in phone.caption)

    # A reload (a new browser session with the same URL) shows the stored answers as selected.
    reloaded = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90)
    open_phone(reloaded, session.join_code, deelnemer=pid)
    assert reloaded.query_params["deelnemer"] == pid
    assert reloaded.radio(key=answer_key(session, 1)).value == 4
    assert reloaded.radio(key=answer_key(session, 2)).value is None  # skipped
    assert reloaded.radio(key=answer_key(session, 3)).value == "Bus"
    # An id that is not valid is replaced by a fresh one.
    other = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90)
    open_phone(other, session.join_code, deelnemer="geen geldige id")
    assert other.query_params["deelnemer"] not in ("geen geldige id", pid)


def test_participant_page_has_no_controls_and_no_area_picker(phone, store):
    session, token = polls.create_session(store, "Alleen antwoorden", polls.bouwstenen_questions())
    open_phone(phone, session.join_code, beheer=token, sessie=session.session_id)  # even with the token
    assert not phone.button and not phone.download_button
    assert not (button_keys(phone) & CONTROL_KEYS)
    assert not phone.sidebar.children  # no area picker, no team, nothing but the questions
    assert len(phone.radio) == 9


def test_unknown_code_and_missing_code(phone):
    open_app_page(phone, PHONE)
    assert phone.title[0].value == "Meedoen aan een peiling" and phone.text_input
    phone.query_params["code"] = "ZZZZZZ"
    phone.run()
    assert any("Er is geen peiling met de code ZZZZZZ" in e.value for e in phone.error)


def test_closed_poll_cannot_be_answered(phone, store):
    session, token = polls.create_session(store, "Dicht", polls.bouwstenen_questions())
    open_phone(phone, session.join_code)
    polls.close_poll(store, session.session_id, token)
    # The phone still shows the open poll when the facilitator closes it: the answer is refused.
    phone.radio(key=answer_key(session, 1)).set_value(3).run()
    assert polls.results(store, session.session_id, token).by_question()[1].n == 0
    assert any("gesloten" in e.value for e in phone.error)
    # From then on the phone says so and its controls are disabled.
    assert any("De peiling is gesloten" in w.value for w in phone.warning)
    assert all(r.disabled for r in phone.radio) and len(phone.radio) == 9
    assert phone.text_input(key="poll_name").disabled


def test_revealed_results_and_a_new_round_on_the_phone(phone, store):
    session, token = polls.create_session(store, "Rondes", polls.bouwstenen_questions()[:1])
    open_phone(phone, session.join_code)
    phone.radio(key=answer_key(session, 1)).set_value(4).run()
    assert not any("Resultaten van de groep" in s.value for s in phone.subheader)

    polls.reveal_results(store, session.session_id, token)
    phone.run()
    assert any("Resultaten van de groep" in s.value for s in phone.subheader)
    table = next(m.value for m in phone.markdown if "| Score | Aantal | Aandeel |" in m.value)
    assert f"| 4 · {bouwstenen.SCALE[4]} | 1 | 100,0 % |" in table and "1 van 1 deelnemer antwoordde" in table

    # Another participant's word cannot become a link or markup on this phone.
    worded, worded_token = polls.create_session(store, "Woorden", [{"kind": "word", "text": "Eén woord"}])
    polls.answer(store, worded.join_code, "x", 1, "[klik](http://x.be) **vet**")
    polls.reveal_results(store, worded.session_id, worded_token)
    other = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90)
    open_phone(other, worded.join_code)
    words = next(m.value for m in other.markdown if "| Woord | Aantal | Aandeel |" in m.value)
    assert "&#91;klik&#93;&#40;http&#58;&#47;&#47;x&#46;be&#41; &#42;&#42;vet&#42;&#42; | 1 | 100,0 %" in words
    assert "](" not in words and "**vet" not in words

    polls.new_round(store, session.session_id, token)
    phone.run()
    session = polls.find_session(store, session.join_code)
    radio = phone.radio(key=answer_key(session, 1))
    assert radio.value is None and not radio.disabled  # round 2 starts empty
    assert not any("Resultaten van de groep" in s.value for s in phone.subheader)  # hidden again
