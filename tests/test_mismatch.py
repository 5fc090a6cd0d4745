"""Who versus what: tertiles, the bivariate cells, the attention list and its Dutch sentences."""

from __future__ import annotations

import numpy as np
import pandas as pd

from zorgzaam.classify import MISSING_COLOUR
from zorgzaam.mismatch import (
    BIVARIATE_COLOURS,
    MISMATCH_QUESTIONS,
    attention_list,
    attention_sentence,
    bivariate_classes,
    bivariate_legend,
    bivariate_legend_html,
    mismatch_summary,
    tertile_classes,
)

GROUP = "inwoners van 80+"
PHRASE = "woont verder dan 1,2 km van een bakker"


def classes(values) -> list:
    series, _ = tertile_classes(pd.Series(values, dtype="object"))
    return [None if pd.isna(v) else int(v) for v in series]


# --- tertiles ---------------------------------------------------------------------------------


def test_six_distinct_values_split_two_two_two():
    series, bounds = tertile_classes(pd.Series([60.0, 10.0, 40.0, 20.0, 50.0, 30.0]))
    assert list(series) == [2, 0, 1, 0, 2, 1]
    assert [(b.low, b.high, b.count) for b in bounds] == [(10.0, 20.0, 2), (30.0, 40.0, 2), (50.0, 60.0, 2)]


def test_ties_share_a_class():
    # Ranks 1, (2+3+4)/3 = 3, 3, 3, 5, 6 of n = 6; mid-rank percentiles (r - 1/2)/6:
    # 0.083 low, 0.417 middle (the three 2s together), 0.75 and 0.917 high.
    assert classes([1, 2, 2, 2, 3, 4]) == [0, 1, 1, 1, 2, 2]


def test_missing_stays_missing_and_is_not_counted():
    series, bounds = tertile_classes(pd.Series([3.0, None, 1.0, np.nan, 2.0, "x"], dtype="object"))
    assert [None if pd.isna(v) else int(v) for v in series] == [2, None, 0, None, 1, None]
    assert str(series.dtype) == "Int64"
    assert sum(b.count for b in bounds) == 3


def test_index_is_kept():
    series, _ = tertile_classes(pd.Series([5.0, 1.0, 3.0], index=["s3", "s1", "s2"]))
    assert series.to_dict() == {"s3": 2, "s1": 0, "s2": 1}


def test_few_distinct_values_stay_sensible():
    assert classes([7, 7, 7]) == [1, 1, 1]  # no spread: all in the middle
    assert classes([4]) == [1]
    assert classes([1, 9]) == [0, 2]
    assert classes([1, 1, 9, 9]) == [0, 0, 2, 2]  # two groups: low and high, middle empty
    _, bounds = tertile_classes(pd.Series([1.0, 1.0, 9.0, 9.0]))
    assert bounds[1] is None
    empty, none_bounds = tertile_classes(pd.Series([None, None], dtype="object"))
    assert empty.isna().all() and none_bounds == (None, None, None)


def test_seven_values_split_symmetrically():
    assert classes([1, 2, 3, 4, 5, 6, 7]) == [0, 0, 1, 1, 1, 2, 2]


# --- bivariate --------------------------------------------------------------------------------


def test_bivariate_cells_and_colours():
    need = pd.Series([1.0, 2.0, 3.0, None], index=list("abcd"))
    lack = pd.Series([0.9, 0.5, 0.1, 0.5], index=list("abcd"))
    frame = bivariate_classes(need, lack)
    assert list(frame.index) == list("abcd")
    assert list(frame["need_class"][:3]) == [0, 1, 2]
    # lack is ranked among all four known values: 0.1 low, the two 0.5 middle, 0.9 high
    assert list(frame["lack_class"]) == [2, 1, 0, 1]
    assert list(frame["cell"][:3]) == [0 * 3 + 2, 1 * 3 + 1, 2 * 3 + 0]
    assert pd.isna(frame.loc["d", "cell"])
    assert frame.loc["a", "colour"] == list(BIVARIATE_COLOURS[0][2])
    assert frame.loc["c", "colour"] == list(BIVARIATE_COLOURS[2][0])
    assert frame.loc["d", "colour"] == list(MISSING_COLOUR)


def test_high_need_and_high_lack_is_the_darkest_and_low_low_the_lightest():
    flat = [c for row in BIVARIATE_COLOURS for c in row]
    assert len(set(flat)) == 9
    assert min(flat, key=sum) == BIVARIATE_COLOURS[2][2]
    assert max(flat, key=sum) == BIVARIATE_COLOURS[0][0]
    assert MISSING_COLOUR not in flat


def test_legend_labels_in_dutch_and_grid_order():
    need_bounds = tertile_classes(pd.Series([4.24, 6.0, 8.0, 12.5, 14.0, 20.76]))[1]
    lack_bounds = tertile_classes(pd.Series([0.1, 0.25, 0.4]))[1]
    legend = bivariate_legend(need_bounds, lack_bounds, "% 80-plussers", "% ver van een bakker")
    assert legend["need_labels"] == ["4,2 – 6,0 %", "8,0 – 12,5 %", "14,0 – 20,8 %"]
    assert legend["lack_labels"] == ["10 %", "25 %", "40 %"]
    top_right = legend["rows"][0][2]
    assert (top_right["need_class"], top_right["lack_class"]) == (2, 2)
    assert top_right["hex"] == "#{:02x}{:02x}{:02x}".format(*BIVARIATE_COLOURS[2][2])
    empty = bivariate_legend(tertile_classes(pd.Series([1.0, 1.0, 9.0, 9.0]))[1], lack_bounds, "a", "b")
    assert empty["need_labels"][1] == "geen sectoren"


def test_legend_html_has_nine_colours_and_dutch_axes():
    bounds = tertile_classes(pd.Series([1.0, 2.0, 3.0]))[1]
    text = bivariate_legend_html(bounds, bounds, "% 80-plussers", "% ver van een bakker")
    for row in BIVARIATE_COLOURS:
        for colour in row:
            assert "#{:02x}{:02x}{:02x}".format(*colour) in text
    assert "meer nood" in text and "minder toegang" in text and "% 80-plussers" in text


# --- sentences --------------------------------------------------------------------------------


def test_sentence_example():
    assert attention_sentence(
        "Heidebeek-Centrum",
        GROUP,
        140,
        0.6,
        "woont verder dan 1,2 km van een bakker en 400 m van een bus die elk uur passeert",
    ) == (
        "In Heidebeek-Centrum wonen 140 inwoners van 80+; 60 % van hen woont verder dan 1,2 km van een bakker "
        "en 400 m van een bus die elk uur passeert."
    )


def test_sentence_rounds_estimates_to_whole_people_in_dutch_format():
    text = attention_sentence("Lozel", GROUP, 1234.5, 0.125, PHRASE, pct_decimals=1)
    assert text == f"In Lozel wonen 1.235 {GROUP}; 12,5 % van hen {PHRASE}."
    assert attention_sentence("Lozel", GROUP, 0.6, 1.0, PHRASE).startswith("In Lozel woont 1 ")


def test_hidden_count_is_not_published_never_zero():
    text = attention_sentence("Kempdonk-Heide", GROUP, pd.NA, 0.5, PHRASE)
    assert "niet gepubliceerd" in text and " 0 " not in text
    assert text.endswith(f"50 % van hen {PHRASE}.")
    assert "niet gepubliceerd" in attention_sentence("K", GROUP, "x", 0.5, PHRASE)


def test_small_sector_is_flagged_and_unknown_share_said():
    text = attention_sentence("Ven", GROUP, 12, None, PHRASE, small=True)
    assert "voorzichtig interpreteren" in text and "niet bekend" in text and "%" not in text


# --- attention list ---------------------------------------------------------------------------


def _view() -> pd.DataFrame:
    # Nine sectors; need and lack both rise from a to i except the top three, so exactly
    # g, h, i sit in the top third of both.
    return pd.DataFrame(
        {
            "statsec": [f"S{i}" for i in range(9)],
            "name": list("abcdefghi"),
            "need_value": [1, 2, 3, 4, 5, 6, 7, 8, 9],
            "lack_share": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.9, 0.7, 0.8],
            "group_count": [10, 20, 30, 40, 50, 60, 100, None, 300],
            "small": [False] * 6 + [True, False, False],
        }
    )


def test_attention_list_selects_top_third_of_both_ordered_by_people():
    result = attention_list(_view(), GROUP, PHRASE)
    # people lacking: g 100 × 0.9 = 90, i 300 × 0.8 = 240, h hidden (last)
    assert list(result["name"]) == ["i", "g", "h"]
    assert list(result["group_lacking"][:2]) == [240, 90]
    assert pd.isna(result["group_lacking"].iloc[2]) and pd.isna(result["group_count"].iloc[2])
    assert (result["need_class"] == 2).all() and (result["lack_class"] == 2).all()
    assert result["sentence"].iloc[0] == f"In i wonen 300 {GROUP}; 80 % van hen {PHRASE}."
    assert "voorzichtig interpreteren" in result["sentence"].iloc[1]
    assert "niet gepubliceerd" in result["sentence"].iloc[2]


def test_attention_list_excludes_high_need_with_good_access():
    view = _view()
    view.loc[view["name"] == "i", "lack_share"] = 0.05  # i now has the best access
    assert "i" not in set(attention_list(view, GROUP, PHRASE)["name"])


def test_attention_list_uses_given_people_lacking():
    view = _view().assign(group_lacking=[0, 0, 0, 0, 0, 0, 500.4, 3, 7])
    result = attention_list(view, GROUP, PHRASE)
    assert list(result["name"]) == ["g", "i", "h"]
    assert result["group_lacking"].iloc[0] == 500


# --- summary ----------------------------------------------------------------------------------


def test_questions():
    assert MISMATCH_QUESTIONS["8.1"].startswith("De buurtbewoners en de omgeving: (mis)match")
    assert MISMATCH_QUESTIONS["8.2"] == (
        "Welke potentieel kwetsbare buurten zijn er in de gemeente door de woonomgeving?"
    )


def test_summary_names_sectors_capped_and_speaks_of_signals():
    attention = attention_list(_view(), GROUP, PHRASE)
    answers = mismatch_summary(
        attention, "Heidebeek", "aandeel 80-plussers", "aandeel ver van een bakker", GROUP, limit=2
    )
    assert set(answers) == {"8.1", "8.2"}
    assert "vallen 3 statistische sectoren op" in answers["8.1"]
    assert f"i (240 van 300 {GROUP})" in answers["8.1"]
    assert "(+ 1 andere)" in answers["8.1"] and "(+ 1 andere)" in answers["8.2"]
    assert "h (" not in answers["8.1"]  # the third is only counted
    assert "g (weinig inwoners)" in answers["8.2"]
    for text in answers.values():
        assert "probleem" not in text.lower()
    assert "signalen om te verkennen" in answers["8.1"].lower() and "Signalen om te verkennen" in answers["8.2"]


def test_summary_without_standouts():
    answers = mismatch_summary(
        attention_list(_view(), GROUP, PHRASE).iloc[:0],
        "Lozel",
        "aandeel 80-plussers",
        "aandeel ver van een bakker",
        GROUP,
    )
    assert "geen statistische sector" in answers["8.1"] and "Lozel" in answers["8.2"]


def test_summary_singular():
    attention = attention_list(_view(), GROUP, PHRASE).iloc[:1]
    assert "valt 1 statistische sector op" in mismatch_summary(attention, "Lozel", "a", "b", GROUP)["8.1"]


def test_without_known_values_the_answers_say_no_data_never_that_nothing_stands_out():
    from zorgzaam.mismatch import gap_sentence

    data = pd.DataFrame(
        {
            "statsec": ["A", "B"],
            "name": ["Alfa", "Beta"],
            "need_value": [np.nan, np.nan],
            "lack_share": [0.5, np.nan],
            "group_count": [np.nan, np.nan],
        }
    )
    attention = attention_list(data, "inwoners van 80+", "woont ver")
    answers = mismatch_summary(
        attention,
        "gemeente X",
        "aandeel 80-plussers",
        "aandeel ver",
        "inwoners van 80+",
        data=data,
        no_data_reason="importeer leeftijd per sector",
    )
    assert answers == {
        "8.1": "Geen gegevens: importeer leeftijd per sector.",
        "8.2": "Geen gegevens: importeer leeftijd per sector.",
    }
    # one sector known: the usual answer, with the other counted apart
    data.loc[0, "need_value"] = 12.0
    partial = mismatch_summary(
        attention_list(data, "inwoners van 80+", "woont ver"),
        "gemeente X",
        "aandeel 80-plussers",
        "aandeel ver",
        "inwoners van 80+",
        data=data,
    )
    assert partial["8.1"].startswith("In gemeente X valt geen statistische sector op")
    assert partial["8.1"].endswith(
        "Voor 1 van de 2 sectoren ontbreken de cijfers of zijn ze verborgen: daar valt niets te bepalen."
    )
    assert (
        gap_sentence("% 80-plussers", "verborgen", 0.5)
        == "Niet te bepalen: % 80-plussers is verborgen door de bron (te klein)."
    )
    assert (
        gap_sentence("% 80-plussers", "ontbrekend", 0.5) == "Geen gegevens: % 80-plussers ontbreekt voor deze sector."
    )
    assert gap_sentence("% 80-plussers", "ok", np.nan).startswith("Geen gegevens: geen bereikbaarheid")
    assert gap_sentence("% 80-plussers", "ok", 0.2) is None
