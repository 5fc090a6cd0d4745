"""Summary questions: the standouts follow the signals, are capped, and flag small sectors."""

from __future__ import annotations

import pandas as pd

from zorgzaam.summary import QUESTIONS, composition_standouts, signal_standouts, standouts_text


def summary_rows() -> pd.DataFrame:
    return pd.DataFrame([
        {"area_code": "A", "area_name": "Alfa", "signal": "eenzaamheid", "labels": ["% 80-plussers", "% x1"]},
        {"area_code": "A", "area_name": "Alfa", "signal": "sociaal_isolement", "labels": ["% huurders"]},
        {"area_code": "B", "area_name": "Beta", "signal": "eenzaamheid",
         "labels": ["% a", "% b", "% c", "% d", "% e", "% f"]},
        {"area_code": "C", "area_name": "Gamma", "signal": "kans", "labels": ["Mantelzorgratio"]},
        {"area_code": "D", "area_name": "Delta", "signal": "eenzaamheid", "labels": ["% a"]},
    ])


def test_signal_standouts_take_the_question_signals_of_the_view_most_first():
    question = next(q for q in QUESTIONS if q.key == "eenzaamheid")
    items = signal_standouts(question, summary_rows(), ["A", "B", "C"], small_codes=["A"])
    assert [i.area_code for i in items] == ["B", "A"]  # D is outside the view, C has only kansen
    assert items[0].text == "% a, % b, % c, % d (+ 2 andere)"
    assert items[1].text.startswith("% 80-plussers, % x1, % huurders")
    assert items[1].text.endswith("(weinig inwoners: voorzichtig interpreteren)")
    kansen = signal_standouts(next(q for q in QUESTIONS if q.key == "kansen"), summary_rows(), ["A", "B", "C"])
    assert [i.area_code for i in kansen] == ["C"]


def test_composition_standouts_skip_small_sectors_and_name_the_zone():
    sectors = pd.DataFrame({
        "area_code": ["A", "B", "C"], "area_name": ["Alfa", "Beta", "Gamma"], "indicator": "pct_80plus",
        "value": [12.0, 20.0, 9.0], "status": "ok",
    })
    items = composition_standouts(sectors, pd.Series({"pct_80plus": 8.0}), ["A", "B", "C"], small_codes=["B"],
                                  zone_label="gemiddelde eerstelijnszone Test")
    assert items[0].text == "Hoogste % 80-plussers: Alfa 12,0 %, Gamma 9,0 % (gemiddelde eerstelijnszone Test: 8,0 %)"


def test_standouts_text_says_so_when_nothing_stands_out():
    assert standouts_text([]).startswith("Geen sectoren vallen op")
    assert len(QUESTIONS) == 4 and QUESTIONS[0].text == "Wie leeft er in je buurt(en)?"
