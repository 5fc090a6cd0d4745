"""The team's self-assessment in the sidebar (every page) and the Bouwstenen page (AppTest).

Each test uses its own team name: the demo database is shared by the whole test session.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.conftest import open_app_page
from zorgzaam import bouwstenen, werkgroep
from zorgzaam.bouwstenen import validate_action
from zorgzaam.formatting import format_number
from zorgzaam.store import Store
from zorgzaam.ui.team_sidebar import score_widget_key

PAGE = "pages/bouwstenen.py"
TODAY = date.today()


def score_box(at: AppTest, team: str, code: str, day: date = TODAY):
    return at.sidebar.selectbox(key=score_widget_key(team, day, code))


def save_button(at: AppTest):
    return next(b for b in at.sidebar.button if b.label == "Bewaar de scores")


@pytest.mark.parametrize("page", ["pages/start.py", "pages/wie_vs_wat.py", PAGE])
def test_every_page_has_the_sidebar_scoring_and_saves_per_team_and_date(app, demo_db, page):
    team = f"Werkgroep zijbalk {page}"
    open_app_page(app, page, team=team)
    assert app.sidebar.selectbox(key="team").value == team
    for b in bouwstenen.BOUWSTENEN:
        box = score_box(app, team, b.code)
        assert box.value is None  # nothing saved yet: niet gescoord
        assert box.label == b.name
    score_box(app, team, "detectie").set_value(2)
    score_box(app, team, "inclusie").set_value(5)
    save_button(app).click()
    app.run()
    assert not app.exception
    assert any("2 van de 9 bouwstenen gescoord" in s.value for s in app.sidebar.success)
    saved = werkgroep.assessments(Store.open(demo_db), team)
    assert len(saved) == 1 and saved[0].assessed_on == TODAY and saved[0].source == "zijbalk"
    assert saved[0].scores == {b.code: {"detectie": 2, "inclusie": 5}.get(b.code) for b in bouwstenen.BOUWSTENEN}
    assert app.query_params["team"] in (team, [team])  # a shared link reopens this team


def test_the_form_opens_with_last_times_scores_and_saving_adds_a_new_date(app, demo_db):
    team = "Werkgroep vorige keer"
    store = Store.open(demo_db)
    earlier = TODAY - timedelta(days=60)
    werkgroep.save_scores(store, team, earlier, {"detectie": 3, "toeleiding": 1})
    open_app_page(app, "pages/start.py", team=team)
    assert score_box(app, team, "detectie").value == 3
    assert score_box(app, team, "toeleiding").value == 1
    assert score_box(app, team, "inclusie").value is None
    assert any("Vooringevuld met de scores van" in c.value for c in app.sidebar.caption)
    score_box(app, team, "toeleiding").set_value(4)
    save_button(app).click()
    app.run()
    history = werkgroep.assessments(store, team)
    assert [a.assessed_on for a in history] == [earlier, TODAY]
    assert history[0].scores["toeleiding"] == 1  # last time stays as it was
    assert history[1].scores["toeleiding"] == 4 and history[1].scores["detectie"] == 3


def test_without_a_team_the_page_asks_for_one_and_shows_nothing_else(app):
    open_app_page(app, PAGE)
    assert any("naam van jullie werkgroep" in i.value for i in app.info)
    assert not app.tabs
    assert not [b for b in app.sidebar.button if b.label == "Bewaar de scores"]


def _figure(at: AppTest) -> list[dict]:
    """Every Plotly figure on the page, as its JSON spec."""
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def test_scores_by_cluster_show_light_bouwstenen_cluster_means_and_the_change(app, demo_db):
    team = "Werkgroep scores"
    store = Store.open(demo_db)
    werkgroep.save_scores(store, team, TODAY - timedelta(days=90), {"detectie": 1, "inclusie": 4})
    current = {"detectie": 2, "toeleiding": 4, "sociale_netwerken": 1, "inclusie": 5, "communicatie": 3}
    werkgroep.save_scores(store, team, TODAY, current)
    open_app_page(app, PAGE, team=team)

    warning = next(w.value for w in app.warning if w.value.startswith("Licht"))
    assert "**Detectie**" in warning and "**Sociale netwerken**" in warning
    assert "Toeleiding" not in warning and "Communicatie" not in warning
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Minder mazen"] == format_number((2 + 4) / 2, 1)
    assert metrics["Meer net"] == format_number((1 + 5) / 2, 1)
    assert metrics["Beleidsontwikkeling"] == "-"  # nothing scored in that cluster
    assert metrics["Voorwaardenscheppende bouwstenen"] == format_number(3, 1)
    assert any("Detectie +1" in c.value and "Inclusie +1" in c.value for c in app.caption)

    chart = _figure(app)[0]
    bars = chart["data"][0]
    by_name = dict(zip(bars["y"][1], bars["x"]))
    assert by_name["Detectie"] == 2 and by_name["Sociale netwerken"] == 1 and by_name["Inclusie"] == 5
    colours = dict(zip(bars["y"][1], bars["marker"]["color"]))
    assert colours["Detectie"] == colours["Sociale netwerken"] != colours["Inclusie"]
    previous = chart["data"][1]
    assert dict(zip(previous["y"][1], previous["x"])) == {"Detectie": 1, "Inclusie": 4}

    # A stricter reading of "light" (only score 1) drops Detectie from the warning.
    app.segmented_control(key="light_threshold").set_value(1).run()
    warning = next(w.value for w in app.warning if w.value.startswith("Licht"))
    assert "**Sociale netwerken**" in warning and "Detectie" not in warning


def test_reflection_questions_follow_the_score_band_and_notes_are_saved(app, demo_db):
    team = "Werkgroep reflectie"
    store = Store.open(demo_db)
    werkgroep.save_scores(store, team, TODAY, {"detectie": 2, "inclusie": 5})
    open_app_page(app, PAGE, team=team)
    expanders = {e.label: e for e in app.expander}
    detectie = next(e for label, e in expanders.items() if label.startswith("Detectie: score 2"))
    inclusie = next(e for label, e in expanders.items() if label.startswith("Inclusie: score 5"))
    toeleiding = next(e for label, e in expanders.items() if label.startswith("Toeleiding: niet gescoord"))
    text = lambda e: " ".join(m.value for m in e.markdown)  # noqa: E731
    assert "Hoe wil je dit doen?" in text(detectie) and "Bots je" not in text(detectie)
    assert "Bots je hierbij op bepaalde drempels?" in text(inclusie)
    assert "Hoe wil je dit doen?" not in text(toeleiding) and "Bots je" not in text(toeleiding)

    key = f"bnote|{team}|detectie"
    app.text_area(key=key).input("Signaalkaart met de apotheek uitproberen.").run()
    assert werkgroep.notes(store, team) == {"detectie": "Signaalkaart met de apotheek uitproberen."}


def _add_action(at: AppTest, title: str, codes: list[str], status: str = "lopend", partners: str = "") -> AppTest:
    at.text_input(key="actnew_title").input(title)
    at.multiselect(key="actnew_codes").set_value(codes)
    at.radio(key="actnew_status").set_value(status)
    at.text_input(key="actnew_partners").input(partners)
    next(b for b in at.button if b.label == "Actie toevoegen").click()
    return at.run()


def test_an_action_is_added_from_the_form_and_bad_input_saves_nothing(app, demo_db):
    team = "Werkgroep acties"
    store = Store.open(demo_db)
    open_app_page(app, PAGE, team=team)

    _add_action(app, "Buurtlunch", [])  # no bouwsteen chosen
    assert any("Kies minstens één bouwsteen" in e.value for e in app.error)
    assert werkgroep.actions(store, team) == []

    _add_action(app, "Buurtlunch", ["sociale_netwerken", "inclusie"], "gepland", "OCMW, buurtcomité, OCMW")
    assert not app.exception and not app.error
    stored = werkgroep.actions(store, team)
    assert [s.action.title for s in stored] == ["Buurtlunch"]
    assert stored[0].action.bouwstenen == ("sociale_netwerken", "inclusie")
    assert stored[0].action.status == "gepland" and stored[0].action.partners == ("OCMW", "buurtcomité")
    assert stored[0].action.is_municipality_wide
    table = next(df.value for df in app.dataframe if "Actie" in df.value.columns)
    assert list(table["Actie"]) == ["Buurtlunch"] and list(table["Plaats"]) == ["gemeentebreed"]


def test_balance_and_map_count_actions_per_bouwsteen_and_sector(app, demo_db):
    team = "Werkgroep evenwicht"
    store = Store.open(demo_db)
    sectors = store.sectors_within("gemeente", ["13091"])
    for args in [
        ("Burenbabbels", ["sociale_netwerken"], "lopend", [], None, sectors[0]),
        ("Signaalkaart", ["detectie", "toeleiding"], "gepland", [], None, sectors[0]),
        ("Zitbanken", ["publieke_ruimte"], "gemist", [], None, sectors[1]),
        ("Wegwijsbuddy's", ["toeleiding"], "lopend", [], None, "gemeentebreed"),
    ]:
        werkgroep.save_action(store, team, validate_action(*args))
    open_app_page(app, PAGE, team=team)

    balance = next(f for f in _figure(app) if f["data"] and f["data"][0].get("name") == "lopend")
    counts = {t["name"]: dict(zip(t["y"][1], t["x"])) for t in balance["data"]}
    assert counts["lopend"]["Toeleiding"] == 1 and counts["gepland"]["Toeleiding"] == 1
    assert counts["gemist"]["⚠ Publieke ruimte"] == 1  # only a missed action: light
    light = next(w.value for w in app.warning if w.value.startswith("Licht uitgevallen"))
    assert "Publieke ruimte" in light and "Inclusie" in light and "Toeleiding" not in light

    chart = next(el.proto for el in app.get("deck_gl_json_chart") if "actie_sectoren" in el.proto.json)
    deck = json.loads(chart.json)
    layer = next(layer for layer in deck["layers"] if layer["id"] == "actie_sectoren")
    assert json.loads(chart.tooltip)["html"] == "<b>{naam}</b><br/>{regel}<br/>{acties}"
    tips = {row["regel"]: row["acties"] for row in layer["data"]}
    assert tips[f"sector {sectors[0]}"] == "2 actie(s): Burenbabbels; Signaalkaart"
    assert sum(t == "geen actie" for t in tips.values()) >= len(sectors) - 2
    # Plain text in the fields (Streamlit escapes a field's value): no markup, nothing escaped twice.
    assert not any("<" in str(row["naam"]) or "&" in str(row["acties"]) for row in layer["data"])
    assert any(f"{len(sectors) - 2} van de {len(sectors)} sectoren" in m.value for m in app.markdown)


def test_a_team_typed_in_other_case_is_the_existing_team(app, demo_db):
    team = "Werkgroep Hoofdletters"
    store = Store.open(demo_db)
    werkgroep.save_scores(store, team, TODAY, {"detectie": 4})
    # AppTest cannot type a new option into a selectbox; a link with the name does the same.
    open_app_page(app, PAGE, team="werkgroep  hoofdletters")
    assert any(f"Werkgroep **{team}**" in m.value for m in app.markdown)
    assert score_box(app, team, "detectie").value == 4
    assert app.query_params["team"] in (team, [team])
    assert team.casefold() not in [t for t in store.teams() if t != team]


def test_the_scores_image_and_workbook_are_made_on_request(app, demo_db):
    import io

    import openpyxl
    from PIL import Image

    team = "Werkgroep meenemen"
    store = Store.open(demo_db)
    werkgroep.save_scores(store, team, TODAY, {"detectie": 2, "inclusie": 5})
    open_app_page(app, PAGE, team=team)
    app.button(key="maak_bouwstenen_png").click().run()
    app.button(key="maak_bouwstenen_xlsx").click().run()
    assert not app.exception and not app.error
    image = Image.open(io.BytesIO(app.session_state[app.session_state["meenemen_laatst_bouwstenen_png"]]))
    assert image.size[0] >= 1200 and len(image.convert("RGB").getcolors(maxcolors=1 << 24)) > 10
    book = openpyxl.load_workbook(io.BytesIO(app.session_state[app.session_state["meenemen_laatst_bouwstenen_xlsx"]]))
    values = [c for row in book["Bouwstenen"].iter_rows(values_only=True) for c in row]
    assert "Detectie" in values and 2 in values and 5 in values
