"""Sections of the Bijeenkomsten page: plan a werkgroep meeting, find it back, start it, take the verslag home.

The meeting itself (agenda, state, poll, notes) lives in zorgzaam.meetings; the big screen that leads
it is pages/bijeenkomst.py. The facilitator token that ``meetings.start`` hands out once is kept in
the session (``TOKENS_KEY``) so whoever started a meeting in this browser can lead it further.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from .. import meeting_content, meetings
from ..charts import meeting_progress
from ..formatting import format_date
from ..meetings import BLOCKS, TEMPLATES, Meeting, MeetingError
from ..store import Store
from . import take_home
from .data import SOURCE_KEY, data_version, demo_store, own_store, source_choice
from .poll_sections import paste_link_input
from .state import AreaChoice
from .text import plain

PRESENTER_PAGE = "pages/bijeenkomst.py"
# {meeting_id: facilitator token} of the meetings started (or opened) in this browser session;
# the presenter page reads and fills it too.
TOKENS_KEY = "meeting_tokens"
FLASH_KEY = "meeting_plan_flash"
LOST_ERROR_KEY = "meeting_lost_error"
ROUND_KEY = "meeting_plan_round"  # bumped after planning, so the form starts empty again
PASTE_KEY = "meeting_paste_link"
PASTE_ERROR_KEY = "meeting_paste_error"
OPEN_KEY = "meeting_open_pasted"  # (meeting id, token, source) of a pasted link, opened on the next run
CUSTOM = "zelf"  # "Zelf samenstellen": an empty agenda to fill

BLOCK_COLUMN, TITLE_COLUMN, MINUTES_COLUMN = "Blok", "Titel", "Minuten"
KIND_BY_TITLE = {b.title: kind for kind, b in BLOCKS.items()}
STATE_BADGES = {
    "gepland": ":blue-badge[:material/event: gepland]",
    "bezig": ":orange-badge[:material/play_circle: bezig]",
    "afgerond": ":green-badge[:material/task_alt: afgerond]",
}


# --------------------------------------------------------------------------- small helpers


def _tokens() -> dict[str, str]:
    tokens = st.session_state.get(TOKENS_KEY)
    if not isinstance(tokens, dict):
        tokens = {}
        st.session_state[TOKENS_KEY] = tokens
    return tokens


def when_held(meeting: Meeting) -> str | None:
    """'Gehouden op 2 december 2026, van 19:02 tot 21:05.' (or only the start, or only the end)."""
    start, end = meetings.local_moment(meeting.started_at), meetings.local_moment(meeting.finished_at)
    if start is not None and end is not None:
        if start.date() == end.date():
            return f"Gehouden op {format_date(start.date())}, van {start:%H:%M} tot {end:%H:%M}."
        return (
            f"Gestart op {format_date(start.date())} om {start:%H:%M}, afgerond op {format_date(end.date())} "
            f"om {end:%H:%M}."
        )
    if start is not None:
        return f"Gestart op {format_date(start.date())} om {start:%H:%M}."
    if end is not None:
        return f"Afgerond op {format_date(end.date())} om {end:%H:%M}."
    return None


def _plural(n: int, one: str, more: str) -> str:
    return f"{n} {one if n == 1 else more}"


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        if pd.isna(value):
            return True
    except (TypeError, ValueError):
        pass
    return isinstance(value, str) and not value.strip()


@st.cache_data(max_entries=16, show_spinner=False)
def _usable_indicators(_store: Store, version: str) -> list[str]:
    return meeting_content.usable_indicators(_store, list(_store.catalogue().indicators))


def _indicator_labels(store: Store) -> dict[str, str]:
    catalogue = store.catalogue()
    return {code: catalogue.indicator(code).label for code in _usable_indicators(store, data_version(store))}


@st.cache_data(max_entries=32, show_spinner=False)
def _sector_names(_store: Store, version: str, municipality: str | None) -> dict[str, str]:
    frame = meeting_content.municipality_sectors(_store, municipality)
    return dict(zip(frame["code"], frame["name"]))


# --------------------------------------------------------------------------- the agenda editor


def agenda_frame(agenda) -> pd.DataFrame:
    """The editor's table for an agenda (AgendaItems or (kind, title, minutes))."""
    rows = [(BLOCKS[i.kind].title, i.title, i.minutes) for i in agenda]
    return pd.DataFrame(
        {
            BLOCK_COLUMN: pd.Series([r[0] for r in rows], dtype="object"),
            TITLE_COLUMN: pd.Series([r[1] for r in rows], dtype="object"),
            MINUTES_COLUMN: pd.Series([r[2] for r in rows], dtype="Int64"),
        }
    )


def agenda_from_frame(frame: pd.DataFrame) -> list[dict]:
    """The edited table as agenda items for meetings.plan: fully empty rows are ignored, a row without
    a block is an error; an empty title or duration takes the block's own."""
    items = []
    for n, row in enumerate(frame.itertuples(index=False), start=1):
        block, title, minutes = row
        if _is_empty(block) and _is_empty(title) and _is_empty(minutes):
            continue
        kind = KIND_BY_TITLE.get(block) if not _is_empty(block) else None
        if kind is None:
            raise MeetingError(f"Kies bij rij {n} een blok.")
        if _is_empty(minutes):
            minutes = BLOCKS[kind].minutes
        else:
            try:
                minutes = int(minutes)
            except (TypeError, ValueError):
                raise MeetingError(f"Geef bij rij {n} een duur in minuten.") from None
        items.append({"kind": kind, "title": "" if _is_empty(title) else str(title), "minutes": minutes})
    return items


def _planned_minutes(frame: pd.DataFrame) -> int:
    total = 0
    for block, _title, minutes in frame.itertuples(index=False):
        if not _is_empty(minutes):
            try:
                total += int(minutes)
            except (TypeError, ValueError):
                pass
        elif not _is_empty(block) and block in KIND_BY_TITLE:
            total += BLOCKS[KIND_BY_TITLE[block]].minutes
    return total


def agenda_editor(initial: pd.DataFrame, key: str) -> pd.DataFrame:
    """The agenda as an editable table, the planned time under it."""
    edited = st.data_editor(
        initial,
        key=key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            BLOCK_COLUMN: st.column_config.SelectboxColumn(
                BLOCK_COLUMN,
                options=list(KIND_BY_TITLE),
                required=True,
                width="medium",
                help="Wat voor agendapunt: bepaalt wat het grote scherm en de gsm's tonen.",
            ),
            TITLE_COLUMN: st.column_config.TextColumn(
                TITLE_COLUMN,
                max_chars=meetings.MAX_TITLE_CHARS,
                width="medium",
                help="Leeg laten: de naam van het blok.",
            ),
            MINUTES_COLUMN: st.column_config.NumberColumn(
                MINUTES_COLUMN,
                min_value=1,
                max_value=meetings.MAX_MINUTES,
                step=1,
                format="%d",
                width="small",
                help=f"1 tot {meetings.MAX_MINUTES} minuten. Leeg laten: de voorgestelde duur van het blok.",
            ),
        },
    )
    total = _planned_minutes(edited)
    hours, rest = divmod(total, 60)
    extra = f" ({hours} u {rest:02d})" if hours else ""
    st.caption(
        f"Samen {total} minuten{extra}. Een rij toevoegen kan onderaan de tabel; een rij weghalen door ze "
        "aan te vinken en te verwijderen."
    )
    return edited


def blocks_explained() -> None:
    with st.expander("Wat doet elk blok?", icon=":material/help:"):
        st.markdown("\n".join(f"- **{b.title}** (± {b.minutes} minuten): {b.purpose}" for b in BLOCKS.values()))


# --------------------------------------------------------------------------- the form (new or change)


@dataclass(frozen=True)
class FormValues:
    title: str
    meeting_date: date
    sectors: list[str]
    indicators: list[str]


def _meeting_fields(
    store: Store,
    municipality: str | None,
    prefix: str,
    *,
    title: str,
    day: date,
    sectors: tuple[str, ...] = (),
    indicators: tuple[str, ...] | None = None,
) -> FormValues:
    """Title, date, sectors and indicators (the agenda editor comes after)."""
    c1, c2 = st.columns([3, 1])
    title_value = c1.text_input(
        "Titel van de bijeenkomst", value=title, key=f"{prefix}_title", max_chars=meetings.MAX_TITLE_CHARS
    )
    day_value = c2.date_input(
        "Datum",
        value=day,
        format="DD/MM/YYYY",
        key=f"{prefix}_date",
        min_value=date(2000, 1, 1),
        max_value=date(date.today().year + 10, 12, 31),
    )
    names = _sector_names(store, data_version(store), municipality)
    chosen = st.multiselect(
        "Sectoren",
        list(names),
        default=[c for c in sectors if c in names],
        format_func=lambda c: f"{names.get(c, c)} ({c})",
        key=f"{prefix}_sectors",
        max_selections=meetings.MAX_SECTORS,
        placeholder="Hele gemeente",
        help="De statistische sectoren die de stappen Wie woont er?, Wat is er? en Wie vs wat tonen. "
        "Leeg: de hele gemeente.",
    )
    labels = _indicator_labels(store)
    default = [c for c in (meeting_content.DEFAULT_INDICATORS if indicators is None else indicators) if c in labels]
    picked = st.multiselect(
        "Cijfers bij Wie woont er?",
        list(labels),
        default=default[: meetings.MAX_INDICATORS],
        format_func=lambda c: labels.get(c, c),
        key=f"{prefix}_indicators",
        max_selections=meetings.MAX_INDICATORS,
        help=f"De indicatoren die de stap Wie woont er? per gekozen sector toont, naast gemeente, zone en Vlaanderen "
        f"(hoogstens {meetings.MAX_INDICATORS}).",
    )
    return FormValues(title_value, day_value, chosen, picked)


def _plan(
    store: Store,
    team: str,
    values: FormValues,
    agenda: pd.DataFrame,
    *,
    template: str | None,
    municipality: str | None,
    meeting_id: str | None = None,
) -> Meeting | None:
    """meetings.plan with the form's values; a refusal is one Dutch sentence on the page."""
    try:
        return meetings.plan(
            store,
            team=team,
            title=values.title,
            meeting_date=values.meeting_date,
            agenda=agenda_from_frame(agenda),
            template=template,
            municipality=municipality,
            sectors=values.sectors,
            indicators=values.indicators,
            meeting_id=meeting_id,
        )
    except ValueError as exc:  # MeetingError and friends: the domain's sentence
        st.error(str(exc), icon=":material/error:")
        return None


def new_meeting_form(store: Store, team: str, choice: AreaChoice) -> None:
    """Nieuwe bijeenkomst: a template, the practical details and the agenda."""
    round_ = st.session_state.get(ROUND_KEY, 0)
    prefix = f"plan{round_}"
    options = [*TEMPLATES, CUSTOM]
    template = st.radio(
        "Vertrek van",
        options,
        key=f"{prefix}_template",
        horizontal=True,
        format_func=lambda c: TEMPLATES[c].title if c in TEMPLATES else "Zelf samenstellen",
    )
    if template in TEMPLATES:
        st.caption(TEMPLATES[template].about)
        agenda, title = TEMPLATES[template].agenda(), TEMPLATES[template].title
    else:
        st.caption("Een lege agenda: voeg zelf de blokken toe die jullie nodig hebben.")
        agenda, title = (), ""
    # The template is part of the keys: another template starts from its own title and agenda.
    values = _meeting_fields(store, choice.gemeente_code, f"{prefix}_{template}", title=title, day=date.today())
    st.markdown("**Agenda**")
    edited = agenda_editor(agenda_frame(agenda), key=f"{prefix}_agenda_{template}")
    blocks_explained()
    if st.button("Bijeenkomst plannen", type="primary", icon=":material/event_available:", key=f"{prefix}_submit"):
        meeting = _plan(
            store,
            team,
            values,
            edited,
            template=template if template in TEMPLATES else None,
            municipality=choice.gemeente_code,
        )
        if meeting is not None:
            st.session_state[FLASH_KEY] = (
                f"Bijeenkomst '{plain(meeting.title)}' gepland op {format_date(meeting.meeting_date)}."
            )
            st.session_state[ROUND_KEY] = round_ + 1
            st.rerun()


# --------------------------------------------------------------------------- the list


def _go_lead(meeting_id: str, token: str, source: str | None = None) -> None:
    st.switch_page(
        PRESENTER_PAGE, query_params={"id": meeting_id, "beheer": token, SOURCE_KEY: source or source_choice()}
    )


def _open_pasted_meeting(meeting_id: str, token: str) -> str | None:
    """A pasted presenter link: when its token leads the meeting, remember it and open the presenter on the
    next run (a callback cannot switch pages); otherwise the Dutch reason."""
    from .meeting_steps import find_meeting

    store, meeting = find_meeting(meeting_id)
    if meeting is None:
        return "Deze bijeenkomst bestaat niet (meer). Kijk na of je de volledige link plakte."
    try:
        meetings.authorise(store, meeting.meeting_id, token)
    except MeetingError as exc:
        return str(exc)
    _tokens()[meeting.meeting_id] = token
    demo = store.path == demo_store().path and store.path != own_store().path
    st.session_state[OPEN_KEY] = (meeting.meeting_id, token, "demo" if demo else "eigen")
    st.session_state[PASTE_KEY] = ""
    return None


def open_by_link() -> None:
    """Lead a running meeting further by pasting its facilitator link (e.g. after the presenter tab closed)."""
    pending = st.session_state.pop(OPEN_KEY, None)
    if pending:
        _go_lead(*pending)
    with st.expander("Een lopende bijeenkomst verder leiden", icon=":material/key:"):
        st.markdown(
            "Tabblad gesloten of andere computer? Plak de **begeleiderslink** die bij de start verscheen "
            "(in je bladwijzer of adresbalk): het grote scherm opent bij de stap waar de bijeenkomst was. "
            "De app bewaart die sleutel zelf niet en kan hem dus niet opnieuw tonen."
        )
        paste_link_input(
            "Begeleiderslink",
            key=PASTE_KEY,
            names=("id", "beheer"),
            page_path="bijeenkomst",
            error_key=PASTE_ERROR_KEY,
            on_link=_open_pasted_meeting,
        )


def minutes_documents(store: Store, meeting: Meeting) -> list[take_home.Document]:
    """The verslag of a finished meeting as PDF, Word and HTML (built on request)."""
    meeting_id = meeting.meeting_id
    stem = f"verslag-{take_home.file_slug(meeting.title)}-{meeting.meeting_date.isoformat()}"

    def pdf() -> bytes:
        from ..reports.minutes import build_minutes
        from ..reports.minutes_render import minutes_pdf

        return minutes_pdf(build_minutes(store, meeting_id))

    def docx() -> bytes:
        from ..reports.minutes import build_minutes
        from ..reports.minutes_render import minutes_docx

        return minutes_docx(build_minutes(store, meeting_id))

    def html() -> bytes:
        from ..reports.minutes import build_minutes
        from ..reports.minutes_render import minutes_html

        return minutes_html(build_minutes(store, meeting_id)).encode("utf-8")

    return [
        take_home.Document(
            f"verslag_pdf_{meeting_id}",
            "Verslag (PDF)",
            f"{stem}.pdf",
            pdf,
            "Om af te drukken of te mailen: de agenda, wat er op het scherm stond, de antwoorden en de notities.",
        ),
        take_home.Document(
            f"verslag_docx_{meeting_id}",
            "Verslag (Word)",
            f"{stem}.docx",
            docx,
            "Om verder te bewerken in Word of LibreOffice.",
        ),
        take_home.Document(
            f"verslag_html_{meeting_id}",
            "Verslag (HTML)",
            f"{stem}.html",
            html,
            "Eén zelfstandig bestand om te mailen of te openen in een browser.",
        ),
    ]


def _summary_line(meeting: Meeting) -> str:
    sectors = _plural(len(meeting.sectors), "sector", "sectoren") if meeting.sectors else "hele gemeente"
    return f"{_plural(len(meeting.agenda), 'stap', 'stappen')} · {meeting.planned_minutes} minuten · {sectors}"


def _planned_actions(store: Store, meeting: Meeting) -> None:
    mid = meeting.meeting_id
    c1, c2 = st.columns([2, 1])
    if c1.button(
        "Start de bijeenkomst",
        type="primary",
        icon=":material/play_arrow:",
        key=f"start_{mid}",
        width="stretch",
        help="Begint bij de eerste stap. Je krijgt een begeleiderslink: bewaar ze, want "
        "alleen daarmee kan je de bijeenkomst leiden.",
    ):
        try:
            started, token = meetings.start(store, mid)
        except MeetingError as exc:
            st.error(str(exc), icon=":material/error:")
            return
        _tokens()[started.meeting_id] = token
        _go_lead(started.meeting_id, token)
    with c2.popover("Verwijderen", icon=":material/delete:", width="stretch", key=f"delete_popover_{mid}"):
        st.markdown(f"De bijeenkomst **{plain(meeting.title)}** en haar agenda verwijderen?")
        if st.button("Ja, verwijderen", key=f"delete_{mid}", icon=":material/delete_forever:"):
            meetings.delete(store, mid)
            st.session_state[FLASH_KEY] = f"Bijeenkomst '{plain(meeting.title)}' verwijderd."
            st.rerun()
    with st.expander("Agenda aanpassen", icon=":material/edit_calendar:"):
        prefix = f"edit_{mid}"
        values = _meeting_fields(
            store,
            meeting.municipality,
            prefix,
            title=meeting.title,
            day=meeting.meeting_date,
            sectors=meeting.sectors,
            indicators=meeting.indicators,
        )
        edited = agenda_editor(agenda_frame(meeting.agenda), key=f"{prefix}_agenda")
        if st.button("Wijzigingen bewaren", icon=":material/save:", key=f"{prefix}_save"):
            changed = _plan(
                store,
                meeting.team,
                values,
                edited,
                template=meeting.template,
                municipality=meeting.municipality,
                meeting_id=mid,
            )
            if changed is not None:
                st.session_state[FLASH_KEY] = f"Bijeenkomst '{plain(changed.title)}' aangepast."
                st.rerun()


def _running_actions(store: Store, meeting: Meeting) -> None:
    step = meeting.current_step
    if step is not None and 0 <= step < len(meeting.agenda):
        st.caption(f"Nu op het scherm: stap {step + 1} van {len(meeting.agenda)}, {plain(meeting.agenda[step].title)}.")
    token = _tokens().get(meeting.meeting_id)
    if token:
        if st.button("Verder leiden", type="primary", icon=":material/slideshow:", key=f"lead_{meeting.meeting_id}"):
            _go_lead(meeting.meeting_id, token)
    else:
        st.caption(
            "Deze bijeenkomst loopt. Wie ze leidt, opent ze met de begeleiderslink die bij de start "
            "verscheen (bewaar die link als bladwijzer), of plakt die link hierboven bij 'Een lopende "
            "bijeenkomst verder leiden'."
        )
        _lost_link_actions(store, meeting)


def _lost(store: Store, meeting_id: str, action: str) -> None:
    """Finish or delete a meeting without its link, after the confirmation in the popover."""
    try:
        if action == "finish":
            finished, saved = meetings.finish_lost(store, meeting_id, confirmed=True)
            text = f"Bijeenkomst '{plain(finished.title)}' afgesloten. Het verslag staat hieronder klaar."
            if saved is not None:
                text += (
                    f" De groepsscores van {saved.scored} bouwstenen zijn bewaard als zelfevaluatie van "
                    f"{saved.team} op {format_date(saved.assessed_on)}."
                )
        else:
            deleted = meetings.delete_lost(store, meeting_id, confirmed=True)
            text = f"Bijeenkomst '{deleted.title}' verwijderd."
    except MeetingError as exc:
        st.session_state[LOST_ERROR_KEY] = str(exc)
        return
    st.session_state[FLASH_KEY] = text


def _lost_link_actions(store: Store, meeting: Meeting) -> None:
    """Begeleiderslink kwijt? Finish or delete the meeting, each after a confirmation that names what follows."""
    mid = meeting.meeting_id
    c1, c2 = st.columns(2)
    with c1.popover(
        "Link kwijt: afsluiten …", icon=":material/flag:", width="stretch", key=f"finish_lost_popover_{mid}"
    ):
        st.markdown(f"**{plain(meeting.title)}** afsluiten zonder begeleiderslink?")
        st.markdown(meetings.finish_lost_consequences(store, meeting))
        st.button(
            "Ja, afsluiten",
            key=f"finish_lost_{mid}",
            type="primary",
            icon=":material/flag:",
            on_click=_lost,
            args=(store, mid, "finish"),
        )
    with c2.popover(
        "Link kwijt: verwijderen …", icon=":material/delete:", width="stretch", key=f"delete_lost_popover_{mid}"
    ):
        st.markdown(f"**{plain(meeting.title)}** verwijderen zonder begeleiderslink?")
        st.markdown(meetings.delete_consequences(meeting))
        st.button(
            "Ja, verwijderen",
            key=f"delete_lost_{mid}",
            icon=":material/delete_forever:",
            on_click=_lost,
            args=(store, mid, "delete"),
        )


def _finished_actions(store: Store, meeting: Meeting) -> None:
    held = when_held(meeting)
    lines = [held] if held else []
    if meeting.next_meeting is not None:
        lines.append(f"Volgende bijeenkomst: **{format_date(meeting.next_meeting)}**.")
    if lines:
        st.markdown("  \n".join(lines))
    st.caption("Het verslag: de agenda, wat er op het scherm stond, de antwoorden op de gsm's en de notities.")
    take_home.offer(store, minutes_documents(store, meeting))


def meeting_list(store: Store, team: str, listed: list[Meeting]) -> None:
    """Bijeenkomsten van {team}: newest first, each with what can be done in its state."""
    st.subheader(f"Bijeenkomsten van {team}")
    if not listed:
        st.caption("Nog geen bijeenkomsten. Plan er hierboven een.")
        return
    for meeting in listed:
        with st.container(border=True, key=f"meeting_{meeting.meeting_id}"):
            st.markdown(
                f"**{plain(meeting.title)}** · {format_date(meeting.meeting_date)} "
                f"{STATE_BADGES.get(meeting.state, meeting.state)}"
            )
            st.caption(_summary_line(meeting))
            if meeting.state == "gepland":
                _planned_actions(store, meeting)
            elif meeting.state == "bezig":
                _running_actions(store, meeting)
            else:
                _finished_actions(store, meeting)


# --------------------------------------------------------------------------- progress over meetings


def progress_section(store: Store, team: str) -> None:
    st.subheader("Vooruitgang: de bouwstenen per bijeenkomst")
    table = meetings.progress_table(store, team)
    if len([c for c in table.columns if c != "Bouwsteen"]) == 0:
        st.info(
            "Nog geen bijeenkomst met bouwstenenscores. Zodra een bijeenkomst met het blok 'Bouwstenen scoren' "
            "loopt of afgerond is, verschijnen de scores hier, bijeenkomst naast bijeenkomst."
        )
        return
    st.caption(
        "Per bouwsteen de mediaan van de groep, naar beneden afgerond: een bouwsteen krijgt 4 pas als minstens "
        "de helft 4 of meer gaf. n is het aantal antwoorden; '-' is niet gescoord. Oudste bijeenkomst links."
    )
    st.plotly_chart(
        meeting_progress(table), width="stretch", key="meeting_progress_chart", config={"displaylogo": False}
    )
    st.dataframe(table, hide_index=True, width="stretch", key="meeting_progress_table")


# --------------------------------------------------------------------------- the page


def intro() -> None:
    st.markdown(
        "Plan hier de bijeenkomsten van jullie werkgroep. De app leidt de bijeenkomst stap voor stap op het grote "
        "scherm, zoals het ondersteuningspakket zorgzame buurten ze beschrijft: kennismaken, samen een visie "
        "vormen, de buurtanalyse lezen, de bouwstenen scoren en acties afspreken. De deelnemers doen mee met hun "
        "gsm (een QR-code op het scherm), zonder account. Na afloop staat het verslag klaar om mee te nemen."
    )


def render(store: Store, choice: AreaChoice, team: str) -> None:
    """The whole Bijeenkomsten page below its title, for a chosen team."""
    intro()
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(flash, icon=":material/check:")
    lost_error = st.session_state.pop(LOST_ERROR_KEY, None)
    if lost_error:
        st.error(lost_error, icon=":material/error:")
    open_by_link()
    listed = meetings.meetings(store, team)
    with st.expander("Nieuwe bijeenkomst", icon=":material/add:", expanded=not listed):
        new_meeting_form(store, team, choice)
    meeting_list(store, team, listed)
    progress_section(store, team)
