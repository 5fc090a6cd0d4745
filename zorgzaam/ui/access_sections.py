"""The Gegevens page's access step: compute access per residential place from the imported layers.

Imported layers come from separate files (a raster of residents, a GTFS feed, an OpenStreetMap
extract, kernen and linten); ``access.compute_and_store_access(store, None, period)`` combines them
into one derived dataset that "Wat is er?" and "Wie vs wat" read.
"""

from __future__ import annotations

import logging

import streamlit as st

from ..access import ACCESS_TITLE, access_inputs, compute_and_store_access
from ..formatting import format_date
from ..store import StoreError
from .data import own_store

log = logging.getLogger("zorgzaam")

FLASH_KEY = "gegevens_access_flash"  # (ok, text) of the last computation, shown once


def access_step() -> None:
    """State of the stored access result, what it would use, and a button to (re)compute it."""
    store = own_store()
    inputs = access_inputs(store)
    st.subheader("Bereikbaarheid per woonplaats")
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash is not None:
        (st.success if flash[0] else st.error)(flash[1])
    st.markdown(
        "Voor elke bewoonde hectarecel meet zorgzaam de afstand in rechte lijn tot de dichtstbijzijnde "
        "voorziening van elk type en tot een bushalte met genoeg vertrekken. Daaruit volgen de kaarten en "
        "cijfers van **Wat is er?** en **Wie vs wat** (bv. het aandeel 80-plussers zonder winkel op 1,2 km). "
        "Dat gebeurt op de lagen die je importeerde, samen:"
    )
    st.markdown("\n".join(f"- {line}" for line in inputs.lines()))
    if inputs.computed_at is None:
        st.info("Nog niet berekend voor de eigen gegevens.", icon=":material/info:")
    elif inputs.is_stale:
        st.warning(
            f"Berekend op {format_date(inputs.computed_at)}, maar er is daarna nog iets geïmporteerd: "
            "bereken opnieuw zodat de kaarten de nieuwe lagen gebruiken.",
            icon=":material/update:",
        )
    else:
        st.caption(f"{ACCESS_TITLE}: laatst berekend op {format_date(inputs.computed_at)} met de lagen hierboven.")
    if inputs.blocking:
        st.caption("Nog nodig voor de berekening: " + "; ".join(inputs.blocking) + ".")
    label = "Bereikbaarheid berekenen" if inputs.computed_at is None else "Opnieuw berekenen"
    if st.button(label, icon=":material/route:", disabled=bool(inputs.blocking), key="gegevens_bereikbaarheid"):
        with st.spinner("De afstanden per woonplaats worden berekend …"):
            try:
                summary = compute_and_store_access(store, None, inputs.population_period)
                st.session_state[FLASH_KEY] = (True, summary.text())
            except (ValueError, StoreError) as exc:
                st.session_state[FLASH_KEY] = (False, f"{exc} Er is niets veranderd.")
            except Exception:  # never a traceback on the page; the log has it
                log.exception("access computation failed")
                st.session_state[FLASH_KEY] = (
                    False,
                    "De berekening liep fout door een onverwachte fout. Er is "
                    "niets veranderd; meld het aan de beheerder.",
                )
        st.rerun()
