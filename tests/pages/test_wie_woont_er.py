"""The "Wie woont er?" page (AppTest): every value shown equals the engine's; state in the URL."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO_ROOT
from tests.pages.conftest import open_app_page
from zorgzaam.catalogue import BUILTIN
from zorgzaam.comparisons import with_references
from zorgzaam.demo import DEMO_ELZ_CODE, DEMO_ELZ_NAME, TINY_SECTOR, TOWN_CODE
from zorgzaam.engine import compute
from zorgzaam.formatting import format_indicator, format_number
from zorgzaam.signals import SignalRule, evaluate, signal_indicators, signal_matrix, summarise
from zorgzaam.store import Store

PAGE = "pages/wie_woont_er.py"
SECTOR = f"{TOWN_CODE}A05-"


def open_page(at: AppTest, **params: str) -> AppTest:
    return open_app_page(at, PAGE, **params)


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    return next(df.value for df in at.dataframe if column in df.value.columns)


def engine_sectors(demo_db, code: str, within=("gemeente", TOWN_CODE)) -> pd.DataFrame:
    result = compute(Store.open(demo_db), [code], level="statsec", within=within)
    return result.set_index("area_code")


def test_headline_names_each_reference_with_the_engine_value(app, demo_db):
    open_page(app, indicator="pct_alone_75plus")
    result, _ = with_references(Store.open(demo_db), ["pct_alone_75plus"], "gemeente", TOWN_CODE)
    ind = BUILTIN.indicator("pct_alone_75plus")
    texts = {row.role: format_indicator(ind, row.value, row.status) for row in result.itertuples()}
    headline = next(m.value for m in app.markdown if m.value.startswith(f"**{ind.label}**"))
    assert f"gemeente Heidebeek: **{texts['gebied']}**" in headline
    assert (
        f"gemiddelde eerstelijnszone {DEMO_ELZ_NAME}: **{texts[f'gemiddelde eerstelijnszone {DEMO_ELZ_NAME}']}**"
        in headline
    )
    assert f"Vlaanderen: **{texts['Vlaanderen']}**" in headline
    assert "tot en met 2025" in headline and "Bron:" in headline


def test_ranking_table_shows_every_sector_value_and_counts_from_the_engine(app, demo_db):
    open_page(app, indicator="pct_single_person_hh")
    ind = BUILTIN.indicator("pct_single_person_hh")
    table = table_with(app, ind.label).set_index("Code")
    want = engine_sectors(demo_db, ind.code)
    assert set(table.index) == set(want.index)
    for code, row in want.iterrows():
        assert table.loc[code, ind.label] == format_indicator(ind, row["value"], row["status"])
        if row["status"] == "ok":
            assert (
                table.loc[code, "Teller / noemer"]
                == f"{format_number(row['numerator'])} / {format_number(row['denominator'])}"
            )
    assert table.loc[TINY_SECTOR, ind.label] == "x"
    assert table.loc[TINY_SECTOR, ""] == "⚠"
    ranks = table.dropna(subset=["Rang"]).sort_values("Rang")
    values = [want.loc[c, "value"] for c in ranks.index]
    assert values == sorted(values, reverse=True)


def test_sector_from_the_url_opens_its_profile_with_engine_values(app, demo_db):
    open_page(app, sector=SECTOR, indicator="pct_80plus")
    name = Store.open(demo_db).find_area(SECTOR, "statsec")["name"].iloc[0]
    assert any(s.value == f"Sector {name} ({SECTOR})" for s in app.subheader)
    profile = table_with(app, "Sector").set_index("Indicator")
    result, refs = with_references(Store.open(demo_db), ["pct_alone_75plus", "pct_tenants"], "statsec", SECTOR)
    for code in ("pct_alone_75plus", "pct_tenants"):
        ind = BUILTIN.indicator(code)
        rows = result[result["indicator"] == code]
        own = rows[rows["role"] == "gebied"].iloc[0]
        zone = rows[rows["area_level"] == "elz"].iloc[0]
        assert profile.loc[ind.label, "Sector"] == format_indicator(ind, own["value"], own["status"])
        assert profile.loc[ind.label, f"eerstelijnszone {DEMO_ELZ_NAME}"] == format_indicator(
            ind, zone["value"], zone["status"]
        )
    assert app.query_params["sector"] == SECTOR


def test_the_selection_survives_a_page_change(app):
    open_page(app, sector=SECTOR)
    app.switch_page("pages/start.py").run()
    assert not app.exception
    app.switch_page(PAGE).run()
    assert any(SECTOR in s.value for s in app.subheader)
    assert app.query_params["sector"] == SECTOR


def test_an_unknown_sector_in_the_url_changes_nothing(app):
    open_page(app, sector="99999Z99-")
    assert not any(s.value.startswith("Sector ") for s in app.subheader)
    assert "sector" not in app.query_params


def test_changing_the_indicator_updates_table_and_url(app, demo_db):
    open_page(app)
    app.selectbox(key="indicator").set_value("pct_tenants").run()
    ind = BUILTIN.indicator("pct_tenants")
    table = table_with(app, ind.label).set_index("Code")
    want = engine_sectors(demo_db, ind.code)
    code = want.index[0]
    assert table.loc[code, ind.label] == format_indicator(ind, want.loc[code, "value"], want.loc[code, "status"])
    assert app.query_params["indicator"] == "pct_tenants"


def test_deviation_legend_is_centred_on_the_care_zone_value(app, demo_db):
    open_page(app, indicator="pct_80plus", indeling="afwijking_elz")
    zone = compute(Store.open(demo_db), ["pct_80plus"], areas=[("elz", DEMO_ELZ_CODE)])["value"].iloc[0]
    legend = next(m.value for m in app.markdown if "zz-legend" in m.value)
    bound = format_indicator(BUILTIN.indicator("pct_80plus"), zone * 1.25)
    assert f"≥ 25 % hoger dan de eerstelijnszone (≥ {bound})" in legend
    assert "binnen 10 %" in legend


def test_signal_table_counts_follow_the_rule_shown(app, demo_db):
    open_page(app)
    store = Store.open(demo_db)
    codes = [i.code for i in signal_indicators()]
    sectors = compute(store, codes, level="statsec", within=("elz", DEMO_ELZ_CODE))
    zone = compute(store, codes, areas=[("elz", DEMO_ELZ_CODE)]).set_index("indicator")["value"]
    matrix = signal_matrix(
        summarise(evaluate(sectors, zone, SignalRule())), store.sectors_within("gemeente", [TOWN_CODE])
    )
    table = table_with(app, "Eenzaamheid").set_index("Code")
    # Every demo sector has data for these signals, except the tiny one whose values are all hidden: "-", never 0.
    want = matrix.loc[table.index].astype(str)
    want.loc[TINY_SECTOR] = "-"
    assert (table["Eenzaamheid"] == want["eenzaamheid"]).all()
    assert (table["Kansen"] == want["kans"]).all()
    assert table.loc[TINY_SECTOR, "Eenzaamheid"] == "-"
    assert matrix["eenzaamheid"].sum() > 0  # the demo raises some signals: the comparison is not vacuous
    assert any("minstens **1,25 ×**" in m.value for m in app.markdown)
    # a stricter rule raises fewer signals
    app.number_input(key="factor").set_value(2.0).run()
    strict = sum(int(v) for v in table_with(app, "Eenzaamheid")["Eenzaamheid"] if v != "-")
    assert strict < matrix["eenzaamheid"].sum()


def test_summary_notes_are_saved_in_the_store_per_municipality_and_period(app, demo_db):
    open_page(app)
    key = f"note_gemeente_{TOWN_CODE}_2025_eenzaamheid"
    app.text_area(key=key).input("Veel alleenwonende 75-plussers in het centrum: verkennen met het LDC.").run()
    assert not app.exception
    notes = Store.open(demo_db).summary_notes("gemeente", TOWN_CODE, "2025")
    assert notes["eenzaamheid"].startswith("Veel alleenwonende 75-plussers")
    # a new session finds the note again
    fresh = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90)
    fresh.query_params["gemeente"] = TOWN_CODE
    open_page(fresh)
    assert fresh.text_area(key=key).value.startswith("Veel alleenwonende 75-plussers")
    Store.open(demo_db).save_summary_note("gemeente", TOWN_CODE, "2025", "eenzaamheid", "")


def test_whole_care_zone_view_ranks_every_sector_of_the_zone(app, demo_db):
    open_page(app, bereik="elz", indicator="pct_65plus")
    table = table_with(app, "% 65-plussers")
    assert len(table) == len(Store.open(demo_db).sectors_within("elz", [DEMO_ELZ_CODE]))


def test_cube_of_the_selected_sector_adds_up_to_its_inhabitants(app, demo_db):
    open_page(app, sector=SECTOR)
    cube = next(df.value for df in app.dataframe if "Alleenwonend" in df.value.columns)
    total = cube.loc[("Totaal", ""), "Totaal"] if isinstance(cube.index, pd.MultiIndex) else cube.iloc[-1]["Totaal"]
    pop = compute(Store.open(demo_db), ["pop_total"], areas=[("statsec", SECTOR)])["value"].iloc[0]
    assert total == format_number(pop)


def test_cube_with_a_hidden_sector_shows_x_not_a_partial_sum(app):
    open_page(app, sector=TINY_SECTOR)
    cube = next(df.value for df in app.dataframe if "Totaal" in df.value.columns)
    assert (cube.to_numpy() == "x").all()


def test_nonsense_in_the_url_falls_back_to_defaults(app):
    open_page(app, indicator="drop table", periode="1900", indeling="mooi", bereik="heel-belgie", sector="x")
    assert app.query_params["indicator"] == "pct_80plus"
    assert app.query_params["periode"] == "2025"
    assert app.query_params["indeling"] == "kwantielen"
    assert app.query_params["bereik"] == "gemeente"
    assert "sector" not in app.query_params


def test_a_count_is_not_coloured_as_a_deviation_from_the_zone_total(app):
    open_page(app, indicator="pop_total", indeling="afwijking_elz")
    assert any("de kaart toont daarom kwantielen" in i.value for i in app.info)
    legend = next(m.value for m in app.markdown if "zz-legend" in m.value)
    assert "Kwantielen" in legend and "hoger dan de eerstelijnszone" not in legend


def test_cube_without_a_sector_uses_the_published_municipal_totals(app, demo_db):
    open_page(app)
    cube = next(df.value for df in app.dataframe if "Alleenwonend" in df.value.columns)
    pop = compute(Store.open(demo_db), ["pop_total"], areas=[("gemeente", TOWN_CODE)])["value"].iloc[0]
    assert cube.iloc[-1]["Totaal"] == format_number(pop)  # complete, although one sector is hidden
    assert any("de hele gemeente Heidebeek" in c.value for c in app.caption)


def test_an_indicator_built_from_derived_counts_has_its_periods(app, demo_db):
    open_page(app, indicator="mantelzorgratio")
    assert not any("nog geen cijfers" in i.value for i in app.info)
    assert app.query_params["periode"] == "2025"
    ind = BUILTIN.indicator("mantelzorgratio")
    table = table_with(app, ind.label).set_index("Code")
    want = engine_sectors(demo_db, ind.code)
    code = want.index[1]
    assert table.loc[code, ind.label] == format_indicator(ind, want.loc[code, "value"], want.loc[code, "status"])


def test_clearing_the_selection_closes_the_profile(app):
    open_page(app, sector=SECTOR)
    clear = next(b for b in app.button if b.label == "Selectie wissen")
    clear.click().run()
    assert not any(s.value.startswith("Sector ") for s in app.subheader)
    assert "sector" not in app.query_params
    app.run()  # and it stays cleared on the next rerun
    assert not any(s.value.startswith("Sector ") for s in app.subheader)


def test_access_indicators_are_on_the_map_like_any_other(app, demo_db):
    open_page(app, indicator="pct_80plus_no_basket_1200m")
    ind = BUILTIN.indicator("pct_80plus_no_basket_1200m")
    table = table_with(app, ind.label).set_index("Code")
    want = engine_sectors(demo_db, ind.code)
    for code, row in want.iterrows():
        assert table.loc[code, ind.label] == format_indicator(ind, row["value"], row["status"])
    # 80+ of the tiny sector is hidden: so is its estimate without access, never 0.
    assert table.loc[TINY_SECTOR, ind.label] == "x"
    result, _ = with_references(Store.open(demo_db), [ind.code], "gemeente", TOWN_CODE)
    zone = result[result["area_level"] == "elz"].iloc[0]
    headline = next(m.value for m in app.markdown if m.value.startswith(f"**{ind.label}**"))
    assert f"{format_indicator(ind, zone['value'], zone['status'])}" in headline
    assert zone["status"] == "ok"  # a ratio of sums over the zone, despite one hidden sector


def test_a_changed_small_sector_threshold_lives_in_the_url(app):
    at = open_page(app, klein="400")
    assert at.sidebar.number_input(key="klein").value == 400
    assert at.query_params["klein"] == "400"
    at.sidebar.number_input(key="klein").set_value(100).run()  # back to the default: not in the link
    assert "klein" not in at.query_params


@pytest.mark.parametrize("kind", ["absent", "flat"])
def test_signals_tab_says_no_data_not_zero_when_the_indicators_are_absent(tmp_path, monkeypatch, kind):
    from tests.helpers import SECTORS, signal_store
    from zorgzaam.store import close_all

    signal_store(tmp_path / "signals.duckdb", kind)
    close_all()
    monkeypatch.setenv("ZORGZAAM_DB", str(tmp_path / "signals.duckdb"))
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90)
    at.query_params["elz"] = "elz1"
    at.query_params["gemeente"] = "11111"
    open_page(at, sector="11111A00-")
    table = table_with(at, "Eenzaamheid").set_index("Code")
    assert set(table.index) == {c for c in SECTORS if c.startswith("11111")}
    texts = [m.value for m in at.markdown]
    sector_lines = next(t for t in texts if t.startswith("- **Eenzaamheid**: "))
    questions = "\n".join(t for t in texts if "Geen" in t)
    if kind == "absent":
        assert (table[["Eenzaamheid", "Kansen"]] == "-").all().all()  # not 0
        assert (
            "- **Kansen**: geen gegevens: importeer leeftijd en herkomst per sector (bv. uit Provincies in "
            "Cijfers)" in sector_lines
        )
        assert any(i.value.startswith("Geen gegevens voor Eenzaamheid") for i in at.info)
        assert "Geen gegevens: importeer leeftijd en herkomst per sector" in questions  # 2.4
        assert "Geen sectoren vallen op" not in questions and "valt op volgens deze regel" not in questions
    else:
        assert (table[["Eenzaamheid", "Kansen"]] == "0").all().all()
        assert sector_lines.startswith("- **Eenzaamheid**: geen signaal\n")
        assert "Geen sectoren vallen op volgens de huidige regel." in questions
        assert not any(i.value.startswith("Geen gegevens") for i in at.info)
    close_all()


def test_an_own_indicators_label_is_text_in_the_map_tooltip(demo_db, tmp_path, monkeypatch):
    import json
    import shutil

    from zorgzaam.catalogue import extra_indicator
    from zorgzaam.store import close_all

    close_all()
    path = tmp_path / "own.duckdb"
    shutil.copy(demo_db, path)
    store = Store.open(path)
    base, ind = extra_indicator("<img src=x onerror=alert(1)> tellers", "aansluitingen")
    store.save_user_indicator(base, ind)
    sectors = store.sectors_within("gemeente", [TOWN_CODE])
    obs = pd.DataFrame(
        {"area_level": "statsec", "area_code": sectors, "variable": base.code, "period": "2025", "value": 3.0}
    ).assign(status="ok")
    store.replace_dataset("eigen", title="Eigen", source="eigen bestand", observations=obs)
    monkeypatch.setenv("ZORGZAAM_DB", str(path))
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90)
    at.query_params["elz"] = DEMO_ELZ_CODE
    at.query_params["gemeente"] = TOWN_CODE
    at.session_state["indicator"] = ind.code
    open_page(at)
    chart = next(el.proto for el in at.get("deck_gl_json_chart") if "sectoren" in el.proto.json)
    html = json.loads(chart.tooltip)["html"]
    assert "&lt;img src=x onerror=alert(1)&gt; tellers: <b>{waarde}</b>" in html
    assert "<img" not in html
    close_all()
