"""State shared by every page: the chosen care zone and municipality.

Both live in the session (surviving page changes) and in the URL as codes
(``?elz=elz80&gemeente=13091``), so a copied link opens the same choice.
Streamlit's own ``bind="query-params"`` would put the Dutch labels in the URL;
codes are what an analyst shares and what survives a renamed municipality.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import streamlit as st

from ..store import Store
from .data import areas_of, busiest_areas


@dataclass(frozen=True)
class AreaChoice:
    elz_code: str
    elz_name: str
    gemeente_code: str
    gemeente_name: str


def area_picker(store: Store) -> AreaChoice | None:
    """Care zone and municipality pickers in the sidebar."""
    zones = areas_of(store, "elz")
    if zones.empty:
        st.sidebar.warning("Er staan nog geen eerstelijnszones in de databank.")
        return None
    zone_names = dict(zip(zones["code"], zones["name"]))
    st.sidebar.markdown("### Jouw gebied")
    _seed_from_url("elz", zone_names, busiest_areas(store, "elz"))
    elz = st.sidebar.selectbox(
        "Eerstelijnszone",
        list(zone_names),
        format_func=lambda c: zone_names.get(c, c),
        key="elz",
        persist_state="session",
        help="De eerstelijnszone (ELZ) is het vergelijkingsgebied: elke sector wordt naast het gemiddelde "
        "van de zone gelegd.",
    )
    municipalities = areas_of(store, "gemeente", within=("elz", elz))
    if municipalities.empty:
        st.sidebar.warning("Deze eerstelijnszone heeft nog geen gemeenten in de databank.")
        return None
    names = dict(zip(municipalities["code"], municipalities["name"]))
    _seed_from_url("gemeente", names, busiest_areas(store, "gemeente", within=("elz", elz)))
    gemeente = st.sidebar.selectbox(
        "Gemeente",
        sorted(names, key=lambda c: names[c]),
        format_func=lambda c: names.get(c, c),
        key="gemeente",
        persist_state="session",
    )
    st.query_params["elz"] = elz
    st.query_params["gemeente"] = gemeente
    return AreaChoice(elz, zone_names[elz], gemeente, names[gemeente])


def _seed_from_url(key: str, valid: Collection[str], preferred: Collection[str] = ()) -> None:
    """Take the choice from the URL on a session's first run; drop a choice that no longer fits.

    Without a choice in the URL, the first of ``preferred`` that is valid: the area with the most
    mapped sectors, not the first of the alphabet (an imported Flanders-wide area table lists 57
    zones when the sector maps cover one).
    """
    if key not in st.session_state:
        wanted = st.query_params.get(key)
        if wanted in valid:
            st.session_state[key] = wanted
        else:
            first = next((c for c in preferred if c in valid), None)
            if first is not None:
                st.session_state[key] = first
    elif st.session_state[key] not in valid:
        # A choice that no longer fits (another database, a re-import) gets a valid value, not a
        # deleted key: after a deletion the browser kept showing the old name beside the new data.
        wanted = st.query_params.get(key)
        st.session_state[key] = wanted if wanted in valid else next(iter(valid))
    else:
        # Re-assigning makes the value the widget's own input again. Without it, a page whose widgets
        # differ can get the widget back at its first option (seen going from "Wie woont er?" to
        # "Wat is er?" and back).
        st.session_state[key] = st.session_state[key]


def seed_widget(key: str, valid: Collection[str]) -> None:
    """Seed a widget's session value from the URL (first run only); call before creating the widget."""
    _seed_from_url(key, valid)


def keep_in_url(key: str, value: str | None) -> None:
    if value is None:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = value
