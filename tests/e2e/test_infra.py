"""Proves the browser-test machinery works: Debian Chromium launches, and a
Streamlit script served by start_streamlit renders in it."""

from __future__ import annotations

import textwrap

import pytest

from .conftest import open_app, start_streamlit, wait_for_text

pytestmark = pytest.mark.e2e


def test_chromium_launches(browser):
    page = browser.new_page()
    try:
        page.set_content("<h1>Hallo</h1>")
        assert page.locator("h1").inner_text() == "Hallo"
    finally:
        page.close()


def test_streamlit_script_renders(page, tmp_path):
    script = tmp_path / "mini_app.py"
    script.write_text(
        textwrap.dedent("""
        import os
        import streamlit as st

        st.title("Hallo zorgzame buurt")
        st.write("databank:", os.path.basename(os.environ["ZORGZAAM_DB"]))
        if st.button("Tel"):
            st.write("geteld")
    """)
    )
    with start_streamlit(script, tmp_path / "test.duckdb") as server:
        open_app(page, server.url)
        wait_for_text(page, "Hallo zorgzame buurt")
        wait_for_text(page, "test.duckdb")
        page.get_by_role("button", name="Tel").click()
        wait_for_text(page, "geteld")
