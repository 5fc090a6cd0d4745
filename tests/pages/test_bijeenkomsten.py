"""The Bijeenkomsten page (AppTest): plan a werkgroep meeting, find it back, its verslag and the progress.

Each test uses its own team name: the demo database is shared by the whole test session.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from unittest import mock

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.conftest import open_app_page
from zorgzaam import meeting_content, meetings, polls
from zorgzaam.demo import TOWN_CODE
from zorgzaam.formatting import format_date
from zorgzaam.meetings import TEMPLATES
from zorgzaam.store import Store

PAGE = "pages/bijeenkomsten.py"
TODAY = date.today()


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def _captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def _finished_meeting(store: Store, team: str, title: str, day: date, scores: dict[str, list[int]]) -> str:
    """A meeting planned, started, scored on the phones at its bouwstenen step and finished, via the domain."""
    planned = meetings.plan(
        store,
        team=team,
        title=title,
        meeting_date=day,
        agenda=TEMPLATES["toetsen"].agenda(),
        template="toetsen",
        municipality=TOWN_CODE,
    )
    with mock.patch.object(meetings, "_today", return_value=day):  # held on ``day``
        meeting, token = meetings.start(store, planned.meeting_id)
    step = meeting.steps_of("bouwstenen")[0]
    meetings.go_to(store, meeting.meeting_id, token, step)
    session = polls.facilitator_session(store, meeting.poll_session_id, token)
    by_bouwsteen = {q.bouwsteen: q.question_id for q in session.questions if q.step == step}
    participants = [polls.new_participant_id() for _ in range(max(len(v) for v in scores.values()))]
    for code, values in scores.items():
        for pid, value in zip(participants, values):
            polls.answer(store, session.join_code, pid, by_bouwsteen[code], value)
    with mock.patch.object(meetings, "_today", return_value=day):
        meetings.finish(store, meeting.meeting_id, token)
    return meeting.meeting_id


def _progress_table(at: AppTest):
    return next(d.value for d in at.dataframe if d.editing_mode == "read_only" and "Bouwsteen" in d.value.columns)


def _heatmap(at: AppTest) -> dict:
    spec = json.loads(next(el.proto.spec for el in at.get("plotly_chart")))
    return next(t for t in spec["data"] if t["type"] == "heatmap")


def test_without_a_team_the_page_asks_for_one_and_shows_no_form(app):
    open_app_page(app, PAGE)
    assert any("Zelfevaluatie bouwstenen" in i.value and "werkgroep" in i.value for i in app.info)
    assert not [b for b in app.button if b.label == "Bijeenkomst plannen"]
    assert not app.dataframe
    # Only the field to reopen a running meeting by its facilitator link, which needs no team.
    assert [e.label for e in app.main.expander] == ["Een lopende bijeenkomst verder leiden"]
    assert app.text_input(key="meeting_paste_link").label == "Begeleiderslink"


def test_planning_from_the_analysis_template_stores_its_agenda_and_lists_it_as_planned(app, demo_db):
    team = "Werkgroep plannen"
    store = Store.open(demo_db)
    open_app_page(app, PAGE, team=team)
    form = next(e for e in app.expander if e.label == "Nieuwe bijeenkomst")
    assert form.proto.expanded  # no meetings yet: the form is open
    assert "Nog geen bijeenkomsten" in _captions(app)

    app.radio(key="plan0_template").set_value("analyse").run()
    template = TEMPLATES["analyse"]
    assert app.text_input(key="plan0_analyse_title").value == template.title
    assert template.about in _captions(app)
    assert "Samen 90 minuten (1 u 30)" in _captions(app)
    editor = next(d for d in app.dataframe if d.key == "plan0_agenda_analyse")
    assert editor.editing_mode == "dynamic"
    assert list(editor.value["Minuten"]) == [m for _, _, m in template.items]

    sectors = meeting_content.municipality_sectors(store, TOWN_CODE)["code"].tolist()
    picker = app.multiselect(key="plan0_analyse_sectors")
    assert set(picker.options) == {
        f"{n} ({c})" for c, n in meeting_content.municipality_sectors(store, TOWN_CODE).itertuples(index=False)
    }
    picker.set_value(sectors[:2])
    indicators = app.multiselect(key="plan0_analyse_indicators")
    assert indicators.value == list(meeting_content.DEFAULT_INDICATORS)
    app.date_input(key="plan0_analyse_date").set_value(TODAY + timedelta(days=14))
    app.button(key="plan0_submit").click().run()
    assert not app.exception and not app.error

    stored = meetings.meetings(store, team)
    assert len(stored) == 1
    meeting = stored[0]
    assert meeting.title == template.title and meeting.template == "analyse" and meeting.state == "gepland"
    assert [(i.kind, i.title, i.minutes) for i in meeting.agenda] == [
        (i.kind, i.title, i.minutes) for i in template.agenda()
    ]
    assert meeting.municipality == TOWN_CODE and meeting.sectors == tuple(sectors[:2])
    assert meeting.indicators == meeting_content.DEFAULT_INDICATORS
    assert meeting.meeting_date == TODAY + timedelta(days=14)

    assert any("gepland" in s.value for s in app.success)
    assert f"**{template.title}** · {format_date(TODAY + timedelta(days=14))}" in _markdown(app)
    assert "gepland]" in _markdown(app)
    assert "6 stappen · 90 minuten · 2 sectoren" in _captions(app)
    assert app.button(key=f"start_{meeting.meeting_id}").label == "Start de bijeenkomst"
    # The form starts afresh (and closed now that there is a meeting).
    assert not next(e for e in app.expander if e.label == "Nieuwe bijeenkomst").proto.expanded
    assert app.radio(key="plan1_template").value == "visievorming"


def test_an_invalid_agenda_or_title_shows_the_dutch_sentence_and_stores_nothing(app, demo_db):
    team = "Werkgroep foute agenda"
    store = Store.open(demo_db)
    open_app_page(app, PAGE, team=team)

    # A duration of 0 minutes typed in the agenda table.
    app.session_state["plan0_agenda_visievorming"] = {
        "edited_rows": {1: {"Minuten": 0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    app.button(key="plan0_submit").click().run()
    assert not app.exception
    assert [e.value for e in app.error] == ["De duur van agendapunt 2 moet tussen 1 en 180 minuten liggen."]
    assert meetings.meetings(store, team) == []

    # A row with a title but no block is an error, not dropped; a fully empty row is ignored.
    app.session_state["plan0_agenda_visievorming"] = {
        "edited_rows": {},
        "added_rows": [{}, {"Titel": "Pauze"}],
        "deleted_rows": [],
    }
    app.run()
    app.button(key="plan0_submit").click().run()
    assert [e.value for e in app.error] == ["Kies bij rij 7 een blok."]
    assert meetings.meetings(store, team) == []

    # A step title of 200 characters (the table's max_chars is only a hint in the browser).
    app.session_state["plan0_agenda_visievorming"] = {
        "edited_rows": {0: {"Titel": "x" * 200}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    app.button(key="plan0_submit").click().run()
    assert [e.value for e in app.error] == ["De titel van agendapunt 1 is te lang (200 tekens; maximum 120)."]
    assert meetings.meetings(store, team) == []

    # An emptied meeting title (a long one is cut to 120 characters by the input itself).
    app.session_state["plan0_agenda_visievorming"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": []}
    app.text_input(key="plan0_visievorming_title").input("   ")
    app.button(key="plan0_submit").click().run()
    assert [e.value for e in app.error] == ["De titel van de bijeenkomst is leeg."]
    assert meetings.meetings(store, team) == []


def test_an_added_row_takes_the_blocks_title_and_duration(app, demo_db):
    team = "Werkgroep eigen agenda"
    store = Store.open(demo_db)
    open_app_page(app, PAGE, team=team)
    app.radio(key="plan0_template").set_value("zelf").run()
    assert app.text_input(key="plan0_zelf_title").value == ""
    app.text_input(key="plan0_zelf_title").input("Korte bijeenkomst")
    app.session_state["plan0_agenda_zelf"] = {
        "edited_rows": {},
        "deleted_rows": [],
        "added_rows": [{"Blok": "Bouwstenen scoren"}, {"Blok": "Afspraken", "Titel": "Wie doet wat?", "Minuten": 5}],
    }
    app.run()
    assert "Samen 20 minuten" in _captions(app)
    app.button(key="plan0_submit").click().run()
    assert not app.error
    (meeting,) = meetings.meetings(store, team)
    assert [(i.kind, i.title, i.minutes) for i in meeting.agenda] == [
        ("bouwstenen", "Bouwstenen scoren", 15),
        ("afspraken", "Wie doet wat?", 5),
    ]
    assert meeting.template is None and meeting.sectors == ()
    assert "2 stappen · 20 minuten · hele gemeente" in _captions(app)


def test_a_planned_meeting_is_changed_and_deleted(app, demo_db):
    team = "Werkgroep aanpassen"
    store = Store.open(demo_db)
    planned = meetings.plan(
        store,
        team=team,
        title="Eerste keer",
        meeting_date=TODAY,
        agenda=TEMPLATES["visievorming"].agenda(),
        template="visievorming",
        municipality=TOWN_CODE,
    )
    mid = planned.meeting_id
    open_app_page(app, PAGE, team=team)
    assert any(e.label == "Agenda aanpassen" for e in app.expander)
    app.text_input(key=f"edit_{mid}_title").input("Visievorming")
    app.session_state[f"edit_{mid}_agenda"] = {
        "edited_rows": {1: {"Minuten": 45}},
        "added_rows": [],
        "deleted_rows": [4],
    }
    app.button(key=f"edit_{mid}_save").click().run()
    assert not app.exception and not app.error
    changed = meetings.get(store, mid)
    assert changed.title == "Visievorming" and changed.state == "gepland"
    assert [(i.kind, i.minutes) for i in changed.agenda] == [
        ("checkin", 10),
        ("definitie", 45),
        ("acties", 20),
        ("bouwstenen", 15),
    ]
    assert "Bijeenkomst 'Visievorming' aangepast." in [s.value for s in app.success]

    app.button(key=f"delete_{mid}").click().run()
    assert not app.exception and not app.error
    assert meetings.get(store, mid) is None
    assert "Nog geen bijeenkomsten" in _captions(app)


def test_starting_a_meeting_opens_the_presenter_with_the_token(app, demo_db):
    team = "Werkgroep starten"
    store = Store.open(demo_db)
    planned = meetings.plan(
        store,
        team=team,
        title="Start",
        meeting_date=TODAY,
        agenda=TEMPLATES["toetsen"].agenda(),
        template="toetsen",
        municipality=TOWN_CODE,
    )
    open_app_page(app, PAGE, team=team)
    app.button(key=f"start_{planned.meeting_id}").click().run()
    assert not app.exception
    meeting = meetings.get(store, planned.meeting_id)
    assert meeting.state == "bezig" and meeting.current_step == 0
    token = app.session_state["meeting_tokens"][planned.meeting_id]
    assert meetings.authorise(store, planned.meeting_id, token).meeting_id == planned.meeting_id
    assert app.query_params["id"] in (planned.meeting_id, [planned.meeting_id])
    assert app.query_params["beheer"] in (token, [token])


def test_a_running_meeting_is_led_further_only_from_the_browser_that_has_its_token(app, demo_db):
    team = "Werkgroep bezig"
    store = Store.open(demo_db)
    planned = meetings.plan(
        store,
        team=team,
        title="Loopt nu",
        meeting_date=TODAY,
        agenda=TEMPLATES["analyse"].agenda(),
        template="analyse",
        municipality=TOWN_CODE,
    )
    meeting, token = meetings.start(store, planned.meeting_id)
    open_app_page(app, PAGE, team=team)
    assert "bezig]" in _markdown(app)
    assert "begeleiderslink" in _captions(app)
    assert "stap 1 van 6" in _captions(app)
    assert not [b for b in app.button if b.label == "Verder leiden"]

    app.session_state["meeting_tokens"] = {meeting.meeting_id: token}
    app.run()
    assert app.button(key=f"lead_{meeting.meeting_id}").label == "Verder leiden"


def test_a_finished_meeting_offers_its_verslag_and_its_scores_in_the_progress(app, demo_db):
    team = "Werkgroep afgerond"
    store = Store.open(demo_db)
    open_app_page(app, PAGE, team=team)
    assert any("Nog geen bijeenkomst met bouwstenenscores" in i.value for i in app.info)

    day = TODAY - timedelta(days=3)
    mid = _finished_meeting(store, team, "Toetsen voorjaar", day, {"detectie": [3, 4], "inclusie": [5, 2]})
    store.set_next_meeting(mid, TODAY + timedelta(days=60))  # agreed in the Afspraken step
    app.run()
    assert not app.exception and not app.error
    assert "afgerond]" in _markdown(app)
    assert f"Volgende bijeenkomst: **{format_date(TODAY + timedelta(days=60))}**" in _markdown(app)
    held = meetings.get(store, mid)
    assert held.started_at is not None and held.finished_at is not None
    assert "Gehouden op " in _markdown(app) or "Gestart op " in _markdown(app)  # (around midnight: two days)
    labels = {app.button(key=f"maak_verslag_{ext}_{mid}").label for ext in ("pdf", "docx", "html")}
    assert labels == {"Verslag (PDF) maken", "Verslag (Word) maken", "Verslag (HTML) maken"}

    table = _progress_table(app)
    column = f"{day.strftime('%d/%m/%Y')} Toetsen voorjaar"
    assert list(table.columns) == ["Bouwsteen", column]
    by_name = dict(zip(table["Bouwsteen"], table[column]))
    assert by_name["Detectie"] == "3 (n=2)"  # median 3.5, rounded down
    assert by_name["Inclusie"] == "3 (n=2)"  # median of 5 and 2
    assert by_name["Toeleiding"] == "-"
    heat = _heatmap(app)
    cells = dict(zip(heat["y"], zip(heat["z"], heat["text"])))
    assert cells["Detectie"] == ([3], ["3 (n=2)"]) and cells["Toeleiding"] == ([None], [""])
    assert "minstens de helft 4 of meer" in _captions(app)


def test_the_verslag_is_made_on_request(app, demo_db):
    pytest.importorskip("zorgzaam.reports.minutes_render")
    from zorgzaam.reports import minutes

    if not hasattr(minutes, "build_minutes"):
        pytest.skip("build_minutes bestaat nog niet")
    team = "Werkgroep verslag"
    store = Store.open(demo_db)
    mid = _finished_meeting(store, team, "Verslag maken", TODAY, {"detectie": [4]})
    open_app_page(app, PAGE, team=team)
    app.button(key=f"maak_verslag_html_{mid}").click().run()
    assert not app.exception and not app.error
    made = app.session_state[app.session_state[f"meenemen_laatst_verslag_html_{mid}"]]
    assert "Verslag maken" in made.decode("utf-8")
    download = next(el for el in app.get("download_button"))
    assert download.proto.label.startswith("Verslag (HTML) downloaden")


def test_two_finished_meetings_stand_side_by_side_in_date_order(app, demo_db):
    team = "Werkgroep twee keer"
    store = Store.open(demo_db)
    later, earlier = TODAY - timedelta(days=1), TODAY - timedelta(days=40)
    _finished_meeting(store, team, "Tweede", later, {"detectie": [4, 4, 5]})  # planned first, held later
    _finished_meeting(store, team, "Eerste", earlier, {"detectie": [2]})
    open_app_page(app, PAGE, team=team)
    table = _progress_table(app)
    first, second = f"{earlier.strftime('%d/%m/%Y')} Eerste", f"{later.strftime('%d/%m/%Y')} Tweede"
    assert list(table.columns) == ["Bouwsteen", first, second]
    detectie = table[table["Bouwsteen"] == "Detectie"].iloc[0]
    assert (detectie[first], detectie[second]) == ("2 (n=1)", "4 (n=3)")
    heat = _heatmap(app)
    assert heat["x"] == [first, second]
    # The list shows the newest first.
    markdown = _markdown(app)
    assert markdown.index("**Tweede**") < markdown.index("**Eerste**")


# --- a running meeting whose presenter tab was closed ----------------------------------------------------


def _running(store: Store, team: str, title: str, step: int = 0) -> tuple[meetings.Meeting, str]:
    planned = meetings.plan(
        store,
        team=team,
        title=title,
        meeting_date=TODAY,
        agenda=TEMPLATES["analyse"].agenda(),
        template="analyse",
        municipality=TOWN_CODE,
    )
    meeting, token = meetings.start(store, planned.meeting_id)
    if step:
        meeting = meetings.go_to(store, meeting.meeting_id, token, step)
    return meeting, token


def _texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.success])


def test_a_pasted_facilitator_link_reopens_the_presenter_at_the_same_step(app, demo_db):
    team = "Werkgroep link plakken"
    store = Store.open(demo_db)
    meeting, token = _running(store, team, "Tabblad dicht", step=2)
    open_app_page(app, PAGE, team=team)
    assert "meeting_tokens" not in app.session_state or meeting.meeting_id not in app.session_state["meeting_tokens"]
    assert not [b for b in app.button if b.label == "Verder leiden"]

    app.text_input(key="meeting_paste_link").input(
        f"https://zorgzaam.example/bijeenkomst?id={meeting.meeting_id}&beheer={token}&bron=demo"
    ).run()
    assert not app.exception, [e.message for e in app.exception]
    assert not app.error, [e.value for e in app.error]
    assert app.query_params["id"] in (meeting.meeting_id, [meeting.meeting_id])
    assert app.query_params["beheer"] in (token, [token])
    # The presenter: the meeting as it was, at step 3 of 6 (nothing moved).
    assert "stap 3 van 6" in _texts(app) and "Wat is er?" in _texts(app)
    assert app.button(key="meeting_next").label == "Volgende"
    assert meetings.get(store, meeting.meeting_id).current_step == 2
    assert app.session_state["meeting_tokens"][meeting.meeting_id] == token


def test_a_pasted_text_that_is_not_the_facilitator_link_opens_nothing(app, demo_db):
    team = "Werkgroep verkeerde link"
    store = Store.open(demo_db)
    meeting, token = _running(store, team, "Verkeerde link", step=1)
    open_app_page(app, PAGE, team=team)
    app.text_input(key="meeting_paste_link").input(
        f"https://zorgzaam.example/bijeenkomst?id={meeting.meeting_id}"
    ).run()
    assert [e.value for e in app.error] == [
        "Dit is geen begeleiderslink: die bevat '?id=…&beheer=…'. Kopieer de volledige link uit je bladwijzer of "
        "adresbalk."
    ]
    app.text_input(key="meeting_paste_link").input(
        f"https://zorgzaam.example/bijeenkomst?id={meeting.meeting_id}&beheer=geraden"
    ).run()
    assert [e.value for e in app.error] == [
        "Geen toegang: alleen wie de begeleiderslink heeft, kan deze bijeenkomst leiden."
    ]
    assert "beheer" not in app.query_params and not app.session_state["meeting_tokens"].get(meeting.meeting_id)
    assert meetings.get(store, meeting.meeting_id).current_step == 1


def test_a_meeting_whose_link_is_lost_is_finished_after_the_confirmation(app, demo_db):
    team = "Werkgroep link kwijt"
    store = Store.open(demo_db)
    meeting, token = _running(store, team, "Link kwijt", step=3)
    before = meetings.get(store, meeting.meeting_id)
    assert before.state == "bezig" and before.token_hash is not None
    assert store.poll_session(meeting.poll_session_id)["state"] == "open"
    open_app_page(app, PAGE, team=team)
    assert meetings.FINISH_LOST_CONSEQUENCES in _markdown(app)  # the confirmation names what follows
    assert meetings.get(store, meeting.meeting_id).state == "bezig"  # opening the page changes nothing

    app.button(key=f"finish_lost_{meeting.meeting_id}").click().run()
    assert not app.exception and not app.error
    after = meetings.get(store, meeting.meeting_id)
    assert after.state == "afgerond" and after.finished_at is not None and after.current_step is None
    assert after.token_hash is None  # nobody holds a token for it, not even the lost link
    assert store.poll_session(meeting.poll_session_id)["state"] == "closed"
    with pytest.raises(meetings.MeetingError, match="zonder begeleiderslink afgesloten"):
        meetings.authorise(store, meeting.meeting_id, token)
    with pytest.raises(polls.PollError):
        polls.facilitator_session(store, meeting.poll_session_id, token)  # nor the poll by the old link
    assert "Bijeenkomst 'Link kwijt' afgesloten. Het verslag staat hieronder klaar." in [s.value for s in app.success]
    assert "afgerond]" in _markdown(app)
    assert app.button(key=f"maak_verslag_pdf_{meeting.meeting_id}").label == "Verslag (PDF) maken"
    assert not [k for k in app.session_state["meeting_tokens"] if k == meeting.meeting_id]


def test_a_meeting_whose_link_is_lost_is_deleted_after_the_confirmation(app, demo_db):
    team = "Werkgroep link kwijt weg"
    store = Store.open(demo_db)
    meeting, token = _running(store, team, "Weg ermee", step=1)
    meetings.save_note(store, meeting.meeting_id, token, 1, meetings.NOTES_FIELD, "Een notitie.")
    open_app_page(app, PAGE, team=team)
    assert meetings.DELETE_CONSEQUENCES in _markdown(app)
    assert meetings.get(store, meeting.meeting_id) is not None

    app.button(key=f"delete_lost_{meeting.meeting_id}").click().run()
    assert not app.exception and not app.error
    assert meetings.get(store, meeting.meeting_id) is None and meetings.meetings(store, team) == []
    assert meetings.notes(store, meeting.meeting_id) == {}
    assert store.poll_session(meeting.poll_session_id)["state"] == "closed"
    with pytest.raises(polls.PollError):
        polls.facilitator_session(store, meeting.poll_session_id, token)
    assert "Bijeenkomst 'Weg ermee' verwijderd." in [s.value for s in app.success]
    assert "Nog geen bijeenkomsten" in _captions(app)


def test_a_title_with_markdown_or_html_is_shown_as_text(app, demo_db):
    team = "Werkgroep opmaak"
    store = Store.open(demo_db)
    title = "Overleg [klik hier](https://example.org) <b>vet</b> **sterk**"
    meetings.plan(
        store,
        team=team,
        title=title,
        meeting_date=TODAY + timedelta(days=3),
        agenda=TEMPLATES["toetsen"].agenda(),
        template="toetsen",
        municipality=TOWN_CODE,
    )
    open_app_page(app, PAGE, team=team)
    shown = _markdown(app)
    # Every punctuation mark of the werkgroep's text is a character reference: no link, no bold, no tag.
    assert "Overleg &#91;klik hier&#93;&#40;https&#58;&#47;&#47;example&#46;org&#41;" in shown
    assert "&#60;b&#62;vet&#60;&#47;b&#62; &#42;&#42;sterk&#42;&#42;" in shown
    assert "[klik hier](" not in shown and "<b>vet" not in shown
