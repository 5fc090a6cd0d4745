"""Peiling: the facilitator starts a live poll, shows the code and QR code, and follows the answers."""

from __future__ import annotations

import streamlit as st

from zorgzaam import polls
from zorgzaam.polls import PollError
from zorgzaam.ui import poll_sections as sections
from zorgzaam.ui.frame import page_guard, page_start

with page_guard():
    store, _choice = page_start("Peiling")
    session_key = st.query_params.get("sessie")
    token = st.query_params.get("beheer")
    if not session_key and not token:
        st.markdown(
            "Peil tijdens een bijeenkomst van de werkgroep: iedereen antwoordt met de gsm, de resultaten "
            "verschijnen live op dit scherm. Deelnemers hebben geen account nodig."
        )
        sections.new_poll_form(store)
        st.divider()
        sections.open_existing()
        st.stop()
    try:
        session = polls.facilitator_session(store, session_key or "", token or "")
    except PollError as exc:
        st.error(
            f"{exc} Open de begeleiderslink die je bij het starten bewaarde, of start een nieuwe peiling "
            "via 'Peiling' in het menu."
        )
        st.stop()
    sections.facilitator_view(store, session, token)
