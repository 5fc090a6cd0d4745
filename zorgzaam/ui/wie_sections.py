"""The sections of the "Wie woont er?" page: map, profile, ranking, signals, cube, summary questions."""

from __future__ import annotations

from html import escape

import geopandas as gpd
import pandas as pd
import streamlit as st

from .. import charts
from ..analysis import AnalysisChoice, ZoneAnalysis, analyse
from ..catalogue import SIGNALS, Indicator
from ..choices import View, WieChoice
from ..classify import METHODS, classify
from ..comparisons import Reference
from ..formatting import MISSING_SYMBOL, STATUS_LABEL, format_figure, format_indicator, format_number, period_caption
from ..keyfigures import count_text, small_sector_flags
from ..maps import ReadyDeck, choropleth_deck, legend_html
from ..profiles import ranking
from ..signals import MATRIX_NOTE, RULE_KINDS, SignalRule, no_data_note, signal_count_text, signal_matrix
from ..store import MAX_NOTE_CHARS, Store, StoreError
from ..summary import QUESTIONS
from .data import areas_of, cached_cube, cached_has_cube, cached_profile, cached_trend, compute_for, data_version
from .indicator_view import map_key, ranking_table_key
from .overview import zone_geometry

# --- data for the view ---------------------------------------------------------------------------


def view_sector_names(store: Store, view: View) -> pd.Series:
    """Every sector of the view (code -> name), with or without geometry."""
    sectors = areas_of(store, "statsec", within=(view.level, view.code))
    return sectors.set_index("code")["name"]


def view_sectors(store: Store, view: View) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Geometry of the sectors on screen, and municipality outlines for labels."""
    frame, municipalities = zone_geometry(store, data_version(store), view.elz_code)
    if view.level == "gemeente":
        frame = frame[frame["gemeente"] == view.code]
        municipalities = municipalities[municipalities["code"] == view.code]
    return frame.reset_index(drop=True), municipalities


def zone_results(store: Store, view: View, ind: Indicator, period: str | None) -> pd.DataFrame:
    """The indicator and the population of every sector in the care zone (cached)."""
    codes = tuple(dict.fromkeys(("pop_total", ind.code)))
    return compute_for(store, codes, level="statsec", within=("elz", view.elz_code), period=period)


def reference_results(store: Store, view: View, ind: Indicator, period: str | None) -> tuple[pd.DataFrame, list]:
    """The indicator for the municipality, the care zone, the province and Flanders."""
    from .data import cached_with_references

    return cached_with_references(store, data_version(store), (ind.code,), "gemeente", view.gemeente_code, period)


def reference_line(
    choice: WieChoice, refs_result: pd.DataFrame, refs: list[Reference]
) -> list[tuple[str, str, float, str]]:
    """(level, label, value, text) for the municipality, the care zone and Flanders; the text says '≈' for an
    incomplete total (with its coverage) and the year when it is older than the choice's period."""
    ind, period, gemeente_name = choice.indicator, choice.period, choice.view.gemeente_name
    out = []
    own = refs_result[refs_result["role"] == "gebied"].iloc[0]
    out.append(
        (
            "gemeente",
            f"gemeente {gemeente_name}",
            own["value"] if own["status"] == "ok" else float("nan"),
            format_figure(ind, own, period),
        )
    )
    for ref in refs:
        row = refs_result[(refs_result["area_level"] == ref.level) & (refs_result["area_code"] == ref.code)]
        if row.empty:
            continue
        r = row.iloc[0]
        label = ref.total_label if ind.is_count else ref.label
        out.append(
            (ref.level, label, r["value"] if r["status"] == "ok" else float("nan"), format_figure(ind, r, period))
        )
    return out


# --- map --------------------------------------------------------------------------------------


def render_map(
    frame: gpd.GeoDataFrame,
    municipalities: gpd.GeoDataFrame,
    sectors: pd.DataFrame,
    choice: WieChoice,
    zone_value: float | None,
    source: str,
) -> None:
    """The choropleth of the chosen indicator (the choice's classification, centred on ``zone_value`` for a
    deviation) with its legend; a click selects a sector."""
    from .data import get_store

    store = get_store()
    deck, legend, messages = _map_parts(
        store, data_version(store), choice, zone_value, source, frame, municipalities, sectors
    )
    for kind, text in messages:
        (st.info if kind == "info" else st.warning)(text)
    map_col, legend_col = st.columns([4, 1])
    with map_col:
        st.pydeck_chart(
            deck, height=560, key=map_key(choice.selected), on_select="rerun", selection_mode="single-object"
        )
    with legend_col:
        st.markdown(legend, unsafe_allow_html=True)
    st.caption(
        "Klik op een sector voor zijn profiel (of kies een rij in de rangschikking). "
        "Kaart zonder achtergrond: werkt ook zonder internet."
    )


@st.cache_resource(max_entries=64, show_spinner=False)
def _map_parts(
    _store: Store,
    version: str,
    choice: WieChoice,
    zone_value: float | None,
    source: str,
    _frame: gpd.GeoDataFrame,
    _municipalities: gpd.GeoDataFrame,
    _sectors: pd.DataFrame,
) -> tuple[ReadyDeck, str, list[tuple[str, str]]]:
    """The map, its legend (HTML, every text escaped) and what to say about the classification, built once
    per data version and choice (the frames follow from both). Shared between sessions: read only."""
    frame, municipalities, sectors = _frame, _municipalities, _sectors
    ind, method, selected, period = choice.indicator, choice.method, choice.selected, choice.period
    small_threshold, zone_label = choice.small_threshold, choice.view.zone_label
    messages: list[tuple[str, str]] = []
    part = sectors[sectors["indicator"] == ind.code].set_index("area_code")
    pop = sectors[sectors["indicator"] == "pop_total"].set_index("area_code")["value"]
    frame = frame.copy()
    codes = frame["code"]
    status = codes.map(part["status"]).fillna("ontbrekend")
    values = codes.map(part["value"]).where(status == "ok").astype(float)
    if method == "afwijking_elz" and ind.is_count:
        messages.append(
            (
                "info",
                "Een aantal vergelijk je niet met het totaal van de hele eerstelijnszone: de kaart toont daarom "
                "kwantielen.",
            )
        )
        method = "kwantielen"
    try:
        classes = classify(values, method=method, reference=zone_value, unit=ind.unit, decimals=ind.decimals)
    except ValueError as exc:
        messages.append(("warning", f"{exc} De kaart toont daarom kwantielen."))
        classes = classify(values, method="kwantielen", unit=ind.unit, decimals=ind.decimals)
    fill = classes.colour_of(values)
    small = codes.map(small_sector_flags(sectors, small_threshold)).fillna(False).astype(bool)
    zone_text = format_indicator(ind, zone_value) if zone_value is not None else "-"
    used = part.loc[part["status"] != "ontbrekend", "period"] if "period" in part else pd.Series(dtype=object)
    newest = str(used.max()) if len(used) else period  # the legend names it; a tooltip only an older year
    frame["waarde"] = [format_figure(ind, r, newest) for _, r in part.reindex(codes).iterrows()]
    frame["status_tekst"] = [STATUS_LABEL.get(s, "") for s in status]
    frame["teller"] = [
        count_text(ind, n, d, s)
        for n, d, s in zip(codes.map(part["numerator"]), codes.map(part["denominator"]), status)
    ]
    frame["inwoners"] = [format_number(p) if pd.notna(p) else "-" for p in codes.map(pop)]
    frame["klein"] = ["weinig inwoners: voorzichtig interpreteren" if s else "" for s in small]
    frame["zone"] = f"{zone_label}: {zone_text}"
    marks = frame[(status != "ok") | small].copy()
    marks["mark"] = [MISSING_SYMBOL.get(st_, "-") if st_ != "ok" else "*" for st_ in status[(status != "ok") | small]]
    tooltip = (
        "<b>{name}</b> · sector {code}<br/>"
        # The template is markup (Streamlit escapes only the fields): an own indicator's label is a file's text.
        f"{escape(ind.label)}: <b>{{waarde}}</b> <i>{{status_tekst}}</i><br/>"
        "{teller}<br/>{zone}<br/>{inwoners} inwoners <i>{klein}</i>"
    )
    deck = choropleth_deck(
        frame[["code", "name", "geometry", "waarde", "status_tekst", "teller", "inwoners", "klein", "zone"]],
        fill,
        selected=selected,
        labels=municipalities if choice.view.level == "elz" else None,
        marks=marks[["mark", "geometry"]] if not marks.empty else None,
        tooltip_html=tooltip,
    )
    entries = [(e.colour, f"{e.label} ({e.count})") for e in classes.entries]
    notes = [
        f"{period_caption(used, period).capitalize()} · bron: {source}",
        f"Indeling: {METHODS[classes.method]} · (n) = aantal sectoren",
    ]
    if classes.method == "afwijking_elz" and zone_value is not None:
        notes.insert(0, f"{zone_label}: {format_indicator(ind, zone_value)}")
    if small.any():
        notes.append(
            f"* minder dan {format_number(small_threshold)} inwoners (of aantal verborgen): voorzichtig interpreteren"
        )
    if (status != "ok").any():
        notes.append("x verborgen door de bron (te klein), - geen gegevens; nooit 0")
    if selected:
        notes.append("Dikke zwarte rand: de gekozen sector")
    deck.to_json()  # made once, here: every rerun that shows this map sends the same text
    return deck, legend_html(classes.title(ind.label), entries, notes), messages


# --- profile ------------------------------------------------------------------------------------


def render_profile(store: Store, choice: WieChoice, source: str) -> pd.DataFrame:
    """The selected sector's rates as an index of the care zone, and all its values in a table."""
    profile, refs = cached_profile(store, data_version(store), choice.selected, choice.period)
    zone = next((r for r in refs if r.level == "elz"), None)
    zone_name = zone.label if zone else "eerstelijnszone"
    fig = charts.profile_index(profile, refs)
    st.plotly_chart(fig, key="profile_chart", config={"displaylogo": False})
    st.caption(
        f"Elke indicator van de sector als index: 100 = het {zone_name}; 150 = anderhalve keer zo hoog. "
        f"De echte waarden staan in de tabel hieronder. Periode {profile['period'].iloc[0]} · bron: {source}."
    )
    table = pd.DataFrame(
        {
            "Indicator": profile["label"],
            "Sector": profile["value_text"],
            "Teller / noemer": [
                f"{format_number(n)} / {format_number(d)}" if s == "ok" and not c else ""
                for n, d, s, c in zip(
                    profile["numerator"], profile["denominator"], profile["status"], profile["is_count"]
                )
            ],
        }
    )
    for ref in refs:
        if f"ref_{ref.level}_text" in profile:
            header = ref.label if ref.level != "elz" else f"eerstelijnszone {ref.name}"
            table[header] = profile[f"ref_{ref.level}_text"].to_numpy()
    with st.expander("Alle waarden van de sector in een tabel"):
        st.dataframe(table, hide_index=True, width="stretch", key="profile_table")
        st.caption(
            "Bij aantallen staat het totaal van het gebied; bij percentages en verhoudingen het gemiddelde "
            "van het gebied (een verhouding van totalen)."
        )
    return profile


def render_trend(store: Store, choice: WieChoice, source: str) -> pd.DataFrame:
    """The chosen indicator of the selected sector and its references over every period."""
    ind = choice.indicator
    data = cached_trend(store, data_version(store), "statsec", choice.selected, ind.code)
    if ind.is_count:
        data = data[data["role"] == "gebied"]  # a sector's count beside the zone's total would be a flat line
    if data["period"].nunique() < 2:
        st.info("Er is maar één periode beschikbaar: nog geen evolutie te tonen.")
        return data
    fig = charts.trend_lines(data, ind)
    st.plotly_chart(fig, key="trend_chart", config={"displaylogo": False})
    st.caption(f"{ind.label} over de beschikbare periodes · bron: {source}.")
    return data


# --- ranking -------------------------------------------------------------------------------------


def render_ranking(
    sectors: pd.DataFrame,
    view_codes: list[str],
    choice: WieChoice,
    references: list[tuple[str, str, float, str]],
    source: str,
) -> pd.DataFrame:
    """The sectors on screen ranked by the chosen indicator: bars with the references, and a table whose row
    selects a sector."""
    ind, selected, small_threshold, period = choice.indicator, choice.selected, choice.small_threshold, choice.period
    from .data import get_store

    view = sectors[sectors["area_code"].isin(view_codes)]
    ranked, fig, table = _ranking_parts(
        get_store(), sectors, tuple(view_codes), ind, small_threshold, tuple(references), selected
    )
    bars = int(ranked["value"].notna().sum())
    with st.container(height=560 if bars > 22 else "content"):
        st.plotly_chart(fig, key="ranking_chart", config={"displaylogo": False})
    codes = list(ranked["area_code"])
    default = {"selection": {"rows": [codes.index(selected)]}} if selected in codes else None
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key=ranking_table_key(selected, codes),
        on_select="rerun",
        selection_mode="single-row",
        selection_default=default,
        height=min(460, 38 + 35 * len(table)),
    )
    meaning = (
        ""
        if ind.is_count
        else f" · teller / noemer: de aantallen achter de {ind.unit if ind.unit != '%' else 'percentages'} "
        f"(noemer: {ind.denominator_kind})"
    )
    used = view.loc[(view["indicator"] == ind.code) & (view["status"] != "ontbrekend"), "period"]
    st.caption(
        f"{period_caption(used, period).capitalize()} · bron: {source}{meaning}. ⚠ = minder dan {format_number(small_threshold)} inwoners "
        "of aantal verborgen. Kies een rij om het profiel van die sector te zien."
    )
    return ranked


@st.cache_resource(max_entries=64, show_spinner=False)
def _ranking_parts(
    _store: Store,
    sectors: pd.DataFrame,
    view_codes: tuple[str, ...],
    ind: Indicator,
    small_threshold: int,
    references: tuple,
    selected: str | None,
) -> tuple[pd.DataFrame, object, pd.DataFrame]:
    """The ranking, its chart and its table, built once per input: a rerun that changes nothing here (another
    tab, a note) reuses them. Shared between sessions: read only."""
    pop = sectors[sectors["indicator"] == "pop_total"].set_index("area_code")["value"]
    view = sectors[sectors["area_code"].isin(view_codes)]
    ranked = ranking(view, ind.code, small_threshold, pop, catalogue=_store.catalogue())
    ranked["small"] = ranked["area_code"].map(small_sector_flags(sectors, small_threshold)).fillna(False)
    fig = charts.ranking_bars(ranked, ind, list(references), selected)
    table = pd.DataFrame(
        {
            "Rang": ranked["rank"].astype("Int64"),
            "Sector": ranked["area_name"],
            "Code": ranked["area_code"],
            ind.label: ranked["value_text"],
            "Teller / noemer": ranked["count_text"],
            "Inwoners": [format_number(p) if pd.notna(p) else "-" for p in ranked["population"]],
            "": ["⚠" if s else "" for s in ranked["small"]],
        }
    )
    return ranked, fig, table


# --- signals -------------------------------------------------------------------------------------


def signal_rule_controls() -> SignalRule:
    kind = st.radio(
        "Regel",
        list(RULE_KINDS),
        format_func=lambda k: RULE_KINDS[k].capitalize(),
        key="regel",
        horizontal=True,
        persist_state="session",
    )
    factor = 1.25
    if kind == "factor":
        factor = st.number_input(
            "Factor",
            min_value=1.05,
            max_value=3.0,
            value=1.25,
            step=0.05,
            key="factor",
            persist_state="session",
            format="%.2f",
        )
    return SignalRule(kind=kind, factor=float(factor))


def signal_analysis(store: Store, choice: WieChoice, rule: SignalRule) -> ZoneAnalysis:
    """The care zone analysed for the view (``zorgzaam.analysis``): signals, their outcomes and the standouts
    of the summary questions (cached per data version)."""
    return _signal_analysis(store, data_version(store), choice.analysis_choice(rule))


@st.cache_resource(max_entries=32, show_spinner=False)
def _signal_analysis(_store: Store, version: str, choice: AnalysisChoice) -> ZoneAnalysis:
    # Shared, not copied (a copy of the whole analysis on every rerun cost 20 ms): read only.
    return analyse(_store, choice)


@st.cache_data(max_entries=32, show_spinner=False)
def _question_texts(_store: Store, version: str, choice: AnalysisChoice, codes: tuple[str, ...]) -> dict[str, str]:
    """The standouts filled in beside each summary question (the same analysis as the signals tab, cached)."""
    return _signal_analysis(_store, version, choice).question_texts(list(codes))


def render_signals(
    analysis: ZoneAnalysis, view_frame: pd.DataFrame, small_codes: set[str], choice: WieChoice, source: str
) -> pd.DataFrame:
    """Per sector on screen the number of indicators raising each signal; the selected sector's signals."""
    selected, period = choice.selected, choice.period
    st.markdown(analysis.rule.describe(analysis.zone_label))
    names = dict(zip(view_frame["code"], view_frame["name"]))
    from .data import get_store

    store = get_store()
    note, table = _signal_table(
        store,
        data_version(store),
        choice.analysis_choice(analysis.rule),
        tuple(names.items()),
        tuple(sorted(small_codes)),
    )
    if note:
        st.info(note, icon=":material/database:")
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key="signal_table",
        height=min(460, 38 + 35 * len(table)),
        column_config={
            label: st.column_config.TextColumn(
                label, help=f"Aantal indicatoren dat een signaal geeft voor {label.lower()}; - = geen gegevens"
            )
            for label in SIGNALS.values()
        },
    )
    st.caption(
        f"Getal = aantal indicatoren dat volgens de regel een signaal geeft; 0 = geen signaal; {MATRIX_NOTE} · "
        f"periode {period} · bron: {source}. "
        "Een signaal is een vraag om te verkennen met wie de buurt kent, geen oordeel over een buurt."
    )
    if selected:
        st.markdown(f"**Signalen in {names.get(selected, selected)}**")
        st.markdown("\n".join(f"- **{label}**: {text}" for label, text in analysis.signal_lines(selected)))
    return table


@st.cache_data(max_entries=32, show_spinner=False)
def _signal_table(
    _store: Store, version: str, choice: AnalysisChoice, names: tuple[tuple[str, str], ...], small: tuple[str, ...]
) -> tuple[str | None, pd.DataFrame]:
    """The note on missing data and the table of signal counts per sector on screen (built once per input)."""
    analysis = _signal_analysis(_store, version, choice)
    codes = [c for c, _ in names]
    states = analysis.states
    matrix = signal_matrix(analysis.summary, codes, states)
    table = pd.DataFrame({"Sector": [n for _, n in names], "Code": codes})
    for signal, label in SIGNALS.items():
        table[label] = matrix[signal].to_numpy()
    table["Weinig inwoners"] = ["⚠" if c in set(small) else "" for c in codes]
    # Most signals first; "-" (no data) below 0: it is not a count.
    table = table.sort_values(list(SIGNALS.values()), ascending=False, kind="stable", na_position="last")
    for label in SIGNALS.values():
        table[label] = table[label].map(signal_count_text)
    return no_data_note(states, codes), table


# --- population cube -------------------------------------------------------------------------------


def render_cube(store: Store, choice: WieChoice, names: pd.Series, source: str) -> None:
    """The bevolkingskubus of the chosen sectors (default: the selected one), else of the whole view."""

    view, selected, period = choice.view, choice.selected, choice.period

    if period is None or not cached_has_cube(store, data_version(store), period):
        st.info(
            "Voor deze periode is er geen bevolkingskubus in de databank (geslacht × leeftijd × positie in "
            "het huishouden)."
        )
        return
    whole = f"de hele {view.label}"
    default = [selected] if selected in names.index else []
    chosen = st.multiselect(
        "Sectoren in de kubus",
        list(names.index),
        default=default,
        key=f"cube_sectors_{view.code}_{selected}",
        format_func=lambda c: f"{names[c]} ({c})",
        placeholder=f"Geen sector gekozen: {whole}",
    )
    if chosen:
        cube = cached_cube(store, data_version(store), tuple(chosen), period, "statsec")
        scope = f"{len(chosen)} sector(en)"
    else:
        # Whole municipalities from their published totals: they include the sectors the source hid.
        municipalities = (
            (view.code,)
            if view.level == "gemeente"
            else tuple(areas_of(store, "gemeente", within=("elz", view.code))["code"])
        )
        cube = cached_cube(store, data_version(store), municipalities, period, "gemeente")
        scope = whole
    st.dataframe(_cube_table(cube), width="stretch", key="cube_table")
    st.caption(
        f"Aantal inwoners per geslacht, leeftijd (20-jaarsklassen) en positie in het huishouden (LIPRO), "
        f"{scope}, periode {period} · bron: {source}. x = niet op te tellen: de bron verbergt kleine aantallen "
        "in minstens één gekozen sector (nooit 0); - = geen gegevens."
    )


@st.cache_data(max_entries=64, show_spinner=False)
def _cube_table(cube: pd.DataFrame) -> pd.DataFrame:
    """The cube as a formatted cross table (x: hidden in a chosen sector; -: no data), once per cube."""
    from ..cube import cube_crosstab

    missing = "x" if (cube["status"] == "onvolledig").any() else "-"
    return cube_crosstab(cube).map(lambda v: format_number(v) if pd.notna(v) else missing)


# --- summary questions --------------------------------------------------------------------------------


def render_summary_questions(store: Store, choice: WieChoice, analysis: ZoneAnalysis, view_codes: list[str]) -> None:
    """The summary questions of the quantitative analysis, standouts filled in, with the werkgroep's notes."""
    view, period = choice.view, choice.period
    if period is None:
        return
    notes = store.summary_notes(view.level, view.code, period)
    st.markdown(
        f"De samenvattende vragen van de kwantitatieve analyse voor de **{view.label}**, periode {period}. "
        "De sectoren die opvallen zijn automatisch ingevuld volgens de signaalregel; jullie notities worden "
        "meteen bewaard en komen later in het verslag."
    )
    texts = _question_texts(store, data_version(store), choice.analysis_choice(analysis.rule), tuple(view_codes))
    for question in QUESTIONS:
        with st.container(border=True):
            st.markdown(f"**{question.number} {question.text}**")
            st.markdown(texts[question.key])
            note_area(
                store,
                view,
                period,
                question.key,
                notes,
                "Wat valt jullie op? Wat herkennen jullie, wat moet nog verkend worden?",
            )


def note_area(store: Store, view: View, period: str, question: str, notes: dict[str, str], placeholder: str) -> None:
    """The werkgroep's notes on one summary question, saved in the store on every change."""
    key = f"note_{view.level}_{view.code}_{period}_{question}"
    if key not in st.session_state:
        st.session_state[key] = notes.get(question, "")
    st.text_area(
        "Notities van de werkgroep",
        key=key,
        height=90,
        max_chars=MAX_NOTE_CHARS,
        on_change=_save_note,
        args=(store, view.level, view.code, period, question, key),
        placeholder=placeholder,
    )


def _save_note(store: Store, level: str, code: str, period: str, question: str, key: str) -> None:
    try:
        store.save_summary_note(level, code, period, question, st.session_state.get(key, ""))
    except StoreError as exc:
        st.toast(f"Niet bewaard: {exc}", icon=":material/error:")
        return
    st.toast("Notitie bewaard", icon=":material/check:")
