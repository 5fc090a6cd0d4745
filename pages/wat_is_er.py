"""Wat is er? The spatial layers of the neighbourhood on one map, and what lies in and around each sector."""

from __future__ import annotations

import streamlit as st

from zorgzaam.ui import take_home
from zorgzaam.ui.frame import page_guard, page_start, source_line
from zorgzaam.ui.indicator_view import view_picker
from zorgzaam.ui.selection import clear_selection, selected_sector
from zorgzaam.ui.spatial_data import layer_sources, view_layers
from zorgzaam.ui import wat_sections as sections
from zorgzaam.ui.wie_sections import view_sector_names, view_sectors

with page_guard():
    store, choice = page_start("Wat is er?")
    view = view_picker(choice)
    st.markdown(
        "Welke voorzieningen zijn er en waar liggen ze? Wonen de mensen in een kern, langs een lint of verspreid? "
        "Zijn de voorzieningen en de bus bereikbaar voor wie er woont? Zet lagen aan en uit; een tekort is geen "
        "oordeel, wel **een signaal om te verkennen**."
    )
    names = view_sector_names(store, view)
    if names.empty:
        st.info(f"Er zijn nog geen statistische sectoren voor de {view.label} in de databank.")
        st.stop()
    display_frame, _ = view_sectors(store, view)
    layers = view_layers(store, view.level, view.code)

    # Everything the sections read, from the widgets and the URL: one validated, frozen choice.
    wat = sections.wat_choice(view, layers)
    wat = wat.select(selected_sector(names, page=sections.PAGE))
    keys, categories, selected = list(wat.layer_keys), list(wat.categories), wat.selected
    # Each caption names only the datasets of what it shows (the layers switched on, the chosen amenities).
    source = source_line(store, layers=keys, categories=categories)
    if display_frame.empty:
        st.info(f"Er is nog geen kaart van de sectoren van de {view.label}.")
    else:
        sections.render_map(layers, display_frame, wat, source, layer_sources(store))

    if selected:
        head, button = st.columns([6, 1], vertical_alignment="bottom")
        head.subheader(f"Sector {names[selected]} ({selected})")
        if button.button("Selectie wissen", icon=":material/close:"):
            clear_selection()
            st.rerun()
        with page_guard():
            sections.render_sector_detail(layers, selected, names[selected])

    st.subheader(f"Per sector van de {view.label}")
    with page_guard():
        sections.render_sector_table(
            sections.sector_table(layers, names),
            selected,
            source_line(store, ["pct_in_kern"], ("sectoren", "voorzieningen")),
        )

    if not display_frame.empty:
        with st.expander("Meenemen: kaart", icon=":material/download:"), page_guard():
            take_home.offer(
                store,
                [
                    take_home.spatial_map_document(
                        store,
                        layers.amenities,
                        list(names.index),
                        wat,
                        source=source_line(
                            store,
                            layers=["sectoren", "voorzieningen"]
                            + [k for k in ("bushaltes", "kernen", "linten", "verspreid") if k in keys],
                            categories=categories,
                        ),
                        stops=layers.stops,
                    )
                ],
            )
