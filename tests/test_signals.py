"""The signal rule on constructed cases: factor × care zone, top quintile, direction, hidden values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from zorgzaam.signals import SignalRule, evaluate, signal_indicators, signal_matrix, summarise, thresholds


def sectors(indicator: str, values: dict[str, float | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": list(values),
            "area_name": [f"Sector {c}" for c in values],
            "area_level": "statsec",
            "indicator": indicator,
            "period": "2025",
            "numerator": np.nan,
            "denominator": np.nan,
            "value": [np.nan if v is None else v for v in values.values()],
            "status": ["verborgen" if v is None else "ok" for v in values.values()],
        }
    )


def test_factor_rule_raises_at_one_and_a_quarter_times_the_zone():
    zone = pd.Series({"pct_80plus": 8.0})
    frame = sectors("pct_80plus", {"A": 10.0, "B": 9.99, "C": 12.5, "D": None})
    result = evaluate(frame, zone, SignalRule("factor", 1.25))
    raised = result[result["signal"] == "zorgnood"].set_index("area_code")["raised"]
    assert raised.to_dict() == {"A": True, "B": False, "C": True, "D": False}
    # pct_80plus signals three things; every one is raised together
    assert set(result.loc[result["area_code"] == "A", "signal"]) == {"eenzaamheid", "sociaal_isolement", "zorgnood"}


def test_lower_is_the_signal_for_residential_stability():
    zone = pd.Series({"pct_same_address": 90.0})
    frame = sectors("pct_same_address", {"A": 72.0, "B": 72.1, "C": 95.0})
    result = evaluate(frame, zone, SignalRule("factor", 1.25))
    raised = result[result["signal"] == "eenzaamheid"].set_index("area_code")["raised"]
    assert raised.to_dict() == {"A": True, "B": False, "C": False}  # 90 / 1.25 = 72


def test_quintile_rule_takes_the_top_fifth_of_the_zone():
    values = {f"S{k:02d}": float(k) for k in range(1, 11)}
    frame = sectors("pct_alone_75plus", values)
    limit = thresholds(frame, pd.Series({"pct_alone_75plus": 5.0}), SignalRule("kwintiel"))["pct_alone_75plus"]
    assert limit == pytest.approx(np.quantile(np.arange(1, 11), 0.8))
    result = evaluate(frame, pd.Series({"pct_alone_75plus": 5.0}), SignalRule("kwintiel"))
    raised = set(result.loc[result["raised"], "area_code"])
    assert raised == {"S09", "S10"}


def test_neutral_indicators_never_raise_a_signal():
    assert "pct_men" not in {i.code for i in signal_indicators()}
    result = evaluate(sectors("pct_men", {"A": 99.0}), pd.Series({"pct_men": 49.0}), SignalRule())
    assert result.empty


def test_summary_lists_the_indicators_behind_each_signal():
    frame = pd.concat(
        [
            sectors("pct_80plus", {"A": 12.0, "B": 8.0}),
            sectors("pct_single_person_hh", {"A": 50.0, "B": 30.0}),
        ]
    )
    zone = pd.Series({"pct_80plus": 8.0, "pct_single_person_hh": 30.0})
    summary = summarise(evaluate(frame, zone, SignalRule()))
    loneliness = summary[(summary["area_code"] == "A") & (summary["signal"] == "eenzaamheid")].iloc[0]
    assert loneliness["n_indicators"] == 2
    assert loneliness["labels"] == ["% 80-plussers", "% eenpersoonshuishoudens"]
    assert summary[summary["area_code"] == "B"].empty
    matrix = signal_matrix(summary, ["A", "B"])
    assert matrix.loc["A", "eenzaamheid"] == 2 and matrix.loc["B"].sum() == 0
    assert matrix.loc["A", "kans"] == 0


def test_rule_is_described_in_words_and_validated():
    text = SignalRule("factor", 1.25).describe("gemiddelde eerstelijnszone Heidekempen")
    assert "1,25 ×" in text and "gemiddelde eerstelijnszone Heidekempen" in text
    assert "20 %" in SignalRule("kwintiel").describe("gemiddelde eerstelijnszone X")
    with pytest.raises(ValueError, match="groter zijn dan 1"):
        SignalRule("factor", 0.9)
    with pytest.raises(ValueError, match="Onbekende regel"):
        SignalRule("probleemwijk")


def test_a_care_zone_value_of_zero_raises_nothing():
    frame = sectors("social_rental_per_100hh", {"A": 0.0, "B": 0.0, "C": 3.0})
    result = evaluate(frame, pd.Series({"social_rental_per_100hh": 0.0}), SignalRule("factor", 1.25))
    assert not result["raised"].any()
    assert result["threshold"].isna().all()


def test_quintile_rule_with_ties_at_the_bottom_raises_only_real_standouts():
    values = {f"S{k}": 0.0 for k in range(9)} | {"S9": 5.0}
    result = evaluate(
        sectors("social_rental_per_100hh", values), pd.Series({"social_rental_per_100hh": 0.5}), SignalRule("kwintiel")
    )
    assert set(result.loc[result["raised"], "area_code"]) == {"S9"}
    tied_top = {f"S{k}": 95.0 for k in range(9)} | {"S9": 70.0}  # lower signals: only the real low one
    result = evaluate(
        sectors("pct_same_address", tied_top), pd.Series({"pct_same_address": 92.0}), SignalRule("kwintiel")
    )
    assert set(result.loc[result["raised"], "area_code"]) == {"S9"}


# --- three outcomes: a signal, geen signaal, geen gegevens (stores of tests/helpers.py) --------------------

from zorgzaam.catalogue import BUILTIN  # noqa: E402
from zorgzaam.engine import compute  # noqa: E402
from zorgzaam.signals import (  # noqa: E402
    NO_DATA,
    NOT_RAISED,
    RAISED,
    import_hint,
    no_data_note,
    sector_signal_lines,
    sector_signal_summary,
    signal_count_text,
    signal_states,
    view_signal_lines,
)
from tests.helpers import HIDDEN, SECTORS, STANDS_OUT, make_store, signal_rows, signal_store_states  # noqa: E402


def store_states(tmp_path, kind: str):
    """(evaluation, states) of the default rule over the helpers' care zone, as the Signalen tab computes them."""
    *_, evaluation, states = signal_store_states(tmp_path / f"{kind}.duckdb", kind)
    return evaluation, states


def test_without_the_signal_indicators_every_outcome_is_no_data_with_what_to_import(tmp_path):
    evaluation, states = store_states(tmp_path, "absent")
    assert set(states.frame["state"]) == {NO_DATA}
    assert not evaluation["raised"].any()
    matrix = signal_matrix(summarise(evaluation), list(SECTORS), states)
    assert matrix.isna().all().all()  # never 0
    assert {signal_count_text(v) for v in matrix.to_numpy().ravel()} == {"-"}
    # Kansen needs the 30-69 age bands, the 40-79 / 80+ ratio and origin: age and origin per sector.
    lines = dict(sector_signal_lines(evaluation, states, "11111A00-", SignalRule(), "zone"))
    assert lines["Kansen"] == "geen gegevens: importeer leeftijd en herkomst per sector (bv. uit Provincies in Cijfers)"
    assert all(text.startswith("geen gegevens: importeer leeftijd") for text in lines.values())
    assert "IMA-atlas" in lines["Zorg- en ondersteuningsnood"]  # chronic conditions come from the IMA-atlas
    cell = sector_signal_summary(states, "11111A00-")
    assert cell.startswith("Geen gegevens: importeer leeftijd, woonstabiliteit, huishoudens")
    assert "geen signaal" not in cell.lower()
    assert dict(view_signal_lines(summarise(evaluation), states, list(SECTORS)))["Kansen"] == lines["Kansen"]
    assert no_data_note(states, list(SECTORS)).startswith("Geen gegevens voor Eenzaamheid, Sociaal isolement")


def test_indicators_present_and_not_raised_are_no_signal(tmp_path):
    evaluation, states = store_states(tmp_path, "flat")
    assert set(states.frame["state"]) == {NOT_RAISED}
    assert (states.frame["n_assessed"] == states.frame["n_indicators"]).all()  # every indicator was judged
    matrix = signal_matrix(summarise(evaluation), list(SECTORS), states)
    assert (matrix == 0).all().all()
    lines = sector_signal_lines(evaluation, states, "22222A00-", SignalRule(), "zone")
    assert [text for _, text in lines] == ["geen signaal"] * 5
    assert sector_signal_summary(states, "22222A00-") == "Geen signaal volgens de regel"
    assert no_data_note(states, list(SECTORS)) == ""
    assert all(
        text == "geen signaal volgens de regel"
        for _, text in view_signal_lines(summarise(evaluation), states, list(SECTORS))
    )


def test_raised_hidden_and_judged_sectors_side_by_side(tmp_path):
    evaluation, states = store_states(tmp_path, "raised")
    assert states.state(STANDS_OUT, "eenzaamheid") == RAISED
    assert states.state("22222A00-", "eenzaamheid") == NOT_RAISED
    # Hidden values neither raise nor silence a signal: the hidden sector has no data.
    assert {states.state(HIDDEN, s) for s in ("eenzaamheid", "kans", "zorgnood")} == {NO_DATA}
    lines = dict(sector_signal_lines(evaluation, states, STANDS_OUT, SignalRule(), "gemiddelde eerstelijnszone Test"))
    assert "% 80-plussers 21,0 % (gemiddelde eerstelijnszone Test: 10,5 %)" in lines["Eenzaamheid"]
    assert lines["Kansen"] == "geen signaal"
    hidden = dict(sector_signal_lines(evaluation, states, HIDDEN, SignalRule(), "zone"))
    assert hidden["Eenzaamheid"].startswith("geen gegevens: ")
    assert (
        "verborgen of onbekend voor deze sector" in hidden["Eenzaamheid"] and "importeer" not in hidden["Eenzaamheid"]
    )
    matrix = signal_matrix(summarise(evaluation), list(SECTORS), states)
    assert matrix.loc[STANDS_OUT, "eenzaamheid"] >= 1 and matrix.loc["22222A00-", "eenzaamheid"] == 0
    assert pd.isna(matrix.loc[HIDDEN, "eenzaamheid"])
    assert sector_signal_summary(states, STANDS_OUT).startswith("Eenzaamheid (")
    by_signal = dict(view_signal_lines(summarise(evaluation), states, list(SECTORS)))
    assert by_signal["Eenzaamheid"].startswith(f"1 van de 4 sectoren, de meeste indicatoren eerst: Sector {STANDS_OUT}")
    assert by_signal["Eenzaamheid"].endswith("(geen gegevens voor 1 van de 4 sectoren)")


def test_a_partly_imported_signal_says_how_many_indicators_were_judged(tmp_path):
    rows = {
        key: {"pop_total": 1000, "pop_age_80_89": 50 + 10 * k, "pop_age_90plus": 5}
        for k, key in enumerate(signal_rows("absent"))
    }
    store = make_store(tmp_path / "part.duckdb", rows)
    codes = [i.code for i in signal_indicators()]
    sectors = compute(store, codes, level="statsec", within=("elz", "elz1"))
    zone = compute(store, codes, areas=[("elz", "elz1")]).set_index("indicator")
    evaluation = evaluate(sectors, zone["value"].where(zone["status"] == "ok"), SignalRule())
    states = signal_states(evaluation, list(SECTORS), BUILTIN, store.variables())
    n_loneliness = sum("eenzaamheid" in i.signals for i in signal_indicators())
    # Only % 80-plussers, % 80-89 and % 90+ can be judged for loneliness; kansen has nothing.
    text = dict(sector_signal_lines(evaluation, states, "11111A00-", SignalRule(), "zone"))["Eenzaamheid"]
    assert text == f"geen signaal (3 van {n_loneliness} indicatoren met gegevens)"
    assert states.state("11111A00-", "kans") == NO_DATA
    # % alleenwonend 75-plussers needs the alone-living 75+ (household position) and all 75+ (age band).
    assert (
        import_hint(["pct_80plus", "pct_alone_75plus"], store.variables())
        == "importeer huishoudens en leeftijd per sector (bv. uit Provincies in Cijfers)"
    )
    assert import_hint(["pct_80plus"], store.variables()) == ""
    assert sector_signal_summary(states, "11111A00-").startswith(
        "Geen signaal volgens de regel voor Eenzaamheid, Sociaal isolement en Zorg- en ondersteuningsnood; "
        "geen gegevens voor Onbeantwoorde zorgnood en Kansen: importeer leeftijd"
    )


def test_a_sector_whose_latest_figure_is_older_is_not_compared_with_this_years_zone():
    from zorgzaam.signals import SignalRule, evaluate

    rows = pd.DataFrame(
        {
            "area_code": ["A", "B", "C"],
            "area_name": ["A", "B", "C"],
            "indicator": "pct_alone_75plus",
            "period": ["2025", "2025", "2023"],
            "value": [10.0, 30.0, 90.0],
            "status": "ok",
        }
    )
    zone = pd.Series({"pct_alone_75plus": 20.0})
    result = evaluate(rows, zone, SignalRule(kind="factor", factor=1.25)).drop_duplicates("area_code")
    raised = result.set_index("area_code")["raised"]
    assert raised["B"] and not raised["A"]
    # C's 90 % is of 2023: not judged against the 2025 zone (no signal, and its value is not compared).
    assert not raised["C"] and pd.isna(result.set_index("area_code").loc["C", "value"])
    quintile = evaluate(rows, zone, SignalRule(kind="kwintiel")).drop_duplicates("area_code").set_index("area_code")
    assert not quintile.loc["C", "raised"] and quintile.loc["B", "raised"]
