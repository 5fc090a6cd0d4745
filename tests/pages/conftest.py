"""Page tests: the real app.py in AppTest on the session's demo database, at the demo town."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO_ROOT
from zorgzaam.demo import DEMO_ELZ_CODE, TOWN_CODE
from zorgzaam.store import close_all


@pytest.fixture
def app(demo_db, monkeypatch):
    monkeypatch.setenv("ZORGZAAM_DB", str(demo_db))
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90)
    at.query_params["elz"] = DEMO_ELZ_CODE
    at.query_params["gemeente"] = TOWN_CODE
    yield at
    close_all()


def open_app_page(at: AppTest, page: str, **params: str) -> AppTest:
    """Switch to ``page`` with these URL parameters, run it, and fail on any exception or st.error."""
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at
