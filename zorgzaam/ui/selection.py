"""The selected sector, shared by every page: from a map click, a table row, the session or the URL.

The selection is one session value (``sector``) and one URL parameter, so a
sector picked on "Wie vs wat" is still selected on "Wie woont er?" and a link
reopens it. Each page reads the clicks of its own map and table (``page`` is
the prefix of their widget keys).
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from .state import keep_in_url

SECTOR_KEY = "sector"

# The map and a table get a new widget key per selection: a selection made in one is then never
# contradicted by a stale selection kept in the other, and clicking a sector again always works.
# Each remembers the key it was drawn with, so the click is read from the right widget state.


def _seen(page: str, what: str) -> str:
    return f"_{page}_{what}"


def map_key(selected: str | None, page: str = "wie", layer: str = "sectoren") -> str:
    key = f"{page}_map_{selected or 'geen'}"
    st.session_state[_seen(page, "map_key")] = key
    st.session_state[_seen(page, "map_layer")] = layer
    return key


def ranking_table_key(selected: str | None, codes: list[str], page: str = "wie", table: str = "ranking") -> str:
    # Row selections are positions: a new order (another indicator, another view) needs a new table.
    order = hashlib.sha1("|".join(codes).encode()).hexdigest()[:10]
    key = f"{page}_{table}_{selected or 'geen'}_{order}"
    st.session_state[_seen(page, "ranking_key")] = key
    st.session_state[_seen(page, "ranking_codes")] = codes
    st.session_state[_seen(page, "ranking_selected")] = selected
    return key


def selected_sector(valid: pd.Series, page: str = "wie") -> str | None:
    """The selected sector: from a new map or table click, else the session, else the URL.

    ``valid`` maps sector code to name for the sectors on screen. Must run before the map and
    table render, so both show the new selection in the same run.
    """
    codes = set(valid.index)
    if SECTOR_KEY not in st.session_state:
        wanted = st.query_params.get(SECTOR_KEY)
        st.session_state[SECTOR_KEY] = wanted if wanted in codes else None
    for clicked in (_map_click(page), _table_click(page)):
        if clicked is not None and clicked in codes:
            st.session_state[SECTOR_KEY] = clicked
    code = st.session_state.get(SECTOR_KEY)
    if code is not None and code not in codes:
        code = None  # kept in the session: it returns when its municipality is shown again
    keep_in_url(SECTOR_KEY, code)
    return code


def clear_selection() -> None:
    st.session_state[SECTOR_KEY] = None


def _map_click(page: str) -> str | None:
    key = st.session_state.get(_seen(page, "map_key"))
    layer = st.session_state.get(_seen(page, "map_layer"), "sectoren")
    state = st.session_state.get(key) if key else None
    try:
        objects = state["selection"]["objects"].get(layer, []) if state is not None else []
    except (KeyError, TypeError, AttributeError):
        return None
    code = objects[0].get("code") if objects else None
    return code if code != st.session_state.get(SECTOR_KEY) else None


def _table_click(page: str) -> str | None:
    key = st.session_state.get(_seen(page, "ranking_key"))
    state = st.session_state.get(key) if key else None
    try:
        rows = list(state["selection"]["rows"]) if state is not None else []
    except (KeyError, TypeError):
        return None
    codes = st.session_state.get(_seen(page, "ranking_codes"), [])
    if not rows or rows[0] >= len(codes):
        return None
    code = codes[rows[0]]
    # The table starts with the selection it was drawn with; only a different row is a click.
    # (Comparing with the current selection instead would undo "Selectie wissen".)
    return code if code != st.session_state.get(_seen(page, "ranking_selected")) else None
