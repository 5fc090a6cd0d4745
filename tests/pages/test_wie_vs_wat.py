"""The "Wie vs wat" page (AppTest): the attention list and the zone line equal a recomputation from the store."""

from __future__ import annotations

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.pages.conftest import open_app_page
from zorgzaam.access import AccessSettings, lacks_access
from zorgzaam.demo import DEMO_ELZ_CODE, TINY_SECTOR, TOWN_CODE
from zorgzaam.engine import compute
from zorgzaam.formatting import format_number
from zorgzaam.store import Store

PAGE = "pages/wie_vs_wat.py"


def open_page(at: AppTest, **params: str) -> AppTest:
    return open_app_page(at, PAGE, **params)


def expected_frame(demo_db, measure: str, settings: AccessSettings, within=("gemeente", TOWN_CODE)) -> pd.DataFrame:
    """80+ per sector and the share of residents lacking access, recomputed independently of the page."""
    store = Store.open(demo_db)
    codes = store.sectors_within(within[0], [within[1]])
    places = store.place_access(codes)
    places = places.assign(lack=lacks_access(places, measure, settings))
    residents = places.groupby("statsec")["residents"].sum()
    lacking = places[places["lack"]].groupby("statsec")["residents"].sum().reindex(residents.index, fill_value=0)
    share = lacking / residents
    pop80 = compute(store, ["pct_80plus"], level="statsec", within=within).set_index("area_code")
    group = pop80["numerator"].where(pop80["status"] == "ok")
    out = pd.DataFrame({"share": share, "group": group.reindex(share.index)})
    out["lacking"] = out["group"] * out["share"]
    return out


def attention_codes(at: AppTest) -> list[str]:
    table = next(df.value for df in at.dataframe if "Te ver (schatting)" in df.value.columns)
    return list(table["Code"])


def test_attention_list_is_top_third_of_both_and_counts_are_estimates(app, demo_db):
    open_page(app)
    expected = expected_frame(demo_db, "basket", AccessSettings())
    store = Store.open(demo_db)
    rates = compute(store, ["pct_80plus"], level="statsec", within=("gemeente", TOWN_CODE)).set_index("area_code")
    need = rates["value"].where(rates["status"] == "ok").astype(float)
    known = need.dropna().index.intersection(expected["share"].dropna().index)
    # Top third by mid-rank of both variables (ties share a class).
    n = len(known)
    need_rank = need[known].rank(method="average")
    share_rank = expected.loc[known, "share"].round(9).rank(method="average")
    top = [
        c for c in known if np.floor(3 * (need_rank[c] - 0.5) / n) >= 2 and np.floor(3 * (share_rank[c] - 0.5) / n) >= 2
    ]
    codes = attention_codes(app)
    assert sorted(codes) == sorted(top)
    assert codes  # the demo has older rural sectors far from the basket
    table = next(df.value for df in app.dataframe if "Te ver (schatting)" in df.value.columns).set_index("Code")
    for code in codes:
        assert table.loc[code, "Te ver (schatting)"] == int(np.floor(expected.loc[code, "lacking"] + 0.5))
    # The list is ordered by the people concerned, most first.
    assert list(table["Te ver (schatting)"]) == sorted(table["Te ver (schatting)"], reverse=True)
    first = table.index[0]
    sentence = next(m.value for m in app.markdown if m.value.startswith("- In "))
    assert f"wonen {format_number(expected.loc[first, 'group'])} inwoners van 80+" in sentence
    assert "woont verder dan 1,2 km van het volledige basispakket" in sentence


def test_zone_share_is_a_ratio_of_sums(app, demo_db):
    open_page(app, wat="bus", bus_per_uur="2.0", bus_straal="500")
    zone = expected_frame(
        demo_db, "bus", AccessSettings(bus_min_per_hour=2.0, bus_radius=500), within=("elz", DEMO_ELZ_CODE)
    )
    known = zone.dropna(subset=["group", "lacking"])
    pooled = known["lacking"].sum() / known["group"].sum()
    headline = next(m.value for m in app.markdown if m.value.startswith("**Wie**"))
    assert f"{format_number(pooled * 100)} % van de inwoners van 80+ woont te ver" in headline
    assert "500 m van een bushalte met minstens 2 vertrekken per uur" in headline
    # A mean of the sector shares would differ: the ratio of sums is what is shown.
    assert not np.isclose(known["share"].mean(), pooled, atol=0.005)


def test_changing_wat_and_radius_changes_the_list_and_the_url(app, demo_db):
    open_page(app)
    before = attention_codes(app)
    app.selectbox(key="wat").set_value("cat:bakker+bus").run()
    app.selectbox(key="straal").set_value("800").run()
    assert app.query_params["wat"] == "cat:bakker+bus" and app.query_params["straal"] == "800"
    settings = AccessSettings(walk_radius=800)
    expected = expected_frame(demo_db, "cat:bakker+bus", settings)
    after = attention_codes(app)
    assert after != before
    for code in after:
        assert expected.loc[code, "share"] > 0  # listed sectors have people beyond both
    assert any(
        "verder dan 800 m van een bakker en 400 m van een bus die elk uur passeert" in m.value for m in app.markdown
    )


def test_hidden_80plus_stays_unknown_and_selected_sector_gets_its_sentence(app):
    open_page(app, sector=TINY_SECTOR)
    assert any(h.value.endswith(f"({TINY_SECTOR})") for h in app.subheader)
    caption = next(c.value for c in app.caption if "inwoners van 80+" in c.value and "In " in c.value)
    assert "niet gepubliceerd" in caption and " 0 inwoners" not in caption


def test_summary_questions_are_prefilled_and_notes_are_saved(app, demo_db):
    open_page(app)
    codes = attention_codes(app)
    answer = next(m.value for m in app.markdown if m.value.startswith("In gemeente"))
    assert f"vallen {len(codes)} statistische sectoren op" in answer
    key = next(t.key for t in app.text_area if t.key.endswith("_8.1"))
    app.text_area(key=key).input("Hulsdonk: winkelbus bespreken").run()
    store = Store.open(demo_db)
    notes = store.summary_notes("gemeente", TOWN_CODE, "2025")
    assert notes["8.1"] == "Hulsdonk: winkelbus bespreken"
    store.save_summary_note("gemeente", TOWN_CODE, "2025", "8.1", "")
