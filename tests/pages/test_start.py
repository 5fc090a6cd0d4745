"""The Start page (AppTest): shown numbers equal the engine's, references named, hidden stays x."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO_ROOT
from zorgzaam.catalogue import BUILTIN
from zorgzaam.comparisons import with_references
from zorgzaam.demo import DEMO_ELZ_CODE, DEMO_ELZ_NAME, TINY_SECTOR, TOWN_CODE
from zorgzaam.formatting import format_indicator
from zorgzaam.store import Store, close_all


@pytest.fixture
def app(demo_db, monkeypatch):
    monkeypatch.setenv("ZORGZAAM_DB", str(demo_db))
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    yield at
    close_all()


def expected(demo_db, gemeente: str, code: str) -> dict[str, str]:
    result, refs = with_references(Store.open(demo_db), [code], "gemeente", gemeente)
    ind = BUILTIN.indicator(code)
    out = {}
    for row in result.itertuples():
        out[row.role] = format_indicator(ind, row.value, row.status)
    return out


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def card_text(at: AppTest, reference: str) -> list[str]:
    return [m.value for m in at.markdown if reference in m.value]


def test_start_shows_the_engine_values_beside_zone_and_flanders(app, demo_db):
    app.query_params["gemeente"] = TOWN_CODE
    app.run()
    assert not app.exception and not app.error
    want = expected(demo_db, TOWN_CODE, "pct_80plus")
    assert metric(app, "% 80-plussers") == want["gebied"]
    zone_label = f"gemiddelde eerstelijnszone {DEMO_ELZ_NAME}"
    lines = card_text(app, zone_label)
    assert any(
        f"{zone_label}: **{want[zone_label]}**" in text and f"Vlaanderen: **{want['Vlaanderen']}**" in text
        for text in lines
    )
    inhabitants = expected(demo_db, TOWN_CODE, "pop_total")["gebied"]
    assert f"{metric(app, 'Aantal inwoners')} inwoners" == inhabitants  # the label carries the unit


def test_the_choice_comes_from_the_url_and_changes_the_figures(app, demo_db):
    store = Store.open(demo_db)
    municipalities = store.areas("gemeente", within=("elz", DEMO_ELZ_CODE))
    other = municipalities[municipalities["code"] != TOWN_CODE].iloc[0]
    app.query_params["gemeente"] = other["code"]
    app.run()
    assert any(f"Gemeente {other['name']}" in m.value for m in app.markdown)
    assert metric(app, "% 65-plussers") == expected(demo_db, other["code"], "pct_65plus")["gebied"]
    app.selectbox(key="gemeente").set_value(TOWN_CODE).run()
    assert metric(app, "% 65-plussers") == expected(demo_db, TOWN_CODE, "pct_65plus")["gebied"]
    assert app.query_params["gemeente"] == [TOWN_CODE] or app.selectbox(key="gemeente").value == TOWN_CODE


def test_hidden_sector_shows_x_and_small_sector_flag(app):
    app.query_params["gemeente"] = TOWN_CODE
    app.run()
    table = app.dataframe[0].value.set_index("Code")
    assert table.loc[TINY_SECTOR, "% 80+"] == "x"
    assert table.loc[TINY_SECTOR, ""] == "⚠"
    assert (table["% 80+"] != "0,0 %").all()


def test_the_demo_is_labelled_fictional(app):
    app.run()
    assert any("fictief" in i.value for i in app.sidebar.info)
    assert any("fictief" in m.value for m in app.markdown)


def test_own_data_with_areas_but_no_figures_says_what_to_import(tmp_path, demo_db, monkeypatch):
    own = tmp_path / "own.duckdb"
    store = Store.open(own)
    store.import_dataset(
        "gebiedsindeling-test",
        title="Gebiedsindeling",
        source="Provincies in Cijfers",
        period_label="2024",
        areas=pd.DataFrame(
            {
                "level": ["elz", "gemeente", "statsec"],
                "code": ["elz53", "23003", "23003A001"],
                "name": ["Zennevallei", "Beersel", "Beersel-Kern"],
            }
        ),
        area_parents=pd.DataFrame(
            {
                "level": ["gemeente", "statsec"],
                "code": ["23003", "23003A001"],
                "parent_level": ["elz", "gemeente"],
                "parent_code": ["elz53", "23003"],
            }
        ),
    )
    close_all()
    monkeypatch.setenv("ZORGZAAM_DB", str(own))
    monkeypatch.setenv("ZORGZAAM_DEMO_DB", str(demo_db))
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90)
    at.switch_page("pages/start.py")
    at.run()
    assert not at.exception and not at.error
    assert at.sidebar.selectbox(key="elz").value == "elz53"  # the own data, not the demo
    assert any("nog geen inwonersaantallen" in i.value for i in at.info)
    assert any("Gebiedsindeling" in m.value and "periode 2024" in m.value for m in at.markdown)
    assert not at.metric  # no key figures invented
    close_all()
