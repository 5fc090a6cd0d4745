"""Meedoen: a participant answers a live poll on a phone (reached by link or QR code, not in the menu)."""

from __future__ import annotations

import streamlit as st

from zorgzaam import polls
from zorgzaam.ui.data import stores
from zorgzaam.ui.frame import page_guard
from zorgzaam.ui.poll_participant import join_form, participant_view

# No page_start: no area picker, no sidebar; a participant can only answer.
st.set_page_config(page_title="Meedoen aan een peiling", layout="centered", initial_sidebar_state="collapsed")

with page_guard():
    code = polls.normalise_join_code(st.query_params.get("code"))
    if not code:
        join_form()
        st.stop()
    # The facilitator may run the poll on the demo or on the own data: look in both.
    store, session = next(((s, found) for s in stores() if (found := polls.find_session(s, code))), (None, None))
    if session is None:
        shown = f" {code}" if code.isalnum() and len(code) <= 12 else ""
        join_form(f"Er is geen peiling met de code{shown}. Kijk de code op het scherm nog eens na.")
        st.stop()
    participant_view(store, session)
