"""The sections of the "Wie vs wat" page: the choice of wie and wat, the bivariate map, the scatter,
the attention list and the summary questions 8.1 and 8.2."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pydeck as pdk
import streamlit as st

from .. import charts
from ..catalogue import BUILTIN
from ..choices import View, WieVsWatChoice
from ..engine import available_periods
from ..access import (
    AMENITY_CATEGORIES,
    BASKET_TEXT,
    BUS_THRESHOLDS,
    CATEGORY_LABELS,
    DEFAULTS,
    AccessSettings,
    format_distance,
    lack_phrase,
    lacks_access,
)
from ..formatting import format_number
from ..layers import amenity_layers, cell_layers, stop_layers
from ..maps import choropleth_deck, fit_view
from ..mismatch import (
    MISMATCH_QUESTIONS,
    attention_sentence,
    bivariate_classes,
    bivariate_legend_html,
    format_share,
    mismatch_summary,
    tertile_classes,
)
from ..store import Store
from ..whowhat import DEFAULT_NEED, NEEDS, NeedOption, need_text
from .indicator_view import small_threshold_input
from .selection import map_key, ranking_table_key
from .spatial_data import ViewLayers
from .state import keep_in_url, seed_widget
from .wie_sections import note_area

PAGE = "wvw"
WALK_RADII = (400, 800, 1200, 2000, 3750)
BUS_RADII = (300, 400, 500, 800, 1000)
LACK_COLOURS = ((202, 0, 32), (5, 113, 176))  # lacking, within reach (red–blue: safe for red–green blindness)


def _measure_label(code: str) -> str:
    if code == "basket":
        return f"Basispakket ({BASKET_TEXT})"
    if code == "bus":
        return "Bushalte (met genoeg vertrekken)"
    if code == "basket_and_bus":
        return "Basispakket én bushalte"
    body = code[4:]
    if body.endswith("+bus"):
        return f"{CATEGORY_LABELS[body[:-4]].capitalize()} én bushalte"
    return CATEGORY_LABELS[body].capitalize()


MEASURES = (
    ["basket", "bus", "basket_and_bus"]
    + [f"cat:{c}" for c in AMENITY_CATEGORIES if c != "groen"]
    + [f"cat:{c}+bus" for c in ("voedingswinkel", "supermarkt", "bakker", "huisarts", "apotheek")]
)


def _select(label: str, options: list, key: str, default, fmt=str, container=None, **kwargs):
    container = container or st
    valid = [str(o) for o in options]
    seed_widget(key, valid)
    if st.session_state.get(key) not in valid:
        st.session_state[key] = str(default)
    value = container.selectbox(label, valid, key=key, format_func=lambda v: fmt(v), persist_state="session", **kwargs)
    keep_in_url(key, value)
    return value


def controls() -> tuple[NeedOption, str, AccessSettings]:
    """Wie (a need indicator), wat (an access measure) and the werkgroep's radii and bus frequency."""
    wie_col, wat_col = st.columns(2)
    need = NEEDS[
        _select(
            "Wie: welke nood?",
            list(NEEDS),
            "wie",
            DEFAULT_NEED,
            lambda c: NEEDS[c].label,
            wie_col,
            help="Op de verticale as van het raster: hoe hoger, hoe meer mensen met die nood.",
        )
    ]
    measure = _select(
        "Wat: welke voorziening ligt te ver?",
        MEASURES,
        "wat",
        "basket",
        _measure_label,
        wat_col,
        help="Op de horizontale as: het aandeel van die mensen dat te ver van de voorziening woont.",
    )
    c1, c2, c3 = st.columns(3)
    walk = float(
        _select(
            "Te voet bereikbaar binnen",
            list(WALK_RADII),
            "straal",
            int(DEFAULTS.walk_radius),
            lambda v: format_distance(float(v)),
            c1,
            help="1,2 km is ongeveer 15 minuten stappen; 3,75 km is de fietsafstand van de Vlaamse "
            "indicator 'toegang tot basisvoorzieningen'.",
        )
    )
    per_hour = float(
        _select(
            "Bus: minstens … vertrekken per uur",
            list(BUS_THRESHOLDS),
            "bus_per_uur",
            DEFAULTS.bus_min_per_hour,
            lambda v: "elke bus (0)" if float(v) == 0 else format_number(float(v)),
            c2,
            help="Vertrekken op een gewone weekdag. Een belbus telt nooit mee: die rijdt enkel op afroep.",
        )
    )
    bus_radius = float(
        _select(
            "Bushalte binnen",
            list(BUS_RADII),
            "bus_straal",
            int(DEFAULTS.bus_radius),
            lambda v: format_distance(float(v)),
            c3,
        )
    )
    settings = AccessSettings(walk_radius=walk, bus_min_per_hour=per_hour, bus_radius=bus_radius)
    st.caption(
        f"Standaard: {format_distance(DEFAULTS.walk_radius)} te voet (15 minuten), een bushalte met minstens "
        f"{format_number(DEFAULTS.bus_min_per_hour)} vertrek per uur binnen {format_distance(DEFAULTS.bus_radius)}. "
        "Afstanden in rechte lijn vanaf het midden van elke bewoonde hectare (er is geen stratennetwerk in de "
        "databank): de echte wandelafstand is langer."
    )
    return need, measure, settings


def wie_vs_wat_choice(store: Store, view: View) -> WieVsWatChoice:
    """The "Wie vs wat" choice from its widgets and the URL: the small-sector threshold (sidebar), wie, wat and
    the radii (``controls``), and the latest period with both the need's figures and access (None: no access
    figures yet). No sector is selected yet: the page selects one once it knows the sectors on screen."""
    small_threshold = small_threshold_input()
    need, measure, settings = controls()
    periods = available_periods(store, [BUILTIN.indicator("pct_no_basket_1200m"), need.ind])
    return WieVsWatChoice(
        view, need, measure, settings, periods[-1] if periods else None, small_threshold=small_threshold
    )


def sentence_for(row: pd.Series, choice: WieVsWatChoice) -> str:
    """The plain Dutch sentence of one sector, the same as in the attention list."""
    return attention_sentence(
        row["name"],
        choice.need.group_label,
        row["group_count"],
        row["lack_share"],
        "woont " + choice.lack_text,
        bool(row["small"]),
    )


def render_map(
    frame_geo, municipalities, data: pd.DataFrame, choice: WieVsWatChoice, layers: ViewLayers, source: str
) -> None:
    """The bivariate map (3 × 3 classes within the view); a selected sector is zoomed to with its
    inhabited hectares (red: lacking access), amenities and stops."""
    need, measure, settings, selected = choice.need, choice.measure, choice.settings, choice.selected
    view, period = choice.view, choice.period
    by_code = data.set_index("statsec")
    frame = frame_geo.copy()
    codes = frame["code"]
    classes = bivariate_classes(codes.map(by_code["need_value"]), codes.map(by_code["lack_share"]))
    frame["wie"] = [
        need_text(need, v, s)
        for v, s in zip(codes.map(by_code["need_value"]), codes.map(by_code["need_status"]).fillna("ontbrekend"))
    ]
    frame["wat"] = [
        ("-" if pd.isna(s) else f"{format_share(s)} {lack_phrase(measure, settings)}")
        for s in codes.map(by_code["lack_share"])
    ]
    frame["mensen"] = [
        "aantal verborgen (x)"
        if pd.isna(g)
        else (
            f"≈ {format_number(gl)} van {format_number(g)} {need.group_label} zonder toegang"
            if pd.notna(gl)
            else f"{format_number(g)} {need.group_label}"
        )
        for g, gl in zip(codes.map(by_code["group_count"]), codes.map(by_code["group_lacking"]))
    ]
    small = codes.map(by_code["small"]).fillna(True).astype(bool)
    frame["klein"] = ["weinig inwoners: voorzichtig interpreteren" if s else "" for s in small]
    marks = frame[small].copy()
    marks["mark"] = "*"
    tooltip = (
        "<b>{name}</b> · sector {code}<br/>Wie: <b>{wie}</b><br/>Wat: <b>{wat}</b><br/>{mensen}<br/><i>{klein}</i>"
    )
    deck = choropleth_deck(
        frame[["code", "name", "geometry", "wie", "wat", "mensen", "klein"]],
        list(classes["colour"]),
        selected=selected,
        labels=municipalities if view.level == "elz" else None,
        marks=marks[["mark", "geometry"]] if not marks.empty else None,
        tooltip_html=tooltip,
    )
    if selected and (frame["code"] == selected).any():
        deck.layers.extend(_zoom_layers(layers, selected, measure, settings, source))
        deck.initial_view_state = fit_view(frame[frame["code"] == selected])
    map_col, legend_col = st.columns([4, 1.4])
    with map_col:
        st.pydeck_chart(
            deck, height=580, key=map_key(selected, page=PAGE), on_select="rerun", selection_mode="single-object"
        )
    with legend_col:
        _, need_bounds = tertile_classes(data["need_value"])
        _, lack_bounds = tertile_classes(data["lack_share"])
        st.markdown(
            bivariate_legend_html(
                need_bounds,
                lack_bounds,
                need.label,
                f"% {need.group_label} te ver",
                need_unit="" if need.use_count else need.ind.unit,
                need_decimals=0 if need.use_count else 1,
            ),
            unsafe_allow_html=True,
        )
        notes = [
            f"Klassen: telkens een derde van de sectoren van de {view.label}.",
            f"Periode {period} · bron: {source}",
        ]
        if small.any():
            notes.append("\\* weinig inwoners (of aantal verborgen): voorzichtig interpreteren")
        if selected:
            notes.append(
                "Ingezoomd op de gekozen sector: rode hectares wonen te ver, blauwe binnen bereik; "
                "punten zijn voorzieningen en haltes."
            )
        st.caption("  \n".join(notes))


def _zoom_layers(
    layers: ViewLayers, selected: str, measure: str, settings: AccessSettings, source: str
) -> list[pdk.Layer]:
    places = layers.places[layers.places["statsec"] == selected]
    out: list[pdk.Layer] = []
    if len(places):
        lack = lacks_access(places, measure, settings)
        cells = pd.DataFrame({"x": places["x"].to_numpy(), "y": places["y"].to_numpy()})
        classes = pd.Series(np.where(lack, 0, 1)).astype("Int64")
        labels = [
            f"{format_number(r)} inwoners · {'te ver' if lk else 'binnen bereik'}"
            for r, lk in zip(places["residents"], lack)
        ]
        out += cell_layers("woonplaatsen", cells, classes, LACK_COLOURS, labels, source)
    out += amenity_layers(layers.features) if len(layers.features) else []
    out += stop_layers(layers.stops, source) if len(layers.stops) else []
    return out


def render_scatter(data: pd.DataFrame, choice: WieVsWatChoice, zone_need: float | None, zone_lack: float) -> None:
    """Need × lack of access per sector; bubble = people concerned without access; cross-hairs at the zone
    (``zone_need``: for a count, the zone's average sector)."""
    need = choice.need
    zone_label = "gemiddelde sector van de eerstelijnszone" if need.use_count else choice.view.zone_label
    fig = charts.mismatch_scatter(data, need, zone_need, zone_lack, zone_label, choice.selected)
    st.plotly_chart(fig, width="stretch", key="wvw_scatter")
    st.caption(
        f"Elke bol is een sector; hoe groter, hoe meer {need.group_label} te ver wonen (schatting). "
        f"Stippellijnen: {zone_label} (verhouding van totalen)."
    )


def render_attention(attention: pd.DataFrame, choice: WieVsWatChoice, source: str) -> None:
    """The sectors in the top third for both need and lack of access, in sentences and a table to select from."""
    selected, need = choice.selected, choice.need
    if attention.empty:
        st.info(
            "Geen enkele sector ligt tegelijk in het hoogste derde voor de nood en voor het gebrek aan "
            "toegang. Probeer een andere combinatie van wie en wat."
        )
        return
    st.markdown("\n".join(f"- {sentence}" for sentence in attention["sentence"]))
    table = pd.DataFrame(
        {
            "Sector": attention["name"],
            "Code": attention["statsec"],
            f"{need.group_label.capitalize()}": attention["group_count"],
            "% te ver": attention["lack_share"] * 100,
            "Te ver (schatting)": attention["group_lacking"],
        }
    )
    codes = list(attention["statsec"])
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=ranking_table_key(selected, codes, page=PAGE, table="aandacht"),
        column_config={"% te ver": st.column_config.NumberColumn(format="%.0f %%")},
    )
    st.caption(
        "Sectoren in het hoogste derde voor beide: veel nood en veel mensen ver van de voorziening. Kies een rij om "
        "in te zoomen. Het aantal ouderen per hectare is geschat: het aantal van de sector is verdeeld over zijn "
        f"bewoonde hectares naar hun aantal inwoners. Bron: {source}."
    )


def render_summary(store: Store, choice: WieVsWatChoice, attention: pd.DataFrame) -> None:
    """The summary questions 8.1 and 8.2, prefilled with the chosen wie and wat, with the werkgroep's notes."""
    view, period, need, measure, settings = choice.view, choice.period, choice.need, choice.measure, choice.settings
    answers = mismatch_summary(
        attention,
        view.label,
        need_label=need.label.replace("% ", "aandeel ").lower(),
        lack_label=f"aandeel {need.group_label} dat {lack_phrase(measure, settings)} woont",
        group_label=need.group_label,
    )
    notes = store.summary_notes(view.level, view.code, period)
    st.markdown(
        f"De samenvattende vragen van de ruimtelijke analyse voor de **{view.label}**, periode {period}, "
        "vooraf ingevuld met de gekozen combinatie van wie en wat. Jullie notities worden meteen bewaard."
    )
    for number, question in MISMATCH_QUESTIONS.items():
        with st.container(border=True):
            st.markdown(f"**{number} {question}**")
            st.markdown(answers[number])
            note_area(
                store,
                view,
                period,
                number,
                notes,
                "Welke combinaties van wie en wat vallen op? Herkennen jullie het op het terrein?",
            )
