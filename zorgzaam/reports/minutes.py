"""The minutes (verslag) of a werkgroep meeting: what the document holds, gathered from the store.

``MinutesDocument`` is pure data, every text already formatted the Dutch way; the layouts
(PDF, DOCX, HTML) are in zorgzaam.reports.minutes_render. ``build_minutes`` fills it from a
meeting (zorgzaam.meetings): the agenda with planned and spent time, per step the poll results
as distributions (never only a mean), the keyword clusters, the sectors' figures and a map,
the note-taker's notes, the team's actions, the agreements and the next meeting's date.

Anonymous always: participants are counted, never named (the optional names a participant
typed on the phone are not read here at all).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

ANONYMOUS_NOTE = ("Dit verslag is anoniem: het telt de antwoorden van de deelnemers maar noemt nooit wie wat "
                  "antwoordde. De notities beschrijven wát er gezegd werd, niet wie het zei.")


@dataclass(frozen=True)
class PollQuestionResult:
    """One poll question of a step, with the distribution of the answers."""

    text: str
    kind: str                                    # 'scale', 'choice' or 'word'
    n: int                                       # answers
    distribution: tuple[tuple[str, int], ...]    # label → count, in display order (scale: all 5 scores)
    median: str | None = None                    # scale only, formatted ("3,5")
    spread: str | None = None                    # scale only: "van 2 tot 5", plus "meningen lopen uiteen"


@dataclass(frozen=True)
class MinutesNote:
    label: str   # the field ("Notities", "2.2 Zijn er cijfers die wijzen op …")
    text: str    # as typed (may hold line breaks)


@dataclass(frozen=True)
class MinutesStep:
    number: int                        # 1-based
    title: str
    purpose: str                       # one line: what the block is for
    planned_minutes: int
    spent_minutes: float | None        # None: never on screen
    participants: int | None = None    # phones that answered this step's questions (None: no questions)
    polls: tuple[PollQuestionResult, ...] = ()
    # keyword clusters (definitie): (domain or "", the keywords "buren, burenhulp", times named)
    clusters: tuple[tuple[str, str, int], ...] = ()
    table_title: str | None = None
    table: pd.DataFrame | None = None  # formatted strings only (sector figures, mismatch, actions …)
    images: tuple[tuple[str, bytes], ...] = ()  # (caption, PNG)
    notes: tuple[MinutesNote, ...] = ()


@dataclass(frozen=True)
class MinutesDocument:
    title: str
    team: str
    meeting_date: date
    place: str | None                      # the municipality's name
    sectors: tuple[str, ...]               # "Naam (code)"
    started: str | None                    # "14:02"
    finished: str | None
    participants: int                      # phones that answered anything
    agenda: tuple[tuple[int, str, int, float | None], ...]  # number, title, planned min, spent min
    steps: tuple[MinutesStep, ...]
    actions: pd.DataFrame | None           # the team's actions (formatted); column "Nieuw" marks this meeting's
    agreements: str                        # the agreements as typed ("" when none)
    next_meeting: date | None
    scores: pd.DataFrame | None            # bouwstenen per meeting side by side (zorgzaam.meetings.progress_table)
    source_line: str                       # the data's sources and periods
    made_on: date
    anonymous_note: str = field(default=ANONYMOUS_NOTE)
