"""zorgzaam: the app's navigation. Pages live in pages/, the domain in zorgzaam/."""

import streamlit as st

from zorgzaam.ui.meeting_steps import PRESENTER_PATH, on_presenter_page
from zorgzaam.ui.poll_participant import PARTICIPANT_PATH, on_participant_page

st.set_page_config(page_title="zorgzaam", page_icon=":material/diversity_3:", layout="wide")

navigation = st.navigation(
    [
        st.Page("pages/start.py", title="Start", icon=":material/home:", url_path="start", default=True),
        st.Page("pages/wie_woont_er.py", title="Wie woont er?", icon=":material/groups:", url_path="wie-woont-er"),
        st.Page("pages/wat_is_er.py", title="Wat is er?", icon=":material/storefront:", url_path="wat-is-er"),
        st.Page("pages/wie_vs_wat.py", title="Wie vs wat", icon=":material/join_inner:", url_path="wie-vs-wat"),
        st.Page("pages/bouwstenen.py", title="Bouwstenen", icon=":material/checklist:", url_path="bouwstenen"),
        st.Page("pages/bijeenkomsten.py", title="Bijeenkomsten", icon=":material/event:", url_path="bijeenkomsten"),
        st.Page("pages/peiling.py", title="Peiling", icon=":material/how_to_vote:", url_path="peiling"),
        st.Page("pages/gegevens.py", title="Gegevens", icon=":material/upload_file:", url_path="gegevens"),
        # Participants reach this page only by link or QR code; they get no menu, only the questions.
        st.Page(
            "pages/meedoen.py",
            title="Meedoen",
            icon=":material/touch_app:",
            url_path=PARTICIPANT_PATH,
            visibility="hidden",
        ),
        # The big screen of a running meeting: opened from Bijeenkomsten, full width, no menu.
        st.Page(
            "pages/bijeenkomst.py",
            title="Bijeenkomst",
            icon=":material/co_present:",
            url_path=PRESENTER_PATH,
            visibility="hidden",
        ),
    ],
    position="hidden" if on_participant_page() or on_presenter_page() else "sidebar",
)
navigation.run()
