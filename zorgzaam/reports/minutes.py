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

__all__ = [
    "AGREEMENTS_MOVED",
    "MinutesDocument",
    "MinutesNote",
    "MinutesStep",
    "PollQuestionResult",
    "build_minutes",
    "poll_result",
]

# The agreements typed in an Afspraken step are printed once, in the document's own Afspraken section.
AGREEMENTS_MOVED = "De afspraken van deze stap staan verderop onder Afspraken."
ANONYMOUS_NOTE = (
    "Dit verslag is anoniem: het telt de antwoorden van de deelnemers maar noemt nooit wie wat "
    "antwoordde. De notities beschrijven wát er gezegd werd, niet wie het zei."
)


@dataclass(frozen=True)
class PollQuestionResult:
    """One poll question of a step, with the distribution of the answers."""

    text: str
    kind: str  # 'scale', 'choice' or 'word'
    n: int  # answers
    distribution: tuple[tuple[str, int], ...]  # label → count, in display order (scale: all 5 scores)
    median: str | None = None  # scale only, formatted ("3,5")
    spread: str | None = None  # scale only: "van 2 tot 5", plus "meningen lopen uiteen"


@dataclass(frozen=True)
class MinutesNote:
    label: str  # the field ("Notities", "2.2 Zijn er cijfers die wijzen op …")
    text: str  # as typed (may hold line breaks)


@dataclass(frozen=True)
class MinutesStep:
    number: int  # 1-based
    title: str
    purpose: str  # one line: what the block is for
    planned_minutes: int
    spent_minutes: float | None  # None: never on screen
    participants: int | None = None  # phones that answered this step's questions (None: no questions)
    polls: tuple[PollQuestionResult, ...] = ()
    # keyword clusters (definitie): (domain or "", the keywords "buren, burenhulp", times named)
    clusters: tuple[tuple[str, str, int], ...] = ()
    table_title: str | None = None
    table: pd.DataFrame | None = None  # formatted strings only (sector figures, mismatch, actions …)
    images: tuple[tuple[str, bytes], ...] = ()  # (caption, PNG)
    notes: tuple[MinutesNote, ...] = ()
    remark: str | None = None  # a line after the notes (where this step's agreements went)


@dataclass(frozen=True)
class MinutesDocument:
    title: str
    team: str
    meeting_date: date
    place: str | None  # the municipality's name
    sectors: tuple[str, ...]  # "Naam (code)"
    started: str | None  # "14:02"
    finished: str | None
    participants: int  # phones that answered anything
    agenda: tuple[tuple[int, str, int, float | None], ...]  # number, title, planned min, spent min
    steps: tuple[MinutesStep, ...]
    actions: pd.DataFrame | None  # the team's actions (formatted); column "Nieuw" marks this meeting's
    agreements: str  # the agreements as typed ("" when none)
    next_meeting: date | None
    scores: pd.DataFrame | None  # bouwstenen per meeting side by side (zorgzaam.meetings.progress_table)
    source_line: str  # the data's sources and periods
    made_on: date
    anonymous_note: str = field(default=ANONYMOUS_NOTE)


# --------------------------------------------------------------------------- gathering


def poll_result(result) -> PollQuestionResult:
    """A polls.QuestionResult as the minutes print it: every score (also those nobody gave), or every word."""
    from .. import bouwstenen
    from ..formatting import format_number

    q = result.question
    if q.kind == "scale":
        distribution = tuple(
            (f"{s} · {bouwstenen.SCALE[s]}", int(result.distribution.get(s, 0))) for s in bouwstenen.SCALE
        )
        median = (
            None
            if result.median is None
            else format_number(result.median, 0 if float(result.median).is_integer() else 1)
        )
        spread = None
        if result.n:
            spread = f"van {result.min} tot {result.max}" + (" · meningen lopen uiteen" if result.disagreement else "")
        return PollQuestionResult(q.text, q.kind, result.n, distribution, median, spread)
    return PollQuestionResult(q.text, q.kind, result.n, tuple((str(k), int(v)) for k, v in result.distribution.items()))


def _source_line(store) -> str:
    from ..sources import all_sources

    parts = all_sources(store)  # each dataset by its own name and file, with its period
    if not parts:
        return "Bron: zorgzaam (geen cijfers in de databank)"
    return "Bron: " + "; ".join(parts) + " · peilingen en notities: de werkgroep"


def build_minutes(store, meeting_id: str, *, with_maps: bool = True, today: date | None = None) -> MinutesDocument:
    """The minutes of a meeting (also of one still running: what happened so far)."""
    from .. import meeting_content, meetings, werkgroep
    from . import meeting_maps, summary_table

    meeting = meetings.get(store, meeting_id)
    if meeting is None:
        raise LookupError("Deze bijeenkomst bestaat niet (meer).")
    notes = meetings.notes(store, meeting.meeting_id)
    spent = meetings.time_per_step(store, meeting)
    place = None
    names: dict[str, str] = {}
    if meeting.municipality:
        found = store.find_area(meeting.municipality, "gemeente")
        place = found["name"].iloc[0] if not found.empty else meeting.municipality
        names = dict(meeting_content.municipality_sectors(store, meeting.municipality)[["code", "name"]].to_numpy())
    source = _source_line(store)
    steps = []
    for i, item in enumerate(meeting.agenda):
        block = item.block
        res = meetings.step_results(store, meeting, i)
        shown = i in spent
        step = dict(
            number=i + 1,
            title=item.title,
            purpose=block.purpose,
            planned_minutes=item.minutes,
            spent_minutes=spent.get(i),
            participants=res.participants if res is not None else None,
            polls=tuple(poll_result(r) for r in res.questions) if res is not None else (),
        )
        if item.kind == "definitie":
            step["clusters"] = tuple(
                (c.domain or "", ", ".join(c.words), c.total) for c in meetings.step_clusters(store, meeting, i)
            )
        if shown and meeting.municipality and item.kind in ("wie", "wat", "wie_vs_wat"):
            if item.kind == "wie":
                usable = meeting_content.usable_indicators(
                    store, meeting.indicators or meeting_content.DEFAULT_INDICATORS
                )
                figures = meeting_content.sector_figures(store, meeting.municipality, meeting.sectors, usable)
                if not figures.empty:
                    step["table_title"] = (
                        f"Cijfers van de gekozen sectoren, tot en met {figures.period} "
                        "(elk cijfer van zijn laatste jaar; een ouder jaar staat erbij)"
                    )
                    step["table"] = figures.table
                    # The maps that were on screen (else the one the step opens on: the first with figures).
                    shown = [c for c in meetings.shown_indicators(store, meeting.meeting_id, i) if c in usable]
                    if not shown and with_maps:
                        first = meeting_content.map_indicator(store, meeting.municipality, usable, figures.period)
                        shown = [first] if first else []
                    images = []
                    for code in shown if with_maps else ():
                        png = meeting_maps.indicator_map(
                            store,
                            meeting.municipality,
                            meeting.sectors,
                            code,
                            figures.period,
                            on=today,
                            source=meeting_content.step_source(store, "wie", [code], figures.period),
                        )
                        if png:
                            label = store.catalogue().indicator(code).label
                            images.append(
                                (
                                    f"{label} per statistische sector, tot en met {figures.period}; "
                                    "dikke rand: de gekozen sectoren",
                                    png,
                                )
                            )
                    step["images"] = tuple(images)
            elif item.kind == "wat":
                figures = meeting_content.sector_figures(
                    store, meeting.municipality, meeting.sectors, meeting_content.ACCESS_INDICATORS
                )
                if not figures.empty:
                    step["table_title"] = f"Bereikbaarheid en bebouwing, periode {figures.period}"
                    step["table"] = figures.table
                if with_maps:
                    png, _counts = meeting_maps.amenities_map(
                        store, meeting.municipality, meeting.sectors, source=meeting_content.step_source(store, "wat")
                    )
                    if png:
                        step["images"] = (
                            ("Voorzieningen per statistische sector; dikke rand: de gekozen sectoren", png),
                        )
            else:
                table = summary_table.findings(store, meeting.municipality, meeting.sectors)
                if not table.empty:
                    step["table_title"] = "Signalen, omgeving en wie vs wat per gekozen sector"
                    step["table"] = table
                png = (
                    meeting_maps.mismatch_map(
                        store,
                        meeting.municipality,
                        meeting.sectors,
                        source=meeting_content.step_source(store, "wie_vs_wat"),
                    )
                    if with_maps
                    else None
                )
                if png:
                    step["images"] = (
                        (
                            "Wie vs wat: % 80-plussers tegenover wie verder dan 1,2 km van het basispakket "
                            "woont, telkens een derde van de sectoren per klasse; dikke rand: de gekozen "
                            "sectoren",
                            png,
                        ),
                    )
        typed = [f for f in block.note_fields if notes.get((i, f.key), "").strip()]
        step["notes"] = tuple(
            MinutesNote(f.label, notes[(i, f.key)]) for f in typed if f.key != meetings.AGREEMENTS_FIELD
        )
        if any(f.key == meetings.AGREEMENTS_FIELD for f in typed):
            step["remark"] = AGREEMENTS_MOVED
        steps.append(MinutesStep(**step))

    stored = werkgroep.actions(store, meeting.team)
    actions = None
    if stored:
        actions = werkgroep.actions_table(stored, names).rename(columns=werkgroep.ACTION_TABLE_HEADERS)
        actions["Nr."] = actions["Nr."].astype(str)

        def is_new(item) -> str:
            if meeting.started_at is None:
                return ""
            end = meeting.finished_at
            return "nieuw" if item.created_at >= meeting.started_at and (end is None or item.created_at <= end) else ""

        actions.insert(1, "Nieuw", [is_new(s) for s in stored])
    agreements = "\n\n".join(
        notes[(i, meetings.AGREEMENTS_FIELD)]
        for i in meeting.steps_of("afspraken")
        if notes.get((i, meetings.AGREEMENTS_FIELD), "").strip()
    )
    scores = meetings.progress_table(store, meeting.team)
    agenda = tuple((i + 1, item.title, item.minutes, spent.get(i)) for i, item in enumerate(meeting.agenda))
    return MinutesDocument(
        title=meeting.title,
        team=meeting.team,
        meeting_date=meeting.meeting_date,
        place=place,
        sectors=tuple(f"{names.get(c, c)} ({c})" for c in meeting.sectors),
        started=meetings.local_time(meeting.started_at) if meeting.started_at else None,
        finished=meetings.local_time(meeting.finished_at) if meeting.finished_at else None,
        participants=meetings.participants(store, meeting),
        agenda=agenda,
        steps=tuple(steps),
        actions=actions,
        agreements=agreements,
        next_meeting=meeting.next_meeting,
        scores=scores if scores.shape[1] > 1 else None,
        source_line=source,
        made_on=today or date.today(),
    )
