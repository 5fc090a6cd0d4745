"""The werkgroep's bouwstenen scores (and a poll round) as a PNG for a report or a slide.

The same picture as the page chart (zorgzaam.bouwstenen_charts.score_chart): horizontal bars per
bouwsteen grouped by cluster, the light ones (score 1–2) orange, scores 4–5 blue, 3 grey, last
time's score as a black diamond, niet gescoord without a bar. Matplotlib with the Agg canvas only
(no pyplot global state), so it is safe in a Streamlit server thread. No Streamlit.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from .. import bouwstenen, werkgroep
from ..bouwstenen_charts import (
    ACTIVE_COLOUR,
    HISTORY_SCALE,
    LIGHT_COLOUR,
    MIDDLE_COLOUR,
    NOT_SCORED_COLOUR,
    PREVIOUS_COLOUR,
    score_colour,
)
from ..formatting import format_date, format_number
from ..store import Store
from ..werkgroep import Assessment

__all__ = ["ImageError", "bouwstenen_png", "poll_round_png"]

SOURCE_LINE = "Bron: zelfevaluatie van de werkgroep op de 9 bouwstenen van het referentiekader zorgzame buurten"
SCALE_LINE = (
    "Score: 1 = nog niet op ingezet · 2 = al eens over nagedacht · 3 = constructief aan het overleggen · "
    "4 = actie rond deze bouwsteen · 5 = actie en al bijgestuurd"
)


class ImageError(ValueError):
    """Nothing to draw; the message is one Dutch sentence."""


def _order() -> list[bouwstenen.Bouwsteen]:
    return [b for cluster in bouwstenen.CLUSTERS for b in bouwstenen.in_cluster(cluster)]


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date()


def _assessments_from_frame(frame: pd.DataFrame, team: str) -> list[Assessment]:
    """Assessments from ``Store.team_scores`` rows or ``werkgroep.history_table`` rows
    (assessed_on, bouwsteen or code, score)."""
    code_col = "bouwsteen" if "bouwsteen" in frame.columns else "code"
    out = []
    for day, rows in frame.groupby("assessed_on", sort=True):
        scores = {b.code: None for b in bouwstenen.BOUWSTENEN}
        for code, score in zip(rows[code_col], rows["score"]):
            if code in scores:
                scores[code] = None if pd.isna(score) else int(score)
        first = rows.iloc[0]
        source = first["source"] if "source" in rows and first["source"] in werkgroep.SOURCES else "zijbalk"
        poll_round = first.get("poll_round") if "poll_round" in rows else None
        out.append(
            Assessment(
                team,
                _as_date(day),
                scores,
                source,
                poll_round=None if poll_round is None or pd.isna(poll_round) else int(poll_round),
            )
        )
    return out


def _history(source: Store | pd.DataFrame | Sequence[Assessment], team: str) -> list[Assessment]:
    if isinstance(source, Store):
        return werkgroep.assessments(source, team)
    if isinstance(source, pd.DataFrame):
        return _assessments_from_frame(source, team)
    return sorted(source, key=lambda a: a.assessed_on)


def _pick(history: list[Assessment], on) -> tuple[Assessment, Assessment | None]:
    if not history:
        raise ImageError("Dit team heeft nog geen zelfevaluatie van de bouwstenen bewaard.")
    if on is None:
        index = len(history) - 1
    else:
        day = _as_date(on)
        matches = [i for i, a in enumerate(history) if a.assessed_on == day]
        if not matches:
            raise ImageError(f"Er is geen zelfevaluatie van {format_date(day)} voor dit team.")
        index = matches[0]
    return history[index], history[index - 1] if index > 0 else None


def _png(fig: Figure, dpi: int) -> bytes:
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()


def bouwstenen_png(
    source: Store | pd.DataFrame | Sequence[Assessment],
    team: str,
    date=None,
    previous: bool = True,
    dpi: int = 150,
    light_threshold: int = 2,
) -> bytes:
    """The team's scores on ``date`` (default: the latest) per bouwsteen, grouped by cluster.

    ``source``: a store, a frame of ``Store.team_scores`` / ``werkgroep.history_table`` rows, or
    assessments. With ``previous`` the assessment before it is drawn as a diamond. Raises ImageError
    (Dutch) when there is nothing to draw.
    """
    team_name = werkgroep.validate_team(team)
    current, before = _pick(_history(source, team_name), date)
    if not previous:
        before = None
    order = _order()
    light = set(bouwstenen.light_bouwstenen(current.scores, light_threshold))

    # Rows from the top: a cluster heading, then its bouwstenen.
    y_pos, labels, heading_rows = [], [], []
    row = 0
    for cluster, label in bouwstenen.CLUSTERS.items():
        heading_rows.append((row, label))
        row += 1
        for b in bouwstenen.in_cluster(cluster):
            y_pos.append(row)
            labels.append(f"{b.number}. {b.name}")
            row += 1
    n_rows = row

    fig = Figure(figsize=(11, 7.5))
    ax = fig.add_axes((0.27, 0.19, 0.69, 0.68))
    scores = [current.scores.get(b.code) for b in order]
    for y, b, s in zip(y_pos, order, scores):
        colour = score_colour(s, light_threshold)
        if s is None:
            ax.text(
                0.08,
                y,
                bouwstenen.NOT_SCORED_LABEL,
                va="center",
                ha="left",
                color=NOT_SCORED_COLOUR,
                fontsize=11,
                style="italic",
            )
            continue
        ax.barh(y, s, height=0.62, color=colour, edgecolor="none")
        text = f"{s}" + (" · licht" if b.code in light else "")
        ax.text(
            s + 0.08,
            y,
            text,
            va="center",
            ha="left",
            fontsize=12,
            fontweight="bold",
            color="#9A6700" if b.code in light else "#222222",
        )
    if before is not None:
        for y, b in zip(y_pos, order):
            p = before.scores.get(b.code)
            if p is not None:
                ax.plot([p], [y], marker="D", markersize=9, color=PREVIOUS_COLOUR, linestyle="none", zorder=5)
    ax.axvline(light_threshold + 0.5, color=LIGHT_COLOUR, linestyle=":", linewidth=2)
    ax.text(
        light_threshold + 0.5,
        -0.9,
        f"licht: score 1–{light_threshold}" if light_threshold > 1 else "licht: score 1",
        ha="center",
        va="bottom",
        color="#9A6700",
        fontsize=11,
    )
    ax.set_xlim(0, 5.9)
    ax.set_ylim(n_rows - 0.4, -1.0)
    ax.set_xticks([1, 2, 3, 4, 5])
    ax.set_yticks(y_pos)
    ax.set_yticklabels(labels, fontsize=12)
    ax.tick_params(axis="y", length=0)
    ax.tick_params(axis="x", labelsize=12)
    ax.set_xlabel("score (1 = nog niet op ingezet, 5 = actie en bijgestuurd)", fontsize=12)
    for spine in ("top", "right", "left"):
        ax.spines[spine].set_visible(False)
    ax.grid(axis="x", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    for y, label in heading_rows:
        ax.text(0.03, y, label.upper(), ha="left", va="center", fontsize=11, fontweight="bold", color="#444444")
        if y > 0:
            ax.axhline(y - 0.5, color="#bbbbbb", linewidth=0.8)

    handles = [
        Patch(color=LIGHT_COLOUR, label=f"licht (1–{light_threshold})"),
        Patch(color=MIDDLE_COLOUR, label="overleggen (3)"),
        Patch(color=ACTIVE_COLOUR, label="actie (4–5)"),
    ]
    if before is not None:
        handles.append(
            Line2D(
                [],
                [],
                marker="D",
                color=PREVIOUS_COLOUR,
                linestyle="none",
                markersize=8,
                label=f"vorige keer ({format_date(before.assessed_on)})",
            )
        )
    fig.legend(
        handles=handles, loc="lower center", ncol=len(handles), frameon=False, fontsize=11, bbox_to_anchor=(0.5, 0.055)
    )

    scored = current.scored
    fig.suptitle(f"Zelfevaluatie bouwstenen — {team_name}", x=0.02, ha="left", y=0.975, fontsize=17, fontweight="bold")
    fig.text(
        0.02,
        0.915,
        f"{format_date(current.assessed_on)} · {current.source_label} · {scored} van de 9 bouwstenen gescoord",
        fontsize=12,
        color="#333333",
    )
    fig.text(0.02, 0.035, SCALE_LINE, fontsize=9, color="#333333")
    fig.text(0.02, 0.012, f"{SOURCE_LINE} (zorgzaam, {format_date(_today())}).", fontsize=9, color="#555555")
    return _png(fig, dpi)


def _today() -> date:
    return date.today()


def poll_round_png(results, dpi: int = 150, title: str | None = None) -> bytes:
    """One poll round (``polls.RoundResults``): per scale question the number of answers per score
    1–5 as a stacked bar, with the median. Anonymous: only counts. Raises ImageError without any
    scale question."""
    questions = [r for r in results.questions if r.question.kind == "scale"]
    if not questions:
        raise ImageError("Deze peiling heeft geen vragen met een score van 1 tot 5 om te tekenen.")
    n = len(questions)
    fig = Figure(figsize=(11, max(4.5, 0.55 * n + 2.6)))
    ax = fig.add_axes((0.27, 0.16, 0.50, 0.70))
    most = max(max(r.n for r in questions), 1)
    for y, r in enumerate(questions):
        left = 0
        for score in range(1, 6):
            count = int(r.distribution.get(score, 0))
            if count:
                ax.barh(y, count, left=left, color=HISTORY_SCALE[score - 1], height=0.62, edgecolor="white")
                ax.text(
                    left + count / 2,
                    y,
                    str(score),
                    ha="center",
                    va="center",
                    fontsize=10,
                    color="white" if score in (1, 5) else "#222222",
                )
            left += count
        median = "–" if r.median is None else format_number(r.median, 0 if float(r.median).is_integer() else 1)
        extra = "\nmeningen lopen uiteen" if r.disagreement else ""
        ax.text(most * 1.02, y, f"n = {r.n} · mediaan {median}{extra}", va="center", ha="left", fontsize=10)
    ax.set_yticks(range(n))
    ax.set_yticklabels(
        [r.question.text if len(r.question.text) <= 45 else r.question.text[:44] + "…" for r in questions], fontsize=11
    )
    ax.set_ylim(n - 0.4, -0.6)
    ax.set_xlim(0, most * 1.02)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("aantal antwoorden (het cijfer in de balk is de score)", fontsize=11)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    handles = [Patch(color=HISTORY_SCALE[s - 1], label=f"{s}") for s in range(1, 6)]
    fig.legend(
        handles=handles,
        title="score",
        loc="lower center",
        ncol=5,
        frameon=False,
        fontsize=10,
        bbox_to_anchor=(0.5, 0.0),
    )
    fig.suptitle(title or f"Peiling — {results.title}", x=0.02, ha="left", fontsize=16, fontweight="bold")
    fig.text(
        0.02,
        0.90,
        f"Ronde {results.round} · {results.participants} deelnemer(s) · anoniem: enkel aantallen",
        fontsize=11,
        color="#333333",
    )
    return _png(fig, dpi)
