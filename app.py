"""zorgzaam: the app's navigation. Pages live in pages/, the domain in zorgzaam/."""

import streamlit as st

st.set_page_config(page_title="zorgzaam", page_icon=":material/diversity_3:", layout="wide")

navigation = st.navigation(
    [
        st.Page("pages/start.py", title="Start", icon=":material/home:", url_path="start", default=True),
    ]
)
navigation.run()
