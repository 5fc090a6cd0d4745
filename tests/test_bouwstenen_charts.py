"""The bouwstenen charts show the scores they are given, in cluster order, light ones marked."""

from __future__ import annotations

from datetime import date

from zorgzaam import bouwstenen
from zorgzaam.bouwstenen_charts import (
    ACTIVE_COLOUR,
    LIGHT_COLOUR,
    MIDDLE_COLOUR,
    NOT_SCORED_COLOUR,
    balance_chart,
    history_chart,
    score_chart,
)
from zorgzaam.werkgroep import Assessment

JUNE = Assessment("t", date(2026, 6, 1), {"detectie": 1, "inclusie": 4, "communicatie": 3})
DECEMBER = Assessment("t", date(2026, 12, 1), {"detectie": 3, "inclusie": 5, "partnerschappen": 2})


def test_score_chart_groups_by_cluster_and_colours_by_band():
    fig = score_chart(DECEMBER)
    bars = fig.data[0]
    clusters, names = bars.y
    # Cluster order of the referentiekader: minder mazen first, voorwaardenscheppend last.
    assert clusters[0] == "Minder mazen" and clusters[-1] == "Voorwaardenscheppende bouwstenen"
    assert list(names[:2]) == ["Detectie", "Toeleiding"]
    colour = dict(zip(names, bars.marker.color))
    assert colour["Partnerschappen"] == LIGHT_COLOUR
    assert colour["Detectie"] == MIDDLE_COLOUR and colour["Inclusie"] == ACTIVE_COLOUR
    assert colour["Toeleiding"] == NOT_SCORED_COLOUR
    text = dict(zip(names, bars.text))
    assert text["Toeleiding"] == bouwstenen.NOT_SCORED_LABEL and text["Partnerschappen"] == "2 · licht"
    assert len(fig.data) == 1 and not fig.layout.showlegend  # no previous assessment, no markers


def test_score_chart_marks_the_previous_score_only_where_there_was_one():
    fig = score_chart(DECEMBER, JUNE)
    marks = fig.data[1]
    assert dict(zip(marks.y[1], marks.x)) == {"Detectie": 1, "Inclusie": 4, "Communicatie": 3}
    assert "1 juni 2026" in marks.name


def test_a_stricter_light_threshold_changes_the_colours():
    colour = dict(
        zip(
            score_chart(DECEMBER, light_threshold=3).data[0].y[1],
            score_chart(DECEMBER, light_threshold=3).data[0].marker.color,
        )
    )
    assert colour["Detectie"] == LIGHT_COLOUR  # 3 counts as light now


def test_history_chart_has_one_column_per_date_and_a_dash_for_not_scored():
    heat = history_chart([JUNE, DECEMBER]).data[0]
    assert list(heat.x) == ["1 juni 2026", "1 december 2026"]
    rows = dict(zip(heat.y[1], zip(heat.z, heat.text)))
    assert rows["Detectie"] == ([1.0, 3.0], ["1", "3"])
    assert rows["Partnerschappen"] == ([None, 2.0], ["–", "2"])
    assert rows["Toeleiding"][1] == ["–", "–"]


def test_balance_chart_stacks_statuses_and_marks_light_bouwstenen():
    actions = [
        bouwstenen.validate_action("A", ["detectie", "toeleiding"], "lopend"),
        bouwstenen.validate_action("B", ["detectie"], "gemist"),
    ]
    light = bouwstenen.light_by_actions(actions)
    fig = balance_chart(bouwstenen.action_balance(actions), light)
    by_status = {t.name: dict(zip(t.y[1], t.x)) for t in fig.data}
    assert by_status["lopend"]["Detectie"] == 1 and by_status["gemist"]["Detectie"] == 1
    assert by_status["lopend"]["⚠ Inclusie"] == 0  # no action at all: light
    assert "Toeleiding" in by_status["lopend"] and by_status["lopend"]["Toeleiding"] == 1
