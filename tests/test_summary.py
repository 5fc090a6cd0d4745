"""Summary questions: the standouts follow the signals, are capped, and flag small sectors."""

from __future__ import annotations

import pandas as pd

from zorgzaam.summary import QUESTIONS, composition_standouts, signal_standouts, standouts_text


def summary_rows() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"area_code": "A", "area_name": "Alfa", "signal": "eenzaamheid", "labels": ["% 80-plussers", "% x1"]},
            {"area_code": "A", "area_name": "Alfa", "signal": "sociaal_isolement", "labels": ["% huurders"]},
            {
                "area_code": "B",
                "area_name": "Beta",
                "signal": "eenzaamheid",
                "labels": ["% a", "% b", "% c", "% d", "% e", "% f"],
            },
            {"area_code": "C", "area_name": "Gamma", "signal": "kans", "labels": ["Mantelzorgratio"]},
            {"area_code": "D", "area_name": "Delta", "signal": "eenzaamheid", "labels": ["% a"]},
        ]
    )


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
    sectors = pd.DataFrame(
        {
            "area_code": ["A", "B", "C"],
            "area_name": ["Alfa", "Beta", "Gamma"],
            "indicator": "pct_80plus",
            "value": [12.0, 20.0, 9.0],
            "status": "ok",
        }
    )
    items = composition_standouts(
        sectors,
        pd.Series({"pct_80plus": 8.0}),
        ["A", "B", "C"],
        small_codes=["B"],
        zone_label="gemiddelde eerstelijnszone Test",
    )
    assert items[0].text == "Hoogste % 80-plussers: Alfa 12,0 %, Gamma 9,0 % (gemiddelde eerstelijnszone Test: 8,0 %)"


def test_standouts_text_says_so_when_nothing_stands_out():
    assert standouts_text([]).startswith("Geen sectoren vallen op")
    assert len(QUESTIONS) == 4 and QUESTIONS[0].text == "Wie leeft er in je buurt(en)?"


# --- the answer beside a question: standouts, "geen sector valt op", or "geen gegevens" ---------------------

from zorgzaam.signals import summarise  # noqa: E402
from zorgzaam.summary import NOTHING_STANDS_OUT, question_text  # noqa: E402
from tests.helpers import HIDDEN, SECTORS, STANDS_OUT, signal_store_states  # noqa: E402


def answers(tmp_path, kind: str, markdown: bool = True) -> dict[str, str]:
    _, sectors, zone_values, evaluation, states = signal_store_states(tmp_path / f"{kind}.duckdb", kind)
    summary, view = summarise(evaluation), list(SECTORS)
    out = {}
    for q in QUESTIONS:
        items = (
            signal_standouts(q, summary, view)
            if q.signals
            else composition_standouts(sectors, zone_values, view, zone_label="gemiddelde eerstelijnszone Testzone")
        )
        out[q.number] = question_text(q, items, states, view, markdown=markdown)
    return out


def test_questions_without_their_indicators_say_no_data_and_what_to_import(tmp_path):
    texts = answers(tmp_path, "absent")
    assert texts["2.4"] == "Geen gegevens: importeer leeftijd en herkomst per sector (bv. uit Provincies in Cijfers)."
    assert texts["2.2"].startswith("Geen gegevens: importeer leeftijd, woonstabiliteit, huishoudens")
    # 2.1 (who lives here) needs age, households, tenure and origin
    assert texts["2.1"] == (
        "Geen gegevens: importeer leeftijd, huishoudens, eigendomstitel en herkomst per sector "
        "(bv. uit Provincies in Cijfers)."
    )
    assert not any(NOTHING_STANDS_OUT in t for t in texts.values())


def test_questions_with_data_and_nothing_raised_say_no_sector_stands_out(tmp_path):
    texts = answers(tmp_path, "flat")
    assert texts["2.2"] == texts["2.3"] == texts["2.4"] == NOTHING_STANDS_OUT
    assert texts["2.1"].startswith("- Hoogste ")  # the composition is there, even when nothing stands out


def test_questions_name_the_standouts_and_the_sectors_without_data(tmp_path):
    texts = answers(tmp_path, "raised")
    lines = texts["2.2"].split("\n")
    assert lines[0].startswith(f"- **Sector {STANDS_OUT}** ({STANDS_OUT}): ") and "% 80-plussers" in lines[0]
    assert lines[-1] == f"- Geen gegevens voor 1 van de 4 sectoren: Sector {HIDDEN}."
    # kansen: the mantelzorgratio of the two ordinary sectors (470 / 70 = 6,7) is at least 1,25 × the zone's
    # (1.880 / 420 = 4,5); the sector with many 80-plussers is lower; the hidden sector is named apart
    assert texts["2.4"].split("\n") == [
        f"- **Sector {code}** ({code}): Mantelzorgratio (potentiële burenhulpratio)"
        for code in ("11111A00-", "22222A00-")
    ] + [f"- Geen gegevens voor 1 van de 4 sectoren: Sector {HIDDEN}."]
    (tmp_path / "plain").mkdir()
    plain = answers(tmp_path / "plain", "raised", markdown=False)["2.2"]
    assert plain.startswith(f"Sector {STANDS_OUT} ({STANDS_OUT}): ") and "**" not in plain
    assert plain.endswith(f"\nGeen gegevens voor 1 van de 4 sectoren: Sector {HIDDEN}.")
