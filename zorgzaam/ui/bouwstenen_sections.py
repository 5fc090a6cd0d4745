"""Sections of the Bouwstenen page: scores by cluster, history, reflection notes, actions."""

from __future__ import annotations


import pydeck as pdk
import streamlit as st

from .. import bouwstenen, werkgroep
from ..access import CATEGORY_LABELS
from ..bouwstenen_charts import STATUS_COLOURS, balance_chart, history_chart, score_chart
from ..formatting import format_date, format_number
from ..layers import lambert_to_lonlat
from ..maps import OUTLINE, area_frame, fit_view, polygon_rows
from ..store import MAX_NOTE_CHARS, Store, StoreError
from ..werkgroep import Assessment, StoredAction
from .spatial_data import ViewLayers
from .state import AreaChoice
from .text import plain

# --------------------------------------------------------------------------- scores


def render_scores(history: list[Assessment], light_threshold: int) -> Assessment | None:
    """The latest assessment by cluster beside the one before; returns the latest."""
    if not history:
        st.info(
            "Nog geen zelfevaluatie voor deze werkgroep. Scoor de 9 bouwstenen links in de zijbalk "
            "(of neem de scores over uit een peiling) en bewaar ze."
        )
        return None
    current = history[-1]
    previous = history[-2] if len(history) > 1 else None
    st.markdown(
        f"Zelfevaluatie van **{format_date(current.assessed_on)}** ({current.source_label}), "
        f"{current.scored} van de 9 bouwstenen gescoord"
        + (f"; het ruitje is de score van {format_date(previous.assessed_on)}." if previous else ".")
    )
    st.plotly_chart(
        score_chart(current, previous, light_threshold),
        width="stretch",
        key="score_chart",
        config={"displaylogo": False},
    )
    light = bouwstenen.light_bouwstenen(current.scores, light_threshold)
    if light:
        names = ", ".join(f"**{bouwstenen.by_code(c).name}**" for c in light)
        st.warning(
            f"Licht (score 1 tot {light_threshold}): {names}. Hier is nog weinig of niets in beweging.",
            icon=":material/lightbulb:",
        )
    means = bouwstenen.cluster_means(current.scores)
    cols = st.columns(len(means))
    for col, (cluster, mean) in zip(cols, means.items()):
        col.metric(
            bouwstenen.CLUSTERS[cluster],
            format_number(mean, 1) if mean is not None else "-",
            help="Gemiddelde van de gescoorde bouwstenen van deze cluster; niet gescoorde tellen niet mee.",
        )
    if previous is not None:
        delta = werkgroep.changes(previous, current)
        moved = [(bouwstenen.by_code(c), d) for c, d in delta.items() if d]
        if moved:
            st.caption(
                "Sinds "
                + format_date(previous.assessed_on)
                + ": "
                + "; ".join(f"{b.name} {'+' if d > 0 else ''}{d}" for b, d in moved)
                + "."
            )
    return current


def render_history(history: list[Assessment], store: Store, team: str) -> None:
    if len(history) < 1:
        st.info("Nog geen zelfevaluaties bewaard.")
        return
    st.markdown(f"Alle zelfevaluaties van **{team}**, van oud naar nieuw. Een streepje is niet gescoord.")
    st.plotly_chart(history_chart(history), width="stretch", key="history_chart", config={"displaylogo": False})
    table = werkgroep.history_table(history)
    wide = table.pivot(index=["number", "name"], columns="assessed_on", values="score")
    wide.columns = [format_date(d) for d in wide.columns]
    wide.index = wide.index.get_level_values("name")
    with st.expander("Als tabel, en een zelfevaluatie wissen"):
        st.dataframe(wide.astype(object).where(wide.notna(), "–"), width="stretch")
        day = st.selectbox(
            "Zelfevaluatie",
            [a.assessed_on for a in history],
            format_func=format_date,
            index=len(history) - 1,
            key="delete_assessment_day",
        )
        if st.button("Deze zelfevaluatie wissen", icon=":material/delete:", key="delete_assessment"):
            werkgroep.delete_assessment(store, team, day)
            st.toast(f"Zelfevaluatie van {format_date(day)} gewist", icon=":material/check:")
            st.rerun()


# --------------------------------------------------------------------------- reflection


def _note_key(team: str, code: str) -> str:
    return f"bnote|{team}|{code}"


def _save_note(store: Store, team: str, code: str) -> None:
    try:
        werkgroep.save_note(store, team, code, st.session_state.get(_note_key(team, code), ""))
    except (StoreError, werkgroep.WerkgroepError) as exc:
        st.toast(f"Niet bewaard: {exc}", icon=":material/error:")
        return
    st.toast("Notitie bewaard", icon=":material/check:")


def render_reflection(store: Store, team: str, current: Assessment | None) -> None:
    st.markdown(
        "Per bouwsteen de reflectievragen die bij jullie score passen (ondersteuningspakket): bij **4–5** "
        f"*{bouwstenen.BAND_QUESTIONS['hoog']}*, bij **1–3** *{bouwstenen.BAND_QUESTIONS['laag']}* "
        "Jullie notities worden meteen bewaard."
    )
    notes = werkgroep.notes(store, team)
    scores = current.scores if current is not None else {}
    for cluster, label in bouwstenen.CLUSTERS.items():
        st.markdown(f"#### {label}")
        st.caption(bouwstenen.CLUSTER_DEFINITIONS[cluster])
        for b in bouwstenen.in_cluster(cluster):
            score = scores.get(b.code)
            band = bouwstenen.band(score)
            head = f"{b.name}: " + (f"score {score} ({bouwstenen.SCALE[score]})" if score else "niet gescoord")
            with st.expander(head, expanded=False, icon=":material/edit_note:" if b.code in notes else None):
                st.caption(b.definition)
                if band is not None:
                    st.markdown(f"**{bouwstenen.BAND_HEADINGS[band]}**")
                st.markdown("\n".join(f"- {q}" for q in bouwstenen.reflection_prompts(b, score)))
                key = _note_key(team, b.code)
                if key not in st.session_state:
                    st.session_state[key] = notes.get(b.code, "")
                st.text_area(
                    "Notities van de werkgroep",
                    key=key,
                    height=110,
                    max_chars=MAX_NOTE_CHARS,
                    on_change=_save_note,
                    args=(store, team, b.code),
                    placeholder="Wat zeggen jullie hierover? Noteer wat gezegd wordt, niet wie het zegt.",
                )


# --------------------------------------------------------------------------- actions

PLACE_KINDS = {
    "gemeentebreed": "Gemeentebreed",
    "sector": "In een sector",
    "voorziening": "Bij een voorziening",
    "punt": "Op coördinaten",
}


def _place_input(kind: str, layers: ViewLayers, initial: StoredAction | None, prefix: str):
    """The place of an action from the inputs for ``kind`` (validated later by validate_action)."""
    sectors = layers.sectors_lambert
    if kind == "sector":
        names = dict(zip(sectors["code"], sectors["name"]))
        codes = sorted(names, key=lambda c: names[c])
        start = initial.action.sector if initial is not None and initial.action.sector in names else None
        return st.selectbox(
            "Sector",
            codes,
            index=codes.index(start) if start else None,
            format_func=lambda c: f"{names[c]} ({c})",
            key=f"{prefix}_sector",
            placeholder="Kies een sector",
        )
    if kind == "voorziening":
        amen = layers.amenities.dropna(subset=["name"])
        if amen.empty:
            st.caption("Er zijn geen voorzieningen met een naam in deze gemeente.")
            return None
        labels = [f"{n} ({CATEGORY_LABELS.get(c, c)})" for n, c in zip(amen["name"], amen["category"])]
        pick = st.selectbox(
            "Voorziening",
            range(len(amen)),
            index=None,
            format_func=lambda i: labels[i],
            key=f"{prefix}_amenity",
            placeholder="Typ om te zoeken",
        )
        if pick is None:
            return None
        lon, lat = lambert_to_lonlat([amen["x"].iloc[pick]], [amen["y"].iloc[pick]])
        return (float(lon[0]), float(lat[0]))
    if kind == "punt":
        point = initial.action.point if initial is not None else None
        c1, c2 = st.columns(2)
        lat = c1.number_input("Breedtegraad", value=point[1] if point else 51.2, format="%.5f", key=f"{prefix}_lat")
        lon = c2.number_input("Lengtegraad", value=point[0] if point else 4.9, format="%.5f", key=f"{prefix}_lon")
        return (lon, lat)
    return bouwstenen.MUNICIPALITY_WIDE


def _initial_kind(initial: StoredAction | None) -> str:
    if initial is None or initial.action.is_municipality_wide:
        return "gemeentebreed"
    return "sector" if initial.action.sector is not None else "punt"


def action_form(store: Store, team: str, layers: ViewLayers, initial: StoredAction | None = None) -> None:
    """Add an action, or edit ``initial``; errors in Dutch, nothing saved until every field is right."""
    prefix = f"act{initial.action_id}" if initial is not None else "actnew"
    a = initial.action if initial is not None else None
    kinds = list(PLACE_KINDS)
    kind = st.radio(
        "Waar speelt de actie zich af?",
        kinds,
        index=kinds.index(_initial_kind(initial)),
        format_func=PLACE_KINDS.get,
        horizontal=True,
        key=f"{prefix}_kind",
    )
    with st.form(f"{prefix}_form", clear_on_submit=initial is None, border=True):
        title = st.text_input(
            "Actie",
            value=a.title if a else "",
            max_chars=120,
            key=f"{prefix}_title",
            placeholder="bv. Burenbabbels in de Heistertseweg",
        )
        codes = st.multiselect(
            "Bouwsteen/bouwstenen",
            [b.code for b in bouwstenen.BOUWSTENEN],
            default=list(a.bouwstenen) if a else [],
            format_func=lambda c: bouwstenen.by_code(c).name,
            key=f"{prefix}_codes",
            placeholder="Kies een of meer bouwstenen",
        )
        statuses = list(bouwstenen.ACTION_STATUSES)
        status = st.radio(
            "Status",
            statuses,
            index=statuses.index(a.status) if a else 0,
            format_func=lambda s: bouwstenen.ACTION_STATUSES[s],
            key=f"{prefix}_status",
        )
        partners = st.text_input(
            "Partners (gescheiden door komma's)",
            value=", ".join(a.partners) if a else "",
            key=f"{prefix}_partners",
            placeholder="bv. OCMW, huisartsenkring, buurtcomité",
        )
        levels: list[str | None] = [None, *bouwstenen.PARTICIPATION_LEVELS]
        participation = st.selectbox(
            "Participatie van bewoners",
            levels,
            index=levels.index(a.participation) if a else 0,
            format_func=lambda p: "niet ingevuld" if p is None else bouwstenen.PARTICIPATION_LEVELS[p][0],
            key=f"{prefix}_participation",
            help="\n".join(f"- **{label}**: {text}" for label, text in bouwstenen.PARTICIPATION_LEVELS.values()),
        )
        place = _place_input(kind, layers, initial, prefix)
        notes = st.text_area("Notities", value=a.notes if a else "", height=70, key=f"{prefix}_notes")
        submitted = st.form_submit_button("Actie bewaren" if initial else "Actie toevoegen", icon=":material/save:")
    if not submitted:
        return
    if kind in ("sector", "voorziening") and place is None:
        st.error("Kies een sector of voorziening, of kies 'Gemeentebreed'.")
        return
    try:
        action = bouwstenen.validate_action(title, codes, status, partners.split(","), participation, place, notes)
        werkgroep.save_action(store, team, action, initial.action_id if initial else None)
    except bouwstenen.ActionError as exc:
        st.error(" ".join(exc.errors))
        return
    except (StoreError, werkgroep.WerkgroepError) as exc:
        st.error(str(exc))
        return
    st.toast(f"Actie '{plain(action.title)}' bewaard", icon=":material/check:")
    st.rerun()


def render_action_list(store: Store, team: str, stored: list[StoredAction], layers: ViewLayers) -> None:
    names = dict(zip(layers.sectors_lambert["code"], layers.sectors_lambert["name"]))
    table = werkgroep.actions_table(stored, names).rename(columns=werkgroep.ACTION_TABLE_HEADERS)
    event = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=f"actions_table_{len(stored)}",
    )
    rows = event.selection.rows if event is not None else []
    if not rows:
        st.caption("Klik een rij aan om die actie aan te passen of te verwijderen.")
        return
    item = stored[rows[0]]
    st.markdown(f"**Actie {item.action_id} aanpassen:** {plain(item.action.title)}")
    action_form(store, team, layers, item)
    if st.button("Deze actie verwijderen", icon=":material/delete:", key=f"delete_action_{item.action_id}"):
        werkgroep.delete_action(store, team, item.action_id)
        st.toast(f"Actie '{plain(item.action.title)}' verwijderd", icon=":material/check:")
        st.rerun()


def render_balance(stored: list[StoredAction]) -> None:
    actions = [s.action for s in stored]
    balance = bouwstenen.action_balance(actions)
    light = bouwstenen.light_by_actions(actions)
    st.plotly_chart(balance_chart(balance, light), width="stretch", key="balance_chart", config={"displaylogo": False})
    if light:
        st.warning(
            "Licht uitgevallen (geen lopende of geplande actie): "
            + ", ".join(bouwstenen.by_code(c).name for c in light)
            + ". "
            + bouwstenen.STATUS_QUESTIONS["gemist"][2],
            icon=":material/lightbulb:",
        )
    st.caption(
        "Een actie op meer bouwstenen telt bij elk van die bouwstenen mee. Gemiste acties (oranje) "
        "tellen niet als inzet."
    )


ACTION_FILL = ([255, 255, 255, 90], [189, 215, 238, 200], [107, 174, 214, 210], [33, 113, 181, 220])


def _fill(total: int) -> list[int]:
    return ACTION_FILL[min(int(total), 3)]


def _hex_rgb(hex_colour: str) -> list[int]:
    return [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)] + [255]


ACTION_TOOLTIP = "<b>{naam}</b><br/>{regel}<br/>{acties}"


def render_action_map(store: Store, choice: AreaChoice, stored: list[StoredAction], layers: ViewLayers) -> None:
    """Sectors shaded by how many actions happen there, with the placed actions as dots."""
    per_sector = werkgroep.actions_per_sector(stored, layers.sectors_lambert).set_index("code")
    frame = area_frame(store, "statsec", list(layers.sectors_lambert["code"]))
    if frame.empty:
        st.info("Voor deze gemeente is geen kaart van de sectoren beschikbaar.")
        return
    frame["total"] = frame["code"].map(per_sector["total"]).fillna(0).astype(int)
    frame["fill"] = [_fill(t) for t in frame["total"]]
    # Plain text per field: Streamlit escapes a field's value in the tooltip (sector names come from a file,
    # action titles from the werkgroep), so markup lives only in the template (ACTION_TOOLTIP).
    frame["naam"] = frame["name"].astype(str)
    frame["regel"] = "sector " + frame["code"].astype(str)
    frame["acties"] = [
        f"{t} actie(s): {per_sector.loc[c, 'titles']}" if t else "geen actie"  # titles: "; "-joined
        for c, t in zip(frame["code"], frame["total"])
    ]
    layers_out = [
        pdk.Layer(
            "PolygonLayer",
            id="actie_sectoren",
            data=polygon_rows(frame, ["naam", "regel", "acties", "fill"]),
            get_polygon="polygon",
            get_fill_color="fill",
            get_line_color=OUTLINE,
            line_width_min_pixels=1,
            stroked=True,
            filled=True,
            pickable=True,
        )
    ]
    points = [s for s in stored if s.action.point is not None]
    if points:
        layers_out.append(
            pdk.Layer(
                "ScatterplotLayer",
                id="actie_punten",
                data=[
                    {
                        "position": list(s.action.point),
                        "fill": _hex_rgb(STATUS_COLOURS[s.action.status]),
                        "naam": str(s.action.title),
                        "regel": s.action.status,
                        "acties": ", ".join(bouwstenen.by_code(c).name for c in s.action.bouwstenen),
                    }
                    for s in points
                ],
                get_position="position",
                get_fill_color="fill",
                get_line_color=[0, 0, 0, 255],
                stroked=True,
                line_width_min_pixels=1.5,
                get_radius=60,
                radius_min_pixels=7,
                pickable=True,
            )
        )
    deck = pdk.Deck(
        layers=layers_out,
        initial_view_state=fit_view(frame),
        map_provider=None,
        map_style=None,
        tooltip={"html": ACTION_TOOLTIP, "style": {"backgroundColor": "white", "color": "#111"}},
    )
    left, right = st.columns([3, 1])
    with left:
        st.pydeck_chart(deck, height=480, key="action_map")
    wide = [s.action.title for s in stored if s.action.is_municipality_wide]
    without = int((frame["total"] == 0).sum())
    with right:
        legend = "".join(
            f"<div><span style='display:inline-block;width:14px;height:14px;border:1px solid #444;"
            f"background:rgba({c[0]},{c[1]},{c[2]},{c[3] / 255:.2f})'></span> {label}</div>"
            for c, label in zip(ACTION_FILL, ("geen actie", "1 actie", "2 acties", "3 of meer"))
        )
        legend += "".join(
            f"<div><span style='color:{col}'>●</span> {s} (punt)</div>" for s, col in STATUS_COLOURS.items()
        )
        st.markdown(legend, unsafe_allow_html=True)
        st.markdown(
            f"**{without} van de {len(frame)} sectoren** van {choice.gemeente_name} hebben nog geen "
            "actie met een plaats."
        )
        if wide:
            st.markdown("**Gemeentebreed:** " + "; ".join(wide))
    st.caption(
        "Kaart zonder achtergrond (werkt zonder internet). Een actie op een punt telt mee in de sector "
        "waarin het punt ligt."
    )
