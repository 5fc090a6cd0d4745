"""Live polls (peilingen) during a werkgroep meeting: sessions, questions, answers, results.

A facilitator creates a session and gets two things: a short join code to read aloud or show as
a QR code, and a facilitator token (returned once; the store keeps only its SHA-256). Participants
answer from their phones with the join code and a random participant id of their browser session;
that is all a participant can do. Every facilitator action needs the token.

Question kinds:
    scale   an integer 1-5 (the bouwstenen scale of the ondersteuningspakket, SCALE_LABELS)
    choice  one of the question's options
    word    a short text, 1-40 characters after stripping, no control characters

One answer per participant, question and round: a second answer replaces the first. A new round
keeps the answers of earlier rounds, so rounds can be compared.

Disagreement rule (scale questions): the one of zorgzaam.bouwstenen (``spread``), so a poll and
the self-assessment speak the same language: the group disagrees when at least two people
answered and at least a quarter of the answers lie more than one point from the median
(e.g. 1, 3, 3, 5 → median 3, half the answers two points away → disagreement). The interquartile
range is reported beside it as extra information, not as the rule.

No Streamlit here; the SQL lives in zorgzaam.store.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from . import bouwstenen
from .store import Store, StoreError

__all__ = [
    "EXPORT_COLUMNS",
    "JOIN_CODE_ALPHABET",
    "JOIN_CODE_LENGTH",
    "KINDS",
    "MAX_NAME_CHARS",
    "MAX_OPTIONS",
    "MAX_OPTION_CHARS",
    "MAX_PARTICIPANTS",
    "MAX_PARTICIPANT_ID_CHARS",
    "MAX_QUESTIONS",
    "MAX_QUESTION_CHARS",
    "MAX_TITLE_CHARS",
    "MAX_WORD_CHARS",
    "SCALE_LABELS",
    "SCALE_VALUES",
    "PollError",
    "PollSession",
    "Question",
    "QuestionResult",
    "RoundResults",
    "answer",
    "bouwstenen_questions",
    "clean_text",
    "close_poll",
    "compare_rounds",
    "create_session",
    "export_rows",
    "facilitator_session",
    "find_session",
    "hash_token",
    "hide_results",
    "my_answers",
    "new_facilitator_token",
    "new_join_code",
    "new_participant_id",
    "new_round",
    "normalise_join_code",
    "normalise_word",
    "open_poll",
    "public_results",
    "results",
    "reveal_results",
    "scale_summary",
    "validate_value",
]

# Join codes: no 0/O, 1/I/L, so a code read aloud or from a projector is typed right.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6

KINDS = ("scale", "choice", "word")
# The self-assessment scale (score → the source's text), from zorgzaam.bouwstenen.
SCALE_LABELS: dict[int, str] = dict(bouwstenen.SCALE)
SCALE_VALUES = tuple(sorted(SCALE_LABELS))

MAX_TITLE_CHARS = 120
MAX_QUESTION_CHARS = 300
MAX_QUESTIONS = 50
MAX_OPTIONS = 12
MAX_OPTION_CHARS = 80
MAX_WORD_CHARS = 40
MAX_NAME_CHARS = 40
MAX_PARTICIPANT_ID_CHARS = 64
# A werkgroep meeting has tens of people; the cap keeps one script with fresh ids from flooding a round.
MAX_PARTICIPANTS = 300


class PollError(ValueError):
    """A poll action that cannot be done, worded for the user as one Dutch sentence."""


# --- pure helpers -----------------------------------------------------------------


def new_join_code() -> str:
    """Six characters from an alphabet without look-alikes (31**6 ≈ 887 million codes)."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(code: str | None) -> str:
    """What a participant typed, as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in str(code or "").upper() if ch not in " -\t")


def new_facilitator_token() -> str:
    """An unguessable token (192 random bits, URL-safe) for the facilitator's link."""
    return secrets.token_urlsafe(24)


def new_participant_id() -> str:
    """A random id for one participant's browser session."""
    return secrets.token_urlsafe(12)


def hash_token(token: str) -> str:
    """SHA-256 (hex) of a facilitator token: the store never keeps the token itself."""
    return hashlib.sha256(str(token).encode("utf-8")).hexdigest()


def _has_control_chars(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in text)


def normalise_word(text: str) -> str:
    """A word answer as counted: case-folded, inner whitespace collapsed (NFKC)."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def scale_summary(values: Iterable[int]) -> dict:
    """median, min, max, iqr and the disagreement flag (bouwstenen.spread) of scale answers (None when empty)."""
    vals = sorted(int(v) for v in values)
    if not vals:
        return {"median": None, "min": None, "max": None, "iqr": None, "disagreement": False}
    spread = bouwstenen.spread(vals)
    q1, q3 = (float(x) for x in np.percentile(np.asarray(vals, dtype=float), [25, 75]))
    return {
        "median": spread.median,
        "min": spread.minimum,
        "max": spread.maximum,
        "iqr": q3 - q1,
        "disagreement": bool(spread.is_disputed),
    }


# --- questions ----------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    question_id: int
    position: int
    kind: str
    text: str
    options: tuple[str, ...] = ()
    bouwsteen: str | None = None
    step: int | None = None  # the meeting step it belongs to (zorgzaam.meetings); None in a plain poll


@dataclass(frozen=True)
class PollSession:
    """What anyone may know about a session (no token hash)."""

    session_id: str
    title: str
    join_code: str
    is_open: bool
    results_visible: bool
    current_round: int
    created_at: datetime
    questions: tuple[Question, ...]
    current_step: int | None = None

    def question(self, question_id: int) -> Question | None:
        return next((q for q in self.questions if q.question_id == question_id), None)

    @property
    def follows_steps(self) -> bool:
        """True for a meeting's poll: its questions belong to steps."""
        return any(q.step is not None for q in self.questions)

    def visible_questions(self) -> tuple[Question, ...]:
        """What participants see and may answer: in a meeting only the current step's questions."""
        if not self.follows_steps:
            return self.questions
        return tuple(q for q in self.questions if q.step is not None and q.step == self.current_step)


def bouwstenen_questions() -> list[dict]:
    """The 9-bouwstenen scoring: one 1-5 scale question per bouwsteen (zorgzaam.bouwstenen), in its order."""
    return [{"kind": "scale", "text": b.name, "bouwsteen": b.code} for b in bouwstenen.BOUWSTENEN]


def clean_text(value, what: str, max_chars: int) -> str:
    """One line of user text: whitespace collapsed, not empty, not too long, no control characters."""
    text = " ".join(str(value or "").split())
    if not text:
        raise PollError(f"{what} is leeg.")
    if len(text) > max_chars:
        raise PollError(f"{what} is te lang ({len(text)} tekens; maximum {max_chars}).")
    if _has_control_chars(text):
        raise PollError(f"{what} bevat tekens die niet toegelaten zijn.")
    return text


def _validate_questions(questions: Iterable[Mapping | Question], allow_empty: bool = False) -> list[Question]:
    out: list[Question] = []
    for i, spec in enumerate(questions, start=1):
        if isinstance(spec, Question):
            spec = {
                "kind": spec.kind,
                "text": spec.text,
                "options": spec.options,
                "bouwsteen": spec.bouwsteen,
                "step": spec.step,
            }
        kind = spec.get("kind")
        if kind not in KINDS:
            raise PollError(f"Vraag {i} heeft een onbekend soort ({kind!r}); kies schaal, keuze of woord.")
        text = clean_text(spec.get("text"), f"De tekst van vraag {i}", MAX_QUESTION_CHARS)
        options: tuple[str, ...] = ()
        if kind == "choice":
            options = tuple(
                clean_text(o, f"Een keuzemogelijkheid van vraag {i}", MAX_OPTION_CHARS)
                for o in (spec.get("options") or ())
            )
            if len(options) < 2 or len(options) > MAX_OPTIONS:
                raise PollError(f"Vraag {i} heeft tussen 2 en {MAX_OPTIONS} keuzemogelijkheden nodig.")
            if len({o.casefold() for o in options}) != len(options):
                raise PollError(f"Vraag {i} heeft twee keer dezelfde keuzemogelijkheid.")
        bouwsteen = spec.get("bouwsteen") or None
        step = spec.get("step")
        out.append(
            Question(
                question_id=i,
                position=i,
                kind=kind,
                text=text,
                options=options,
                bouwsteen=str(bouwsteen) if bouwsteen else None,
                step=None if step is None else int(step),
            )
        )
    if not out and not allow_empty:
        raise PollError("Een peiling heeft minstens één vraag nodig.")
    if len(out) > MAX_QUESTIONS:
        raise PollError(f"Een peiling heeft hoogstens {MAX_QUESTIONS} vragen.")
    return out


def validate_value(question: Question, value) -> str:
    """The answer as stored (text), or PollError with one Dutch sentence."""
    if question.kind == "scale":
        if isinstance(value, bool):
            raise PollError("Kies een score van 1 tot 5.")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if not isinstance(value, (int, np.integer)) or int(value) not in SCALE_VALUES:
            raise PollError("Kies een score van 1 tot 5.")
        return str(int(value))
    if question.kind == "choice":
        if not isinstance(value, str) or value not in question.options:
            raise PollError("Kies een van de voorgestelde antwoorden.")
        return value
    # word
    if not isinstance(value, str):
        raise PollError("Typ een kort woord als antwoord.")
    text = value.strip()
    if not text:
        raise PollError("Typ een kort woord als antwoord.")
    if len(text) > MAX_WORD_CHARS:
        raise PollError(f"Je antwoord is te lang ({len(text)} tekens; maximum {MAX_WORD_CHARS}).")
    if _has_control_chars(text):
        raise PollError("Je antwoord bevat tekens die niet toegelaten zijn.")
    return text


def _validate_name(name) -> str | None:
    if name is None:
        return None
    text = " ".join(str(name).split())
    if not text:
        return None
    if len(text) > MAX_NAME_CHARS:
        raise PollError(f"Je naam is te lang ({len(text)} tekens; maximum {MAX_NAME_CHARS}).")
    if _has_control_chars(text):
        raise PollError("Je naam bevat tekens die niet toegelaten zijn.")
    return text


def _validate_participant(participant_id) -> str:
    pid = str(participant_id or "")
    if not pid or len(pid) > MAX_PARTICIPANT_ID_CHARS or not pid.isascii() or not pid.isprintable() or " " in pid:
        raise PollError("Je deelname is niet herkend; herlaad de pagina.")
    return pid


# --- reading sessions -------------------------------------------------------------------


# Questions never change after creation, so they are read once per session (key: database file,
# session id); every answer would otherwise read them again.
_questions_cache: dict[tuple[str, str], tuple[Question, ...]] = {}
_questions_lock = threading.Lock()
_QUESTIONS_CACHE_MAX = 256


def _questions(store: Store, session_id: str) -> tuple[Question, ...]:
    key = (str(store.path.resolve()), session_id)
    with _questions_lock:
        cached = _questions_cache.get(key)
    if cached is not None:
        return cached
    questions = tuple(
        Question(
            question_id=int(r["question_id"]),
            position=int(r["position"]),
            kind=r["kind"],
            text=r["text"],
            options=tuple(json.loads(r["options"])) if r["options"] else (),
            bouwsteen=r["bouwsteen"] or None,
            step=None if r["step"] is None else int(r["step"]),
        )
        for r in store.poll_questions(session_id)
    )
    if questions:  # never cache "no questions" (a session is written with its questions in one transaction)
        with _questions_lock:
            if len(_questions_cache) >= _QUESTIONS_CACHE_MAX:
                _questions_cache.pop(next(iter(_questions_cache)))
            _questions_cache[key] = questions
    return questions


def _load(store: Store, row: dict) -> PollSession:
    questions = _questions(store, row["session_id"])
    return PollSession(
        session_id=row["session_id"],
        title=row["title"],
        join_code=row["join_code"],
        is_open=row["state"] == "open",
        results_visible=bool(row["results_visible"]),
        current_round=int(row["current_round"]),
        created_at=row["created_at"],
        questions=questions,
        current_step=None if row.get("current_step") is None else int(row["current_step"]),
    )


def find_session(store: Store, join_code: str) -> PollSession | None:
    """The session a participant joins with this code (spaces, dashes and case ignored), or None."""
    code = normalise_join_code(join_code)
    if len(code) != JOIN_CODE_LENGTH or any(ch not in JOIN_CODE_ALPHABET for ch in code):
        return None
    row = store.poll_session(code)
    if row is None or row["join_code"] != code:
        return None
    return _load(store, row)


def _require(store: Store, join_code: str) -> PollSession:
    session = find_session(store, join_code)
    if session is None:
        raise PollError("Er is geen peiling met deze code; kijk de code nog eens na.")
    return session


# --- creating -----------------------------------------------------------------------------


def create_session(
    store: Store,
    title: str,
    questions: Iterable[Mapping | Question],
    *,
    open_now: bool = True,
    token: str | None = None,
    allow_empty: bool = False,
) -> tuple[PollSession, str]:
    """A new session (results hidden, round 1) and its facilitator token, returned only here.

    A meeting passes its own ``token`` (one link controls the meeting and its poll) and may have
    no questions at all (``allow_empty``): participants then only look at the big screen.
    """
    clean_title = clean_text(title, "De titel van de peiling", MAX_TITLE_CHARS)
    checked = _validate_questions(questions, allow_empty=allow_empty)
    token = token or new_facilitator_token()
    rows = [
        (
            q.question_id,
            q.position,
            q.kind,
            q.text,
            json.dumps(list(q.options), ensure_ascii=False) if q.kind == "choice" else None,
            q.bouwsteen,
            q.step,
        )
        for q in checked
    ]
    for _ in range(20):
        session_id = secrets.token_hex(8)
        if store.create_poll_session(session_id, clean_title, new_join_code(), hash_token(token), open_now, rows):
            session = _load(store, store.poll_session(session_id))
            return session, token
    raise PollError("Er kon geen vrije deelnamecode gevonden worden; probeer het opnieuw.")  # pragma: no cover


# --- participants ---------------------------------------------------------------------------


def answer(store: Store, join_code: str, participant_id: str, question_id: int, value, name: str | None = None) -> int:
    """Store a participant's answer (replacing an earlier one in this round); returns the round."""
    pid = _validate_participant(participant_id)
    session = _require(store, join_code)
    if not session.is_open:
        raise PollError("Deze peiling is gesloten; antwoorden kan niet meer.")
    try:
        qid = int(question_id)
    except (TypeError, ValueError):
        qid = None
    question = session.question(qid) if qid is not None else None
    if question is None:
        raise PollError("Deze vraag hoort niet bij deze peiling.")
    if question not in session.visible_questions():
        raise PollError("Deze vraag staat nu niet open; kijk op het grote scherm welke vraag aan de beurt is.")
    stored = validate_value(question, value)
    display_name = _validate_name(name)
    # The store's one writer runs every answer in order (those that arrive together commit together).
    try:
        round_ = store.record_poll_answer(
            session.session_id, question.question_id, pid, display_name, stored, max_participants=MAX_PARTICIPANTS
        )
    except StoreError as exc:
        raise PollError(str(exc)) from exc
    if round_ is None:  # closed between the check above and the write
        raise PollError("Deze peiling is gesloten; antwoorden kan niet meer.")
    return round_


def my_answers(store: Store, join_code: str, participant_id: str) -> dict[int, str]:
    """This participant's answers in the current round (question_id → stored value), to show on the phone."""
    pid = _validate_participant(participant_id)
    session = _require(store, join_code)
    frame = store.poll_answers(session.session_id, round=session.current_round, participant_id=pid)
    return {int(r.question_id): r.value for r in frame.itertuples()}


def public_results(store: Store, join_code: str) -> RoundResults | None:
    """The current round's results for participants, or None while the facilitator hides them."""
    session = _require(store, join_code)
    if not session.results_visible:
        return None
    return _round_results(store, session, session.current_round)


# --- facilitator ----------------------------------------------------------------------------


def _authorise(store: Store, key: str, token: str) -> PollSession:
    """The session (by session id or join code) when ``token`` is its facilitator token."""
    row = store.poll_session(str(key or "")) or store.poll_session(normalise_join_code(key))
    if row is None or not isinstance(token, str) or not token:
        raise PollError("Geen toegang: deze peiling bestaat niet of de begeleiderslink klopt niet.")
    if not hmac.compare_digest(hash_token(token), row["token_hash"]):
        raise PollError("Geen toegang: alleen wie de begeleiderslink heeft, kan deze peiling bedienen.")
    return _load(store, row)


def facilitator_session(store: Store, key: str, token: str) -> PollSession:
    """The session for the facilitator's screen (checks the token)."""
    return _authorise(store, key, token)


def _facilitate(store: Store, key: str, token: str, **change) -> PollSession:
    """A facilitator's change to the session (after the token check), and the session as it is now."""
    session = _authorise(store, key, token)
    store.update_poll_session(session.session_id, **change)
    return _authorise(store, session.session_id, token)


def open_poll(store: Store, key: str, token: str) -> PollSession:
    return _facilitate(store, key, token, is_open=True)


def close_poll(store: Store, key: str, token: str) -> PollSession:
    return _facilitate(store, key, token, is_open=False)


def reveal_results(store: Store, key: str, token: str) -> PollSession:
    return _facilitate(store, key, token, results_visible=True)


def hide_results(store: Store, key: str, token: str) -> PollSession:
    return _facilitate(store, key, token, results_visible=False)


def new_round(store: Store, key: str, token: str) -> PollSession:
    """Start the next round: earlier answers are kept; the poll opens and its results are hidden again."""
    return _facilitate(store, key, token, next_round=True, is_open=True, results_visible=False)


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    n: int  # number of answers
    distribution: dict  # scale: {1..5: count}; choice: {option: count}; word: {word: count}, most first
    median: float | None = None  # scale only
    min: int | None = None
    max: int | None = None
    iqr: float | None = None
    disagreement: bool = False


@dataclass(frozen=True)
class RoundResults:
    session_id: str
    title: str
    round: int
    participants: int  # distinct participants with at least one answer in this round
    questions: tuple[QuestionResult, ...]

    def by_question(self) -> dict[int, QuestionResult]:
        return {r.question.question_id: r for r in self.questions}


def _question_result(question: Question, values: list[str]) -> QuestionResult:
    if question.kind == "scale":
        ints = [int(v) for v in values]
        counts = Counter(ints)
        summary = scale_summary(ints)
        return QuestionResult(
            question,
            len(ints),
            {v: counts.get(v, 0) for v in SCALE_VALUES},
            median=summary["median"],
            min=summary["min"],
            max=summary["max"],
            iqr=summary["iqr"],
            disagreement=summary["disagreement"],
        )
    if question.kind == "choice":
        counts = Counter(values)
        return QuestionResult(question, len(values), {o: counts.get(o, 0) for o in question.options})
    counts = Counter(normalise_word(v) for v in values)
    ordered = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return QuestionResult(question, len(values), ordered)


def _round_results(store: Store, session: PollSession, round_: int) -> RoundResults:
    frame = store.poll_answers(session.session_id, round=int(round_))
    per_question: dict[int, list[str]] = {}
    for qid, value in zip(frame["question_id"], frame["value"]):
        per_question.setdefault(int(qid), []).append(value)
    return RoundResults(
        session_id=session.session_id,
        title=session.title,
        round=int(round_),
        participants=int(frame["participant_id"].nunique()),
        questions=tuple(_question_result(q, per_question.get(q.question_id, [])) for q in session.questions),
    )


def _check_round(session: PollSession, round_) -> int:
    r = session.current_round if round_ is None else round_
    try:
        r = int(r)
    except (TypeError, ValueError):
        r = 0
    if not 1 <= r <= session.current_round:
        raise PollError(f"Ronde {round_} bestaat niet; deze peiling heeft {session.current_round} ronde(s).")
    return r


def results(store: Store, key: str, token: str, round: int | None = None) -> RoundResults:
    """Results of a round (default: the current one) for the facilitator, hidden or not."""
    session = _authorise(store, key, token)
    return _round_results(store, session, _check_round(session, round))


def compare_rounds(store: Store, key: str, token: str, round_a: int, round_b: int) -> pd.DataFrame:
    """One row per question: answers, median, disagreement and distribution in two rounds, and the change.

    Columns: question_id, position, kind, text, bouwsteen, n_a, n_b, median_a, median_b,
    median_change (b - a, scale only), disagreement_a, disagreement_b, distribution_a, distribution_b.
    """
    session = _authorise(store, key, token)
    a = _round_results(store, session, _check_round(session, round_a)).by_question()
    b = _round_results(store, session, _check_round(session, round_b)).by_question()
    rows = []
    for q in session.questions:
        ra, rb = a[q.question_id], b[q.question_id]
        change = (rb.median - ra.median) if ra.median is not None and rb.median is not None else None
        rows.append(
            {
                "question_id": q.question_id,
                "position": q.position,
                "kind": q.kind,
                "text": q.text,
                "bouwsteen": q.bouwsteen,
                "n_a": ra.n,
                "n_b": rb.n,
                "median_a": ra.median,
                "median_b": rb.median,
                "median_change": change,
                "disagreement_a": ra.disagreement,
                "disagreement_b": rb.disagreement,
                "distribution_a": ra.distribution,
                "distribution_b": rb.distribution,
            }
        )
    return pd.DataFrame(rows)


EXPORT_COLUMNS = (
    "peiling",
    "ronde",
    "vraag_nr",
    "vraag",
    "soort",
    "bouwsteen",
    "deelnemer",
    "antwoord",
    "tijdstip_utc",
)
_KIND_LABELS = {"scale": "schaal 1-5", "choice": "keuze", "word": "woord"}


def export_rows(store: Store, key: str, token: str, with_names: bool = False) -> pd.DataFrame:
    """Every answer of every round, one row each, with Dutch column names (for CSV or XLSX).

    Anonymous by default: participants become "deelnemer 1", "deelnemer 2" … (numbered by their
    first answer), so rows of one person stay linked without revealing the browser id; the
    optional names are added as column "naam" only when ``with_names`` is asked.
    """
    session = _authorise(store, key, token)
    frame = store.poll_answers(session.session_id)
    questions = {q.question_id: q for q in session.questions}
    order = {pid: i for i, pid in enumerate(dict.fromkeys(frame["participant_id"]), start=1)}
    out = pd.DataFrame(
        {
            "peiling": session.title,
            "ronde": frame["round"].astype(int),
            "vraag_nr": [questions[int(q)].position for q in frame["question_id"]],
            "vraag": [questions[int(q)].text for q in frame["question_id"]],
            "soort": [_KIND_LABELS[questions[int(q)].kind] for q in frame["question_id"]],
            "bouwsteen": [questions[int(q)].bouwsteen for q in frame["question_id"]],
            "deelnemer": [order[p] for p in frame["participant_id"]],
            "antwoord": [
                int(v) if questions[int(q)].kind == "scale" else v for q, v in zip(frame["question_id"], frame["value"])
            ],
            "tijdstip_utc": frame["answered_at"],
        },
        columns=list(EXPORT_COLUMNS),
    )
    if with_names:
        out.insert(out.columns.get_loc("deelnemer") + 1, "naam", frame["display_name"].tolist())
    out = out.sort_values(["ronde", "vraag_nr", "deelnemer"], kind="stable").reset_index(drop=True)
    out["deelnemer"] = [f"deelnemer {n}" for n in out["deelnemer"]]
    return out
