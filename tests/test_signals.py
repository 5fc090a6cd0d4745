"""The signal rule on constructed cases: factor × care zone, top quintile, direction, hidden values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from zorgzaam.signals import SignalRule, evaluate, signal_indicators, signal_matrix, summarise, thresholds


def sectors(indicator: str, values: dict[str, float | None]) -> pd.DataFrame:
    return pd.DataFrame({
        "area_code": list(values),
        "area_name": [f"Sector {c}" for c in values],
        "area_level": "statsec",
        "indicator": indicator,
        "period": "2025",
        "numerator": np.nan,
        "denominator": np.nan,
        "value": [np.nan if v is None else v for v in values.values()],
        "status": ["verborgen" if v is None else "ok" for v in values.values()],
    })


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
    frame = pd.concat([
        sectors("pct_80plus", {"A": 12.0, "B": 8.0}),
        sectors("pct_single_person_hh", {"A": 50.0, "B": 30.0}),
    ])
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
    result = evaluate(sectors("social_rental_per_100hh", values), pd.Series({"social_rental_per_100hh": 0.5}),
                      SignalRule("kwintiel"))
    assert set(result.loc[result["raised"], "area_code"]) == {"S9"}
    tied_top = {f"S{k}": 95.0 for k in range(9)} | {"S9": 70.0}  # lower signals: only the real low one
    result = evaluate(sectors("pct_same_address", tied_top), pd.Series({"pct_same_address": 92.0}),
                      SignalRule("kwintiel"))
    assert set(result.loc[result["raised"], "area_code"]) == {"S9"}
