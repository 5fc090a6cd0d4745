"""The facilitator's poll page (pages/peiling.py): new poll, big screen, controls, live results,
rounds, taking the scores over as the team's self-assessment, export. Result tables are shared
with the participant page (zorgzaam.ui.poll_participant)."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from datetime import date
from urllib.parse import parse_qs, quote, urlsplit, urlunsplit

import pandas as pd
import segno
import streamlit as st

from .. import bouwstenen, poll_export, polls, public_url
from ..charts import SCORE_COLOURS, format_share, poll_scale, score_label
from ..formatting import format_date, format_number
from ..polls import PollError
from ..store import Store
from .frame import page_guard
from .text import plain

PAGE_PATH = "peiling"
PARTICIPANT_PATH = "meedoen"
# Where the app runs when the browser's URL is unknown (AppTest, a script without a browser).
FALLBACK_BASE_URL = "http://localhost:8501"

QUESTION_SETS = ("De 9 bouwstenen scoren (1–5)", "Eigen vragen")
KIND_BY_LABEL = {"schaal 1–5": "scale", "meerkeuze": "choice", "kort woord": "word"}
DISAGREEMENT_BADGE = ":orange-badge[:material/diversity_2: meningen lopen uiteen]"

# Session-state keys.
CREATED_KEY = "poll_just_created"
MINE_KEY = "poll_my_sessions"  # {session_id: (title, token)} created or opened in this browser session
FLASH_KEY = "poll_flash_error"  # a refused control action, shown once
PASTE_ERROR_KEY = "poll_paste_error"


# --------------------------------------------------------------------------- small helpers


def format_median(value: float | None) -> str:
    if value is None:
        return "-"
    return format_number(value, 0 if float(value).is_integer() else 1)


def answered_line(n: int, participants: int) -> str:
    """ "7 van 9 deelnemers antwoordden", plus how many skipped the question."""
    noun = "deelnemer" if participants == 1 else "deelnemers"
    verb = "antwoordde" if n == 1 else "antwoordden"
    text = f"{n} van {participants} {noun} {verb}"
    skipped = participants - n
    if skipped > 0:
        text += f" ({skipped} sloeg{'' if skipped == 1 else 'en'} deze vraag over)"
    return text


def question_spread(result: polls.QuestionResult) -> bouwstenen.Spread:
    values = [score for score, count in result.distribution.items() for _ in range(int(count))]
    return bouwstenen.spread(values)


def base_url(page_path: str = PAGE_PATH) -> str:
    """The app's address as the browser sees it (st.context.url without this page's path)."""
    url = st.context.url
    if not url:
        return FALLBACK_BASE_URL
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    if path.endswith("/" + page_path):
        path = path[: -len(page_path) - 1]
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def public_address(page_path: str = PAGE_PATH) -> public_url.PublicAddress:
    """Where phones reach the app: ZORGZAAM_PUBLIC_URL, Streamlit's browser.serverAddress (with its port and
    base path), or else the address in this browser (zorgzaam.public_url.resolve)."""
    from streamlit import config

    configured = config.is_manually_set("browser.serverAddress")
    port_option = "browser.serverPort" if config.is_manually_set("browser.serverPort") else "server.port"
    try:
        port = int(config.get_option(port_option))
    except (TypeError, ValueError):
        port = None
    return public_url.resolve(
        env=os.environ.get(public_url.ENV_VAR),
        server_address=config.get_option("browser.serverAddress") if configured else None,
        port=port,
        base_path=config.get_option("server.baseUrlPath"),
        browser_base=base_url(page_path) if st.context.url else None,
    )


def participant_link(join_code: str, page_path: str = PAGE_PATH) -> str:
    """The join link (and QR code) for phones, from the page ``page_path`` that shows it."""
    return public_address(page_path).join_url(join_code)


def unreachable_warning(page_path: str = PAGE_PATH) -> None:
    """A Dutch warning beside the join link when phones in the room cannot reach its address."""
    warning = public_address(page_path).warning
    if warning:
        st.warning(warning, icon=":material/wifi_off:")


def facilitator_link(session_id: str, token: str) -> str:
    return f"{base_url()}/{PAGE_PATH}?sessie={quote(session_id)}&beheer={quote(token)}"


def qr_png(text: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=10, border=2)
    return buffer.getvalue()


# --------------------------------------------------------------------------- result tables (shared)


def scale_table(res: polls.RoundResults) -> pd.DataFrame:
    """One row per scale question: answers, count (share) per score, median, range, disagreement."""
    rows = []
    for r in res.questions:
        if r.question.kind != "scale":
            continue
        row = {"Nr.": r.question.position, "Vraag": r.question.text, "Antwoorden": f"{r.n} van {res.participants}"}
        for score in polls.SCALE_VALUES:
            count = int(r.distribution.get(score, 0))
            row[str(score)] = f"{count} ({format_share(count, r.n)})" if r.n else "0"
        row["Mediaan"] = format_median(r.median)
        row["Van–tot"] = f"{r.min}–{r.max}" if r.n else "-"
        row["Meningen"] = "lopen uiteen" if r.disagreement else ""
        rows.append(row)
    return pd.DataFrame(rows)


def option_table(result: polls.QuestionResult, limit: int | None = None) -> pd.DataFrame:
    """Counts and shares per option (choice) or per word, most first for words."""
    items = list(result.distribution.items())
    if limit is not None:
        items = items[:limit]
    first = "Keuze" if result.question.kind == "choice" else "Woord"
    return pd.DataFrame(
        {
            first: [k for k, _ in items],
            "Aantal": [int(v) for _, v in items],
            "Aandeel": [format_share(int(v), result.n) for _, v in items],
        }
    )


def scale_legend_html() -> str:
    """The chart's legend: a coloured square and the source's text per score, wrapping like text."""
    items = [
        f"<span style='white-space:nowrap;margin-right:1.4em'><span style='display:inline-block;width:0.9em;"
        f"height:0.9em;background:{SCORE_COLOURS[s]};border:1px solid #888;vertical-align:-0.1em'></span> "
        f"{score_label(s)}</span>"
        for s in polls.SCALE_VALUES
    ]
    return "<div style='line-height:1.9'>" + " ".join(items) + "</div>"


def render_results(res: polls.RoundResults, *, key: str) -> None:
    """The results of a round for the big screen: scale questions as a chart and a table, then the others."""
    scale = [r for r in res.questions if r.question.kind == "scale"]
    if scale:
        st.markdown(scale_legend_html(), unsafe_allow_html=True)
        st.plotly_chart(poll_scale(res), key=f"{key}_chart", config={"displaylogo": False, "displayModeBar": False})
        st.dataframe(
            scale_table(res),
            hide_index=True,
            key=f"{key}_scale_table",
            width="stretch",
            column_config={
                "Nr.": st.column_config.NumberColumn(width=40),
                "Antwoorden": st.column_config.TextColumn(width=85),
                **{str(v): st.column_config.TextColumn(width=88) for v in polls.SCALE_VALUES},
                "Mediaan": st.column_config.TextColumn(width=65),
                "Van–tot": st.column_config.TextColumn(width=65),
                "Meningen": st.column_config.TextColumn(width=105),
            },
        )
        for r in scale:
            if r.disagreement:
                st.markdown(
                    f"{DISAGREEMENT_BADGE} **{r.question.text}**: {bouwstenen.describe_spread(question_spread(r))}"
                )
    for r in res.questions:
        if r.question.kind == "scale":
            continue
        st.markdown(f"**{r.question.position}. {r.question.text}**  \n{answered_line(r.n, res.participants)}")
        if r.n:
            st.dataframe(
                option_table(r, limit=30 if r.question.kind == "word" else None),
                hide_index=True,
                key=f"{key}_q{r.question.question_id}",
                width="stretch",
            )


# --------------------------------------------------------------------------- new poll


def _example_questions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "soort": ["schaal 1–5", "meerkeuze", "kort woord"],
            "vraag": [
                "Hoe goed kennen we de noden in onze buurt?",
                "Welke bouwsteen pakken we eerst aan?",
                "Eén woord voor onze buurt:",
            ],
            "keuzes": ["", "Communicatie; Partnerschappen; Publieke ruimte", ""],
        }
    )


def own_questions(frame: pd.DataFrame) -> list[dict]:
    """The editor's rows as poll questions; empty rows are dropped, a row without soort is an error."""

    def cell(value) -> str:  # an empty cell arrives as None, NaN or pd.NA
        return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()

    questions = []
    for i, row in enumerate(frame.to_dict("records"), start=1):
        text, choices, kind_label = cell(row.get("vraag")), cell(row.get("keuzes")), cell(row.get("soort"))
        if not text and not choices and not kind_label:
            continue
        kind = KIND_BY_LABEL.get(kind_label)
        if kind is None:
            raise PollError(f"Kies bij rij {i} een soort vraag (schaal 1–5, meerkeuze of kort woord).")
        spec = {"kind": kind, "text": text}
        if kind == "choice":
            spec["options"] = [c.strip() for c in choices.split(";") if c.strip()]
        questions.append(spec)
    return questions


def _remember(session_id: str, title: str, token: str) -> None:
    mine = dict(st.session_state.get(MINE_KEY, {}))
    mine[session_id] = (title, token)
    st.session_state[MINE_KEY] = mine


def _go_to(session_id: str, token: str) -> None:
    st.query_params["sessie"] = session_id
    st.query_params["beheer"] = token


def new_poll_form(store: Store) -> None:
    st.subheader("Nieuwe peiling")
    title = st.text_input(
        "Titel", value=f"Bouwstenen zelfevaluatie {format_date(date.today())}", max_chars=120, key="poll_new_title"
    )
    question_set = st.radio("Vragen", QUESTION_SETS, key="poll_new_set", horizontal=True)
    if question_set == QUESTION_SETS[0]:
        st.caption(
            "Negen vragen, één per bouwsteen, met de schaal van het ondersteuningspakket: "
            + "; ".join(score_label(s) for s in bouwstenen.SCALE)
            + ". Deelnemers mogen een vraag overslaan."
        )
        edited = None
    else:
        st.caption(
            "Eén vraag per rij. Bij meerkeuze: de keuzes gescheiden door een puntkomma (;). "
            "Een kort woord is hoogstens 40 tekens."
        )
        edited = st.data_editor(
            _example_questions(),
            num_rows="dynamic",
            hide_index=True,
            key="poll_new_questions",
            width="stretch",
            column_config={
                "soort": st.column_config.SelectboxColumn(
                    "Soort", options=list(KIND_BY_LABEL), required=True, width="small"
                ),
                "vraag": st.column_config.TextColumn("Vraag", max_chars=polls.MAX_QUESTION_CHARS, width="large"),
                "keuzes": st.column_config.TextColumn("Keuzes (bij meerkeuze, gescheiden door ;)", width="medium"),
            },
        )
    if st.button("Peiling starten", type="primary", icon=":material/play_arrow:", key="poll_create"):
        try:
            questions = polls.bouwstenen_questions() if edited is None else own_questions(edited)
            session, token = polls.create_session(store, title, questions)
        except PollError as exc:
            st.error(str(exc))
            return
        _remember(session.session_id, session.title, token)
        st.session_state[CREATED_KEY] = session.session_id
        _go_to(session.session_id, token)
        st.rerun()


def link_params(text: str, names: Sequence[str]) -> tuple[str, ...] | None:
    """The values of the query parameters ``names`` in a pasted link, or None when one is missing."""
    params = parse_qs(urlsplit(str(text or "").strip()).query)
    values = tuple(params.get(name, [""])[0].strip() for name in names)
    return values if all(values) else None


def _pasted_link(key: str, names: tuple[str, ...], error_key: str, on_link: Callable[..., str | None]) -> None:
    text = str(st.session_state.get(key) or "").strip()
    values = link_params(text, names)
    if values is not None:
        st.session_state[error_key] = on_link(*values)
    elif text:
        example = "?" + "&".join(f"{name}=…" for name in names)
        st.session_state[error_key] = (
            f"Dit is geen begeleiderslink: die bevat '{example}'. "
            "Kopieer de volledige link uit je bladwijzer of adresbalk."
        )
    else:
        st.session_state[error_key] = None


def paste_link_input(
    label: str, *, key: str, names: tuple[str, ...], page_path: str, error_key: str, on_link: Callable[..., str | None]
) -> None:
    """A field for a pasted facilitator link (Peiling, Bijeenkomsten): ``on_link`` receives the link's
    parameters ``names`` and returns a Dutch sentence when it cannot open them; a text without those
    parameters gets one Dutch sentence and opens nothing."""
    st.text_input(
        label,
        key=key,
        on_change=_pasted_link,
        args=(key, names, error_key, on_link),
        placeholder=f"{FALLBACK_BASE_URL}/{page_path}?" + "&".join(f"{n}=…" for n in names),
    )
    if st.session_state.get(error_key):
        st.error(st.session_state[error_key])


def _open_pasted_poll(sessie: str, beheer: str) -> None:
    _go_to(sessie, beheer)  # the page checks the token and says so when it does not fit


def open_existing() -> None:
    st.subheader("Een bestaande peiling openen")
    st.markdown(
        "Een peiling bedien je met haar **begeleiderslink**: de link in je adresbalk toen je de peiling startte. "
        "Open je bladwijzer of plak de link hieronder. Zonder die link kan niemand de peiling bedienen; "
        "de app bewaart de sleutel zelf niet en kan hem dus ook niet opnieuw tonen."
    )
    mine = st.session_state.get(MINE_KEY, {})
    for session_id, (title, token) in mine.items():
        st.button(
            f"Terug naar «{title}»",
            key=f"poll_back_{session_id}",
            icon=":material/undo:",
            on_click=_go_to,
            args=(session_id, token),
        )
    paste_link_input(
        "Begeleiderslink",
        key="poll_paste_link",
        names=("sessie", "beheer"),
        page_path=PAGE_PATH,
        error_key=PASTE_ERROR_KEY,
        on_link=_open_pasted_poll,
    )


# --------------------------------------------------------------------------- facilitator screen


def _act(store: Store, session_id: str, token: str, action: str) -> None:
    try:
        getattr(polls, action)(store, session_id, token)
        st.session_state[FLASH_KEY] = None
    except PollError as exc:
        st.session_state[FLASH_KEY] = str(exc)


def big_screen(session: polls.PollSession) -> None:
    """The join code, the QR code and the participant link, readable from the back of the room."""
    link = participant_link(session.join_code)
    unreachable_warning()
    left, right = st.columns([3, 2], vertical_alignment="center")
    with left:
        st.markdown(f"### {plain(session.title)}")
        st.markdown("Doe mee met je gsm: scan de QR-code, of surf naar")
        st.markdown(f"**[{link}]({link})**")
        st.markdown("en gebruik de code")
        st.markdown(
            f"<div style='font-size:5.5rem;font-weight:800;letter-spacing:0.18em;line-height:1.1;"
            f"font-family:monospace' aria-label='deelnamecode'>{session.join_code}</div>",
            unsafe_allow_html=True,
        )
    with right:
        st.image(qr_png(link), caption=f"QR-code: {link}", width=320)


def controls(store: Store, session: polls.PollSession, token: str) -> None:
    sid = session.session_id
    c1, c2, c3 = st.columns(3)
    with c1:
        if session.is_open:
            st.button(
                "Sluit de peiling",
                key="poll_close",
                icon=":material/lock:",
                width="stretch",
                on_click=_act,
                args=(store, sid, token, "close_poll"),
            )
        else:
            st.button(
                "Open de peiling",
                key="poll_open",
                icon=":material/lock_open:",
                width="stretch",
                type="primary",
                on_click=_act,
                args=(store, sid, token, "open_poll"),
            )
    with c2:
        if session.results_visible:
            st.button(
                "Verberg resultaten voor deelnemers",
                key="poll_hide",
                icon=":material/visibility_off:",
                width="stretch",
                on_click=_act,
                args=(store, sid, token, "hide_results"),
            )
        else:
            st.button(
                "Toon resultaten aan deelnemers",
                key="poll_reveal",
                icon=":material/visibility:",
                width="stretch",
                on_click=_act,
                args=(store, sid, token, "reveal_results"),
            )
    with c3, st.popover("Nieuwe ronde …", icon=":material/restart_alt:", width="stretch"):
        st.markdown(
            f"Ronde {session.current_round + 1} start met lege antwoorden. De antwoorden van "
            f"{'ronde 1' if session.current_round == 1 else f'rondes 1 tot {session.current_round}'} blijven "
            "bewaard en je kunt de rondes vergelijken. De peiling gaat open en de resultaten worden verborgen."
        )
        st.button(
            f"Ja, start ronde {session.current_round + 1}",
            key="poll_new_round",
            type="primary",
            on_click=_act,
            args=(store, sid, token, "new_round"),
        )
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.error(flash)


def status_line(session: polls.PollSession, participants: int) -> str:
    state = "**open**: deelnemers kunnen antwoorden" if session.is_open else "**gesloten**: antwoorden kan niet"
    shown = (
        "**zichtbaar** op de gsm's van de deelnemers" if session.results_visible else "**verborgen** voor de deelnemers"
    )
    noun = "deelnemer" if participants == 1 else "deelnemers"
    return (
        f"Ronde {session.current_round} · peiling {state} · {participants} {noun} in deze ronde · "
        f"resultaten {shown} (jij ziet ze altijd)."
    )


@st.fragment(run_every=2)
def live_results(store: Store, session_id: str, token: str) -> None:
    """Refreshes every 2 s on its own, so answers appear without a click."""
    with page_guard():
        try:
            session = polls.facilitator_session(store, session_id, token)
            res = polls.results(store, session_id, token)
        except PollError as exc:
            st.error(str(exc))
            return
        st.subheader(f"Resultaten ronde {session.current_round}")
        st.markdown(status_line(session, res.participants))
        if res.participants == 0:
            st.info("Nog geen antwoorden in deze ronde. De resultaten verschijnen hier vanzelf.")
            return
        render_results(res, key="poll_live")


def compare_table(frame: pd.DataFrame, round_a: int, round_b: int) -> pd.DataFrame:
    """polls.compare_rounds with Dutch headers and numbers."""

    def yes_no(flag, kind, n):
        if kind != "scale":
            return ""
        return ("ja" if flag else "nee") if n else "-"

    def change(value):
        if value is None or pd.isna(value):
            return "-"
        return ("+" if value > 0 else "") + format_median(value).replace("-", "−")

    return pd.DataFrame(
        {
            "Nr.": frame["position"],
            "Vraag": frame["text"],
            f"Antwoorden ronde {round_a}": frame["n_a"],
            f"Antwoorden ronde {round_b}": frame["n_b"],
            f"Mediaan ronde {round_a}": [format_median(None if pd.isna(v) else v) for v in frame["median_a"]],
            f"Mediaan ronde {round_b}": [format_median(None if pd.isna(v) else v) for v in frame["median_b"]],
            "Verschil mediaan": [change(v) for v in frame["median_change"]],
            f"Meningen lopen uiteen ronde {round_a}": [
                yes_no(*v) for v in zip(frame["disagreement_a"], frame["kind"], frame["n_a"])
            ],
            f"Meningen lopen uiteen ronde {round_b}": [
                yes_no(*v) for v in zip(frame["disagreement_b"], frame["kind"], frame["n_b"])
            ],
        }
    )


@st.fragment
def compare_section(store: Store, session: polls.PollSession, token: str) -> None:
    with page_guard():
        st.subheader("Rondes vergelijken")
        rounds = list(range(1, session.current_round + 1))
        c1, c2 = st.columns(2)
        round_a = c1.selectbox(
            "Ronde", rounds, index=len(rounds) - 2, key="poll_cmp_a", format_func=lambda r: f"ronde {r}"
        )
        round_b = c2.selectbox(
            "vergeleken met ronde", rounds, index=len(rounds) - 1, key="poll_cmp_b", format_func=lambda r: f"ronde {r}"
        )
        _compare_table(store, session.session_id, token, round_a, round_b)


# Only the table refreshes on its own: a refresh of the whole section would close an open selectbox.
@st.fragment(run_every=5)
def _compare_table(store: Store, session_id: str, token: str, round_a: int, round_b: int) -> None:
    with page_guard():
        try:
            frame = polls.compare_rounds(store, session_id, token, round_a, round_b)
        except PollError as exc:
            st.error(str(exc))
            return
        st.dataframe(compare_table(frame, round_a, round_b), hide_index=True, key="poll_cmp_table", width="stretch")
        st.caption("Verschil = mediaan van de tweede ronde min die van de eerste (alleen bij schaalvragen).")


def proposal_table(res: polls.RoundResults, scores: dict[str, int | None]) -> pd.DataFrame:
    rows = []
    for r in res.questions:
        code = r.question.bouwsteen
        if r.question.kind != "scale" or code not in scores:
            continue
        score = scores[code]
        rows.append(
            {
                "Bouwsteen": bouwstenen.by_code(code).name,
                "Antwoorden": r.n,
                "Mediaan": format_median(r.median),
                "Voorstel": score_label(score) if score is not None else bouwstenen.NOT_SCORED_LABEL,
            }
        )
    return pd.DataFrame(rows)


def has_bouwsteen_questions(session: polls.PollSession) -> bool:
    codes = {b.code for b in bouwstenen.BOUWSTENEN}
    return any(q.kind == "scale" and q.bouwsteen in codes for q in session.questions)


@st.fragment
def takeover_section(store: Store, session: polls.PollSession, token: str) -> None:
    """The group's scores (median, rounded down) as the team's self-assessment for a date."""
    from .. import werkgroep  # imported here: only this section needs the werkgroep module

    with page_guard():
        st.subheader("Overnemen als zelfevaluatie van het team")
        round_ = session.current_round
        if session.current_round > 1:
            round_ = st.selectbox(
                "Ronde",
                list(range(session.current_round, 0, -1)),
                key="poll_take_round",
                format_func=lambda r: f"ronde {r}",
            )
        _proposal(store, session.session_id, token, round_)
        # Prefilled with the sidebar's team, and following it until the facilitator types another name.
        sidebar_team = st.session_state.get("team") or ""
        if st.session_state.get("poll_team") in (None, st.session_state.get("poll_team_seed")):
            st.session_state["poll_team"] = sidebar_team
            st.session_state["poll_team_seed"] = sidebar_team
        c1, c2 = st.columns([3, 1])
        team = c1.text_input(
            "Team", key="poll_team", max_chars=werkgroep.MAX_TEAM_CHARS, placeholder="bv. Werkgroep zorgzaam Heidebeek"
        )
        day = c2.date_input("Datum van de zelfevaluatie", value=date.today(), format="DD/MM/YYYY", key="poll_take_date")
        if st.button(
            "Neem de groepsscores over als zelfevaluatie van het team",
            key="poll_take",
            icon=":material/assignment_turned_in:",
        ):
            try:
                # The answers of this moment: the proposal above is at most a few seconds older.
                scores = werkgroep.scores_from_poll(polls.results(store, session.session_id, token, round=round_))
                saved = werkgroep.save_scores(
                    store, team, day, scores, source="peiling", poll_session_id=session.session_id, poll_round=round_
                )
            except ValueError as exc:
                st.error(str(exc))
            else:
                given = ", ".join(
                    f"{bouwstenen.by_code(code).name} {score}"
                    for code, score in saved.scores.items()
                    if score is not None
                )
                st.success(
                    f"Bewaard: {saved.scored} van de {len(saved.scores)} bouwstenen gescoord voor "
                    f"{saved.team} op {format_date(saved.assessed_on)} (ronde {round_} van deze peiling): "
                    f"{given}."
                )


@st.fragment(run_every=3)
def _proposal(store: Store, session_id: str, token: str, round_: int) -> None:
    """The proposed scores, refreshed on their own (the inputs below keep what is being typed)."""
    from .. import werkgroep

    with page_guard():
        session = polls.facilitator_session(store, session_id, token)
        res = polls.results(store, session_id, token, round=round_)
        st.dataframe(
            proposal_table(res, werkgroep.scores_from_poll(res)),
            hide_index=True,
            key="poll_take_table",
            width="stretch",
        )
        st.caption(
            "Voorstel per bouwsteen: de mediaan van de antwoorden. Ligt die tussen twee scores (bv. 3,5), "
            "dan telt de laagste: een bouwsteen krijgt pas 4 als minstens de helft van de groep 4 of meer "
            "gaf. Zonder antwoorden blijft de bouwsteen niet gescoord."
        )
        if session.is_open and round_ == session.current_round:
            st.caption(
                ":material/info: De peiling staat nog open: sluit ze eerst, dan verandert het voorstel niet meer."
            )


def export_section(store: Store, session: polls.PollSession, token: str) -> None:
    st.subheader("Exporteren")
    with_names = st.checkbox(
        "met namen",
        value=False,
        key="poll_export_names",
        help="Standaard anoniem (deelnemer 1, 2, …). Met namen voegt de namen toe die "
        "deelnemers zelf (optioneel) invulden.",
    )
    sid, stem = session.session_id, poll_export.file_stem(session)
    c1, c2 = st.columns(2)
    # Callables: the file is made when clicked, so it holds the answers of that moment.
    c1.download_button(
        "Antwoorden als CSV",
        data=lambda: poll_export.csv_bytes(store, sid, token, with_names),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key="poll_csv",
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
    )
    c2.download_button(
        "Antwoorden en resultaten als Excel (XLSX)",
        data=lambda: poll_export.xlsx_bytes(store, sid, token, with_names),
        file_name=f"{stem}.xlsx",
        key="poll_xlsx",
        on_click="ignore",
        icon=":material/download:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        width="stretch",
    )
    st.caption(
        "CSV: puntkomma-gescheiden, voor Excel. Excel: de bladen antwoorden, resultaten (per ronde en vraag) "
        "en peiling."
    )
    if any(q.kind == "scale" for q in session.questions):
        from ..reports.bouwstenen_image import poll_round_png

        round_ = session.current_round
        st.download_button(
            f"Verdeling van ronde {round_} als afbeelding (PNG)",
            data=lambda: poll_round_png(
                polls.results(store, sid, token, round_), title=f"{session.title} · ronde {round_}"
            ),
            file_name=f"{stem}-ronde-{round_}.png",
            mime="image/png",
            key="poll_png",
            on_click="ignore",
            icon=":material/bar_chart:",
            help="Per vraag hoeveel deelnemers elke score gaven, met de mediaan: anoniem, voor het verslag.",
        )


def facilitator_view(store: Store, session: polls.PollSession, token: str) -> None:
    _remember(session.session_id, session.title, token)
    if st.session_state.get(CREATED_KEY) == session.session_id:
        st.warning(
            "**Bewaar deze pagina als bladwijzer.** De link in je adresbalk is de begeleiderslink: wie hem "
            "heeft, kan deze peiling openen, sluiten en de resultaten zien. Deel hem niet met deelnemers; "
            "zij gebruiken de code of de QR-code hieronder.",
            icon=":material/key:",
        )
    big_screen(session)
    controls(store, session, token)
    st.divider()
    live_results(store, session.session_id, token)
    if session.current_round > 1:
        st.divider()
        compare_section(store, session, token)
    if has_bouwsteen_questions(session):
        st.divider()
        takeover_section(store, session, token)
    st.divider()
    export_section(store, session, token)
    with st.expander("Begeleiderslink"):
        st.markdown(
            "Met deze link open je deze peiling later opnieuw (ook op een andere computer). "
            "Wie hem heeft, kan de peiling bedienen."
        )
        st.code(facilitator_link(session.session_id, token), language=None)
