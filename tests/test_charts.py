"""The Plotly figures, built without Streamlit, on hand-made inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from zorgzaam import charts
from zorgzaam.catalogue import BUILTIN
from zorgzaam.comparisons import Reference
from zorgzaam.profiles import ranking
from zorgzaam.whowhat import NEEDS, DEFAULT_NEED


def test_meeting_progress_colours_each_cell_by_the_groups_score():
    table = pd.DataFrame(
        {
            "Bouwsteen": ["1. Visie", "2. Buurt"],
            "1 maart 2026 Start": ["3 (n=7)", "-"],
            "9 april 2026 Analyse": ["4 (n=6)", "2 (n=5)"],
        }
    )
    fig = charts.meeting_progress(table)
    heat = fig.data[0]
    assert [list(r) for r in heat.z] == [[3, 4], [None, 2]]
    assert [list(r) for r in heat.text] == [["3 (n=7)", "4 (n=6)"], ["", "2 (n=5)"]]
    assert list(fig.layout.xaxis.ticktext) == ["1<br>maart 2026 Start", "9<br>april 2026 Analyse"]
    # Score 3 is drawn in the poll's colour for 3, so the heatmap reads like the live poll.
    assert [charts.SCORE_COLOURS[3]] * 2 == [c[1] for c in heat.colorscale[4:6]]


def test_mismatch_scatter_places_sectors_and_the_zone_cross_hairs():
    need = NEEDS[DEFAULT_NEED]
    data = pd.DataFrame(
        {
            "statsec": ["A", "B", "C"],
            "name": ["Aa", "Bb", "Cc"],
            "need_value": [5.0, 12.0, np.nan],
            "lack_share": [0.1, 0.5, 0.3],
            "group_lacking": [4.0, 30.0, 1.0],
        }
    )
    fig = charts.mismatch_scatter(data, need, 8.0, 0.25, "gemiddelde eerstelijnszone Z", selected="B")
    points = fig.data[0]
    assert list(points.x) == [5.0, 12.0] and list(points.y) == [10.0, 50.0]  # C has no need value: left out
    assert points.marker.color[1] == "#08306b" and points.marker.color[0] == "#6baed6"
    assert points.marker.size[1] > points.marker.size[0]  # more people without access, a bigger bubble
    vertical = [s for s in fig.layout.shapes if s.x0 == s.x1]
    horizontal = [s for s in fig.layout.shapes if s.y0 == s.y1]
    assert [s.x0 for s in vertical] == [8.0] and [s.y0 for s in horizontal] == [25.0]  # the zone, as a %
    assert "Wie: 5,0 %" in points.hovertext[0] and "Zonder toegang: 10 %" in points.hovertext[0]


def test_score_label_and_share_in_dutch():
    assert charts.score_label(3).startswith("3 · ")
    assert charts.format_share(1, 3) == "33,3 %" and charts.format_share(0, 0) == "-"


# --- Wie woont er? ----------------------------------------------------------------------------------

PCT_80 = BUILTIN.indicator("pct_80plus")


def _engine_rows(rows: list[tuple]) -> pd.DataFrame:
    """Hand-made engine rows: (code, name, value, status, numerator, denominator)."""
    return pd.DataFrame(
        [
            {
                "indicator": PCT_80.code,
                "area_level": "statsec",
                "area_code": c,
                "area_name": n,
                "value": v,
                "status": s,
                "numerator": num,
                "denominator": den,
                "period": "2025",
            }
            for c, n, v, s, num, den in rows
        ]
    )


def _ranked(small: set[str] = frozenset()) -> pd.DataFrame:
    result = _engine_rows(
        [
            ("A", "Aa", 8.4, "ok", 168.0, 2000.0),
            ("B", "Bb", np.nan, "verborgen", np.nan, 30.0),
            ("C", "Cc", 12.5, "ok", 1250.0, 10000.0),
            ("D", "Dd", np.nan, "ontbrekend", np.nan, np.nan),
            ("E", "Ee", 0.0, "ok", 0.0, 400.0),
        ]
    )
    ranked = ranking(result, PCT_80.code, 100)
    ranked["small"] = ranked["area_code"].isin(small)
    return ranked


def test_ranking_bars_follow_the_ranking_and_leave_hidden_and_missing_out():
    references = [
        ("gemeente", "gemeente Heidebeek", 9.5, "9,5 %"),
        ("elz", "gemiddelde eerstelijnszone Z", 10.25, "10,3 %"),
        ("gewest", "Vlaanderen", float("nan"), "-"),
    ]
    fig = charts.ranking_bars(_ranked(small={"E"}), PCT_80, references, selected="A")
    bars = fig.data[0]
    # Highest first, a true 0 kept, hidden (B) and no data (D) have no bar at all (not a bar of 0).
    assert list(bars.x) == [12.5, 8.4, 0.0]
    assert list(bars.y) == ["Cc (C)", "Aa (A)", "Ee (E)"]
    assert list(bars.marker.color) == [charts.OTHER_COLOUR, charts.SELECTED_COLOUR, charts.SMALL_COLOUR]
    # Dutch numbers in the hover text and the label: decimal comma, thousands point.
    assert bars.hovertext[0] == "Cc: 12,5 %<br>1.250 / 10.000"
    assert bars.text[1] == "8,4 %  · 168 / 2.000"
    assert fig.layout.separators == ",."
    # One line per known reference, at its value; Flanders without a value draws none.
    lines = [s for s in fig.layout.shapes if s.x0 == s.x1]
    assert [s.x0 for s in lines] == [9.5, 10.25]
    assert [s.line.color for s in lines] == [charts.REFERENCE_COLOURS["gemeente"], charts.REFERENCE_COLOURS["elz"]]
    named = [t.name for t in fig.data[1:]]
    assert named == ["gemeente Heidebeek: 9,5 %", "gemiddelde eerstelijnszone Z: 10,3 %"]
    assert bars.showlegend is False


def test_ranking_bars_draw_no_reference_line_for_a_count():
    count = BUILTIN.indicator("pop_total")
    ranked = pd.DataFrame(
        {
            "area_code": ["A", "B"],
            "area_name": ["Aa", "Bb"],
            "value": [1234.0, 56.0],
            "value_text": ["1.234", "56"],
            "count_text": ["", ""],
            "small": [False, True],
        }
    )
    fig = charts.ranking_bars(ranked, count, [("elz", "totaal eerstelijnszone Z", 99999.0, "99.999")], None)
    assert list(fig.data[0].x) == [1234.0, 56.0] and len(fig.data) == 1
    assert not fig.layout.shapes


def test_profile_index_puts_the_care_zone_at_100_and_leaves_counts_out():
    refs = [
        Reference("gemeente", "11111", "Heidebeek"),
        Reference("elz", "elz1", "Z"),
        Reference("gewest", "2000", "Vlaanderen"),
    ]
    profile = pd.DataFrame(
        {
            "label": ["Inwoners", "% 80-plussers", "% huurders"],
            "is_count": [True, False, False],
            "theme_order": [0, 0, 1],
            "value_text": ["1.200", "12,0 %", "x"],
            "index_elz": [np.nan, 150.0, np.nan],
            "ref_gemeente": [5000.0, 9.0, 20.0],
            "ref_gemeente_text": ["5.000", "9,0 %", "20,0 %"],
            "ref_elz": [20000.0, 8.0, 25.0],
            "ref_elz_text": ["20.000", "8,0 %", "25,0 %"],
            "ref_gewest": [6e6, 6.0, np.nan],
            "ref_gewest_text": ["6.000.000", "6,0 %", "-"],
        }
    )
    fig = charts.profile_index(profile, refs)
    own = next(t for t in fig.data if t.name == "deze sector")
    municipality = next(t for t in fig.data if t.name == "gemeente Heidebeek")
    flanders = next(t for t in fig.data if t.name == "Vlaanderen")
    assert list(own.y) == ["% 80-plussers", "% huurders"]  # the count is not an index
    assert own.x[0] == 150.0 and np.isnan(own.x[1])  # hidden: no point, never 0
    assert list(municipality.x) == [112.5, 80.0] and flanders.x[0] == 75.0 and np.isnan(flanders.x[1])
    assert own.hovertext[0] == "% 80-plussers<br>sector: 12,0 %"
    assert municipality.hovertext[1] == "% huurders<br>gemeente Heidebeek: 20,0 %"
    assert [s.x0 for s in fig.layout.shapes] == [100]
    assert fig.layout.annotations[0].text == "gemiddelde eerstelijnszone Z = 100"
    assert fig.layout.xaxis.type == "log"
    assert not any(t.name == "gemiddelde eerstelijnszone Z" for t in fig.data)  # the zone is the line at 100


def test_trend_lines_one_line_per_role_with_dutch_labels_and_gaps():
    data = pd.DataFrame(
        {
            "period": ["2023", "2024", "2025", "2023", "2024", "2025"],
            "role": ["gebied"] * 3 + ["gemiddelde eerstelijnszone Z"] * 3,
            "area_level": ["statsec"] * 3 + ["elz"] * 3,
            "value": [7.5, np.nan, 8.25, 6.0, 6.5, 7.0],
            "value_text": ["7,5 %", "x", "8,3 %", "6,0 %", "6,5 %", "7,0 %"],
        }
    )
    fig = charts.trend_lines(data, PCT_80)
    own, zone = fig.data
    assert own.name == "deze sector" and zone.name == "gemiddelde eerstelijnszone Z"
    assert list(own.x) == ["2023", "2024", "2025"]
    assert own.y[0] == 7.5 and np.isnan(own.y[1]) and own.y[2] == 8.25  # hidden is a gap, not 0
    assert list(own.text) == ["7,5 %", "x", "8,3 %"]
    assert own.line.color == charts.SELECTED_COLOUR and zone.line.color == charts.REFERENCE_COLOURS["elz"]
    assert own.line.width > zone.line.width
    assert fig.layout.yaxis.title.text == "%"
