"""Bijeenkomsten: a werkgroep facilitator plans meetings, starts them and finds them (and their verslag) back."""

from __future__ import annotations

import streamlit as st

from zorgzaam.ui.frame import page_guard, page_start
from zorgzaam.ui.meeting_plan import open_by_link, render
from zorgzaam.ui.team_sidebar import current_team

with page_guard():
    store, choice = page_start("Bijeenkomsten")
    team = current_team()
    if team is None:
        st.info(
            "Kies of typ links in de zijbalk, bij 'Zelfevaluatie bouwstenen', de naam van jullie werkgroep. "
            "Daarna plannen jullie hier de bijeenkomsten van die werkgroep en vinden jullie ze terug."
        )
        open_by_link()  # a facilitator link needs no team
        st.stop()
    render(store, choice, team)
