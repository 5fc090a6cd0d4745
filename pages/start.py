"""Start: choose the care zone and municipality, see its key figures and sectors."""

from __future__ import annotations

import streamlit as st

from zorgzaam.keyfigures import SMALL_SECTOR_THRESHOLD, START_KEY_FIGURES, key_figures
from zorgzaam.sources import dataset_label
from zorgzaam.ui.data import cached_with_references, compute_for, data_version
from zorgzaam.ui.frame import page_guard, page_start, source_line
from zorgzaam.ui import take_home
from zorgzaam.ui.overview import sector_table, sectors_map

with page_guard():
    store, choice = page_start("Zorgzame buurten in cijfers")

    st.markdown(
        f"### Gemeente {choice.gemeente_name} · eerstelijnszone {choice.elz_name}\n"
        "Wie woont er in jullie buurten? Hieronder de kerncijfers van de gemeente, telkens naast het "
        "gemiddelde van de eerstelijnszone en Vlaanderen. Cijfers geven enkel een **signaal om te verkennen**, "
        "geen oordeel over een buurt."
    )

    has_figures = bool(store.periods(["pop_total"]))
    if has_figures:
        result, refs = cached_with_references(
            store, data_version(store), START_KEY_FIGURES, "gemeente", choice.gemeente_code
        )
        period = str(result["period"].iloc[0])
        source = source_line(store, START_KEY_FIGURES, period=period)
        cards = key_figures(result, refs, source)
    else:
        cards = []
        st.info(
            "In deze gegevens staan nog geen inwonersaantallen. Importeer ze op de pagina **Gegevens** "
            "(bv. Statbel OPENDATA_SECTOREN of een tabel van Provincies in Cijfers); de gebieden zelf "
            "staan er al.",
            icon=":material/upload_file:",
        )

    if cards:
        st.subheader("Kerncijfers")
    per_row = 4
    for start in range(0, len(cards), per_row):
        columns = st.columns(per_row)
        for column, card in zip(columns, cards[start : start + per_row]):
            with column.container(border=True):
                st.metric(card.label, card.value_text, help=card.help_text)
                lines = [card.count_text] if card.count_text else []
                lines += [f"{label}: **{text}**" for label, text in card.references]
                st.markdown("  \n".join(lines) if lines else " ")
    if cards:
        st.caption(
            f"Periode: {period} · Bron: {source} · Gemiddelden zijn verhoudingen van totalen "
            "(alle 80-plussers van de zone gedeeld door alle inwoners van de zone), nooit een gemiddelde "
            "van percentages."
        )

    st.subheader("De analyse in drie stappen")
    steps = st.columns(3)
    steps[0].page_link(
        "pages/wie_woont_er.py", label="**Wie woont er?** Elke indicator per sector, signalen", icon=":material/groups:"
    )
    steps[1].page_link(
        "pages/wat_is_er.py",
        label="**Wat is er?** Kernen, voorzieningen, bus, walkability",
        icon=":material/storefront:",
    )
    steps[2].page_link(
        "pages/wie_vs_wat.py", label="**Wie vs wat?** Veel nood, ver van voorzieningen", icon=":material/join_inner:"
    )
    st.subheader("Jullie eigen werking")
    own = st.columns(3)
    own[0].page_link(
        "pages/bouwstenen.py",
        label="**Bouwstenen** Waar staan we op de 9 bouwstenen? Reflectie en acties",
        icon=":material/checklist:",
    )
    own[1].page_link(
        "pages/peiling.py", label="**Peiling** Iedereen scoort live met de gsm", icon=":material/how_to_vote:"
    )
    own[2].page_link(
        "pages/gegevens.py", label="**Gegevens** Eigen bestanden importeren", icon=":material/upload_file:"
    )
    own[2].markdown("De zelfevaluatie staat ook links in de zijbalk, op elke pagina.")

    if has_figures:
        st.subheader(f"De statistische sectoren van {choice.gemeente_name}")
        map_column, table_column = st.columns([5, 4])
        sectors = compute_for(
            store,
            ("pop_total", "pct_65plus", "pct_80plus"),
            level="statsec",
            within=("elz", choice.elz_code),
            period=period,
        )
        with map_column:
            sectors_map(store, choice, sectors)
            with st.popover("Kaart meenemen (PNG, A3)", icon=":material/download:"), page_guard():
                take_home.offer(
                    store,
                    [
                        take_home.overview_map_document(
                            store,
                            choice.elz_code,
                            choice.elz_name,
                            choice.gemeente_code,
                            choice.gemeente_name,
                            source_line(store, layers=("sectoren",)),
                        )
                    ],
                    columns=1,
                )
        with table_column:
            sector_table(store, sectors, choice)
            table_source = source_line(store, ("pop_total", "pct_65plus", "pct_80plus"), ("sectoren",), period=period)
            st.caption(
                f"Periode: {period} · Bron: {table_source} · % t.o.v. alle inwoners van de sector. "
                f"⚠ = minder dan {SMALL_SECTOR_THRESHOLD} inwoners: percentages steunen op weinig mensen, "
                "voorzichtig interpreteren. x = verborgen door de bron (te klein), nooit 0."
            )

    st.subheader("Over de gegevens")
    datasets = store.datasets()
    for row in datasets.itertuples():
        demo = " — **fictief, enkel om de app te leren kennen**" if row.is_demo else ""
        period_label = row.period_label if isinstance(row.period_label, str) and row.period_label else "onbekend"
        source_text = dataset_label(row.dataset_id, row.source, row.file_name)
        st.markdown(f"- **{row.title}**: bron {source_text}, periode {period_label}{demo}")
    st.markdown(
        "Symbolen: **x** verborgen (te klein om te tonen), **-** geen gegevens, **nvt** niet van toepassing. "
        "Een ontbrekende waarde telt nooit als 0."
    )
