"""The sidebar's self-assessment: the werkgroep (a named team) scores the 9 bouwstenen, on every page.

The team lives in the session and in the URL (``?team=…``), like the area choice. Scores are
saved per team and date; the form opens with that date's scores, or else with the previous
assessment's, so the werkgroep only changes what moved since last time.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from .. import bouwstenen, werkgroep
from ..formatting import format_date
from ..store import Store
from .state import keep_in_url

TEAM_KEY = "team"
DATE_KEY = "score_date"
# The team as the sidebar resolved it this run (validated, spelled as the store knows it).
RESOLVED_TEAM_KEY = "team_resolved"


def _score_label(score: int | None) -> str:
    return bouwstenen.NOT_SCORED_LABEL if score is None else f"{score} · {bouwstenen.SCALE[score]}"


def score_widget_key(team: str, day: date, code: str) -> str:
    return f"score|{team}|{day.isoformat()}|{code}"


def current_team() -> str | None:
    """The team chosen in the sidebar (or from the URL before the sidebar ran), validated, or None."""
    if RESOLVED_TEAM_KEY in st.session_state:
        return st.session_state[RESOLVED_TEAM_KEY]
    raw = st.session_state.get(TEAM_KEY) or st.query_params.get(TEAM_KEY)
    try:
        return werkgroep.validate_team(raw) if raw else None
    except werkgroep.WerkgroepError:
        return None


def team_picker(store: Store, container) -> str | None:
    """Pick a known team or type a new name; kept in the session and the URL."""
    teams = store.teams()
    wanted = current_team()
    if TEAM_KEY not in st.session_state and wanted:
        st.session_state[TEAM_KEY] = wanted
    elif TEAM_KEY in st.session_state:
        st.session_state[TEAM_KEY] = st.session_state[TEAM_KEY]  # keep the widget's value across pages
    options = list(dict.fromkeys([*([wanted] if wanted else []), *teams]))
    raw = container.selectbox(
        "Werkgroep of team",
        options,
        index=None,
        key=TEAM_KEY,
        accept_new_options=True,
        placeholder="Kies of typ de naam van jullie werkgroep",
        help="De scores, notities en acties worden per werkgroep bewaard. Een nieuwe naam typen maakt een "
        "nieuwe werkgroep aan.",
    )
    st.session_state[RESOLVED_TEAM_KEY] = None
    if not raw:
        keep_in_url(TEAM_KEY, None)
        return None
    try:
        team = werkgroep.validate_team(raw)
    except werkgroep.WerkgroepError as exc:
        container.error(str(exc))
        return None
    # "werkgroep heidebeek" typed again is the existing "Werkgroep Heidebeek", not a second team.
    team = {t.casefold(): t for t in teams}.get(team.casefold(), team)
    st.session_state[RESOLVED_TEAM_KEY] = team
    keep_in_url(TEAM_KEY, team)
    return team


def team_sidebar(store: Store, expanded: bool = False) -> str | None:
    """The self-assessment section of the sidebar; returns the chosen team (or None)."""
    box = st.sidebar.expander("Zelfevaluatie bouwstenen", expanded=expanded, icon=":material/checklist:")
    team = team_picker(store, box)
    if team is None:
        box.caption("Kies eerst jullie werkgroep; daarna scoren jullie hier de 9 bouwstenen van 1 tot 5.")
        return None
    day = box.date_input(
        "Datum van de zelfevaluatie", value=date.today(), max_value=date.today(), key=DATE_KEY, format="DD/MM/YYYY"
    )
    history = werkgroep.assessments(store, team)
    this = next((a for a in history if a.assessed_on == day), None)
    previous = werkgroep.latest(store, team, before=day)
    start = this or previous
    if this is not None:
        box.caption(f"Bewaarde scores van {format_date(day)} ({this.source_label}). Pas aan en bewaar opnieuw.")
    elif previous is not None:
        box.caption(
            f"Vooringevuld met de scores van {format_date(previous.assessed_on)}: pas aan wat veranderde "
            "en bewaar als nieuwe zelfevaluatie."
        )
    else:
        box.caption(
            "Nog geen scores voor deze werkgroep. " + bouwstenen.SCALE_INSTRUCTION.replace("0 tot 5", "1 tot 5")
        )
    options: list[int | None] = [None, *bouwstenen.SCALE]
    with box.form(f"scores|{team}|{day.isoformat()}", border=False):
        for cluster, label in bouwstenen.CLUSTERS.items():
            st.markdown(f"**{label}**")
            for b in bouwstenen.in_cluster(cluster):
                initial = start.scores.get(b.code) if start is not None else None
                hint = b.definition
                if previous is not None:
                    hint += (
                        f"\n\nVorige keer ({format_date(previous.assessed_on)}): "
                        f"{_score_label(previous.scores.get(b.code))}."
                    )
                st.selectbox(
                    b.name,
                    options,
                    index=options.index(initial),
                    format_func=_score_label,
                    key=score_widget_key(team, day, b.code),
                    help=hint,
                )
        submitted = st.form_submit_button("Bewaar de scores", icon=":material/save:", width="stretch")
    if submitted:
        scores = {b.code: st.session_state[score_widget_key(team, day, b.code)] for b in bouwstenen.BOUWSTENEN}
        try:
            saved = werkgroep.save_scores(store, team, day, scores, source="zijbalk")
        except werkgroep.WerkgroepError as exc:
            box.error(str(exc))
        else:
            box.success(f"{saved.scored} van de 9 bouwstenen gescoord en bewaard voor {format_date(day)}.")
    return team
