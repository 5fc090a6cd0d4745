"""Bijeenkomst: the presenter view of a meeting on the big screen (reached from Bijeenkomsten, not the menu).

``?id=…`` names the meeting; ``&beheer=…`` is the facilitator's token that lets this browser lead it.
"""

from __future__ import annotations

import streamlit as st

from zorgzaam import meetings
from zorgzaam.ui.text import plain
from zorgzaam.meetings import MeetingError
from zorgzaam.ui import meeting_steps as steps
from zorgzaam.ui.frame import page_guard

st.set_page_config(page_title="Bijeenkomst · zorgzaam", layout="wide", initial_sidebar_state="collapsed")

with page_guard():
    steps.presenter_css()
    meeting_id = st.query_params.get("id") or ""
    token = st.query_params.get("beheer") or st.session_state.get(steps.TOKENS_KEY, {}).get(meeting_id, "")
    store, meeting = steps.find_meeting(meeting_id) if meeting_id else (None, None)
    if meeting is None:
        st.title("Bijeenkomst")
        st.error("Deze bijeenkomst bestaat niet (meer). Kies een bijeenkomst op de pagina Bijeenkomsten.")
        st.page_link("pages/bijeenkomsten.py", label="Naar Bijeenkomsten", icon=":material/event:")
        st.stop()
    if meeting.state == "gepland":
        steps.planned_view(store, meeting, st.query_params.get("bron"))
        st.stop()
    try:
        meeting = meetings.authorise(store, meeting.meeting_id, token)
    except MeetingError as exc:
        st.title(plain(meeting.title))
        if meeting.token_hash is None:  # finished without its link: nobody leads it any more
            st.error(str(exc))
            st.page_link("pages/bijeenkomsten.py", label="Naar Bijeenkomsten", icon=":material/event:")
        else:
            st.error(f"{exc} Open de begeleiderslink die je bij de start kreeg (in je adresbalk of bladwijzer).")
        st.stop()
    steps.remember(meeting.meeting_id, token)
    if st.query_params.get("beheer") != token:
        st.query_params["beheer"] = token
    if meeting.state == "afgerond":
        steps.finished_view(store, meeting, token)
    else:
        steps.running_view(store, meeting, token)
