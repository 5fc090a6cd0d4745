"""Bouwstenen: where the werkgroep stands on the 9 bouwstenen, its reflection and its actions."""

from __future__ import annotations

import streamlit as st

from zorgzaam import werkgroep
from zorgzaam.ui.bouwstenen_sections import (
    action_form,
    render_action_list,
    render_action_map,
    render_balance,
    render_history,
    render_reflection,
    render_scores,
)
from zorgzaam.ui import take_home
from zorgzaam.ui.frame import page_guard, page_start
from zorgzaam.ui.spatial_data import view_layers
from zorgzaam.ui.team_sidebar import current_team

with page_guard():
    store, choice = page_start("Bouwstenen: waar staan we?", scoring_expanded=True)
    team = current_team()
    if team is None:
        st.info(
            "Kies of typ links in de zijbalk de naam van jullie werkgroep. Daarna scoren jullie de 9 bouwstenen "
            "van het referentiekader zorgzame buurten en houden jullie hier de reflectie en de acties bij."
        )
        st.stop()

    st.markdown(f"Werkgroep **{team}** · gemeente {choice.gemeente_name}")
    history = werkgroep.assessments(store, team)
    scores_tab, reflection_tab, actions_tab, history_tab = st.tabs(
        ["Scores per cluster", "Reflectie", "Acties per bouwsteen", "Verloop"]
    )
    with scores_tab:
        light_threshold = (
            st.segmented_control(
                "Licht is een score van",
                [1, 2, 3],
                default=2,
                format_func=lambda t: f"1 tot {t}" if t > 1 else "1",
                key="light_threshold",
                help="Welke scores tellen als 'licht uitgevallen'? Standaard 1 (nog niet op "
                "ingezet) en 2 (al eens over nagedacht).",
            )
            or 2
        )
        current = render_scores(history, light_threshold)
    with reflection_tab:
        render_reflection(store, team, history[-1] if history else None)
    with actions_tab:
        layers = view_layers(store, "gemeente", choice.gemeente_code)
        stored = werkgroep.actions(store, team)
        st.markdown(
            "Welke acties lopen, zijn gepland of ontbreken nog, per bouwsteen? Zo zien jullie of een "
            "bouwsteen 'licht' uitvalt en waar in de gemeente er (nog) geen initiatieven zijn."
        )
        with st.expander("Nieuwe actie toevoegen", icon=":material/add:", expanded=not stored):
            action_form(store, team, layers)
        if stored:
            render_action_list(store, team, stored, layers)
            st.subheader("Evenwicht tussen de bouwstenen")
            render_balance(stored)
            st.subheader("Waar zijn er initiatieven, en waar niet?")
            render_action_map(store, choice, stored, layers)
    with history_tab:
        render_history(history, store, team)

    if history:
        with st.expander("Meenemen: scores als afbeelding en werkboek", icon=":material/download:"), page_guard():
            st.caption(
                "Voor het reflectie- en terugkoppelingsdocument: de laatste scores per cluster (met de vorige "
                "als ruit), en een werkboek met alle scores, de peilingen die jullie overnamen en de "
                f"samenvattende tabel van de gemeente {choice.gemeente_name}."
            )
            documents = take_home.bouwstenen_documents(store, team, choice.gemeente_code, choice.gemeente_name)
            actions_now = werkgroep.actions(store, team)
            if actions_now:
                sectors_now = view_layers(store, "gemeente", choice.gemeente_code).sectors_lambert
                if len(sectors_now):
                    documents.append(
                        take_home.action_map_document(store, team, actions_now, sectors_now, choice.gemeente_name)
                    )
            take_home.offer(store, documents)
