"""zorgzaam: the app's navigation. Pages live in pages/, the domain in zorgzaam/."""

import streamlit as st

st.set_page_config(page_title="zorgzaam", page_icon=":material/diversity_3:", layout="wide")

navigation = st.navigation(
    [
        st.Page("pages/start.py", title="Start", icon=":material/home:", url_path="start", default=True),
        st.Page("pages/wie_woont_er.py", title="Wie woont er?", icon=":material/groups:", url_path="wie-woont-er"),
    ]
)
navigation.run()
