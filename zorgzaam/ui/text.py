"""Text from a participant, a werkgroep or a file, shown through Streamlit's Markdown as text."""

from __future__ import annotations

import string


def plain(text) -> str:
    """Text for Markdown (st.markdown, st.title, st.toast …), shown literally: ASCII punctuation as character
    references (no links, images, emphasis, HTML or Streamlit directives from a typed word)."""
    return "".join(f"&#{ord(ch)};" if ch in string.punctuation else ch for ch in str(text))
