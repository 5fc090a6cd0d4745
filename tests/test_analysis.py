"""A care zone analysed (zorgzaam.analysis): a hand-made zone checked by hand, then the demo zone as every surface
shows it (the Wie woont er? signals tab, the profile, the samenvattende tabel and a meeting's prefills all read
the same ZoneAnalysis)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.helpers import HIDDEN, SECTOR_1, SECTORS, STANDS_OUT, make_store, signal_rows
from zorgzaam.analysis import AnalysisChoice, analyse
from zorgzaam.engine import EngineError
from zorgzaam.signals import NO_DATA, NOT_RAISED, RAISED, SignalRule, raised_details, signal_count_text
from zorgzaam.store import PLACE_ACCESS_COLUMNS, Store, close_all
from zorgzaam.summary import QUESTIONS, StandOut

SMALL = "22222A00-"  # 50 inhabitants in the zone below
OTHER = "11111A00-"  # SECTOR_1 as it is: 7 % 80-plussers
# SECTOR_1 ÷ 20 (every rate the same), but 5 of 80-89: 5,5 of 80+ in 50 inhabitants, 11 %.
SMALL_ROWS = {**{k: v / 20 for k, v in SECTOR_1.items()}, "pop_age_80_89": 5}


def _question(number: str):
    return next(q for q in QUESTIONS if q.number == number)


def _places(far: set[str]) -> pd.DataFrame:
    """One inhabited place per sector of the zone; those in ``far`` 2 km from the basic basket, the others 100 m."""
    codes = list(SECTORS)
    frame = pd.DataFrame({c: [0.0] * len(codes) for c in PLACE_ACCESS_COLUMNS})
    frame["x"] = [150_050.0 + 100 * k for k in range(len(codes))]
    frame["y"] = 200_050.0
    frame["statsec"] = codes
    frame["residents"] = 100.0
    frame["settlement"] = "kern"
    for c in PLACE_ACCESS_COLUMNS:
        if c.startswith(("n400_", "n1200_")):
            frame[c] = 0
    frame["dist_basket"] = [2000.0 if c in far else 100.0 for c in codes]
    return frame


@pytest.fixture
def zone(tmp_path):
    """The zone of tests.helpers ("elz1", municipalities 11111 and 22222):

    * ``OTHER`` (11111A00-): SECTOR_1, 1.000 inhabitants of whom 70 are 80+ (7 %);
    * ``HIDDEN`` (11111A01-): every count hidden ("x");
    * ``SMALL`` (22222A00-): SECTOR_1 ÷ 20 with 5 of 80-89: 50 inhabitants, 11 % 80-plussers;
    * ``STANDS_OUT`` (22222A012): SECTOR_1 with 200 of 80-89, so 210 of 80+ in 1.000 (21 %);
    * the care zone's published totals: 4 × SECTOR_1 plus 140 of 80-89, so 420 of 80+ in 4.000 (10,5 %).

    Only ``STANDS_OUT`` lives far (2 km) from the basic basket.
    """
    rows = signal_rows("raised")
    rows[("statsec", SMALL)] = SMALL_ROWS
    store = make_store(tmp_path / "zone.duckdb", rows)
    store.replace_place_access("test", _places({STANDS_OUT}))
    yield store
    close_all()


def test_zone_references_population_and_small_flags(zone):
    a = analyse(zone, AnalysisChoice())
    assert (a.elz_code, a.elz_name, a.period) == ("elz1", "Testzone", "2025")
    assert a.view_label == "eerstelijnszone Testzone" and a.zone_label == "gemiddelde eerstelijnszone Testzone"
    assert a.view_codes == sorted(SECTORS) == a.scope_codes
    # The zone's published totals: 420 / 4.000 × 100; 80-89 alone: (4 × 60 + 140) / 4.000 × 100.
    assert a.zone_values["pct_80plus"] == pytest.approx(10.5)
    assert a.zone_values["pct_age_80_89"] == pytest.approx(9.5)
    assert a.population.drop(HIDDEN).to_dict() == {OTHER: 1000.0, SMALL: 50.0, STANDS_OUT: 1000.0}
    assert pd.isna(a.population[HIDDEN])  # hidden, never 0
    # 50 < 100 is small; a hidden count is small too; 1.000 is not.
    assert a.small.to_dict() == {OTHER: False, HIDDEN: True, SMALL: True, STANDS_OUT: False}
    assert a.small_codes() == [HIDDEN, SMALL]
    assert analyse(zone, AnalysisChoice(small_threshold=1001)).small_codes() == sorted(SECTORS)


def test_signals_raised_not_raised_and_no_data(zone):
    a = analyse(zone, AnalysisChoice())
    row = a.evaluation[(a.evaluation["area_code"] == STANDS_OUT) & (a.evaluation["indicator"] == "pct_80plus")]
    # Threshold 1,25 × 10,5 % = 13,125 %: 21 % raises it, 7 % and 11 % do not.
    assert row["threshold"].iloc[0] == pytest.approx(13.125) and row["value"].iloc[0] == pytest.approx(21.0)
    assert row["raised"].all()
    small_80 = (SMALL_ROWS["pop_age_80_89"] + SMALL_ROWS["pop_age_90plus"]) / SMALL_ROWS["pop_total"] * 100
    assert small_80 == 11.0
    for code, value in ((OTHER, 7.0), (SMALL, small_80)):
        mine = a.evaluation[(a.evaluation["area_code"] == code) & (a.evaluation["indicator"] == "pct_80plus")]
        assert mine["value"].iloc[0] == pytest.approx(value) and not mine["raised"].any()
    # 80-89 (20 % ≥ 11,875 %) and 80+ raise loneliness; internal ageing (210 / 210 = 100 against 420 / 840 = 50)
    # only the need for care.
    assert a.raised_indicators(STANDS_OUT) == {"pct_age_80_89", "pct_80plus", "interne_vergrijzing"}
    assert a.states.state(STANDS_OUT, "eenzaamheid") == RAISED
    assert a.states.state(OTHER, "eenzaamheid") == NOT_RAISED
    assert {a.states.state(HIDDEN, s) for s in ("eenzaamheid", "zorgnood", "kans")} == {NO_DATA}
    lines = dict(a.signal_lines(STANDS_OUT))
    assert lines["Eenzaamheid"] == (
        "% 80-89 jaar 20,0 % (gemiddelde eerstelijnszone Testzone: 9,5 %); "
        "% 80-plussers 21,0 % (gemiddelde eerstelijnszone Testzone: 10,5 %)"
    )
    assert dict(a.signal_lines(OTHER))["Eenzaamheid"] == "geen signaal"
    assert dict(a.signal_lines(HIDDEN))["Eenzaamheid"].startswith("geen gegevens: ")
    assert a.signal_summary(HIDDEN).startswith("Geen gegevens: ")
    # A stricter rule: 2,1 × 10,5 % = 22,05 % is more than 21 %.
    assert "pct_80plus" not in analyse(zone, AnalysisChoice(rule=SignalRule(factor=2.1))).raised_indicators(STANDS_OUT)


def test_standouts_of_the_summary_questions(zone):
    a = analyse(zone, AnalysisChoice())
    assert a.standouts(_question("2.2")) == [
        StandOut(STANDS_OUT, f"Sector {STANDS_OUT}", "% 80-89 jaar, % 80-plussers", 2)
    ]
    assert a.standouts(_question("2.3"))[0].text == "% 80-89 jaar, % 80-plussers, Interne vergrijzing"
    # 2.1: the highest % 80-plussers; the small sector's 11 % is skipped (few inhabitants), so 7 % is second.
    lines = a.question_text(_question("2.1")).split("\n")
    assert (
        "- Hoogste % 80-plussers: Sector 22222A012 21,0 %, Sector 11111A00- 7,0 % "
        "(gemiddelde eerstelijnszone Testzone: 10,5 %)" in lines
    )
    assert not any(SMALL in line for line in lines)
    # The hidden sector is said to have no data, never "nothing stands out".
    assert a.question_text(_question("2.2")).endswith("- Geen gegevens voor 1 van de 4 sectoren: Sector 11111A01-.")
    # A municipality's view: only its sectors, the other municipality's standout is not named.
    town = analyse(zone, AnalysisChoice(municipality="11111"))
    assert town.view_codes == [OTHER, HIDDEN] and town.view_label == "gemeente Eenstad"
    assert town.standouts(_question("2.2")) == []
    assert town.question_text(_question("2.2")) == (
        "Geen sectoren vallen op volgens de huidige regel.\nGeen gegevens voor 1 van de 2 sectoren: Sector 11111A01-."
    )


def test_an_incomplete_zone_total_never_enters_a_signal(tmp_path):
    rows = signal_rows("raised")
    del rows[("elz", "elz1")]  # no published zone total: the sum is blocked by the hidden sector
    store = make_store(tmp_path / "incomplete.duckdb", rows)
    try:
        a = analyse(store, AnalysisChoice())
        zone_row = a.zone_rows.set_index("indicator").loc["pct_80plus"]
        assert zone_row["status"] == "onvolledig"
        assert zone_row["approx"] == pytest.approx((70 + 70 + 210) / 3000 * 100)  # the three known sectors
        assert pd.isna(a.zone_values["pct_80plus"])
        assert a.raised_indicators(STANDS_OUT) == set()
        assert a.states.state(STANDS_OUT, "eenzaamheid") == NO_DATA  # nothing to compare with: not "geen signaal"
    finally:
        close_all()


def test_the_default_wie_vs_wat(zone):
    a = analyse(zone, AnalysisChoice())
    assert a.mismatch_gap == ""
    rows = a.mismatch.set_index("statsec")
    assert rows.loc[STANDS_OUT, "lack_share"] == 1.0 and rows.loc[OTHER, "lack_share"] == 0.0
    assert rows.loc[STANDS_OUT, "group_count"] == 210
    # Top third for both % 80-plussers and living far from the basket: only STANDS_OUT.
    assert list(a.attention()["statsec"]) == [STANDS_OUT]
    sentences = a.mismatch_sentences()
    assert sentences[STANDS_OUT].startswith(f"In Sector {STANDS_OUT} wonen 210 inwoners van 80+; 100 % van hen woont")
    assert sentences[HIDDEN] == "Niet te bepalen: % 80-plussers is verborgen door de bron (te klein)."
    assert OTHER not in sentences  # does not stand out
    answers = a.mismatch_answers()
    assert answers["8.1"].startswith("In eerstelijnszone Testzone valt 1 statistische sector op")
    assert f"Sector {STANDS_OUT}" in answers["8.2"]


def test_no_wie_vs_wat_says_why(tmp_path):
    no_access = make_store(tmp_path / "no_access.duckdb", signal_rows("flat"))
    try:
        a = analyse(no_access, AnalysisChoice())
        assert a.mismatch is None and a.access_period is None
        assert a.mismatch_gap == (
            "Geen gegevens: er is nog geen bereikbaarheid per woonplaats berekend (pagina Gegevens)."
        )
        assert a.mismatch_answers() == {"8.1": a.mismatch_gap, "8.2": a.mismatch_gap}
        assert a.attention().empty
    finally:
        close_all()
    absent = make_store(tmp_path / "absent.duckdb", signal_rows("absent"))
    try:
        a = analyse(absent, AnalysisChoice())
        assert a.signal_codes == () and a.evaluation.empty
        assert a.mismatch_gap == "Geen gegevens: importeer leeftijd per sector (bv. uit Provincies in Cijfers)."
        assert set(a.states.frame["state"]) == {NO_DATA}
        assert a.question_text(_question("2.4")) == (
            "Geen gegevens: importeer leeftijd en herkomst per sector (bv. uit Provincies in Cijfers)."
        )
    finally:
        close_all()


def test_notes_and_unknown_areas(zone):
    zone.save_summary_note("gemeente", "11111", "2025", "eenzaamheid", "Verkennen met het LDC.")
    zone.save_summary_note("statsec", STANDS_OUT, "2025", "wie", "Het woonzorgcentrum.")
    zone.save_summary_note("gemeente", "11111", "2020", "wie", "Een ander jaar.")
    a = analyse(zone, AnalysisChoice())
    assert a.notes_of("gemeente", "11111") == {"eenzaamheid": "Verkennen met het LDC."}
    assert a.notes_of("statsec", STANDS_OUT) == {"wie": "Het woonzorgcentrum."}
    assert a.notes_of("gemeente", "11111", "2020") == {}  # not a period of this analysis
    assert set(a.notes["number"]) == {"2.1", "2.2"}
    with pytest.raises(EngineError, match="bestaat niet"):
        analyse(zone, AnalysisChoice(municipality="99999"))
    with pytest.raises(EngineError, match="ligt niet in"):
        analyse(zone, AnalysisChoice(sectors=("99999A00-",)))


def test_the_choice_is_frozen_and_a_cache_key():
    choice = AnalysisChoice(municipality="11111", sectors=["b", "a", "b"], period=2025)
    assert choice.sectors == ("b", "a") and choice.period == "2025"
    assert hash(choice) == hash(AnalysisChoice(municipality="11111", sectors=("b", "a"), period="2025"))
    with pytest.raises(AttributeError):
        choice.period = "2020"  # type: ignore[misc]


# --------------------------------------------------------------------------- every surface reads the analysis


@pytest.fixture(scope="module")
def demo(demo_db):
    from zorgzaam.demo import DEMO_ELZ_CODE, TOWN_CODE

    store = Store.open(demo_db)
    analysis = analyse(store, AnalysisChoice(elz=DEMO_ELZ_CODE, municipality=TOWN_CODE, period="2025"))
    assert analysis.summary["area_code"].isin(analysis.view_codes).any()  # the demo raises signals in the town
    yield store, analysis


def test_the_profile_shows_the_analysis_signals(demo):
    from zorgzaam.reports.profile import build_profiles

    store, a = demo
    doc = build_profiles(store, municipality=a.municipality, period="2025", with_maps=False)
    town, *sectors = doc.sections
    assert [(x.signal, x.text) for x in town.signals] == a.view_signal_lines()
    assert [s.code for s in sectors] == a.view_codes
    for section in sectors:
        assert [(x.signal, x.text) for x in section.signals] == a.signal_lines(section.code)
        assert {r.indicator for r in section.figures if r.signal} == a.raised_indicators(section.code) & {
            r.indicator for r in section.figures
        }
    prefills = {n.question.split(" ")[0]: n.prefill for n in town.notes}
    for q in QUESTIONS:
        assert prefills[q.number] == a.question_text(q, markdown=False)


def test_the_summary_table_rows_show_the_analysis_signals(demo):
    from zorgzaam.reports.summary_table import summary_rows

    store, a = demo
    rows = summary_rows(store, a.municipality, period="2025").set_index("code")
    assert list(rows.index) == a.view_codes
    for code in a.view_codes:
        assert rows.loc[code, "signals"] == a.signal_summary(code)
        assert rows.loc[code, "signal_details"] == raised_details(a.raised(code), a.rule, a.zone_label, a.catalogue)
        n = rows.loc[code, "n_signal_indicators"]
        assert n == (
            "-"
            if all(a.states.state(code, s) == NO_DATA for s in a.states.frame["signal"].unique())
            else len(a.raised_indicators(code))
        )
    assert rows["n_signal_indicators"].map(lambda v: v != "-" and v > 0).any()


def test_the_meeting_prefills_are_the_analysis_standouts(demo):
    from zorgzaam.meeting_content import summary_prefills

    store, a = demo
    prefills = summary_prefills(store, a.municipality, [])
    for q in QUESTIONS:
        assert prefills[q.number] == a.question_text(q)
    assert prefills["8.1"] == a.mismatch_answers()["8.1"]


def test_the_wie_woont_er_signals_tab_shows_the_analysis(demo, demo_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import REPO_ROOT
    from zorgzaam.catalogue import SIGNALS
    from zorgzaam.demo import DEMO_ELZ_CODE, WZC_SECTOR

    _store, a = demo
    monkeypatch.setenv("ZORGZAAM_DB", str(demo_db))
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90)
    at.query_params.update({"elz": DEMO_ELZ_CODE, "gemeente": a.municipality, "sector": WZC_SECTOR})
    at.switch_page("pages/wie_woont_er.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    table = next(df.value for df in at.dataframe if "Eenzaamheid" in df.value.columns).set_index("Code")
    matrix = a.states.matrix(a.view_codes)
    for signal, label in SIGNALS.items():
        assert table[label].to_dict() == {c: signal_count_text(matrix.loc[c, signal]) for c in a.view_codes}
    lines = "\n".join(f"- **{label}**: {text}" for label, text in a.signal_lines(WZC_SECTOR))
    assert lines in [m.value for m in at.markdown]
    texts = [m.value for m in at.markdown]
    for q in QUESTIONS:
        assert a.question_text(q) in texts
    close_all()
