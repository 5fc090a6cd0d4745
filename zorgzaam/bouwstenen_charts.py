"""Charts of the werkgroep's bouwstenen: scores by cluster, their history, the balance of actions.

Plotly figures built from plain data (no Streamlit), so tests can read what a chart shows.
Colours are Okabe-Ito (colour-blind safe, readable on a projector): a "light" bouwsteen is
orange, one the werkgroep acts on is blue; niet gescoord has no bar but a grey label.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from . import bouwstenen
from .formatting import format_date
from .werkgroep import Assessment

__all__ = [
    "ACTIVE_COLOUR",
    "HISTORY_SCALE",
    "LIGHT_COLOUR",
    "MIDDLE_COLOUR",
    "NOT_SCORED_COLOUR",
    "PREVIOUS_COLOUR",
    "STATUS_COLOURS",
    "balance_chart",
    "history_chart",
    "score_chart",
    "score_colour",
]

LIGHT_COLOUR = "#E69F00"  # orange: light (score 1–2)
MIDDLE_COLOUR = "#999999"  # grey: overleggen (3)
ACTIVE_COLOUR = "#0072B2"  # blue: actie (4–5)
NOT_SCORED_COLOUR = "#777777"
PREVIOUS_COLOUR = "#000000"
STATUS_COLOURS = {"lopend": "#0072B2", "gepland": "#56B4E9", "gemist": "#E69F00"}
HISTORY_SCALE = ["#E69F00", "#F0C26B", "#CCCCCC", "#7FB2D9", "#0072B2"]  # scores 1..5

FONT = {"size": 15}


def _axis_labels() -> list[list[str]]:
    """Two-level category axis: cluster, bouwsteen (source order within the cluster order)."""
    clusters, names = [], []
    for cluster, label in bouwstenen.CLUSTERS.items():
        for b in bouwstenen.in_cluster(cluster):
            clusters.append(label)
            names.append(b.name)
    return [clusters, names]


def _cluster_order() -> list[bouwstenen.Bouwsteen]:
    return [b for cluster in bouwstenen.CLUSTERS for b in bouwstenen.in_cluster(cluster)]


def score_colour(score: int | None, light_threshold: int = 2) -> str:
    if score is None:
        return NOT_SCORED_COLOUR
    if score <= light_threshold:
        return LIGHT_COLOUR
    return ACTIVE_COLOUR if score >= 4 else MIDDLE_COLOUR


def score_chart(current: Assessment, previous: Assessment | None = None, light_threshold: int = 2) -> go.Figure:
    """Horizontal bars per bouwsteen grouped by cluster; light ones orange; the previous score as a marker."""
    order = _cluster_order()
    y = _axis_labels()
    scores = [current.scores.get(b.code) for b in order]
    light = set(bouwstenen.light_bouwstenen(current.scores, light_threshold))
    texts = []
    for b, s in zip(order, scores):
        if s is None:
            texts.append(bouwstenen.NOT_SCORED_LABEL)
        else:
            texts.append(f"{s}{' · licht' if b.code in light else ''}")
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=[s if s is not None else 0 for s in scores],
            y=y,
            orientation="h",
            marker_color=[score_colour(s, light_threshold) for s in scores],
            text=texts,
            textposition="outside",
            cliponaxis=False,
            name=f"score {format_date(current.assessed_on)}",
            customdata=[bouwstenen.scale_text(s) for s in scores],
            hovertemplate="%{y}<br>score %{x}: %{customdata}<extra></extra>",
        )
    )
    if previous is not None:
        prev = [previous.scores.get(b.code) for b in order]
        fig.add_trace(
            go.Scatter(
                x=[p for p in prev if p is not None],
                y=[[c for c, p in zip(y[0], prev) if p is not None], [n for n, p in zip(y[1], prev) if p is not None]],
                mode="markers",
                marker={"symbol": "diamond", "size": 13, "color": PREVIOUS_COLOUR},
                name=f"vorige keer ({format_date(previous.assessed_on)})",
                hovertemplate="%{y}<br>vorige keer: %{x}<extra></extra>",
            )
        )
    fig.add_vline(x=light_threshold + 0.5, line_dash="dot", line_color=LIGHT_COLOUR)
    fig.add_annotation(
        x=light_threshold + 0.5,
        y=1.0,
        yref="paper",
        yanchor="bottom",
        showarrow=False,
        text=f"licht: score 1–{light_threshold}" if light_threshold > 1 else "licht: score 1",
        font={"color": "#9A6700"},
    )
    fig.update_layout(
        font=FONT,
        height=520,
        margin={"l": 10, "r": 40, "t": 40, "b": 40},
        bargap=0.3,
        xaxis={
            "range": [0, 5.6],
            "tickvals": [1, 2, 3, 4, 5],
            "title": "score (1 = nog niet op ingezet, 5 = actie en bijgestuurd)",
        },
        yaxis={"autorange": "reversed"},
        legend={"orientation": "h", "y": -0.15},
        showlegend=previous is not None,
    )
    return fig


def history_chart(history: Sequence[Assessment]) -> go.Figure:
    """A grid of scores: bouwstenen (by cluster) down, assessment dates across; niet gescoord is empty."""
    order = _cluster_order()
    dates = [format_date(a.assessed_on) for a in history]
    z, text = [], []
    for b in order:
        row = [a.scores.get(b.code) for a in history]
        z.append([float(s) if s is not None else None for s in row])
        text.append([str(s) if s is not None else "–" for s in row])
    # One flat colour per score: each score owns a fifth of the 0,5–5,5 range.
    steps = [step for i, c in enumerate(HISTORY_SCALE) for step in ((i / 5, c), ((i + 1) / 5, c))]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=dates,
            y=_axis_labels(),
            text=text,
            texttemplate="%{text}",
            textfont={"size": 16},
            zmin=0.5,
            zmax=5.5,
            colorscale=steps,
            xgap=3,
            ygap=3,
            colorbar={"title": "score", "tickvals": [1, 2, 3, 4, 5]},
            hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
        )
    )
    fig.update_layout(
        font=FONT,
        height=520,
        margin={"l": 10, "r": 10, "t": 20, "b": 40},
        yaxis={"autorange": "reversed"},
        xaxis={"type": "category", "side": "top"},
    )
    return fig


def balance_chart(balance: pd.DataFrame, light: Sequence[str] = ()) -> go.Figure:
    """Stacked bars of actions per bouwsteen and status (``bouwstenen.action_balance``); light ones marked."""
    by_code = balance.set_index("code")
    order = _cluster_order()
    y = _axis_labels()
    y[1] = [f"⚠ {b.name}" if b.code in light else b.name for b in order]
    fig = go.Figure()
    for status, colour in STATUS_COLOURS.items():
        fig.add_trace(
            go.Bar(
                x=[int(by_code.loc[b.code, status]) for b in order],
                y=y,
                orientation="h",
                name=status,
                marker_color=colour,
                hovertemplate="%{y}<br>" + status + ": %{x} actie(s)<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        font=FONT,
        height=520,
        margin={"l": 10, "r": 10, "t": 20, "b": 40},
        yaxis={"autorange": "reversed"},
        xaxis={"title": "aantal acties", "dtick": 1},
        legend={"orientation": "h", "y": -0.15},
    )
    return fig
