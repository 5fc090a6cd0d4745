"""Werkgroep meetings (bijeenkomsten): an agenda of building blocks, run step by step on the big screen.

The ondersteuningspakket describes how a werkgroep meets (bouwstenen-and-sessions.md §2 and §6):
a check-in, the visievorming brainstorm, the analysis of wie en wat, scoring the bouwstenen,
actions per bouwsteen, and agreements with the date of the next meeting. A meeting here is:

* an **agenda**: blocks (``BLOCKS``) with a title and a duration, picked from a template
  (``TEMPLATES``) and edited before the meeting starts;
* a **poll session** (zorgzaam.polls) made when the meeting starts, with the questions of every
  step; participants see and may answer only the questions of the step on screen. The
  facilitator's token of that poll session controls the meeting too (one link, one secret);
* **state in the database**, not in a browser: the current step, when it started, every step
  visit, the note-taker's notes and the keyword grouping. A server restart loses nothing.

At the end the meeting is ``afgerond``: the poll closes and the bouwstenen scores of its poll
become the team's self-assessment of that day (zorgzaam.werkgroep), so meetings line up in the
team's history. No Streamlit here; the SQL lives in zorgzaam.store.
"""

from __future__ import annotations

import difflib
import hmac
import json
import numbers
import secrets
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from . import bouwstenen, polls, werkgroep
from .mismatch import MISMATCH_QUESTIONS
from .store import Store, StoreError
from .summary import QUESTIONS as SUMMARY_QUESTIONS

__all__ = [
    "AGREEMENTS_FIELD",
    "BLOCKS",
    "DEFINITION_FIELD",
    "DELETE_CONSEQUENCES",
    "DOMAINS",
    "FINISH_LOST_CONSEQUENCES",
    "MAX_INDICATORS",
    "MAX_ITEMS",
    "MAX_MINUTES",
    "MAX_SECTORS",
    "MAX_TITLE_CHARS",
    "NOTES_FIELD",
    "SHOWN_FIELD",
    "STATES",
    "TEMPLATES",
    "AgendaItem",
    "Block",
    "KeywordCluster",
    "Meeting",
    "MeetingError",
    "NoteField",
    "Template",
    "authorise",
    "bouwsteen_scores",
    "cluster_keywords",
    "delete",
    "delete_consequences",
    "delete_lost",
    "finish",
    "finish_lost",
    "finish_lost_consequences",
    "for_poll",
    "format_clock",
    "get",
    "go_to",
    "keyword_counts",
    "local_moment",
    "local_time",
    "meetings",
    "next_step",
    "notes",
    "participants",
    "plan",
    "poll_questions",
    "previous_step",
    "progress_table",
    "record_shown",
    "reopen",
    "save_keyword_domains",
    "save_note",
    "schedule_line",
    "set_next_meeting",
    "shown_indicators",
    "start",
    "step_clusters",
    "step_elapsed",
    "step_results",
    "time_per_step",
    "validate_agenda",
]

MAX_TITLE_CHARS = 120
MAX_ITEMS = 20
MAX_MINUTES = 180
MAX_SECTORS = 60
MAX_INDICATORS = 12
NOTES_FIELD = "notities"
DEFINITION_FIELD = "definitie"
AGREEMENTS_FIELD = "afspraken"
SHOWN_FIELD = "_getoond"  # not a note: the indicators whose map was on screen (JSON list)
STATES = {"gepland": "gepland", "bezig": "bezig", "afgerond": "afgerond"}


class MeetingError(ValueError):
    """A meeting action that cannot be done, worded for the user as one Dutch sentence."""


# --------------------------------------------------------------------------- building blocks


@dataclass(frozen=True)
class NoteField:
    key: str
    label: str
    placeholder: str = ""


@dataclass(frozen=True)
class Block:
    """A kind of agenda item: what it is for, its suggested duration, what the screen and phones show."""

    kind: str
    title: str
    minutes: int
    purpose: str
    prompts: tuple[str, ...] = ()
    questions: tuple[dict, ...] = ()  # poll questions for participants during this step
    note_fields: tuple[NoteField, ...] = ()


_NOTES = NoteField(NOTES_FIELD, "Notities", "Wat wordt er gezegd? Noteer wát, niet wie.")

BLOCKS: dict[str, Block] = {
    b.kind: b
    for b in (
        Block(
            "checkin",
            "Kennismaking: deed je onlangs iets zorgzaam?",
            10,
            "Iedereen antwoordt met één woord op de gsm; de woorden verschijnen op het scherm.",
            prompts=(
                "Wie zit er in ons team, en wie moet er misschien nog bij?",
                "Wat doet iedereen in zijn of haar domein?",
            ),
            questions=({"kind": "word", "text": "Deed je onlangs iets zorgzaam? Zeg het in één woord."},),
            note_fields=(_NOTES,),
        ),
        Block(
            "definitie",
            "Wat verstaan we onder een zorgzame buurt?",
            25,
            "Kernwoorden van iedereen (10 minuten), dan samen clusteren tot een korte gedeelde definitie.",
            prompts=(
                "Wat zijn voor jou de belangrijkste kenmerken van een zorgzame buurt?",
                "Als deze werkgroep slaagt, hoe ziet je buurt er dan uit?",
                "Er zijn geen slechte ideeën; veel is goed; bouw verder op het idee van je buur.",
                "Wat delen we? Waar verschillen we? Wat benadrukt elk beleidsdomein?",
            ),
            questions=tuple({"kind": "word", "text": f"{n} kernwoord"} for n in ("Eerste", "Tweede", "Derde")),
            note_fields=(
                NoteField(
                    DEFINITION_FIELD,
                    "Onze definitie van een zorgzame buurt",
                    "Een korte gedeelde definitie, in de woorden van de groep.",
                ),
                _NOTES,
            ),
        ),
        Block(
            "wie",
            "Wie woont er?",
            20,
            "De cijfers per statistische sector voor de gekozen sectoren, naast gemeente, zone en Vlaanderen.",
            prompts=(
                "Wat valt op? Wat herkennen we, wat verrast ons?",
                "Een signaal is een vraag om te verkennen met wie de buurt kent, geen oordeel.",
            ),
            note_fields=tuple(NoteField(q.number, f"{q.number} {q.text}") for q in SUMMARY_QUESTIONS) + (_NOTES,),
        ),
        Block(
            "wat",
            "Wat is er?",
            15,
            "Voorzieningen, bushaltes en bebouwing in en rond de gekozen sectoren.",
            prompts=(
                "Van welke voorzieningen maak je gebruik?",
                "Waar zijn volgens jou plaatsen om te ontspannen?",
                "Waar liggen de hiaten qua geografisch bereik?",
            ),
            note_fields=(_NOTES,),
        ),
        Block(
            "wie_vs_wat",
            "Wie vs wat",
            15,
            "Waar wonen veel ouderen of alleenwonenden ver van een winkel of een frequente bus?",
            prompts=("Herkennen we deze buurten? Wat weten we dat de cijfers niet tonen?",),
            note_fields=tuple(NoteField(number, f"{number} {text}") for number, text in MISMATCH_QUESTIONS.items())
            + (_NOTES,),
        ),
        Block(
            "bouwstenen",
            "Bouwstenen scoren",
            15,
            "Iedereen scoort de 9 bouwstenen op de gsm (1–5); de verdeling verschijnt live.",
            prompts=("Waar lopen de meningen uiteen, en waarom?", "Welke bouwstenen vallen 'licht' uit?"),
            questions=tuple({"kind": "scale", "text": b.name, "bouwsteen": b.code} for b in bouwstenen.BOUWSTENEN),
            note_fields=(_NOTES,),
        ),
        Block(
            "acties",
            "Acties per bouwsteen",
            20,
            "Wat loopt er al, wat is gepland, wat missen we? Per bouwsteen, met partners en plaats.",
            prompts=(
                "Welke acties leiden al merkbaar tot minder mazen en meer net?",
                "Voor welke actie of bouwsteen bots je op moeilijkheden of weerstand?",
                "Welke acties voor welke bouwstenen ontbreken nog?",
                "We doen vaak al meer dan we denken. Het hoeft niet groot te zijn om goed te zijn.",
            ),
            note_fields=(_NOTES,),
        ),
        Block(
            "afspraken",
            "Afspraken",
            10,
            "Wie doet wat, waar en wanneer? Wanneer komen we opnieuw samen?",
            prompts=(
                "Wie doet er wat, waar en wanneer?",
                "Wie neemt de leiding over wat?",
                "Hoe vaak komen we samen?",
                "Wanneer komen we opnieuw samen?",
            ),
            note_fields=(
                NoteField(AGREEMENTS_FIELD, "Afspraken", "Wat, wie (rol of organisatie), tegen wanneer."),
                _NOTES,
            ),
        ),
        Block(
            "eigen",
            "Eigen agendapunt",
            10,
            "Een punt van de werkgroep zelf (bv. een voorstelling, een pauze).",
            note_fields=(_NOTES,),
        ),
    )
}


@dataclass(frozen=True)
class AgendaItem:
    kind: str
    title: str
    minutes: int

    @property
    def block(self) -> Block:
        return BLOCKS[self.kind]

    def as_dict(self) -> dict:
        return {"kind": self.kind, "title": self.title, "minutes": self.minutes}


@dataclass(frozen=True)
class Template:
    code: str
    title: str
    about: str
    items: tuple[tuple[str, str | None, int], ...]  # kind, own title (None: the block's), minutes

    def agenda(self) -> tuple[AgendaItem, ...]:
        return tuple(AgendaItem(kind, title or BLOCKS[kind].title, minutes) for kind, title, minutes in self.items)


TEMPLATES: dict[str, Template] = {
    t.code: t
    for t in (
        Template(
            "visievorming",
            "Eerste visievormingsbijeenkomst",
            "Kennismaken, samen bepalen wat een zorgzame buurt voor jullie is, in kaart brengen wat jullie al doen "
            "en goede afspraken maken (ondersteuningspakket: visievorming, 1 à 2 uur).",
            (
                ("checkin", None, 10),
                ("definitie", None, 30),
                ("acties", "Wat doen jullie al?", 20),
                ("bouwstenen", None, 15),
                ("afspraken", None, 15),
            ),
        ),
        Template(
            "analyse",
            "Analysebijeenkomst",
            "Samen de buurtanalyse lezen: wie woont er, wat is er, waar wringt het, en wat doen we ermee.",
            (
                ("checkin", None, 5),
                ("wie", None, 20),
                ("wat", None, 20),
                ("wie_vs_wat", None, 20),
                ("acties", None, 15),
                ("afspraken", None, 10),
            ),
        ),
        Template(
            "toetsen",
            "Toetsen en waarderen",
            "Waar staan we? De bouwstenen opnieuw scoren, de acties overlopen (lopend, gepland, gemist) en bijsturen. "
            "Voorzie voldoende tijd.",
            (
                ("checkin", None, 5),
                ("bouwstenen", None, 25),
                ("acties", "Acties: lopend, gepland, gemist", 35),
                ("eigen", "Wat nemen we mee? Wat sturen we bij?", 10),
                ("afspraken", None, 15),
            ),
        ),
    )
}


def _clean_title(value: Any, what: str) -> str:
    """A title as the polls clean theirs (whitespace collapsed, 1–120 characters, no control characters)."""
    try:
        return polls.clean_text(value, what, MAX_TITLE_CHARS)
    except polls.PollError as exc:
        raise MeetingError(str(exc)) from None


def validate_agenda(items: Iterable[Mapping | AgendaItem]) -> tuple[AgendaItem, ...]:
    """The agenda as kept: 1–20 known blocks, each with a title and 1–180 minutes."""
    out = []
    for i, item in enumerate(items, start=1):
        spec = item.as_dict() if isinstance(item, AgendaItem) else dict(item)
        kind = spec.get("kind")
        if kind not in BLOCKS:
            raise MeetingError(f"Agendapunt {i} heeft een onbekend soort blok; kies er een uit de lijst.")
        title = _clean_title(spec.get("title") or BLOCKS[kind].title, f"De titel van agendapunt {i}")
        raw = spec.get("minutes")
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, str) and raw.strip().isdigit():
            raw = int(raw.strip())
        if isinstance(raw, bool) or not isinstance(raw, numbers.Integral):
            raise MeetingError(f"Geef bij agendapunt {i} een duur in hele minuten.")
        minutes = int(raw)
        if not 1 <= minutes <= MAX_MINUTES:
            raise MeetingError(f"De duur van agendapunt {i} moet tussen 1 en {MAX_MINUTES} minuten liggen.")
        out.append(AgendaItem(kind, title, minutes))
    if not out:
        raise MeetingError("Een bijeenkomst heeft minstens één agendapunt nodig.")
    if len(out) > MAX_ITEMS:
        raise MeetingError(f"Een bijeenkomst heeft hoogstens {MAX_ITEMS} agendapunten.")
    return tuple(out)


# --------------------------------------------------------------------------- the meeting


@dataclass(frozen=True)
class Meeting:
    meeting_id: str
    team: str
    title: str
    meeting_date: date
    template: str | None
    municipality: str | None
    sectors: tuple[str, ...]
    indicators: tuple[str, ...]
    agenda: tuple[AgendaItem, ...]
    state: str
    poll_session_id: str | None
    current_step: int | None
    step_started_at: datetime | None  # UTC, naive
    started_at: datetime | None
    finished_at: datetime | None
    next_meeting: date | None
    created_at: datetime
    token_hash: str | None = field(default=None, repr=False)

    @property
    def planned_minutes(self) -> int:
        return sum(item.minutes for item in self.agenda)

    @property
    def current_item(self) -> AgendaItem | None:
        return self.agenda[self.current_step] if self.current_step is not None else None

    @property
    def next_item(self) -> AgendaItem | None:
        if self.current_step is None or self.current_step + 1 >= len(self.agenda):
            return None
        return self.agenda[self.current_step + 1]

    def steps_of(self, kind: str) -> list[int]:
        return [i for i, item in enumerate(self.agenda) if item.kind == kind]


def _as_meeting(row: dict) -> Meeting:
    agenda = tuple(AgendaItem(d["kind"], d["title"], int(d["minutes"])) for d in json.loads(row["agenda"]))
    return Meeting(
        meeting_id=row["meeting_id"],
        team=row["team"],
        title=row["title"],
        meeting_date=row["meeting_date"],
        template=row["template"],
        municipality=row["municipality"],
        sectors=tuple(json.loads(row["sectors"])),
        indicators=tuple(json.loads(row["indicators"])),
        agenda=agenda,
        state=row["state"],
        poll_session_id=row["poll_session_id"],
        current_step=None if row["current_step"] is None else int(row["current_step"]),
        step_started_at=row["step_started_at"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        next_meeting=row["next_meeting"],
        created_at=row["created_at"],
        token_hash=row["token_hash"],
    )


def _row(meeting: Meeting, **change) -> dict:
    row = {
        "meeting_id": meeting.meeting_id,
        "team": meeting.team,
        "title": meeting.title,
        "meeting_date": meeting.meeting_date,
        "template": meeting.template,
        "municipality": meeting.municipality,
        "sectors": json.dumps(list(meeting.sectors)),
        "indicators": json.dumps(list(meeting.indicators)),
        "agenda": json.dumps([i.as_dict() for i in meeting.agenda], ensure_ascii=False),
        "state": meeting.state,
        "token_hash": meeting.token_hash,
        "poll_session_id": meeting.poll_session_id,
        "current_step": meeting.current_step,
        "step_started_at": meeting.step_started_at,
        "started_at": meeting.started_at,
        "finished_at": meeting.finished_at,
        "next_meeting": meeting.next_meeting,
        "created_at": meeting.created_at,
        "updated_at": _now(),
    }
    row.update(change)
    return row


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _today() -> date:
    """The meeting's day in Belgium, whatever the server's time zone (a function, so tests can move it)."""
    try:
        return datetime.now(ZoneInfo("Europe/Brussels")).date()
    except ZoneInfoNotFoundError:  # pragma: no cover - a machine without time zone data
        return date.today()


def _validate_codes(values: Iterable[Any] | None, what: str, limit: int) -> tuple[str, ...]:
    codes = tuple(dict.fromkeys(str(v).strip() for v in (values or ()) if str(v).strip()))
    if len(codes) > limit:
        raise MeetingError(f"Kies hoogstens {limit} {what}.")
    if any(len(c) > 40 or not c.isprintable() for c in codes):
        raise MeetingError(f"Een van de {what} is geen geldige code.")
    return codes


def _validate_day(value: Any, what: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise MeetingError(f"Geef {what} als datum.")


def for_poll(store: Store, poll_session_id: str) -> Meeting | None:
    """The meeting a poll session belongs to (None for a plain poll)."""
    meeting_id = store.meeting_for_poll(poll_session_id)
    return get(store, meeting_id) if meeting_id else None


def get(store: Store, meeting_id: str) -> Meeting | None:
    row = store.meeting(str(meeting_id or ""))
    return _as_meeting(row) if row else None


def meetings(store: Store, team: str | None = None) -> list[Meeting]:
    """The meetings of a team (or all), newest first."""
    return [_as_meeting(r) for r in store.meetings(team)]


def plan(
    store: Store,
    *,
    team: Any,
    title: Any,
    meeting_date: Any,
    agenda: Iterable[Mapping | AgendaItem],
    template: str | None = None,
    municipality: str | None = None,
    sectors: Iterable[str] | None = None,
    indicators: Iterable[str] | None = None,
    meeting_id: str | None = None,
) -> Meeting:
    """A new meeting (or a planned one changed): validated, stored as ``gepland``."""
    try:
        team_name = werkgroep.validate_team(team)
    except werkgroep.WerkgroepError as exc:
        raise MeetingError(str(exc)) from exc
    clean = dict(
        team=team_name,
        title=_clean_title(title, "De titel van de bijeenkomst"),
        meeting_date=_validate_day(meeting_date, "de datum van de bijeenkomst"),
        agenda=validate_agenda(agenda),
        template=template if template in TEMPLATES else None,
        municipality=(str(municipality).strip() or None) if municipality else None,
        sectors=_validate_codes(sectors, "sectoren", MAX_SECTORS),
        indicators=_validate_codes(indicators, "indicatoren", MAX_INDICATORS),
    )
    if meeting_id is not None:
        existing = get(store, meeting_id)
        if existing is None:
            raise MeetingError("Deze bijeenkomst bestaat niet (meer); vernieuw de pagina.")
        if existing.state != "gepland":
            raise MeetingError("Deze bijeenkomst is al begonnen; de agenda ligt vast.")
        meeting = Meeting(**{**existing.__dict__, **clean})
    else:
        meeting = Meeting(
            meeting_id=secrets.token_hex(8),
            state="gepland",
            poll_session_id=None,
            current_step=None,
            step_started_at=None,
            started_at=None,
            finished_at=None,
            next_meeting=None,
            created_at=_now(),
            **clean,
        )
    store.save_meeting(_row(meeting))
    return meeting


def delete(store: Store, meeting_id: str, token: str | None = None) -> None:
    """Remove a meeting; a running one only with its facilitator token."""
    meeting = get(store, meeting_id)
    if meeting is None:
        return
    if meeting.state == "bezig":
        authorise(store, meeting_id, token or "")
    store.delete_meeting(meeting.meeting_id)


def poll_questions(agenda: Sequence[AgendaItem]) -> list[dict]:
    """The poll questions of every step, each tagged with its step (index in the agenda)."""
    return [{**q, "step": step} for step, item in enumerate(agenda) for q in item.block.questions]


def start(store: Store, meeting_id: str) -> tuple[Meeting, str]:
    """Start a planned meeting at its first step; returns it and the facilitator token (given only here)."""
    meeting = get(store, meeting_id)
    if meeting is None:
        raise MeetingError("Deze bijeenkomst bestaat niet (meer); vernieuw de pagina.")
    if meeting.state != "gepland":
        raise MeetingError("Deze bijeenkomst is al begonnen. Open ze met de begeleiderslink die je toen kreeg.")
    token = polls.new_facilitator_token()
    try:
        session, _ = polls.create_session(
            store, meeting.title, poll_questions(meeting.agenda), token=token, allow_empty=True
        )
    except polls.PollError as exc:
        raise MeetingError(str(exc)) from exc
    # A meeting is dated the day it is held (it may have been planned for another day). One transaction
    # checks that it is still planned: of two starts at once (a double click) only one gets a token.
    if not store.start_meeting(meeting.meeting_id, polls.hash_token(token), session.session_id, _today()):
        store.update_poll_session(session.session_id, is_open=False)
        raise MeetingError("Deze bijeenkomst is al begonnen. Open ze met de begeleiderslink die je toen kreeg.")
    return get(store, meeting.meeting_id), token


def authorise(store: Store, meeting_id: str, token: str) -> Meeting:
    """The meeting when ``token`` is its facilitator token."""
    meeting = get(store, meeting_id)
    if meeting is not None and meeting.state == "afgerond" and meeting.token_hash is None:
        raise MeetingError(
            "Deze bijeenkomst werd zonder begeleiderslink afgesloten en kan niet meer geleid worden. "
            "Het verslag staat op de pagina Bijeenkomsten."
        )
    if meeting is None or meeting.token_hash is None or not isinstance(token, str) or not token:
        raise MeetingError(
            "Geen toegang: deze bijeenkomst bestaat niet, is nog niet begonnen of de begeleiderslink klopt niet."
        )
    if not hmac.compare_digest(polls.hash_token(token), meeting.token_hash):
        raise MeetingError("Geen toegang: alleen wie de begeleiderslink heeft, kan deze bijeenkomst leiden.")
    return meeting


def go_to(store: Store, meeting_id: str, token: str, step: int) -> Meeting:
    """Show step ``step`` (0-based) on the big screen and the phones; the timer starts again."""
    meeting = authorise(store, meeting_id, token)
    if meeting.state == "afgerond":
        raise MeetingError("Deze bijeenkomst is afgerond. Heropen ze eerst om verder te gaan.")
    try:
        step = int(step)
    except (TypeError, ValueError):
        step = -1
    if not 0 <= step < len(meeting.agenda):
        raise MeetingError(f"Stap {step + 1} bestaat niet; de agenda heeft {len(meeting.agenda)} stappen.")
    if step != meeting.current_step:
        store.move_meeting(
            meeting.meeting_id, state="bezig", current_step=step, poll_session_id=meeting.poll_session_id
        )
    return get(store, meeting.meeting_id)


def next_step(store: Store, meeting_id: str, token: str) -> Meeting:
    meeting = authorise(store, meeting_id, token)
    if meeting.current_step is None or meeting.current_step + 1 >= len(meeting.agenda):
        raise MeetingError("Dit is de laatste stap; rond de bijeenkomst af.")
    return go_to(store, meeting_id, token, meeting.current_step + 1)


def previous_step(store: Store, meeting_id: str, token: str) -> Meeting:
    meeting = authorise(store, meeting_id, token)
    if not meeting.current_step:
        raise MeetingError("Dit is de eerste stap.")
    return go_to(store, meeting_id, token, meeting.current_step - 1)


def finish(store: Store, meeting_id: str, token: str) -> tuple[Meeting, werkgroep.Assessment | None]:
    """End the meeting: the poll closes, and the bouwstenen scores of its poll (the group's median,
    rounded down) become the team's self-assessment of the meeting's day. Returns that assessment
    (None without bouwstenen answers)."""
    return _finish(store, authorise(store, meeting_id, token))


def _revoked_hash() -> str:
    """The hash of a token nobody is given: stored in place of a facilitator token to end it."""
    return polls.hash_token(secrets.token_urlsafe(32))


def _finish(store: Store, meeting: Meeting, *, revoke: bool = False) -> tuple[Meeting, werkgroep.Assessment | None]:
    if meeting.state == "afgerond":
        return meeting, None
    store.move_meeting(
        meeting.meeting_id,
        state="afgerond",
        current_step=None,
        poll_session_id=meeting.poll_session_id,
        finished=True,
        revoke_token=_revoked_hash() if revoke else None,
    )
    meeting = get(store, meeting.meeting_id)
    saved = None
    scores = bouwsteen_scores(store, meeting)
    if scores and any(v is not None for v in scores.values()):
        saved = werkgroep.save_scores(
            store,
            meeting.team,
            min(meeting.meeting_date, _today()),
            scores,
            source="peiling",
            poll_session_id=meeting.poll_session_id,
            poll_round=1,
        )
    return meeting, saved


# --------------------------------------------------------------------------- a lost facilitator link

FINISH_LOST_CONSEQUENCES = (
    "De bijeenkomst wordt afgesloten: de peiling sluit, de telefoons kunnen niet meer antwoorden en de "
    "begeleiderslink werkt niet meer om verder te gaan. Het verslag blijft beschikbaar."
)
DELETE_CONSEQUENCES = (
    "De bijeenkomst wordt verwijderd met haar agenda, notities en kernwoorden: er is daarna geen verslag meer. "
    "De peiling sluit, de telefoons kunnen niet meer antwoorden en de begeleiderslink werkt niet meer. "
    "Dit kan niet ongedaan gemaakt worden."
)


def finish_lost_consequences(store: Store, meeting: Meeting) -> str:
    """What finishing ``meeting`` without its facilitator link does, as one Dutch paragraph."""
    text = FINISH_LOST_CONSEQUENCES
    scores = bouwsteen_scores(store, meeting)
    if scores and any(v is not None for v in scores.values()):
        text += (
            " De bouwstenenscores van de groep worden, zoals bij elke afgeronde bijeenkomst, de zelfevaluatie "
            f"van {meeting.team}."
        )
    return text


def delete_consequences(meeting: Meeting) -> str:
    """What deleting ``meeting`` does, as one Dutch paragraph."""
    if meeting.state == "gepland":
        return "De geplande bijeenkomst en haar agenda worden verwijderd. Dit kan niet ongedaan gemaakt worden."
    text = DELETE_CONSEQUENCES
    if meeting.state == "afgerond":
        text += " Een zelfevaluatie die al uit haar bouwstenenscores bewaard werd, blijft bij het team."
    return text


def finish_lost(
    store: Store, meeting_id: str, *, confirmed: bool = False
) -> tuple[Meeting, werkgroep.Assessment | None]:
    """Finish a running meeting whose facilitator link is lost, as ``finish`` does, once ``confirmed`` (the
    user read ``finish_lost_consequences``). Nobody receives a token: the lost one stops working too, so the
    meeting cannot be reopened, its poll not be opened again. A finished meeting stays as it is."""
    meeting = get(store, meeting_id)
    if meeting is None:
        raise MeetingError("Deze bijeenkomst bestaat niet (meer); vernieuw de pagina.")
    if meeting.state == "gepland":
        raise MeetingError(
            "Deze bijeenkomst is nog niet begonnen; er is niets af te sluiten. Verwijder ze als ze niet doorgaat."
        )
    if meeting.state == "afgerond":
        return meeting, None
    if confirmed is not True:
        raise MeetingError(f"{finish_lost_consequences(store, meeting)} Bevestig eerst dat je ze wilt afsluiten.")
    return _finish(store, meeting, revoke=True)


def delete_lost(store: Store, meeting_id: str, *, confirmed: bool = False) -> Meeting:
    """Delete a meeting whatever its state, without its facilitator link, once ``confirmed`` (the user read
    ``delete_consequences``); its poll's facilitator token ends too. Returns the meeting as it was."""
    meeting = get(store, meeting_id)
    if meeting is None:
        raise MeetingError("Deze bijeenkomst bestaat niet (meer); vernieuw de pagina.")
    if confirmed is not True:
        raise MeetingError(f"{delete_consequences(meeting)} Bevestig eerst dat je ze wilt verwijderen.")
    store.delete_meeting(meeting.meeting_id, revoke_token=_revoked_hash())
    return meeting


def reopen(store: Store, meeting_id: str, token: str) -> Meeting:
    """Continue a finished meeting at its last step (e.g. to finish a note); the poll opens again."""
    meeting = authorise(store, meeting_id, token)
    if meeting.state != "afgerond":
        return meeting
    store.move_meeting(
        meeting.meeting_id,
        state="bezig",
        current_step=len(meeting.agenda) - 1,
        poll_session_id=meeting.poll_session_id,
        reopened=True,
    )
    return get(store, meeting.meeting_id)


def save_note(store: Store, meeting_id: str, token: str, step: int, field_key: str, text: Any) -> None:
    """The note-taker's text of one field of one step (empty removes it)."""
    meeting = authorise(store, meeting_id, token)
    try:
        step = int(step)
    except (TypeError, ValueError):
        step = -1
    if not 0 <= step < len(meeting.agenda):
        raise MeetingError("Deze stap hoort niet bij deze bijeenkomst.")
    keys = {f.key for f in meeting.agenda[int(step)].block.note_fields}
    if field_key not in keys:
        raise MeetingError("Dit notitieveld hoort niet bij deze stap.")
    text = "" if text is None else str(text)
    if any(unicodedata.category(ch) in ("Cc",) and ch not in "\n\t\r" for ch in text):
        raise MeetingError("De notitie bevat tekens die niet toegelaten zijn.")
    try:
        store.save_meeting_note(meeting.meeting_id, int(step), field_key, text)
    except StoreError as exc:
        raise MeetingError(str(exc)) from exc


def notes(store: Store, meeting_id: str) -> dict[tuple[int, str], str]:
    """(step, field) → the note-taker's text (the shown-maps record is not a note)."""
    return {k: v for k, v in store.meeting_notes(str(meeting_id)).items() if k[1] != SHOWN_FIELD}


def record_shown(store: Store, meeting_id: str, token: str, step: int, indicator: str) -> None:
    """Remember that the map of ``indicator`` was on screen in a Wie woont er? step (for the verslag)."""
    meeting = authorise(store, meeting_id, token)
    if not 0 <= int(step) < len(meeting.agenda) or meeting.agenda[int(step)].kind != "wie":
        raise MeetingError("Deze stap toont geen kaart van een indicator.")
    shown = shown_indicators(store, meeting.meeting_id, int(step))
    if indicator in shown:
        return
    store.save_meeting_note(meeting.meeting_id, int(step), SHOWN_FIELD, json.dumps([*shown, str(indicator)[:80]]))


def shown_indicators(store: Store, meeting_id: str, step: int) -> list[str]:
    """The indicators whose map was shown in a step, in the order they were first shown."""
    text = store.meeting_notes(str(meeting_id)).get((int(step), SHOWN_FIELD))
    try:
        found = json.loads(text) if text else []
    except ValueError:
        return []
    return [str(c) for c in found] if isinstance(found, list) else []


def set_next_meeting(store: Store, meeting_id: str, token: str, day: Any) -> Meeting:
    meeting = authorise(store, meeting_id, token)
    if day is None or day == "":
        store.set_next_meeting(meeting.meeting_id, None)
    else:
        value = _validate_day(day, "de datum van de volgende bijeenkomst")
        if value < meeting.meeting_date:
            raise MeetingError("De volgende bijeenkomst kan niet vóór deze bijeenkomst liggen.")
        store.set_next_meeting(meeting.meeting_id, value)
    return get(store, meeting.meeting_id)


# --------------------------------------------------------------------------- time


def step_elapsed(meeting: Meeting, now: datetime | None = None) -> timedelta:
    """How long the current step has been on screen (zero when none)."""
    if meeting.step_started_at is None or meeting.current_step is None:
        return timedelta(0)
    return max((now or _now()) - meeting.step_started_at, timedelta(0))


def time_per_step(store: Store, meeting: Meeting, now: datetime | None = None) -> dict[int, float]:
    """Minutes spent on each step (all its visits); a step on screen counts until ``now``."""
    visits = store.meeting_step_visits(meeting.meeting_id)
    end_now = now or _now()
    out: dict[int, float] = {}
    for v in visits.itertuples(index=False):
        ended = v.ended_at if v.ended_at is not None and not pd.isna(v.ended_at) else end_now
        out[int(v.step)] = out.get(int(v.step), 0.0) + max((ended - v.started_at).total_seconds(), 0) / 60
    return out


def local_moment(moment: datetime | None, zone: str = "Europe/Brussels") -> datetime | None:
    """A stored UTC moment (naive) as Belgian wall-clock time (None stays None)."""
    if moment is None or pd.isna(moment):
        return None
    try:
        tz = ZoneInfo(zone)
    except ZoneInfoNotFoundError:  # a machine without time zone data: UTC rather than nothing
        tz = timezone.utc
    return moment.replace(tzinfo=timezone.utc).astimezone(tz)


def local_time(moment: datetime | None, zone: str = "Europe/Brussels") -> str:
    """A stored UTC moment as the meeting's clock time ("14:02"), "-" when there is none."""
    local = local_moment(moment, zone)
    return "-" if local is None else local.strftime("%H:%M")


def schedule_line(meeting: Meeting) -> str:
    """ "Gestart om 14:02 · gepland einde 15:32" (local time), "" before the start."""
    if meeting.started_at is None:
        return ""
    end = meeting.started_at + timedelta(minutes=meeting.planned_minutes)
    return f"Gestart om {local_time(meeting.started_at)} · gepland einde {local_time(end)}"


def format_clock(seconds: float) -> str:
    """mm:ss (or h:mm:ss), with a minus sign when over time."""
    s = int(abs(seconds))
    sign = "−" if seconds < 0 and s else ""
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{sign}{h}:{m:02d}:{sec:02d}" if h else f"{sign}{m}:{sec:02d}"


# --------------------------------------------------------------------------- poll results per step


def _session(store: Store, meeting: Meeting) -> polls.PollSession | None:
    if not meeting.poll_session_id:
        return None
    row = store.poll_session(meeting.poll_session_id)
    return polls._load(store, row) if row else None


def step_results(store: Store, meeting: Meeting, step: int) -> polls.RoundResults | None:
    """The answers to the questions of one step (None when the step has none, or before the start)."""
    session = _session(store, meeting)
    if session is None:
        return None
    questions = [q for q in session.questions if q.step == step]
    if not questions:
        return None
    frame = store.poll_answers(session.session_id, round=1)
    ids = {q.question_id for q in questions}
    frame = frame[frame["question_id"].astype(int).isin(ids)] if not frame.empty else frame
    values: dict[int, list[str]] = {}
    for qid, value in zip(frame["question_id"], frame["value"]):
        values.setdefault(int(qid), []).append(value)
    return polls.RoundResults(
        session_id=session.session_id,
        title=meeting.agenda[step].title,
        round=1,
        participants=int(frame["participant_id"].nunique()) if not frame.empty else 0,
        questions=tuple(polls._question_result(q, values.get(q.question_id, [])) for q in questions),
    )


def participants(store: Store, meeting: Meeting) -> int:
    """Distinct phones that answered anything during the meeting."""
    if not meeting.poll_session_id:
        return 0
    frame = store.poll_answers(meeting.poll_session_id)
    return int(frame["participant_id"].nunique()) if not frame.empty else 0


def bouwsteen_scores(store: Store, meeting: Meeting) -> dict[str, int | None]:
    """The group's score per bouwsteen (median rounded down, werkgroep.scores_from_poll) from the
    meeting's last bouwstenen step with answers; empty without such a step."""
    for step in reversed(meeting.steps_of("bouwstenen")):
        res = step_results(store, meeting, step)
        if res is not None and any(r.n for r in res.questions):
            return werkgroep.scores_from_poll(res)
    return {}


# --------------------------------------------------------------------------- keywords


DOMAINS = ("wonen", "welzijn", "zorg", "vrije tijd", "ruimtelijke ordening", "doelgroep", "ander")


@dataclass(frozen=True)
class KeywordCluster:
    label: str  # the most named spelling
    words: dict[str, int]  # normalised keyword → count, most first
    domain: str | None = None  # the facilitator's grouping (one of DOMAINS)

    @property
    def total(self) -> int:
        return sum(self.words.values())


def _similar(a: str, b: str) -> bool:
    """Two keywords meant alike: one starts with the other (≥ 4 letters), or nearly the same spelling."""
    if min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)):
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.85


def cluster_keywords(counts: Mapping[str, int], domains: Mapping[str, str] | None = None) -> list[KeywordCluster]:
    """Group keywords that are the same word in other spellings or forms ("buren", "burenhulp"; "respect",
    "respekt"), most named first. ``domains`` (keyword → domain) puts a cluster in the domain of its
    most named keyword that has one."""
    ordered = sorted(((w, int(c)) for w, c in counts.items() if w), key=lambda kv: (-kv[1], kv[0]))
    groups: list[list[tuple[str, int]]] = []
    for word, count in ordered:
        home = next((g for g in groups if any(_similar(word, other) for other, _ in g)), None)
        if home is None:
            groups.append([(word, count)])
        else:
            home.append((word, count))
    domains = domains or {}
    clusters = []
    for g in groups:
        words = dict(g)
        domain = next((domains[w] for w in words if w in domains), None)
        clusters.append(KeywordCluster(label=g[0][0], words=words, domain=domain))
    return sorted(clusters, key=lambda c: (-c.total, c.label))


def keyword_counts(results: polls.RoundResults | None) -> Counter:
    """All word answers of a step together (normalised, counted)."""
    counts: Counter = Counter()
    for r in results.questions if results else ():
        if r.question.kind == "word":
            counts.update({k: int(v) for k, v in r.distribution.items()})
    return counts


def step_clusters(store: Store, meeting: Meeting, step: int) -> list[KeywordCluster]:
    return cluster_keywords(
        keyword_counts(step_results(store, meeting, step)), store.meeting_keywords(meeting.meeting_id, step)
    )


def save_keyword_domains(
    store: Store, meeting_id: str, token: str, step: int, domains: Mapping[str, str | None]
) -> None:
    """The facilitator's grouping: keyword → one of DOMAINS (None or '' removes it)."""
    meeting = authorise(store, meeting_id, token)
    clean = {}
    for keyword, domain in domains.items():
        if not domain:
            continue
        if domain not in DOMAINS:
            raise MeetingError(f"Onbekend domein '{domain}'; kies uit {', '.join(DOMAINS)}.")
        clean[polls.normalise_word(str(keyword))[: polls.MAX_WORD_CHARS]] = domain
    store.save_meeting_keywords(meeting.meeting_id, int(step), clean)


# --------------------------------------------------------------------------- progress over meetings


def progress_table(store: Store, team: str) -> pd.DataFrame:
    """The bouwstenen scores of each meeting of the team side by side: one row per bouwsteen, one
    column per meeting with a bouwstenen poll (oldest first), the group's median (rounded down, as
    taken over) and the number of answers, e.g. "3 (n=7)"; "-" when nobody scored it."""
    columns: dict[str, list[str]] = {}
    for meeting in sorted(meetings(store, team), key=lambda m: (m.meeting_date, m.created_at)):
        if meeting.state == "gepland" or not meeting.steps_of("bouwstenen"):
            continue
        res = None
        for step in reversed(meeting.steps_of("bouwstenen")):
            res = step_results(store, meeting, step)
            if res is not None and any(r.n for r in res.questions):
                break
        if res is None or not any(r.n for r in res.questions):
            continue
        scores = werkgroep.scores_from_poll(res)
        counts = {r.question.bouwsteen: r.n for r in res.questions}
        label = f"{meeting.meeting_date.strftime('%d/%m/%Y')} {meeting.title}"
        while label in columns:  # two meetings of one day with one title
            label += " ·"
        columns[label] = [
            f"{scores[b.code]} (n={counts.get(b.code, 0)})" if scores.get(b.code) is not None else "-"
            for b in bouwstenen.BOUWSTENEN
        ]
    frame = pd.DataFrame({"Bouwsteen": [b.name for b in bouwstenen.BOUWSTENEN], **columns})
    return frame
