"""Shared pieces of the "Wie woont er?" page: the view, the indicator picker, the selection.

The page's state lives in the session and in the URL as codes, so a link
reopens the same view: ``bereik`` (gemeente|elz), ``indicator``, ``periode``,
``indeling`` (classification), ``klein`` (small-sector threshold), ``sector``.
``wie_choice`` turns the widgets into one ``choices.WieChoice`` for the page's sections.
"""

from __future__ import annotations

import streamlit as st

from ..catalogue import SIGNALS, USER_THEME, Indicator
from ..choices import View, WieChoice
from ..classify import METHODS
from ..engine import available_periods
from ..keyfigures import SMALL_SECTOR_THRESHOLD, help_text
from ..store import Store
from .state import AreaChoice, keep_in_url, seed_widget
from .selection import clear_selection, map_key, ranking_table_key, selected_sector  # noqa: F401 (used by the page)

DEFAULT_INDICATOR = "pct_80plus"
SHORT_METHOD_LABELS = {
    "kwantielen": "Kwantielen",
    "gelijke_intervallen": "Gelijke intervallen",
    "afwijking_elz": "Afwijking t.o.v. ELZ",
}


def view_picker(choice: AreaChoice) -> View:
    """Which sectors the page shows: the chosen municipality's or the whole care zone's (``bereik`` in the URL)."""
    options = ["gemeente", "elz"]
    seed_widget("bereik", options)
    labels = {"gemeente": f"Gemeente {choice.gemeente_name}", "elz": f"Hele eerstelijnszone {choice.elz_name}"}
    level = st.sidebar.radio(
        "Toon de sectoren van",
        options,
        format_func=labels.get,
        key="bereik",
        persist_state="session",
    )
    keep_in_url("bereik", level)
    return View(level, choice.elz_code, choice.elz_name, choice.gemeente_code, choice.gemeente_name)


def wie_choice(store: Store, view: View, indicator_container=None, period_container=None) -> WieChoice:
    """The "Wie woont er?" choice from its widgets and the URL: the small-sector threshold (sidebar), the
    indicator and the period (in the given containers) and the map's classification. No sector is selected
    yet: the page selects one (``WieChoice.select``) once it knows the sectors on screen."""
    small_threshold = small_threshold_input()
    ind = indicator_picker(indicator_container, store)
    period = period_picker(store, ind, period_container)
    method = method_picker()
    return WieChoice(view, ind, period, method=method, small_threshold=small_threshold)


def small_threshold_input() -> int:
    """The small-sector threshold in the sidebar; a changed one lives in the URL (``klein``)."""
    if "klein" not in st.session_state:
        wanted = str(st.query_params.get("klein", ""))
        if wanted.isdigit() and 0 <= int(wanted) <= 5000:
            st.session_state["klein"] = int(wanted)
    value = st.sidebar.number_input(
        "Kleine sector: minder dan … inwoners",
        min_value=0,
        max_value=5000,
        value=SMALL_SECTOR_THRESHOLD,
        step=25,
        key="klein",
        persist_state="session",
        help="Percentages van sectoren met weinig inwoners steunen op weinig mensen. Ze krijgen een * op de "
        "kaart en een ⚠ in de tabellen: trek er geen grote conclusies uit.",
    )
    keep_in_url("klein", None if int(value) == SMALL_SECTOR_THRESHOLD else str(int(value)))
    return int(value)


def indicator_label(ind: Indicator) -> str:
    """'Geslacht en leeftijd › % 80-plussers'; the werkgroep's own indicators with unit and source."""
    if ind.theme == USER_THEME:
        unit = "" if ind.unit in ind.label else f"{ind.unit}; "
        return f"{ind.theme.capitalize()} › {ind.label} ({unit}bron: {ind.source})"
    return f"{ind.theme.capitalize()} › {ind.label}"


def indicator_picker(container=None, store: Store | None = None) -> Indicator:
    """One searchable list, grouped by theme in the source's order; the werkgroep's own indicators
    (theme "eigen indicatoren") last. ``store`` defaults to the store the pages read."""
    from .data import get_store

    from .data import stored_variables

    container = container or st
    store = store or get_store()
    catalogue = store.catalogue()
    codes = [ind.code for inds in catalogue.by_theme().values() for ind in inds]
    variables = stored_variables(store)
    with_data = {c for c in codes if catalogue.has_data(c, variables)}
    seed_widget("indicator", codes)
    if "indicator" not in st.session_state:
        # Own data often holds a few counts only: open on an indicator it can show.
        st.session_state["indicator"] = (
            DEFAULT_INDICATOR
            if DEFAULT_INDICATOR in with_data or not with_data
            else next(c for c in codes if c in with_data)
        )
    code = container.selectbox(
        "Indicator (per thema)",
        codes,
        format_func=lambda c: indicator_label(catalogue.indicator(c)) + ("" if c in with_data else " · geen cijfers"),
        key="indicator",
        persist_state="session",
        help="Typ om te zoeken. De indicatoren staan per thema van de kwantitatieve analyse.",
    )
    keep_in_url("indicator", code)
    return catalogue.indicator(code)


def period_picker(store: Store, ind: Indicator, container=None) -> str | None:
    """The period asked for: every figure comes from its own latest period up to it."""
    container = container or st
    if not available_periods(store, [ind]):
        return None
    periods = store.periods()
    seed_widget("periode", periods)
    if st.session_state.get("periode") not in periods:
        st.session_state["periode"] = periods[-1]
    period = container.selectbox(
        "Periode",
        periods,
        key="periode",
        persist_state="session",
        format_func=lambda p: f"t/m {p}",
        help="Tot en met deze periode: elk cijfer komt van zijn laatste jaar tot en met deze periode; een ouder "
        "jaar staat erbij.",
    )
    keep_in_url("periode", period)
    return period


def method_picker(container=None) -> str:
    container = container or st
    seed_widget("indeling", list(METHODS))
    if "indeling" not in st.session_state:
        st.session_state["indeling"] = "kwantielen"
    method = container.segmented_control(
        "Kleuren volgens",
        list(METHODS),
        format_func=SHORT_METHOD_LABELS.get,
        key="indeling",
        required=True,
        persist_state="session",
        help="Kwantielen: evenveel sectoren per kleur. Gelijke intervallen: even brede klassen. "
        "Afwijking: hoeveel een sector boven of onder het gemiddelde van de eerstelijnszone ligt.",
    )
    method = method or "kwantielen"
    keep_in_url("indeling", method)
    return method


def about_indicator(ind: Indicator, period: str, source: str) -> str:
    """The one-click explanation of an indicator (markdown)."""
    signals = ", ".join(SIGNALS[s].lower() for s in ind.signals) or "geen (context)"
    direction = {
        "hoger": "een **hogere** waarde geeft het signaal",
        "lager": "een **lagere** waarde geeft het signaal",
        "neutraal": "geen richting: enkel context",
    }[ind.direction]
    return (
        f"#### {ind.label}\n{help_text(ind, period, source)}  \n"
        f"**Kan wijzen op:** {signals} ({direction}).\n\n"
        "Cijfers geven enkel een signaal om te verkennen, geen oordeel over een buurt."
    )
