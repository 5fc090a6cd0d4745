"""Plotly figures built from domain objects, without Streamlit (pages only show them)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import bouwstenen, polls
from .catalogue import Indicator
from .comparisons import Reference
from .formatting import format_number
from .mismatch import format_share as format_lack_share
from .whowhat import need_text

__all__ = [
    "OTHER_COLOUR",
    "REFERENCE_COLOURS",
    "SCORE_COLOURS",
    "SELECTED_COLOUR",
    "SMALL_COLOUR",
    "format_share",
    "meeting_progress",
    "mismatch_scatter",
    "poll_scale",
    "profile_index",
    "ranking_bars",
    "score_label",
    "trend_lines",
]

# ColorBrewer YlGnBu (5 classes, colour-blind safe): low scores light, high scores dark.
SCORE_COLOURS = {1: "#ffffcc", 2: "#a1dab4", 3: "#41b6c4", 4: "#2c7fb8", 5: "#253494"}
# Wie woont er?: the chosen sector dark blue, the others light blue, a small sector grey; a colour per reference.
SELECTED_COLOUR = "#08306b"
OTHER_COLOUR = "#9ecae1"
SMALL_COLOUR = "#d9d9d9"
REFERENCE_COLOURS = {"gemeente": "#d95f02", "elz": "#1b9e77", "provincie": "#7570b3", "gewest": "#444444"}
REFERENCE_DASHES = {"gemeente": "dash", "elz": "solid", "provincie": "dot", "gewest": "dashdot"}
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


# --- Wie woont er? ----------------------------------------------------------------------------------


def ranking_bars(
    ranked: pd.DataFrame,
    ind: Indicator,
    references: Sequence[tuple[str, str, float, str]],
    selected: str | None,
) -> go.Figure:
    """The sectors of a view as horizontal bars, highest first (the order of ``ranked``).

    ``ranked``: ``profiles.ranking`` with a boolean ``small`` column. A sector without a value (hidden or no
    data) gets no bar, never a bar of 0. ``references``: (level, label, value, text) per reference; for a rate
    each known one is a vertical line, named with its text in the legend (a count's total is no line).
    """
    shown = ranked.dropna(subset=["value"])
    colours = [
        SELECTED_COLOUR if c == selected else (SMALL_COLOUR if s else OTHER_COLOUR)
        for c, s in zip(shown["area_code"], shown["small"])
    ]
    fig = go.Figure(
        go.Bar(
            x=shown["value"],
            y=[f"{n} ({c})" for n, c in zip(shown["area_name"], shown["area_code"])],
            orientation="h",
            name=ind.label,
            marker_color=colours,
            text=[f"{v}  {('· ' + ct) if ct else ''}" for v, ct in zip(shown["value_text"], shown["count_text"])],
            textposition="outside",
            cliponaxis=False,
            hoverinfo="text",
            hovertext=[
                f"{n}: {v}<br>{ct}" for n, v, ct in zip(shown["area_name"], shown["value_text"], shown["count_text"])
            ],
        )
    )
    for level, label, value, text in references:
        if pd.isna(value) or ind.is_count:
            continue
        line = dict(color=REFERENCE_COLOURS.get(level, "#444"), width=2.5, dash=REFERENCE_DASHES.get(level, "dash"))
        fig.add_vline(x=value, line=line)
        # A legend-only trace names the line in words, with its value.
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=f"{label}: {text}", line=line))
    fig.update_layout(
        height=max(300, 22 * len(shown) + 130),
        margin=dict(l=10, r=60, t=50, b=30),
        yaxis=dict(autorange="reversed"),
        xaxis_title=f"{ind.label} ({ind.unit})",
        separators=",.",
        bargap=0.25,
        legend=dict(orientation="h", y=1.0, yanchor="bottom", x=0),
        showlegend=True,
    )
    fig.data[0].showlegend = False
    return fig


def profile_index(profile: pd.DataFrame, refs: Sequence[Reference]) -> go.Figure:
    """Every rate of a sector (``profiles.sector_profile``) as an index of the care zone (100), beside the other
    references' indices; counts are left out. A log axis: half and double the zone lie equally far from 100."""
    zone = next((r for r in refs if r.level == "elz"), None)
    rates = profile[~profile["is_count"]].sort_values(["theme_order"], kind="stable")
    fig = go.Figure()
    labels = list(rates["label"])
    hover_own = [f"{lab}<br>sector: {txt}" for lab, txt in zip(rates["label"], rates["value_text"])]
    for ref in refs:
        if ref.level == "elz":
            continue
        col = f"ref_{ref.level}"
        if col not in rates:
            continue
        index = rates[col] / rates["ref_elz"] * 100 if "ref_elz" in rates else None
        fig.add_trace(
            go.Scatter(
                x=index,
                y=labels,
                mode="markers",
                name=ref.label,
                marker=dict(
                    symbol="line-ns-open" if ref.level == "gewest" else "diamond",
                    size=12,
                    color=REFERENCE_COLOURS.get(ref.level, "#666"),
                    line=dict(width=2),
                ),
                hovertext=[f"{lab}<br>{ref.label}: {txt}" for lab, txt in zip(rates["label"], rates[f"{col}_text"])],
                hoverinfo="text",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=rates["index_elz"],
            y=labels,
            mode="markers",
            name="deze sector",
            marker=dict(size=13, color=SELECTED_COLOUR),
            hovertext=hover_own,
            hoverinfo="text",
        )
    )
    zone_name = zone.label if zone else "eerstelijnszone"
    fig.add_vline(x=100, line_width=2, line_color=REFERENCE_COLOURS["elz"])
    fig.add_annotation(
        x=100,
        y=1.0,
        yref="paper",
        text=f"{zone_name} = 100",
        showarrow=False,
        yanchor="bottom",
        font=dict(color=REFERENCE_COLOURS["elz"]),
    )
    # A log axis: half and double the care zone lie equally far from 100, and a sector at 10 × stays in view.
    fig.update_layout(
        height=max(320, 24 * len(rates) + 120),
        margin=dict(l=10, r=10, t=40, b=40),
        xaxis=dict(
            title=f"index t.o.v. {zone_name} (100 = even hoog, logaritmische schaal)",
            type="log",
            tickvals=[10, 25, 50, 75, 100, 150, 200, 400, 1000],
        ),
        yaxis=dict(autorange="reversed"),
        legend=dict(orientation="h", y=-0.08),
        separators=",.",
    )
    return fig


def trend_lines(data: pd.DataFrame, ind: Indicator) -> go.Figure:
    """An area and its references over the periods (``profiles.trend``): a line per role, the area's thickest,
    each point labelled with its Dutch value text; a hidden or missing value is a gap, never 0."""
    fig = go.Figure()
    for role, rows in data.groupby("role", sort=False):
        level = rows["area_level"].iloc[0]
        name = "deze sector" if role == "gebied" else role
        fig.add_trace(
            go.Scatter(
                x=rows["period"],
                y=rows["value"],
                mode="lines+markers+text",
                name=name,
                text=rows["value_text"],
                textposition="top center",
                line=dict(
                    width=4 if role == "gebied" else 2,
                    color=SELECTED_COLOUR if role == "gebied" else REFERENCE_COLOURS.get(level, "#666"),
                ),
            )
        )
    fig.update_layout(
        height=320,
        margin=dict(l=10, r=10, t=30, b=30),
        yaxis_title=ind.unit,
        xaxis=dict(type="category", title="periode"),
        separators=",.",
        legend=dict(orientation="h", y=-0.25),
    )
    return fig
