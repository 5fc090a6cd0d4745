"""The participant's phone page (pages/meedoen.py): join with a code, answer, see revealed results.

A participant can do nothing but answer. Their id is random per browser session and kept in the
URL (``deelnemer``) so a reload keeps their answers: a soft one-vote-per-device.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from .. import bouwstenen, polls
from ..polls import PollError
from ..store import Store
from .frame import page_guard
from ..charts import format_share, score_label
from .poll_sections import answered_line, format_median
from .text import plain

PARTICIPANT_PATH = "meedoen"
PID_KEY = "poll_participant"
NAME_KEY = "poll_name"
SEEN_KEY = "poll_seen_state"


def on_participant_page() -> bool:
    """True on the participants' page (decided before st.navigation, from the browser's URL).

    st.context.url already ends in the requested page's path, also after a rerun. AppTest has
    no URL, so this is checked in the browser tests.
    """
    return urlsplit(st.context.url or "").path.rstrip("/").endswith("/" + PARTICIPANT_PATH)


def join_form(message: str | None = None) -> None:
    """Ask for the join code when the link had none (or a wrong one)."""
    st.title("Meedoen aan een peiling")
    if message:
        st.error(message)
    with st.form("poll_join"):
        code = st.text_input(
            "Deelnamecode",
            max_chars=12,
            placeholder="bv. K7M2QX",
            help="De code staat op het scherm van de begeleider.",
        )
        if st.form_submit_button("Meedoen", type="primary", width="stretch"):
            st.query_params["code"] = polls.normalise_join_code(code)
            st.rerun()


def participant_id(store: Store, join_code: str) -> tuple[str, dict[int, str]]:
    """This browser session's participant id (kept in the URL too) and its answers in the current round."""
    pid = st.session_state.get(PID_KEY) or st.query_params.get("deelnemer") or polls.new_participant_id()
    try:
        mine = polls.my_answers(store, join_code, pid)
    except PollError:  # an id that is not ours to use (edited URL): start afresh
        pid = polls.new_participant_id()
        mine = polls.my_answers(store, join_code, pid)
    st.session_state[PID_KEY] = pid
    if st.query_params.get("deelnemer") != pid:
        st.query_params["deelnemer"] = pid
    return pid, mine


def _widget_key(session: polls.PollSession, question: polls.Question) -> str:
    # The round is part of the key: a new round starts with empty controls.
    return f"poll_answer_{session.session_id}_{session.current_round}_{question.question_id}"


def _error_key(key: str) -> str:
    return f"{key}_error"


def _save(store: Store, join_code: str, pid: str, question_id: int, key: str) -> None:
    value = st.session_state.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return  # leaving a question empty is skipping it
    try:
        polls.answer(store, join_code, pid, question_id, value, name=st.session_state.get(NAME_KEY))
        st.session_state[_error_key(key)] = None
    except PollError as exc:
        st.session_state[_error_key(key)] = str(exc)


def _save_name(store: Store, join_code: str, pid: str) -> None:
    """A name typed after answering goes with the answers already given (those that can still change)."""
    try:
        session = polls.find_session(store, join_code)
        open_ids = {q.question_id for q in session.visible_questions()} if session else set()
        for question_id, value in polls.my_answers(store, join_code, pid).items():
            if question_id not in open_ids:
                continue
            polls.answer(store, join_code, pid, question_id, value, name=st.session_state.get(NAME_KEY))
        st.session_state[_error_key(NAME_KEY)] = None
    except PollError as exc:
        st.session_state[_error_key(NAME_KEY)] = str(exc)


def _seed(key: str, question: polls.Question, stored: str | None) -> None:
    """Show the stored answer as selected when the control is drawn for the first time."""
    if key in st.session_state or stored is None:
        return
    st.session_state[key] = int(stored) if question.kind == "scale" else stored


def question_control(
    store: Store, session: polls.PollSession, pid: str, question: polls.Question, stored: str | None
) -> None:
    key = _widget_key(session, question)
    _seed(key, question, stored)
    disabled = not session.is_open
    callback = dict(on_change=_save, args=(store, session.join_code, pid, question.question_id, key))
    # A meeting's questions come one step at a time: their numbers across the meeting would puzzle.
    label = f"**{question.text}**" if question.step is not None else f"**{question.position}. {question.text}**"
    if question.kind == "scale":
        st.radio(
            label, list(polls.SCALE_VALUES), index=None, format_func=score_label, key=key, disabled=disabled, **callback
        )
    elif question.kind == "choice":
        st.radio(label, list(question.options), index=None, key=key, disabled=disabled, **callback)
    else:
        st.text_input(
            label,
            key=key,
            max_chars=polls.MAX_WORD_CHARS,
            disabled=disabled,
            placeholder="Typ een kort woord en druk op Enter",
            **callback,
        )
    error = st.session_state.get(_error_key(key))
    if error:
        st.error(error)
    elif stored is not None:
        shown = f": «{plain(stored)}»" if question.kind == "word" else ""
        st.caption(f":material/check_circle: Bewaard{shown}")
    elif session.is_open:
        st.caption("Nog niet beantwoord. Je mag een vraag overslaan.")


def render_public_results(res: polls.RoundResults) -> None:
    """The revealed results of the current round, as compact lines for a phone."""
    st.subheader("Resultaten van de groep")
    noun = "deelnemer" if res.participants == 1 else "deelnemers"
    st.caption(f"Ronde {res.round} · {res.participants} {noun}")
    for r in res.questions:
        lines = [f"**{r.question.position}. {r.question.text}**  ", answered_line(r.n, res.participants) + "  "]
        if r.question.kind == "scale" and r.n:
            lines.append(
                f"mediaan {format_median(r.median)} (van {r.min} tot {r.max})"
                + (" · **meningen lopen uiteen**" if r.disagreement else "")
            )
            lines.append("")
            lines.append("| Score | Aantal | Aandeel |\n|---|---:|---:|")
            for score in polls.SCALE_VALUES:
                count = int(r.distribution.get(score, 0))
                lines.append(f"| {score} · {bouwstenen.SCALE[score]} | {count} | {format_share(count, r.n)} |")
        elif r.n:
            lines.append("")
            first = "Keuze" if r.question.kind == "choice" else "Woord"
            lines.append(f"| {first} | Aantal | Aandeel |\n|---|---:|---:|")
            for label, count in list(r.distribution.items())[:30]:
                lines.append(f"| {plain(label)} | {int(count)} | {format_share(int(count), r.n)} |")
        st.markdown("\n".join(lines))


def _seen(session: polls.PollSession) -> tuple[bool, int, int | None]:
    return session.is_open, session.current_round, session.current_step


@st.fragment(run_every=3)
def watch(store: Store, join_code: str, seen: tuple[bool, int, int | None]) -> None:
    """Every 3 s: redraw the whole page when the poll opened, closed, started a new round or (in a
    meeting) moved to another step (a typed word is only lost then); show the results, above the
    questions, while the facilitator reveals them."""
    with page_guard():
        session = polls.find_session(store, join_code)
        if session is None:
            return
        if _seen(session) != seen:
            st.rerun()
        res = polls.public_results(store, join_code)
        if res is not None:
            render_public_results(res)
            st.divider()


def meeting_view(store: Store, session: polls.PollSession) -> None:
    """A meeting's poll: only the current step's questions, anonymous (no name field); between
    questions the phone asks to look at the big screen and follows the facilitator by itself."""
    from .. import meetings

    pid, mine = participant_id(store, session.join_code)
    st.header(plain(session.title))
    watch(store, session.join_code, _seen(session))
    visible = session.visible_questions()
    meeting = meetings.for_poll(store, session.session_id)
    if meeting is not None and meeting.current_item is not None and visible:
        st.subheader(meeting.current_item.title)
    if not session.is_open:
        st.info("De bijeenkomst is afgelopen. Bedankt om mee te doen!", icon=":material/celebration:")
        return
    if not visible:
        st.info(
            "Kijk mee op het grote scherm. Zodra er een vraag voor jou is, verschijnt ze hier vanzelf.",
            icon=":material/cast:",
        )
        return
    st.markdown(
        "Kies je antwoord; het wordt meteen bewaard en je kunt het veranderen zolang deze stap loopt. "
        "Je antwoorden zijn anoniem."
    )
    for question in visible:
        with st.container(border=True):
            question_control(store, session, pid, question, mine.get(question.question_id))


def participant_view(store: Store, session: polls.PollSession) -> None:
    if session.follows_steps or store.meeting_for_poll(session.session_id):  # a meeting without questions too
        meeting_view(store, session)
        return
    pid, mine = participant_id(store, session.join_code)
    st.header(plain(session.title))
    if session.is_open:
        st.markdown(
            "Kies per vraag je antwoord; het wordt meteen bewaard. Je kunt het veranderen zolang de peiling open is."
        )
    else:
        st.warning("De peiling is gesloten. Antwoorden kan (nu) niet; wacht op de begeleider.", icon=":material/lock:")
    if session.current_round > 1:
        st.caption(f"Ronde {session.current_round}")
    watch(store, session.join_code, _seen(session))
    st.text_input(
        "Je naam (mag leeg blijven)",
        key=NAME_KEY,
        max_chars=polls.MAX_NAME_CHARS,
        disabled=not session.is_open,
        on_change=_save_name,
        args=(store, session.join_code, pid),
    )
    if st.session_state.get(_error_key(NAME_KEY)):
        st.error(st.session_state[_error_key(NAME_KEY)])
    for question in session.questions:
        with st.container(border=True):
            question_control(store, session, pid, question, mine.get(question.question_id))
