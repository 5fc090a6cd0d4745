"""The Plotly figures, built without Streamlit, on hand-made inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from zorgzaam import charts
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
