"""State shared by every page: the chosen care zone and municipality.

Both are bound to the URL (``?elz=…&gemeente=…``), so they survive page
changes and a copied link opens the same choice.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ..store import Store
from .data import areas_of


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
    elz = st.sidebar.selectbox(
        "Eerstelijnszone",
        list(zone_names),
        format_func=lambda c: zone_names.get(c, c),
        key="elz",
        bind="query-params",
        help="De eerstelijnszone (ELZ) is het vergelijkingsgebied: elke sector wordt naast het gemiddelde "
        "van de zone gelegd.",
    )
    municipalities = areas_of(store, "gemeente", within=("elz", elz))
    if municipalities.empty:
        st.sidebar.warning("Deze eerstelijnszone heeft nog geen gemeenten in de databank.")
        return None
    names = dict(zip(municipalities["code"], municipalities["name"]))
    gemeente = st.sidebar.selectbox(
        "Gemeente",
        sorted(names, key=lambda c: names[c]),
        format_func=lambda c: names.get(c, c),
        key="gemeente",
        bind="query-params",
    )
    return AreaChoice(elz, zone_names[elz], gemeente, names[gemeente])
