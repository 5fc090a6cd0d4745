"""Gegevens: which data the app shows, and importing the werkgroep's own files (preview first)."""

from __future__ import annotations

import streamlit as st

from zorgzaam.ui import access_sections
from zorgzaam.ui import import_sections as sections
from zorgzaam.ui.frame import page_guard

with page_guard():
    sections.open_page("Gegevens")
    sections.show_flash()
    sections.data_in_use()
    st.divider()
    sections.upload_explanation()
    sections.default_tag_mapping()
    files = sections.uploaded_files()
    if files:
        items = sections.show_previews(sections.planned(files))
        sections.mapping_step(items)
        sections.tag_mapping_step(items)
        sections.import_step(items)
    st.divider()
    access_sections.access_step()
    st.divider()
    sections.delete_step()
    sections.remembered_step()
