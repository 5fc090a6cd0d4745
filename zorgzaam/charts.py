"""Plotly figures built from domain objects, without Streamlit (pages only show them)."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import bouwstenen, polls
from .formatting import format_number
from .mismatch import format_share as format_lack_share
from .whowhat import need_text

__all__ = ["SCORE_COLOURS", "format_share", "meeting_progress", "mismatch_scatter", "poll_scale", "score_label"]

# ColorBrewer YlGnBu (5 classes, colour-blind safe): low scores light, high scores dark.
SCORE_COLOURS = {1: "#ffffcc", 2: "#a1dab4", 3: "#41b6c4", 4: "#2c7fb8", 5: "#253494"}
# A meeting's cell text: "3 (n=7)".
CELL = re.compile(r"^\s*(\d+)\s*\(n=(\d+)\)\s*$")


def format_share(count: int, total: int) -> str:
    return "-" if not total else f"{format_number(100 * count / total, 1)} %"


def score_label(score: int) -> str:
    return f"{score} · {bouwstenen.SCALE[score]}"


def poll_scale(res: polls.RoundResults) -> go.Figure:
    """Stacked horizontal bars: per scale question the share of each score, the count as the label."""
    scale = [r for r in res.questions if r.question.kind == "scale"]
    labels = [f"{r.question.text} (n={r.n}){' ⚠' if r.disagreement else ''}" for r in scale]
    fig = go.Figure()
    for score in polls.SCALE_VALUES:
        counts = [int(r.distribution.get(score, 0)) for r in scale]
        shares = [100 * c / r.n if r.n else 0 for c, r in zip(counts, scale)]
        fig.add_bar(
            y=labels,
            x=shares,
            orientation="h",
            name=score_label(score),
            marker_color=SCORE_COLOURS[score],
            marker_line=dict(color="white", width=1),
            text=[str(c) if c else "" for c in counts],
            textposition="inside",
            insidetextanchor="middle",
            textfont=dict(color="#222" if score <= 2 else "white", size=16),
            customdata=[[c, format_share(c, r.n)] for c, r in zip(counts, scale)],
            hovertemplate="%{y}<br>" + score_label(score) + ": %{customdata[0]} (%{customdata[1]})<extra></extra>",
        )
    fig.update_layout(
        barmode="stack",
        height=60 + 46 * max(len(scale), 1),
        margin=dict(l=10, r=10, t=10, b=10),
        xaxis=dict(range=[0, 100], ticksuffix=" %", title=None, fixedrange=True),
        yaxis=dict(autorange="reversed", fixedrange=True, tickfont=dict(size=16, color="#222")),
        showlegend=False,  # scale_legend_html: plotly's legend scrolls or squeezes the long scale texts
        separators=", ",
    )
    return fig


def _parse_cell(text: Any) -> tuple[int | None, str]:
    match = CELL.match(str(text))
    if not match:
        return None, ""
    return int(match.group(1)), f"{match.group(1)} (n={match.group(2)})"


def meeting_progress(table: pd.DataFrame) -> go.Figure:
    """Bouwstenen × meetings, coloured by the group's score (1–5), the cell text '3 (n=7)'."""
    columns = [c for c in table.columns if c != "Bouwsteen"]
    parsed = [[_parse_cell(table[c].iloc[r]) for c in columns] for r in range(len(table))]
    z = [[p[0] for p in row] for row in parsed]
    text = [[p[1] for p in row] for row in parsed]
    scale = []
    for score in range(1, 6):
        scale += [[(score - 1) / 5, SCORE_COLOURS[score]], [score / 5, SCORE_COLOURS[score]]]
    scale_labels = [[bouwstenen.SCALE.get(v, "niet gescoord") if v else "niet gescoord" for v in row] for row in z]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=columns,
            y=list(table["Bouwsteen"]),
            text=text,
            texttemplate="%{text}",
            zmin=0.5,
            zmax=5.5,
            colorscale=scale,
            xgap=2,
            ygap=2,
            hoverongaps=False,
            customdata=scale_labels,
            hovertemplate="%{y}<br>%{x}<br>%{text}: %{customdata}<extra></extra>",
            colorbar=dict(title="Score", tickvals=[1, 2, 3, 4, 5], ticktext=["1", "2", "3", "4", "5"], thickness=14),
        )
    )
    # A date over its title: the column heads stay readable side by side.
    heads = [label.replace(" ", "<br>", 1) for label in columns]
    fig.update_layout(
        height=150 + 42 * len(table),
        margin=dict(l=10, r=10, t=10, b=10),
        yaxis=dict(autorange="reversed"),
        xaxis=dict(side="top", type="category", tickmode="array", tickvals=columns, ticktext=heads, tickangle=0),
    )
    return fig


def mismatch_scatter(
    data: pd.DataFrame, need, zone_need: float | None, zone_lack: float, zone_label: str, selected: str | None
) -> go.Figure:
    """Need × lack of access per sector; bubble = people concerned without access; cross-hairs at the zone."""
    known = data.dropna(subset=["need_value", "lack_share"])
    sizes = known["group_lacking"].fillna(0).clip(lower=0)
    scale = 40 / np.sqrt(sizes.max()) if sizes.max() > 0 else 0
    colours = ["#08306b" if c == selected else "#6baed6" for c in known["statsec"]]
    hover = [
        f"<b>{n}</b><br>Wie: {need_text(need, v)}<br>Zonder toegang: {format_lack_share(s)}"
        f"<br>≈ {format_number(g) if pd.notna(g) else 'x'} mensen"
        for n, v, s, g in zip(known["name"], known["need_value"], known["lack_share"], known["group_lacking"])
    ]
    fig = go.Figure(
        go.Scatter(
            x=known["need_value"],
            y=known["lack_share"] * 100,
            mode="markers",
            marker={
                "size": 6 + np.sqrt(sizes) * scale,
                "color": colours,
                "line": {"color": "#333", "width": 1},
                "opacity": 0.8,
            },
            hovertext=hover,
            hoverinfo="text",
            name="sectoren",
        )
    )
    if zone_need is not None and np.isfinite(zone_need):
        fig.add_vline(
            x=zone_need,
            line_dash="dash",
            line_color="#1b9e77",
            annotation_text=f"{zone_label}: {need_text(need, zone_need)}",
            annotation_position="top",
        )
    if np.isfinite(zone_lack):
        fig.add_hline(
            y=zone_lack * 100,
            line_dash="dash",
            line_color="#1b9e77",
            annotation_text=f"{zone_label}: {format_lack_share(zone_lack)}",
            annotation_position="right",
        )
    fig.update_layout(
        height=420,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        showlegend=False,
        separators=",.",
        xaxis_title=need.label,
        yaxis_title=f"% {need.group_label} te ver",
        yaxis={"ticksuffix": " %"},
    )
    return fig
