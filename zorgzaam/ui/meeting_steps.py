"""The presenter view of a meeting (pages/bijeenkomst.py): one step full screen, the timer, the next
step, the join code, the step's own content and the note-taker's fields.

Everything that must survive a server restart is written to the store at once (zorgzaam.meetings):
the step on screen, when it started, the notes (on every change), the keyword grouping. The
page itself only reads it back; reloading the presenter link continues where the meeting was.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from urllib.parse import quote, urlsplit

import pandas as pd
import streamlit as st

from .. import bouwstenen, meeting_content, meetings, polls, werkgroep
from ..formatting import format_date, format_number
from ..meetings import Meeting, MeetingError
from ..reports import meeting_maps, summary_table
from ..store import Store
from .data import data_version, stores
from .frame import page_guard
from .meeting_plan import TOKENS_KEY
from .poll_sections import base_url, participant_link, qr_png, render_results, unreachable_warning
from .text import plain

PRESENTER_PATH = "bijeenkomst"
FLASH_KEY = "meeting_flash"
# The package's post-it colours per domain (one colour per beleidsdomein), colour-blind safe enough on a projector.
DOMAIN_COLOURS = {
    "wonen": "#fdd49e",
    "welzijn": "#c7e9c0",
    "zorg": "#c6dbef",
    "vrije tijd": "#fcc5c0",
    "ruimtelijke ordening": "#d9d9d9",
    "doelgroep": "#dadaeb",
    "ander": "#fff7bc",
}
NO_DOMAIN_COLOUR = "#fffbe6"
log = logging.getLogger("zorgzaam")


def on_presenter_page() -> bool:
    """True on the presenter page (decided before st.navigation from the browser's URL, like meedoen)."""
    return urlsplit(st.context.url or "").path.rstrip("/").endswith("/" + PRESENTER_PATH)


def find_meeting(meeting_id: str) -> tuple[Store | None, Meeting | None]:
    """The meeting and its store: meetings on the demo and on the own data live in their own database."""
    for store in stores():
        found = meetings.get(store, meeting_id)
        if found is not None:
            return store, found
    return None, None


def remember(meeting_id: str, token: str) -> None:
    tokens = dict(st.session_state.get(TOKENS_KEY, {}))
    tokens[meeting_id] = token
    st.session_state[TOKENS_KEY] = tokens


def presenter_link(meeting_id: str, token: str, source: str | None = None) -> str:
    extra = f"&bron={quote(source)}" if source else ""
    return f"{base_url(PRESENTER_PATH)}/{PRESENTER_PATH}?id={quote(meeting_id)}&beheer={quote(token)}{extra}"


def presenter_css() -> None:
    """A clean screen for the projector: no Streamlit toolbar, little margin, larger text."""
    st.html("""<style>
        header[data-testid="stHeader"] {display: none;}
        [data-testid="stMainBlockContainer"] {padding-top: 1.2rem; padding-bottom: 2rem; max-width: 100%;}
        [data-testid="stMain"] p, [data-testid="stMain"] li {font-size: 1.12rem;}
        </style>""")


# --------------------------------------------------------------------------- actions


def _act(store: Store, meeting_id: str, token: str, action: str, *args) -> None:
    try:
        getattr(meetings, action)(store, meeting_id, token, *args)
        st.session_state[FLASH_KEY] = None
    except MeetingError as exc:
        st.session_state[FLASH_KEY] = str(exc)


def _finish(store: Store, meeting_id: str, token: str) -> None:
    try:
        _, saved = meetings.finish(store, meeting_id, token)
    except MeetingError as exc:
        st.session_state[FLASH_KEY] = str(exc)
        return
    st.session_state[FLASH_KEY] = None
    if saved is not None:
        st.session_state[f"meeting_saved_{meeting_id}"] = (
            f"De groepsscores van {saved.scored} bouwstenen zijn bewaard als zelfevaluatie van {saved.team} op "
            f"{format_date(saved.assessed_on)}."
        )


# --------------------------------------------------------------------------- top bar


def timer(meeting: Meeting) -> None:
    """The time left in this block, counting down in the browser (red when over time)."""
    item = meeting.current_item
    if item is None:
        return
    planned = item.minutes * 60
    remaining = planned - meetings.step_elapsed(meeting).total_seconds()
    st.markdown(
        f"<span style='display:none' data-testid='meeting-timer-start'>{meetings.format_clock(remaining)}</span>",
        unsafe_allow_html=True,
    )
    # Only numbers the server formatted go into this page (no user text): st.iframe runs its script.
    st.iframe(
        f"""
<div style="font-family: system-ui, sans-serif; text-align: center; line-height: 1.1">
  <div id="t" style="font-size: 46px; font-weight: 800; font-variant-numeric: tabular-nums">
    {meetings.format_clock(remaining)}</div>
  <div id="s" style="font-size: 14px; color: #555">resterend van {item.minutes} min</div>
</div>
<script>
const end = Date.now() + {int(remaining * 1000)};
const t = document.getElementById('t'), s = document.getElementById('s');
function tick() {{
  const r = Math.round((end - Date.now()) / 1000), a = Math.abs(r);
  const h = Math.floor(a / 3600), m = Math.floor((a % 3600) / 60), sec = a % 60;
  t.textContent = (r < 0 ? '\u2212' : '') + (h ? h + ':' + String(m).padStart(2, '0') : m) + ':'
                  + String(sec).padStart(2, '0');
  t.style.color = r < 0 ? '#b2182b' : (r < 120 ? '#d95f02' : '#222');
  s.textContent = r < 0 ? 'over tijd (gepland {item.minutes} min)' : 'resterend van {item.minutes} min';
}}
tick(); setInterval(tick, 1000);
</script>""",
        height=92,
    )


def join_box(session: polls.PollSession) -> None:
    """The join code and QR code, for the popover that is always one click away."""
    link = participant_link(session.join_code, PRESENTER_PATH)
    unreachable_warning(PRESENTER_PATH)
    st.markdown("Doe mee met je gsm: scan de QR-code of surf naar")
    st.markdown(f"**[{link}]({link})**")
    st.markdown(
        f"<div style='font-size:3.4rem;font-weight:800;letter-spacing:0.16em;font-family:monospace'"
        f" aria-label='deelnamecode'>{session.join_code}</div>",
        unsafe_allow_html=True,
    )
    st.image(qr_png(link), width=300)


def top_bar(store: Store, meeting: Meeting, token: str, session: polls.PollSession | None) -> None:
    item = meeting.current_item
    n = len(meeting.agenda)
    nxt = meeting.next_item
    upcoming = f"{nxt.title} ({nxt.minutes} min)" if nxt else "afronden en het verslag"
    left, clock, controls = st.columns([4.4, 1.5, 4.1], vertical_alignment="center")
    with left:
        st.markdown(
            f"<div style='font-size:0.95rem;color:#555'>{html.escape(meeting.title)} · stap "
            f"{meeting.current_step + 1} van {n}</div><div style='font-size:2rem;font-weight:800;"
            f"line-height:1.15'>{html.escape(item.title)}</div><div style='font-size:0.95rem;color:#333;"
            f"margin-top:0.2em'><b>Hierna:</b> {html.escape(upcoming)}</div>",
            unsafe_allow_html=True,
        )
    with clock:
        timer(meeting)
    with controls:
        b1, b2 = st.columns([1, 1.3])
        # PageUp/PageDown: what a presentation clicker sends.
        b1.button(
            "Vorige",
            key="meeting_prev",
            icon=":material/arrow_back:",
            width="stretch",
            shortcut="PageUp",
            disabled=meeting.current_step == 0,
            on_click=_act,
            args=(store, meeting.meeting_id, token, "previous_step"),
        )
        if nxt is not None:
            b2.button(
                "Volgende",
                key="meeting_next",
                type="primary",
                icon=":material/arrow_forward:",
                width="stretch",
                shortcut="PageDown",
                on_click=_act,
                args=(store, meeting.meeting_id, token, "next_step"),
            )
        else:
            b2.button(
                "Afronden",
                key="meeting_finish",
                type="primary",
                icon=":material/flag:",
                width="stretch",
                on_click=_finish,
                args=(store, meeting.meeting_id, token),
            )
        p1, p2 = st.columns([1.45, 1])
        if session is not None:
            with p1.popover(
                f"Meedoen · {session.join_code}",
                icon=":material/qr_code_2:",
                width="stretch",
                help="De QR-code en de link voor de gsm's",
            ):
                join_box(session)
        with p2.popover("Agenda", icon=":material/list:", width="stretch"):
            agenda_jump(store, meeting, token)
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.error(flash)
    progress_strip(meeting)


def progress_strip(meeting: Meeting) -> None:
    """The agenda as a thin strip: done steps grey, the current one dark, the rest light."""
    cells = []
    for i, item in enumerate(meeting.agenda):
        if i < meeting.current_step:
            style = "background:#d9d9d9;color:#555"
        elif i == meeting.current_step:
            style = "background:#08306b;color:white;font-weight:700"
        else:
            style = "background:#eef3fa;color:#333"
        cells.append(
            f"<div style='flex:{item.minutes};{style};padding:3px 6px;font-size:0.8rem;white-space:nowrap;"
            f"overflow:hidden;text-overflow:ellipsis;border-right:2px solid white' "
            f"title='{html.escape(item.title)} ({item.minutes} min)'>{i + 1}. {html.escape(item.title)}</div>"
        )
    st.markdown(
        f"<div style='display:flex;border-radius:4px;overflow:hidden;margin:2px 0 10px 0'>{''.join(cells)}</div>",
        unsafe_allow_html=True,
    )


def agenda_jump(store: Store, meeting: Meeting, token: str) -> None:
    spent = meetings.time_per_step(store, meeting)
    for i, item in enumerate(meeting.agenda):
        used = spent.get(i)
        used_text = f" · besteed {format_minutes(used)}" if used is not None else ""
        st.button(
            f"{i + 1}. {item.title} ({item.minutes} min{used_text})",
            key=f"meeting_jump_{i}",
            disabled=i == meeting.current_step,
            width="stretch",
            on_click=_act,
            args=(store, meeting.meeting_id, token, "go_to", i),
        )
    st.caption(f"Gepland samen {meeting.planned_minutes} minuten. {meetings.schedule_line(meeting)}")
    st.caption("Sneltoetsen (ook voor een presentatieklikker): PageDown = volgende stap, PageUp = vorige stap.")


def _answered(n: int) -> str:
    return f"{n} deelnemer antwoordde op de gsm" if n == 1 else f"{n} deelnemers antwoordden op hun gsm"


def format_minutes(value: float | None) -> str:
    if value is None:
        return "-"
    return "< 1 min" if value < 1 else f"{format_number(round(value))} min"


# --------------------------------------------------------------------------- step content


def prompts(item: meetings.AgendaItem) -> None:
    block = item.block
    if block.prompts:
        st.markdown("\n".join(f"- {p}" for p in block.prompts))


@st.fragment(run_every=2)
def live_words(store: Store, meeting_id: str, step: int) -> None:
    """The check-in's words as a cloud: a word named more often is larger."""
    with page_guard():
        meeting = meetings.get(store, meeting_id)
        res = meetings.step_results(store, meeting, step)
        counts = meetings.keyword_counts(res)
        answered = res.participants if res else 0
        st.caption(f"{answered} {'deelnemer antwoordde' if answered == 1 else 'deelnemers antwoordden'}")
        if not counts:
            st.info("Nog geen antwoorden. De woorden verschijnen hier vanzelf.")
            return
        st.markdown(word_cloud_html(counts), unsafe_allow_html=True)


def word_cloud_html(counts) -> str:
    """Words sized by how often they were named (1.2–4 rem), most named first; every word escaped."""
    top = max(counts.values())
    spans = []
    for word, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:80]:
        size = 1.2 + 2.8 * (count / top if top else 0)
        spans.append(
            f"<span style='font-size:{size:.2f}rem;font-weight:{700 if count == top else 500};"
            f"margin:0 0.6em 0.2em 0;display:inline-block;color:#08306b' data-count='{count}'>"
            f"{html.escape(word)}{f' <sup>{count}</sup>' if count > 1 else ''}</span>"
        )
    return f"<div style='line-height:1.5' data-testid='word-cloud'>{''.join(spans)}</div>"


@st.fragment(run_every=3)
def live_clusters(store: Store, meeting_id: str, step: int) -> None:
    """The definition's keywords, grouped (same word in other forms) and coloured by domain like post-its."""
    with page_guard():
        meeting = meetings.get(store, meeting_id)
        clusters = meetings.step_clusters(store, meeting, step)
        res = meetings.step_results(store, meeting, step)
        answered = res.participants if res else 0
        st.caption(
            f"{answered} {'deelnemer gaf' if answered == 1 else 'deelnemers gaven'} kernwoorden · "
            f"{sum(c.total for c in clusters)} kernwoorden in {len(clusters)} groepen"
        )
        if not clusters:
            st.info("Nog geen kernwoorden. Ze verschijnen hier vanzelf, gegroepeerd.")
            return
        st.markdown(clusters_html(clusters), unsafe_allow_html=True)


def clusters_html(clusters: list[meetings.KeywordCluster]) -> str:
    groups: dict[str, list[meetings.KeywordCluster]] = {}
    for c in clusters:
        groups.setdefault(c.domain or "", []).append(c)
    parts = []
    for domain in [*meetings.DOMAINS, ""]:
        if domain not in groups:
            continue
        colour = DOMAIN_COLOURS.get(domain, NO_DOMAIN_COLOUR)
        notes = "".join(
            f"<div style='background:{colour};padding:8px 12px;margin:4px;border-radius:3px;box-shadow:1px 2px 3px "
            f"#0002;display:inline-block;min-width:7em'><b style='font-size:{1.1 + min(c.total, 8) * 0.12:.2f}rem'>"
            f"{html.escape(c.label)}</b> <span style='color:#555'>×{c.total}</span>"
            + (
                f"<div style='font-size:0.8rem;color:#444'>{html.escape(', '.join(w for w in c.words if w != c.label))}"
                "</div>"
                if len(c.words) > 1
                else ""
            )
            + "</div>"
            for c in groups[domain]
        )
        title = domain.capitalize() if domain else "Nog niet gegroepeerd"
        parts.append(
            f"<div style='margin-bottom:8px'><div style='font-weight:700;font-size:0.9rem;color:#333'>"
            f"{html.escape(title)}</div>{notes}</div>"
        )
    return "<div data-testid='keyword-clusters'>" + "".join(parts) + "</div>"


def grouping_editor(store: Store, meeting: Meeting, token: str, step: int) -> None:
    """The facilitator puts each group of keywords in a domain (the package's post-it colours)."""
    clusters = meetings.step_clusters(store, meeting, step)
    if not clusters:
        return
    with st.expander("Kernwoorden groeperen per domein", icon=":material/category:"):
        frame = pd.DataFrame(
            {
                "Kernwoord": [c.label for c in clusters],
                "Ook": [", ".join(w for w in c.words if w != c.label) for c in clusters],
                "Aantal": [c.total for c in clusters],
                "Domein": [c.domain or "" for c in clusters],
            }
        )  # empty, not "None"
        edited = st.data_editor(
            frame,
            hide_index=True,
            width="stretch",
            key=f"meeting_domains_{meeting.meeting_id}_{step}_{len(frame)}",
            disabled=["Kernwoord", "Ook", "Aantal"],
            column_config={"Domein": st.column_config.SelectboxColumn("Domein", options=list(meetings.DOMAINS))},
        )
        if st.button("Groepering bewaren", key=f"meeting_domains_save_{step}", icon=":material/save:"):
            mapping = {}
            for c, domain in zip(clusters, edited["Domein"]):
                if isinstance(domain, str) and domain:
                    mapping.update({w: domain for w in c.words})
            try:
                meetings.save_keyword_domains(store, meeting.meeting_id, token, step, mapping)
            except MeetingError as exc:
                st.error(str(exc))
            else:
                st.rerun()


@st.fragment(run_every=2)
def live_poll(store: Store, meeting_id: str, step: int) -> None:
    """The bouwstenen poll's distribution, live."""
    with page_guard():
        meeting = meetings.get(store, meeting_id)
        res = meetings.step_results(store, meeting, step)
        if res is None:
            return
        noun = "deelnemer" if res.participants == 1 else "deelnemers"
        st.caption(f"{res.participants} {noun} in deze stap · de verdeling verschijnt live")
        if res.participants == 0:
            st.info("Nog geen antwoorden. De verdeling verschijnt hier vanzelf.")
            return
        render_results(res, key=f"meeting_poll_{step}")


@st.cache_data(max_entries=32, show_spinner=False)
def _indicator_map(
    _store: Store,
    version: str,
    municipality: str,
    sectors: tuple[str, ...],
    indicator: str,
    period: str | None,
    source: str,
) -> bytes | None:
    return meeting_maps.indicator_map(_store, municipality, list(sectors), indicator, period, source=source)


@st.cache_data(max_entries=32, show_spinner=False)
def _figures(
    _store: Store, version: str, municipality: str, sectors: tuple[str, ...], indicators: tuple[str, ...]
) -> meeting_content.FigureTable:
    return meeting_content.sector_figures(_store, municipality, list(sectors), list(indicators))


@st.cache_data(max_entries=32, show_spinner=False)
def _with_data(
    _store: Store, version: str, municipality: str, indicators: tuple[str, ...], period: str | None
) -> list[str]:
    return meeting_content.indicators_with_data(_store, municipality, list(indicators), period)


@st.cache_data(max_entries=16, show_spinner=False)
def _amenities(_store: Store, version: str, municipality: str, sectors: tuple[str, ...], source: str):
    return meeting_maps.amenities_map(_store, municipality, list(sectors), source=source)


@st.cache_data(max_entries=16, show_spinner=False)
def _mismatch_map(
    _store: Store, version: str, municipality: str, sectors: tuple[str, ...], source: str
) -> bytes | None:
    return meeting_maps.mismatch_map(_store, municipality, list(sectors), source=source)


@st.cache_data(max_entries=16, show_spinner=False)
def _prefills(_store: Store, version: str, municipality: str, sectors: tuple[str, ...]) -> dict[str, str]:
    return meeting_content.summary_prefills(_store, municipality, list(sectors))


@st.cache_data(max_entries=16, show_spinner=False)
def _findings(_store: Store, version: str, municipality: str, sectors: tuple[str, ...]) -> pd.DataFrame:
    return summary_table.findings(_store, municipality, list(sectors))


@st.cache_data(max_entries=64, show_spinner=False)
def _step_source(_store: Store, version: str, kind: str, indicators: tuple[str, ...], period: str | None) -> str:
    return meeting_content.step_source(_store, kind, indicators, period)


def _wie_source(store: Store, indicators: Sequence[str], period: str | None) -> str:
    """The datasets of the indicators shown (at their period), not every import."""
    return _step_source(store, data_version(store), "wie", tuple(indicators), period)


def _wat_source(store: Store) -> str:
    return _step_source(store, data_version(store), "wat", (), None)


def _mismatch_source(store: Store) -> str:
    return _step_source(store, data_version(store), "wie_vs_wat", (), None)


def _no_municipality() -> None:
    st.info(
        "Deze bijeenkomst heeft geen gemeente; plan een nieuwe bijeenkomst met een gemeente om hier de "
        "cijfers van de gekozen sectoren te tonen."
    )


def _literal(value) -> str:
    """A table cell as text shown literally ("-" when empty, never "None")."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        value = "-"
    return plain(value)


def static_table(frame: pd.DataFrame, index: str) -> None:
    """st.table with every text shown as it is: st.table reads its cells as Markdown, where a lone "-" (no data)
    becomes a bullet, and an empty cell would read "None"."""
    shown = frame.map(_literal)
    shown.columns = [plain(c) for c in frame.columns]
    st.table(shown.set_index(plain(index)))


def figures_table(figures: meeting_content.FigureTable, what: str) -> None:
    # A static table: the indicator names wrap in the header, so every column fits beside the map.
    static_table(figures.table, "Gebied")
    notes = [
        f"Tot en met {figures.period}: elk cijfer van zijn laatste jaar, een ouder jaar staat erbij. "
        "Gemiddelden van gebieden zijn verhoudingen van totalen, nooit een gemiddelde van percentages. "
        "x = verborgen door de bron, - = geen gegevens, ≈ = onvolledig (over de gekende sectoren); nooit 0."
    ]
    if figures.small:
        notes.append(
            f"{meeting_content.SMALL_MARK} weinig inwoners (minder dan 100, of aantal verborgen): "
            "voorzichtig interpreteren."
        )
    st.caption(" ".join(notes))


def wie_step(store: Store, meeting: Meeting, token: str) -> None:
    if not meeting.municipality:
        _no_municipality()
        return
    version = data_version(store)
    wanted = meeting.indicators or meeting_content.DEFAULT_INDICATORS
    usable = meeting_content.usable_indicators(store, wanted)
    if not usable:
        st.info("Er zijn nog geen cijfers voor de indicatoren van deze bijeenkomst.")
        return
    catalogue = store.catalogue()
    with st.spinner("De cijfers worden berekend …"):
        figures = _figures(store, version, meeting.municipality, meeting.sectors, tuple(usable))
        with_data = _with_data(store, version, meeting.municipality, tuple(usable), figures.period)
    # The map opens on an indicator with figures in this period: another one would be all grey.
    first = with_data[0] if with_data else usable[0]

    def label(code: str) -> str:
        return catalogue.indicator(code).label + ("" if code in with_data else " (geen gegevens)")

    indicator = (
        st.segmented_control(
            "Op de kaart", usable, default=first, key=f"meeting_map_ind_{meeting.meeting_id}", format_func=label
        )
        or first
    )
    try:  # the verslag shows the maps that were on screen
        meetings.record_shown(store, meeting.meeting_id, token, meeting.current_step, indicator)
    except MeetingError:
        pass
    map_col, table_col = st.columns([5, 6])
    source = _wie_source(store, [indicator], figures.period)
    with map_col, st.spinner("De kaart wordt getekend …"):
        png = _indicator_map(store, version, meeting.municipality, meeting.sectors, indicator, figures.period, source)
        if png:
            st.image(png, width="stretch")
        else:
            st.info("Er is geen kaart van de sectoren van deze gemeente.")
    with table_col:
        figures_table(figures, "wie")
    st.caption(f"Bron: {_wie_source(store, usable, figures.period)}. Verder verkennen kan op de pagina Wie woont er?.")


def wat_step(store: Store, meeting: Meeting) -> None:
    if not meeting.municipality:
        _no_municipality()
        return
    version = data_version(store)
    source = _wat_source(store)
    with st.spinner("De voorzieningen worden geteld …"):
        png, counts = _amenities(store, version, meeting.municipality, meeting.sectors, source)
    map_col, table_col = st.columns([5, 6])
    with map_col:
        if png:
            st.image(png, width="stretch")
    with table_col:
        figures = _figures(store, version, meeting.municipality, meeting.sectors, meeting_content.ACCESS_INDICATORS)
        if figures.empty:
            st.info("Er zijn nog geen bereikbaarheidscijfers; bereken ze op de pagina Gegevens.")
        else:
            figures_table(figures, "wat")
        names = dict(meeting_content.municipality_sectors(store, meeting.municipality)[["code", "name"]].to_numpy())
        table = meeting_content.amenity_table(counts, names)
        if not table.empty:
            st.markdown("**Voorzieningen in de gekozen sectoren** (aantal)")
            st.dataframe(table, hide_index=True, width="stretch", key="meeting_amenities")
    st.caption(f"Bron: {source}. Afstanden in vogelvlucht.")


def wie_vs_wat_step(store: Store, meeting: Meeting) -> None:
    if not meeting.municipality:
        _no_municipality()
        return
    version = data_version(store)
    with st.spinner("De kaart wordt getekend …"):
        png = _mismatch_map(store, version, meeting.municipality, meeting.sectors, _mismatch_source(store))
    with st.spinner("De bevindingen worden verzameld …"):
        table = _findings(store, version, meeting.municipality, meeting.sectors)
    if png:
        left, _right = st.columns([5, 2])
        left.image(png, width="stretch")
    else:
        st.info(
            "Er is nog geen bereikbaarheid berekend: de kaart van wie tegenover wat ontbreekt. Bereken ze op "
            "de pagina Gegevens."
        )
    if table.empty:
        st.info("Er zijn geen sectoren om te tonen.")
        return
    # A static table: its long sentences wrap, where a data grid would cut them off.
    static_table(table, "Sector")
    st.caption(
        "Signalen volgens de standaardregel van de app, de bereikbaarheid en de zin van Wie vs wat per sector "
        "(zoals in de samenvattende tabel). Een signaal is een vraag om te verkennen, geen oordeel. "
        f"{meeting_content.SMALL_MARK} weinig inwoners: voorzichtig interpreteren."
    )


def actions_step(store: Store, meeting: Meeting) -> None:
    from .bouwstenen_sections import action_form, render_action_list, render_balance
    from .spatial_data import view_layers

    if not meeting.municipality:
        _no_municipality()
        return
    layers = view_layers(store, "gemeente", meeting.municipality)
    stored = werkgroep.actions(store, meeting.team)
    left, right = st.columns([3, 2])
    with left:
        if stored:
            render_action_list(store, meeting.team, stored, layers)
        else:
            st.info("Nog geen acties voor deze werkgroep. Voeg ze hiernaast toe.")
    with right:
        with st.expander("Nieuwe actie toevoegen", icon=":material/add:", expanded=not stored):
            action_form(store, meeting.team, layers)
    if stored:
        render_balance(stored)


def _save_next_meeting(store: Store, meeting_id: str, token: str, key: str) -> None:
    _act(store, meeting_id, token, "set_next_meeting", st.session_state.get(key))


def agreements_step(store: Store, meeting: Meeting, token: str) -> None:
    key = f"meeting_next_{meeting.meeting_id}"
    if key not in st.session_state:
        st.session_state[key] = meeting.next_meeting
    st.date_input(
        "Volgende bijeenkomst",
        key=key,
        format="DD/MM/YYYY",
        min_value=meeting.meeting_date,
        on_change=_save_next_meeting,
        args=(store, meeting.meeting_id, token, key),
    )
    if meeting.next_meeting:
        st.caption(f"Bewaard: {format_date(meeting.next_meeting)}.")


def prepare_next_step(store: Store, meeting: Meeting) -> None:
    """Compute (and cache) what the next step shows, after this step is on screen: the figures of a whole
    municipality take seconds, and the facilitator spends minutes on a step, so "Volgende" shows at once.
    Pure computation without st calls, so it never draws anything on this step."""
    nxt = meeting.next_item
    if nxt is None or not meeting.municipality or nxt.kind not in ("wie", "wat", "wie_vs_wat"):
        return
    version = data_version(store)
    try:
        if nxt.kind in ("wie", "wie_vs_wat"):
            _prefills(store, version, meeting.municipality, meeting.sectors)
        if nxt.kind == "wie":
            usable = meeting_content.usable_indicators(store, meeting.indicators or meeting_content.DEFAULT_INDICATORS)
            if usable:
                figures = _figures(store, version, meeting.municipality, meeting.sectors, tuple(usable))
                with_data = _with_data(store, version, meeting.municipality, tuple(usable), figures.period)
                first = with_data[0] if with_data else usable[0]
                _indicator_map(
                    store,
                    version,
                    meeting.municipality,
                    meeting.sectors,
                    first,
                    figures.period,
                    _wie_source(store, [first], figures.period),
                )
        elif nxt.kind == "wat":
            _amenities(store, version, meeting.municipality, meeting.sectors, _wat_source(store))
            _figures(store, version, meeting.municipality, meeting.sectors, meeting_content.ACCESS_INDICATORS)
        else:
            _mismatch_map(store, version, meeting.municipality, meeting.sectors, _mismatch_source(store))
            _findings(store, version, meeting.municipality, meeting.sectors)
    except Exception:  # noqa: BLE001 - only a head start; the step itself shows any problem in Dutch
        log.debug("preparing the next step failed", exc_info=True)


def step_content(store: Store, meeting: Meeting, token: str) -> None:
    step = meeting.current_step
    item = meeting.current_item
    kind = item.kind
    if kind == "checkin":
        question = item.block.questions[0]["text"]
        st.markdown(
            f"<div style='font-size:2.2rem;font-weight:700;margin:0.2em 0'>{html.escape(question)}</div>",
            unsafe_allow_html=True,
        )
        live_words(store, meeting.meeting_id, step)
        prompts(item)
    elif kind == "definitie":
        prompts(item)
        live_clusters(store, meeting.meeting_id, step)
        grouping_editor(store, meeting, token, step)
    elif kind == "wie":
        wie_step(store, meeting, token)
    elif kind == "wat":
        prompts(item)
        wat_step(store, meeting)
    elif kind == "wie_vs_wat":
        prompts(item)
        wie_vs_wat_step(store, meeting)
    elif kind == "bouwstenen":
        st.markdown(
            "Iedereen scoort op de gsm elke bouwsteen: "
            + " · ".join(f"**{s}** {bouwstenen.SCALE[s]}" for s in bouwstenen.SCALE)
            + "."
        )
        live_poll(store, meeting.meeting_id, step)
        prompts(item)
    elif kind == "acties":
        prompts(item)
        actions_step(store, meeting)
    elif kind == "afspraken":
        prompts(item)
        agreements_step(store, meeting, token)
    else:
        prompts(item)


# --------------------------------------------------------------------------- notes


def _note_key(meeting_id: str, step: int, field_key: str) -> str:
    return f"meeting_note|{meeting_id}|{step}|{field_key}"


def _save_note(store: Store, meeting_id: str, token: str, step: int, field_key: str) -> None:
    key = _note_key(meeting_id, step, field_key)
    try:
        meetings.save_note(store, meeting_id, token, step, field_key, st.session_state.get(key, ""))
        st.session_state[f"{key}|error"] = None
    except MeetingError as exc:
        st.session_state[f"{key}|error"] = str(exc)


def notes_panel(store: Store, meeting: Meeting, token: str) -> None:
    """The note-taker's fields of this step, saved on every change (nothing is lost on a restart)."""
    step = meeting.current_step
    fields = meeting.current_item.block.note_fields
    stored = meetings.notes(store, meeting.meeting_id)
    prefills: dict[str, str] = {}
    if meeting.municipality and meeting.current_item.kind in ("wie", "wie_vs_wat"):
        with st.spinner("Wat opvalt in de cijfers wordt opgezocht …"):
            prefills = _prefills(store, data_version(store), meeting.municipality, meeting.sectors)
    with st.expander(f"Notities bij stap {step + 1}", icon=":material/edit_note:", expanded=True):
        st.caption("Noteer wát er gezegd wordt, niet wie het zegt. Alles wordt meteen bewaard en komt in het verslag.")
        for f in fields:
            key = _note_key(meeting.meeting_id, step, f.key)
            if key not in st.session_state:
                st.session_state[key] = stored.get((step, f.key), "")
            if prefills.get(f.key):  # what the analysis page fills in beside this question
                with st.container(border=True):
                    st.caption(f"**{f.label}** · wat de cijfers tonen (standaardregel van de app):")
                    st.markdown(prefills[f.key])
            st.text_area(
                f.label,
                key=key,
                placeholder=f.placeholder,
                height=110,
                on_change=_save_note,
                args=(store, meeting.meeting_id, token, step, f.key),
            )
            error = st.session_state.get(f"{key}|error")
            if error:
                st.error(error)


# --------------------------------------------------------------------------- whole views


def finished_view(store: Store, meeting: Meeting, token: str) -> None:
    from .meeting_plan import minutes_documents
    from .take_home import offer

    st.title(plain(meeting.title))
    started = meetings.local_time(meeting.started_at)
    finished = meetings.local_time(meeting.finished_at)
    st.success(
        f"De bijeenkomst is afgerond ({format_date(meeting.meeting_date)}, {started}–{finished}). "
        f"{_answered(meetings.participants(store, meeting))}.",
        icon=":material/flag:",
    )
    saved = st.session_state.get(f"meeting_saved_{meeting.meeting_id}")
    if saved:
        st.info(saved, icon=":material/assignment_turned_in:")
    if meeting.next_meeting:
        st.markdown(f"**Volgende bijeenkomst:** {format_date(meeting.next_meeting)}")
    st.subheader("Verslag")
    st.caption("Anoniem: het verslag telt de antwoorden, maar noemt nooit wie wat antwoordde.")
    with page_guard():
        offer(store, minutes_documents(store, meeting))
    spent = meetings.time_per_step(store, meeting)
    st.dataframe(
        pd.DataFrame(
            {
                "Nr.": [i + 1 for i in range(len(meeting.agenda))],
                "Stap": [item.title for item in meeting.agenda],
                "Gepland": [f"{item.minutes} min" for item in meeting.agenda],
                "Besteed": [format_minutes(spent.get(i)) for i in range(len(meeting.agenda))],
            }
        ),
        hide_index=True,
        width="stretch",
        key="meeting_done_agenda",
    )
    st.button(
        "Heropenen (bv. om een notitie aan te vullen)",
        key="meeting_reopen",
        icon=":material/undo:",
        on_click=_act,
        args=(store, meeting.meeting_id, token, "reopen"),
    )
    st.page_link("pages/bijeenkomsten.py", label="Naar alle bijeenkomsten en de vooruitgang", icon=":material/event:")


def planned_view(store: Store, meeting: Meeting, source: str | None) -> None:
    st.title(plain(meeting.title))
    st.markdown(
        f"{format_date(meeting.meeting_date)} · werkgroep {meeting.team} · {len(meeting.agenda)} stappen, "
        f"samen {meeting.planned_minutes} minuten"
    )
    st.dataframe(
        pd.DataFrame(
            {
                "Nr.": range(1, len(meeting.agenda) + 1),
                "Stap": [i.title for i in meeting.agenda],
                "Minuten": [i.minutes for i in meeting.agenda],
            }
        ),
        hide_index=True,
        key="meeting_planned_agenda",
    )
    unreachable_warning(PRESENTER_PATH)
    if st.button("Start de bijeenkomst", type="primary", icon=":material/play_arrow:", key="meeting_start"):
        try:
            started, token = meetings.start(store, meeting.meeting_id)
        except MeetingError as exc:
            st.error(str(exc))
            return
        remember(started.meeting_id, token)
        st.query_params["beheer"] = token
        st.rerun()


def running_view(store: Store, meeting: Meeting, token: str) -> None:
    hint = f"meeting_link_hint_{meeting.meeting_id}"
    if not st.session_state.get(hint):  # once per browser session
        st.session_state[hint] = True
        st.toast(
            "Bewaar deze pagina als bladwijzer: met deze link leid je de bijeenkomst verder, ook na een "
            "herstart. Deel hem niet met de deelnemers.",
            icon=":material/key:",
            duration="long",
        )
    session = (
        polls.find_session(store, store.poll_session(meeting.poll_session_id)["join_code"])
        if meeting.poll_session_id
        else None
    )
    unreachable_warning(PRESENTER_PATH)
    top_bar(store, meeting, token, session)
    step_content(store, meeting, token)
    notes_panel(store, meeting, token)
    with st.expander("Begeleiderslink", icon=":material/key:"):
        st.markdown(
            "Met deze link leid je de bijeenkomst verder, ook na een herstart of op een andere computer. "
            "Wie hem heeft, kan de bijeenkomst bedienen: deel hem niet met de deelnemers."
        )
        st.code(presenter_link(meeting.meeting_id, token, st.query_params.get("bron")), language=None)
    prepare_next_step(store, meeting)
