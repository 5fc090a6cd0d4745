"""The werkgroep's own work on the referentiekader: self-assessments, reflection notes, actions.

* A **self-assessment** is a team's score (1–5 or niet gescoord) on each of the 9 bouwstenen
  on one date. Saving again on the same date replaces that date's scores; earlier dates stay,
  so the team sees where it stood last time. Scores come from the sidebar ("zijbalk") or are
  taken over from a poll round ("peiling", the round is remembered).
* A **reflection note** per team and bouwsteen answers the reflection questions of its band.
* **Actions** per bouwsteen (seed 000): status, partners, participation level and a place.

A team is a free name ("Werkgroep zorgzaam Heidebeek"); nothing else identifies it.
Validation lives here (texts in Dutch), the SQL in zorgzaam.store. No Streamlit.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pandas as pd
from pyproj import Transformer

from . import bouwstenen
from .bouwstenen import Action, validate_action
from .store import Store

if TYPE_CHECKING:
    from .polls import RoundResults

__all__ = [
    "ACTION_TABLE_HEADERS",
    "MAX_TEAM_CHARS",
    "SOURCES",
    "Assessment",
    "StoredAction",
    "WerkgroepError",
    "action_sectors",
    "actions",
    "actions_per_sector",
    "actions_table",
    "assessments",
    "changes",
    "delete_action",
    "delete_assessment",
    "history_table",
    "latest",
    "notes",
    "save_action",
    "save_note",
    "save_scores",
    "scores_from_poll",
    "validate_team",
]

MAX_TEAM_CHARS = 80

#: Where a set of scores came from → Dutch label.
SOURCES: dict[str, str] = {
    "zijbalk": "zelf gescoord",
    "peiling": "overgenomen uit een peiling",
}


class WerkgroepError(ValueError):
    """Invalid input from the werkgroep; the message is one Dutch sentence."""


def validate_team(name: Any) -> str:
    """A team name: stripped, inner whitespace collapsed, 1–80 characters, no control characters."""
    if not isinstance(name, str) or not name.strip():
        raise WerkgroepError("Geef de naam van jullie werkgroep of team (bv. 'Werkgroep zorgzaam Heidebeek').")
    text = " ".join(unicodedata.normalize("NFC", name).split())
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text):  # Cf: zero-width characters
        raise WerkgroepError("De naam van het team bevat onzichtbare tekens; typ hem opnieuw.")
    if len(text) > MAX_TEAM_CHARS:
        raise WerkgroepError(f"De naam van het team is te lang ({len(text)} tekens; maximum {MAX_TEAM_CHARS}).")
    return text


def _validate_date(value: Any) -> date:
    if isinstance(value, datetime):
        value = value.date()
    elif isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise WerkgroepError(f"'{value}' is geen datum (verwacht jjjj-mm-dd).") from None
    if not isinstance(value, date):
        raise WerkgroepError("Geef de datum van de zelfevaluatie.")
    # One day of slack: the server's clock may run in another time zone than the meeting.
    if value > date.today() + timedelta(days=1):
        raise WerkgroepError("Een zelfevaluatie kan niet in de toekomst liggen; kies de datum van de bijeenkomst.")
    return value


# --------------------------------------------------------------------------- self-assessment


@dataclass(frozen=True)
class Assessment:
    """A team's scores on one date: every bouwsteen code → 1–5 or None (niet gescoord)."""

    team: str
    assessed_on: date
    scores: dict[str, int | None]
    source: str = "zijbalk"
    poll_session_id: str | None = None
    poll_round: int | None = None

    @property
    def scored(self) -> int:
        return sum(score is not None for score in self.scores.values())

    @property
    def source_label(self) -> str:
        label = SOURCES.get(self.source, self.source)
        return f"{label} (ronde {self.poll_round})" if self.source == "peiling" and self.poll_round else label


def save_scores(
    store: Store,
    team: Any,
    assessed_on: Any,
    scores: Mapping[str, Any],
    source: str = "zijbalk",
    poll_session_id: str | None = None,
    poll_round: int | None = None,
) -> Assessment:
    """Validate and store a team's scores for a date (replacing that date's earlier scores)."""
    team_name = validate_team(team)
    day = _validate_date(assessed_on)
    if source not in SOURCES:
        raise WerkgroepError(f"Onbekende herkomst '{source}' van de scores.")
    try:
        checked = bouwstenen.checked_scores(scores)
    except ValueError as exc:
        raise WerkgroepError(str(exc)) from None
    if not any(score is not None for score in checked.values()):
        raise WerkgroepError("Geef minstens één bouwsteen een score van 1 tot 5 voor je bewaart.")
    store.save_team_scores(
        team_name,
        day,
        list(checked.items()),
        source,
        poll_session_id,
        int(poll_round) if poll_round is not None else None,
    )
    return Assessment(team_name, day, checked, source, poll_session_id, poll_round)


def assessments(store: Store, team: Any) -> list[Assessment]:
    """Every assessment of the team, oldest first."""
    frame = store.team_scores(validate_team(team))
    out = []
    for day, rows in frame.groupby("assessed_on", sort=True):
        scores = {b.code: None for b in bouwstenen.BOUWSTENEN}
        for code, score in zip(rows["bouwsteen"], rows["score"]):
            if code in scores:  # a code a later version dropped is ignored, not fatal
                scores[code] = None if pd.isna(score) else int(score)
        first = rows.iloc[0]
        out.append(
            Assessment(
                team=validate_team(team),
                assessed_on=pd.Timestamp(day).date(),
                scores=scores,
                source=first["source"],
                poll_session_id=None if pd.isna(first["poll_session_id"]) else first["poll_session_id"],
                poll_round=None if pd.isna(first["poll_round"]) else int(first["poll_round"]),
            )
        )
    return out


def latest(store: Store, team: Any, before: date | None = None) -> Assessment | None:
    """The team's most recent assessment (strictly before ``before`` when given), or None."""
    if isinstance(before, datetime):
        before = before.date()
    found = [a for a in assessments(store, team) if before is None or a.assessed_on < before]
    return found[-1] if found else None


def delete_assessment(store: Store, team: Any, assessed_on: Any) -> None:
    store.delete_team_scores(validate_team(team), _validate_date(assessed_on))


def history_table(history: Iterable[Assessment]) -> pd.DataFrame:
    """One row per assessment and bouwsteen: assessed_on, number, code, name, cluster, cluster_label,
    score (Int64, missing = niet gescoord), source_label."""
    rows = [
        {
            "assessed_on": a.assessed_on,
            "number": b.number,
            "code": b.code,
            "name": b.name,
            "cluster": b.cluster,
            "cluster_label": b.cluster_label,
            "score": a.scores.get(b.code),
            "source_label": a.source_label,
        }
        for a in history
        for b in bouwstenen.BOUWSTENEN
    ]
    frame = pd.DataFrame(
        rows, columns=["assessed_on", "number", "code", "name", "cluster", "cluster_label", "score", "source_label"]
    )
    frame["score"] = frame["score"].astype("Int64")
    return frame


def changes(previous: Assessment | None, current: Assessment) -> dict[str, int | None]:
    """Per bouwsteen the change in score since the previous assessment (None when either is not scored)."""
    out: dict[str, int | None] = {}
    for code, score in current.scores.items():
        before = previous.scores.get(code) if previous is not None else None
        out[code] = score - before if score is not None and before is not None else None
    return out


def scores_from_poll(results: RoundResults) -> dict[str, int | None]:
    """The group's score per bouwsteen from a poll round: the median of the answers.

    A median between two scores (3,5 with an even number of answers) is rounded **down**: a
    bouwsteen counts as "actie" (4) only when at least half the group says so. No answers → None.
    Only scale questions tied to a bouwsteen count; other questions are ignored.
    """
    scores: dict[str, int | None] = {b.code: None for b in bouwstenen.BOUWSTENEN}
    for result in results.questions:
        code = result.question.bouwsteen
        if result.question.kind == "scale" and code in scores and result.median is not None:
            scores[code] = int(math.floor(result.median))
    return scores


# --------------------------------------------------------------------------- reflection notes


def save_note(store: Store, team: Any, bouwsteen: str, text: Any) -> None:
    """Store the team's reflection note on a bouwsteen (empty text removes it)."""
    try:
        code = bouwstenen.by_code(bouwsteen).code
    except bouwstenen.UnknownBouwsteen as exc:
        raise WerkgroepError(str(exc)) from None
    if text is not None and not isinstance(text, str):
        raise WerkgroepError("Een notitie is tekst.")
    store.save_bouwsteen_note(validate_team(team), code, text or "")


def notes(store: Store, team: Any) -> dict[str, str]:
    """Bouwsteen code → the team's reflection note."""
    return store.bouwsteen_notes(validate_team(team))


# --------------------------------------------------------------------------- actions


@dataclass(frozen=True)
class StoredAction:
    action_id: int
    action: Action
    created_at: datetime
    updated_at: datetime


def _action_row(action: Action) -> dict:
    row = {
        "title": action.title,
        "bouwstenen": json.dumps(list(action.bouwstenen)),
        "status": action.status,
        "partners": json.dumps(list(action.partners), ensure_ascii=False),
        "participation": action.participation,
        "place_kind": "gemeentebreed",
        "sector": None,
        "lon": None,
        "lat": None,
        "notes": action.notes,
    }
    if action.sector is not None:
        row.update(place_kind="sector", sector=action.sector)
    elif action.point is not None:
        row.update(place_kind="punt", lon=action.point[0], lat=action.point[1])
    return row


def save_action(store: Store, team: Any, action: Action, action_id: int | None = None) -> int:
    """Store a validated action (``bouwstenen.validate_action``): new, or replacing ``action_id``."""
    if not isinstance(action, Action):
        raise TypeError("save_action expects a bouwstenen.Action; build one with validate_action")
    return store.save_team_action(validate_team(team), action_id, _action_row(action))


def delete_action(store: Store, team: Any, action_id: int) -> bool:
    return store.delete_team_action(validate_team(team), int(action_id))


def actions(store: Store, team: Any) -> list[StoredAction]:
    """The team's actions, oldest first."""
    out = []
    for row in store.team_actions(validate_team(team)):
        place: Any = bouwstenen.MUNICIPALITY_WIDE
        if row["place_kind"] == "sector":
            place = row["sector"]
        elif row["place_kind"] == "punt":
            place = (row["lon"], row["lat"])
        action = validate_action(
            row["title"],
            json.loads(row["bouwstenen"]),
            row["status"],
            json.loads(row["partners"]),
            row["participation"],
            place,
            row["notes"],
        )
        out.append(StoredAction(int(row["action_id"]), action, row["created_at"], row["updated_at"]))
    return out


#: Column of ``actions_table`` → Dutch header.
ACTION_TABLE_HEADERS: dict[str, str] = {
    "action_id": "Nr.",
    "title": "Actie",
    "bouwstenen": "Bouwsteen/bouwstenen",
    "status": "Status",
    "partners": "Partners",
    "participation": "Participatie",
    "place": "Plaats",
    "notes": "Notities",
}


def actions_table(stored: Iterable[StoredAction], sector_names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The actions for display, with Dutch texts; a sector shows its name when ``sector_names`` knows it."""
    names = sector_names or {}
    rows = []
    for item in stored:
        a = item.action
        place = bouwstenen.place_label(a)
        if a.sector is not None and a.sector in names:
            place = f"{names[a.sector]} ({a.sector})"
        rows.append(
            {
                "action_id": item.action_id,
                "title": a.title,
                "bouwstenen": ", ".join(bouwstenen.by_code(c).name for c in a.bouwstenen),
                "status": a.status,
                "partners": ", ".join(a.partners),
                "participation": bouwstenen.PARTICIPATION_LEVELS[a.participation][0] if a.participation else "",
                "place": place,
                "notes": a.notes,
            }
        )
    return pd.DataFrame(rows, columns=list(ACTION_TABLE_HEADERS))


_TO_LAMBERT = Transformer.from_crs("EPSG:4326", "EPSG:31370", always_xy=True)


def action_sectors(stored: Iterable[StoredAction], sectors: pd.DataFrame) -> dict[int, str | None]:
    """action_id → the sector it happens in: its sector, or the sector that holds its point (Lambert).

    ``sectors`` has ``code`` and ``geometry`` (shapely, EPSG:31370). Municipality-wide actions and
    points outside every given sector map to None.
    """
    from .environment import locate_amenities

    items = list(stored)
    out: dict[int, str | None] = {i.action_id: i.action.sector for i in items}
    points = [i for i in items if i.action.point is not None]
    if points:
        x, y = _TO_LAMBERT.transform([i.action.point[0] for i in points], [i.action.point[1] for i in points])
        found = locate_amenities(pd.DataFrame({"x": x, "y": y}), sectors)
        out.update({i.action_id: code for i, code in zip(points, found)})
    return out


def actions_per_sector(stored: Iterable[StoredAction], sectors: pd.DataFrame) -> pd.DataFrame:
    """Per sector of ``sectors`` (all of them, also those without any action): code, lopend, gepland,
    gemist, total and titles (the action titles, "; "-joined). Where initiatives are, and are not."""
    items = list(stored)
    where = action_sectors(items, sectors)
    rows = {
        code: {"code": code, **{s: 0 for s in bouwstenen.ACTION_STATUSES}, "titles": []} for code in sectors["code"]
    }
    for item in items:
        code = where.get(item.action_id)
        if code in rows:
            rows[code][item.action.status] += 1
            rows[code]["titles"].append(item.action.title)
    frame = pd.DataFrame(list(rows.values()), columns=["code", *bouwstenen.ACTION_STATUSES, "titles"])
    frame["total"] = frame[list(bouwstenen.ACTION_STATUSES)].sum(axis=1).astype(int)
    frame["titles"] = ["; ".join(t) for t in frame["titles"]]
    return frame
