"""Shared pieces of the "Wie woont er?" page: the view, the indicator picker, the selection.

The page's state lives in the session and in the URL as codes, so a link
reopens the same view: ``bereik`` (gemeente|elz), ``indicator``, ``periode``,
``indeling`` (classification), ``sector``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from ..catalogue import BUILTIN, SIGNALS, Indicator
from ..classify import METHODS
from ..engine import available_periods
from ..keyfigures import SMALL_SECTOR_THRESHOLD, help_text
from ..store import Store
from .state import AreaChoice, keep_in_url, seed_widget

DEFAULT_INDICATOR = "pct_80plus"
SHORT_METHOD_LABELS = {"kwantielen": "Kwantielen", "gelijke_intervallen": "Gelijke intervallen",
                       "afwijking_elz": "Afwijking t.o.v. ELZ"}


@dataclass(frozen=True)
class View:
    """The sectors on screen: one municipality, or the whole care zone."""

    level: str  # "gemeente" or "elz"
    code: str
    name: str
    choice: AreaChoice

    @property
    def label(self) -> str:
        return f"gemeente {self.name}" if self.level == "gemeente" else f"eerstelijnszone {self.name}"


def view_picker(choice: AreaChoice) -> View:
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
    if level == "elz":
        return View("elz", choice.elz_code, choice.elz_name, choice)
    return View("gemeente", choice.gemeente_code, choice.gemeente_name, choice)


def small_threshold_input() -> int:
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
    return int(value)


def indicator_label(ind: Indicator) -> str:
    return f"{ind.theme.capitalize()} › {ind.label}"


def indicator_picker(container=None) -> Indicator:
    """One searchable list, grouped by theme in the source's order."""
    container = container or st
    codes = [ind.code for inds in BUILTIN.by_theme().values() for ind in inds]
    seed_widget("indicator", codes)
    if "indicator" not in st.session_state:
        st.session_state["indicator"] = DEFAULT_INDICATOR
    code = container.selectbox(
        "Indicator (per thema)",
        codes,
        format_func=lambda c: indicator_label(BUILTIN.indicator(c)),
        key="indicator",
        persist_state="session",
        help="Typ om te zoeken. De indicatoren staan per thema van de kwantitatieve analyse.",
    )
    keep_in_url("indicator", code)
    return BUILTIN.indicator(code)


def period_picker(store: Store, ind: Indicator, container=None) -> str | None:
    container = container or st
    periods = available_periods(store, [ind])
    if not periods:
        return None
    seed_widget("periode", periods)
    if st.session_state.get("periode") not in periods:
        st.session_state["periode"] = periods[-1]
    period = container.selectbox("Periode", periods, key="periode", persist_state="session")
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


# --- the selected sector -------------------------------------------------------------------

# The map and the ranking table get a new widget key per selection: a selection made in one is then
# never contradicted by a stale selection kept in the other, and clicking a sector again always works.
# Each remembers the key it was drawn with, so the click is read from the right widget state.
_MAP_KEY_SEEN = "_wie_map_key"
_TABLE_KEY_SEEN = "_wie_ranking_key"
_TABLE_ROWS = "_wie_ranking_codes"
_TABLE_DRAWN_WITH = "_wie_ranking_selected"


def map_key(selected: str | None) -> str:
    key = f"wie_map_{selected or 'geen'}"
    st.session_state[_MAP_KEY_SEEN] = key
    return key


def ranking_table_key(selected: str | None, codes: list[str]) -> str:
    # Row selections are positions: a new order (another indicator, another view) needs a new table.
    order = hashlib.sha1("|".join(codes).encode()).hexdigest()[:10]
    key = f"wie_ranking_{selected or 'geen'}_{order}"
    st.session_state[_TABLE_KEY_SEEN] = key
    st.session_state[_TABLE_ROWS] = codes
    st.session_state[_TABLE_DRAWN_WITH] = selected
    return key


def selected_sector(valid: pd.Series) -> str | None:
    """The selected sector: from a new map or table click, else the session, else the URL.

    ``valid`` maps sector code to name for the sectors on screen. Must run before the map and
    table render, so both show the new selection in the same run.
    """
    codes = set(valid.index)
    if "sector" not in st.session_state:
        wanted = st.query_params.get("sector")
        st.session_state["sector"] = wanted if wanted in codes else None
    for clicked in (_map_click(), _table_click()):
        if clicked is not None and clicked in codes:
            st.session_state["sector"] = clicked
    code = st.session_state.get("sector")
    if code is not None and code not in codes:
        code = None  # kept in the session: it returns when its municipality is shown again
    keep_in_url("sector", code)
    return code


def clear_selection() -> None:
    st.session_state["sector"] = None


def _map_click() -> str | None:
    key = st.session_state.get(_MAP_KEY_SEEN)
    state = st.session_state.get(key) if key else None
    try:
        objects = state["selection"]["objects"].get("sectoren", []) if state is not None else []
    except (KeyError, TypeError, AttributeError):
        return None
    code = objects[0].get("code") if objects else None
    return code if code != st.session_state.get("sector") else None


def _table_click() -> str | None:
    key = st.session_state.get(_TABLE_KEY_SEEN)
    state = st.session_state.get(key) if key else None
    try:
        rows = list(state["selection"]["rows"]) if state is not None else []
    except (KeyError, TypeError):
        return None
    codes = st.session_state.get(_TABLE_ROWS, [])
    if not rows or rows[0] >= len(codes):
        return None
    code = codes[rows[0]]
    # The table starts with the selection it was drawn with; only a different row is a click.
    # (Comparing with the current selection instead would undo "Selectie wissen".)
    return code if code != st.session_state.get(_TABLE_DRAWN_WITH) else None
