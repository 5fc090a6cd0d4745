"""Wie vs wat: where many people with a need live far from what they need (the (mis)match)."""

from __future__ import annotations

import streamlit as st

from zorgzaam.catalogue import BUILTIN
from zorgzaam.mismatch import attention_list
from zorgzaam.ui import take_home
from zorgzaam.ui.frame import page_guard, page_start, source_line
from zorgzaam.ui.indicator_view import view_picker
from zorgzaam.ui.selection import clear_selection, selected_sector
from zorgzaam.ui.spatial_data import view_layers, view_places
from zorgzaam.ui import whowhat_sections as sections
from zorgzaam.ui.wie_sections import reference_results, view_sector_names, view_sectors, zone_results
from zorgzaam.ui.data import stored_variables
from zorgzaam.whowhat import NEEDS, pooled_lack_share, sector_mismatch

with page_guard():
    store, choice = page_start("Wie vs wat")
    view = view_picker(choice)
    st.markdown(
        "Waar wonen veel mensen met een nood ver van wat ze nodig hebben? Kies **wie** (bv. 80-plussers) en "
        "**wat** (bv. een bakker of een bus die elk uur passeert). Een mismatch is geen oordeel over een buurt, "
        "wel **een signaal om te verkennen**: kunnen bewoners écht de bus nemen?"
    )
    # Everything the sections read, from the widgets and the URL: one validated, frozen choice.
    wvw = sections.wie_vs_wat_choice(store, view)
    need, measure, settings = wvw.need, wvw.measure, wvw.settings
    if wvw.period is None:
        st.info(
            "Er zijn nog geen bereikbaarheidscijfers in de databank: importeer voorzieningen, haltes en "
            "bewoonde hectarecellen."
        )
        st.stop()
    period = wvw.period
    # The need's figures and the access computation (with the layers it read), not every import.
    source = source_line(store, [need.indicator, "pct_no_basket_1200m"], period=period)
    names = view_sector_names(store, view)
    if names.empty:
        st.info(f"Er zijn nog geen statistische sectoren voor de {view.label} in de databank.")
        st.stop()
    variables = stored_variables(store)
    if not BUILTIN.has_data(need.indicator, variables):
        counts = ", ".join(f"'{BUILTIN.count(c).label.lower()}'" for c in need.ind.base_counts if BUILTIN.count(c))
        with_data = [n.label for n in NEEDS.values() if BUILTIN.has_data(n.indicator, variables)]
        st.info(
            f"Voor '{need.label}' zijn er geen cijfers in de databank: daarvoor zijn {counts} per sector nodig "
            "(bv. uit Provincies in Cijfers; importeer ze op de pagina **Gegevens**). "
            + (
                f"Wel beschikbaar: {', '.join(with_data)}."
                if with_data
                else "Voor geen enkele 'wie' zijn er nu cijfers."
            ),
            icon=":material/info:",
        )
        st.stop()
    layers = view_layers(store, view.level, view.code)
    if layers.places.empty:
        st.info(
            f"Voor de {view.label} is nog geen bereikbaarheid per woonplaats berekend, dus valt er geen wie "
            "tegenover wat te zetten. Op de pagina **Gegevens**: importeer een bevolkingsraster (inwoners per "
            "hectare), voorzieningen en haltes, en kies daar **Bereikbaarheid berekenen**.",
            icon=":material/route:",
        )
        st.stop()
    # The zone's averages need its places, not its map layers.
    zone_places = view_places(store, "elz", view.elz_code)
    zone_names = view_sector_names(store, view.zone())
    results = zone_results(store, view, need.ind, period)
    population = results[results["indicator"] == "pop_total"].set_index("area_code")["value"]
    zone_data = sector_mismatch(
        results, zone_places, zone_names, need, measure, settings, wvw.small_threshold, population
    )
    data = zone_data[zone_data["statsec"].isin(names.index)].reset_index(drop=True)
    zone_label = view.zone_label
    refs_result, _ = reference_results(store, view, need.ind, period)
    zone_row = refs_result[refs_result["area_level"] == "elz"]
    zone_need = None
    if not zone_row.empty and zone_row.iloc[0]["status"] == "ok":
        zone_need = float(zone_row.iloc[0]["numerator" if need.use_count else "value"])
        if need.use_count:
            zone_need = zone_need / max(len(zone_names), 1)
    zone_lack = pooled_lack_share(zone_data)

    wvw = wvw.select(selected_sector(names, page=sections.PAGE))
    selected = wvw.selected
    frame, municipalities = view_sectors(store, view)
    attention = attention_list(data, need.group_label, "woont " + wvw.lack_text)
    st.markdown(
        f"**Wie**: {need.label} · **Wat**: {wvw.measure_text} · "
        f"periode {period} · {zone_label}: {sections.format_share(zone_lack) if zone_lack == zone_lack else '-'} "
        f"van de {need.group_label} woont te ver (verhouding van totalen)."
    )
    if frame.empty:
        st.info(f"Er is nog geen kaart van de sectoren van de {view.label}.")
    else:
        sections.render_map(frame, municipalities, data, wvw, layers, source)
    if selected:
        head, button = st.columns([6, 1], vertical_alignment="bottom")
        row = data.set_index("statsec").loc[selected]
        head.subheader(f"Sector {names[selected]} ({selected})")
        head.caption(sections.sentence_for(row, wvw))
        if button.button("Selectie wissen", icon=":material/close:"):
            clear_selection()
            st.rerun()

    tab_list, tab_scatter, tab_summary = st.tabs(["Aandachtslijst", "Spreiding", "Samenvattende vragen"])
    with tab_list, page_guard():
        sections.render_attention(attention, wvw, source)
    with tab_scatter, page_guard():
        sections.render_scatter(data, wvw, zone_need, zone_lack)
    with tab_summary, page_guard():
        sections.render_summary(store, wvw, attention)

    if not frame.empty:
        with st.expander("Meenemen: kaart", icon=":material/download:"), page_guard():
            take_home.offer(
                store,
                [take_home.mismatch_map_document(store, data, wvw, list(names.index), source=source)],
            )
