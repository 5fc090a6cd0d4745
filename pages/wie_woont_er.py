"""Wie woont er? Every indicator per sector on the map, each sector against its references, and signals."""

from __future__ import annotations

from html import escape

import streamlit as st

from zorgzaam.cube import cube_variables
from zorgzaam.keyfigures import population_text, small_sector_flags
from zorgzaam.signals import signal_indicators
from zorgzaam.ui import take_home
from zorgzaam.ui.team_sidebar import current_team
from zorgzaam.ui.frame import page_guard, page_start, source_line
from zorgzaam.ui.indicator_view import about_indicator, clear_selection, selected_sector, view_picker, wie_choice
from zorgzaam.ui import wie_sections as sections

with page_guard():
    store, choice = page_start("Wie woont er?")
    view = view_picker(choice)

    st.markdown(
        "Wie leeft er in onze buurten? Waar wijzen de cijfers op een **signaal** van eenzaamheid, sociaal "
        "isolement of (onbeantwoorde) zorgnood, en waar liggen kansen? Elke sector staat naast zijn gemeente, "
        f"het gemiddelde van eerstelijnszone {choice.elz_name} en Vlaanderen."
    )
    pick_col, period_col, about_col = st.columns([6, 1.4, 1.6], vertical_alignment="bottom")
    # Everything the sections read, from the widgets and the URL: one validated, frozen choice.
    wie = wie_choice(store, view, pick_col, period_col)
    ind, period = wie.indicator, wie.period
    source = source_line(store, [ind.code], period=period)  # only this indicator's datasets, with their period
    with about_col.popover("Uitleg", icon=":material/info:", width="stretch"):
        st.markdown(about_indicator(ind, period or "-", source))
    if period is None:
        st.info(f"Er zijn nog geen cijfers voor '{ind.label}' in de databank.")
        st.stop()

    names = sections.view_sector_names(store, view)
    if names.empty:
        st.info(f"Er zijn nog geen statistische sectoren voor de {view.label} in de databank.")
        st.stop()
    frame, municipalities = sections.view_sectors(store, view)
    sectors = sections.zone_results(store, view, ind, period)
    refs_result, refs = sections.reference_results(store, view, ind, period)
    references = sections.reference_line(wie, refs_result, refs)
    zone_value = next((v for lvl, _, v, _ in references if lvl == "elz"), None)

    st.markdown(
        # Indicator labels and area names may come from a file: text, never markup.
        f"**{escape(ind.label)}**, tot en met {period}: "
        + " · ".join(f"{escape(label)}: **{escape(text)}**" for _, label, _, text in references)
        + f"  \n<small>Bron: {escape(source)}. Gemiddelden zijn verhoudingen van totalen, nooit een gemiddelde van "
        "percentages.</small>",
        unsafe_allow_html=True,
    )

    wie = wie.select(selected_sector(names))
    selected = wie.selected
    if frame.empty:
        st.info(f"Er is nog geen kaart van de sectoren van de {view.label}; kies een sector in de rangschikking.")
    else:
        sections.render_map(frame, municipalities, sectors, wie, zone_value, source)

    pop_rows = sectors[sectors["indicator"] == "pop_total"].drop_duplicates("area_code").set_index("area_code")
    view_codes = list(names.index)
    # Few inhabitants, or a count the source hid: percentages rest on few people either way.
    flags = small_sector_flags(sectors, wie.small_threshold)
    small_codes = {c for c in view_codes if bool(flags.get(c, False))}
    name_frame = names.rename_axis("code").reset_index(name="name")

    if selected:
        head, button = st.columns([6, 1], vertical_alignment="bottom")
        flag = " · ⚠ weinig inwoners: voorzichtig interpreteren" if selected in small_codes else ""
        head.subheader(f"Sector {names[selected]} ({selected})")
        own = pop_rows.loc[selected].to_dict() if selected in pop_rows.index else None
        head.caption(population_text(own, period) + flag)
        if button.button("Selectie wissen", icon=":material/close:"):
            clear_selection()
            st.rerun()
        profile_col, trend_col = st.columns([3, 2])
        with profile_col, page_guard():
            st.markdown("**Profiel: elke indicator naast gemeente, eerstelijnszone en Vlaanderen**")
            sections.render_profile(store, wie, source)
        with trend_col, page_guard():
            st.markdown(f"**Evolutie: {ind.label}**")
            sections.render_trend(store, wie, source_line(store, [ind.code]))
    else:
        st.info("Klik op een sector op de kaart of kies een rij in de rangschikking om zijn profiel te zien.")

    tab_rank, tab_signals, tab_cube, tab_summary = st.tabs(
        ["Rangschikking", "Signalen", "Bevolkingskubus", "Samenvattende vragen"]
    )
    with tab_rank, page_guard():
        sections.render_ranking(sectors, view_codes, wie, references, source)
    with tab_signals, page_guard():
        rule = sections.signal_rule_controls()
        analysis = sections.signal_analysis(store, wie, rule)
        sections.render_signals(
            analysis,
            name_frame,
            small_codes,
            wie,
            source_line(store, [i.code for i in signal_indicators(store.catalogue())], period=period),
        )
    with tab_cube, page_guard():
        sections.render_cube(store, wie, names, source_line(store, variables=cube_variables(), period=period))
    with tab_summary, page_guard():
        sections.render_summary_questions(store, wie, analysis, view_codes)

    with st.expander("Meenemen: samenvattende tabel en profiel", icon=":material/download:"), page_guard():
        st.caption(
            f"Voor de {view.label}, periode {period}. Jullie notities en bouwstenen gaan mee wanneer jullie "
            "werkgroep gekozen is (zijbalk)."
        )
        documents = take_home.analysis_documents(store, wie, names[selected] if selected else None, current_team())
        if not frame.empty:
            documents.insert(
                0,
                take_home.indicator_map_document(
                    store, sectors, wie, view_codes, source=source, reference=zone_value, small=small_codes
                ),
            )
        take_home.offer(store, documents)
