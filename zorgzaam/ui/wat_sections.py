"""The sections of the "Wat is er?" page: layer toggles, the map with its legends, the sectors' environment."""

from __future__ import annotations

import pandas as pd
import pydeck as pdk
import streamlit as st

from ..access import BASKET_GROUPS, CATEGORY_LABELS
from ..choices import View, WatChoice
from ..environment import SETTLEMENT_LABELS, amenities_near, amenity_counts, settlement_shares
from ..formatting import format_number
from ..layers import AMENITIES, LAYERS, RESCALE_WARNING, layer_legends, legend_html, spatial_deck, spatial_layers
from ..layers import SETTLEMENT_KEYS, facilities_classes, walkability_bounds
from ..maps import fit_view, polygon_rows
from .selection import map_key, ranking_table_key
from .spatial_data import ViewLayers
from .state import keep_in_url

PAGE = "wat"
NEAR_RADIUS_M = 400
BASKET_CATEGORIES = tuple(c for members in BASKET_GROUPS.values() for c in members)
DEFAULT_LAYERS = [k for k, spec in LAYERS.items() if spec.default_on]
SELECTED_LINE = [0, 0, 0, 255]


def _from_url_list(key: str, valid: list[str]) -> list[str] | None:
    raw = st.query_params.get(key)
    if raw is None:
        return None
    return [v for v in raw.split(",") if v in valid]


def layer_toggles() -> tuple[list[str], bool]:
    """The layers switched on (registry keys) and the walkability rescale toggle; both in the URL."""
    options = list(LAYERS)
    if "lagen" not in st.session_state:
        st.session_state["lagen"] = _from_url_list("lagen", options) or DEFAULT_LAYERS
    keys = (
        st.pills(
            "Lagen op de kaart",
            options,
            selection_mode="multi",
            key="lagen",
            format_func=lambda k: LAYERS[k].label,
            persist_state="session",
            help="Klik een laag aan of uit. " + " ".join(f"{s.label}: {s.description}" for s in LAYERS.values()),
        )
        or []
    )
    keep_in_url("lagen", ",".join(keys) if keys else "geen")
    rescale = False
    if "walkability" in keys:
        if "herschaal" not in st.session_state:
            st.session_state["herschaal"] = st.query_params.get("herschaal") == "ja"
        rescale = st.toggle(
            "Herschaal walkability naar het zichtbare gebied",
            key="herschaal",
            persist_state="session",
            help="Standaard vergelijkt de kleur elke hectare met heel Vlaanderen (0–100). "
            "Herschaald loopt de kleur van de laagste tot de hoogste cel op de kaart.",
        )
        keep_in_url("herschaal", "ja" if rescale else None)
        if rescale:
            st.caption(f"⚠ {RESCALE_WARNING}")
    else:
        keep_in_url("herschaal", None)
    return list(keys), rescale


def category_picker(layers: ViewLayers) -> list[str]:
    present = [c for c in AMENITIES if c in set(layers.amenities.get("category", []))]
    present += sorted(set(layers.amenities.get("category", [])) - set(present))
    if "categorieen" not in st.session_state:
        st.session_state["categorieen"] = _from_url_list("categorieen", present) or present
    count = len(st.session_state["categorieen"])
    with st.popover(f"Soorten voorzieningen ({count} van {len(present)})", icon=":material/tune:"):
        chosen = st.multiselect(
            "Voorzieningen",
            present,
            key="categorieen",
            format_func=lambda c: CATEGORY_LABELS.get(c, c),
            placeholder="Kies de soorten voorzieningen",
            persist_state="session",
        )
    keep_in_url("categorieen", ",".join(chosen) if chosen and len(chosen) < len(present) else None)
    return chosen


def wat_choice(view: View, layers: ViewLayers) -> WatChoice:
    """The "Wat is er?" choice from its widgets and the URL: the layers switched on, the walkability rescale and,
    with the amenities' layer on, the kinds of amenities of the view shown. No sector is selected yet: the page
    selects one once it knows the sectors on screen."""
    keys, rescale = layer_toggles()
    categories = category_picker(layers) if "voorzieningen" in keys else []
    return WatChoice(view, tuple(keys), rescale, tuple(categories))


def _selection_layer(frame, selected: str | None) -> list[pdk.Layer]:
    if selected is None or not (frame["code"] == selected).any():
        return []
    return [
        pdk.Layer(
            "PolygonLayer",
            id="selectie",
            data=polygon_rows(frame[frame["code"] == selected], ["code"]),
            get_polygon="polygon",
            filled=False,
            stroked=True,
            get_line_color=SELECTED_LINE,
            line_width_min_pixels=4,
            pickable=False,
        )
    ]


def layer_has_data(layers: ViewLayers, key: str) -> bool:
    """Whether the view holds anything for a layer key (a switched-on layer without data gets no legend)."""
    features = layers.features
    if key in SETTLEMENT_KEYS.values():
        category = {v: k for k, v in SETTLEMENT_KEYS.items()}[key]
        return bool(len(features)) and bool(
            ((features["layer"] == "nederzetting") & (features["category"] == category)).any()
        )
    if key == "voorzieningen":
        return bool(len(layers.amenities))
    if key == "bushaltes":
        return bool(len(layers.stops))
    if key == "walkability":
        return bool(len(layers.walkability))
    if key == "inwoners":
        return bool(len(layers.residents))
    if key == "voorzieningenniveau":
        return bool(len(layers.facilities))
    return True


def render_map(
    layers: ViewLayers, display_frame, choice: WatChoice, source: str, layer_sources: dict[str, str] | None = None
) -> None:
    """The choice's layers, the selected sector outlined (and zoomed to), one legend per visible layer."""
    keys, rescale, categories = list(choice.layer_keys), choice.rescale, list(choice.categories)
    selected = choice.selected
    walk_cells = layers.walkability
    empty = [k for k in keys if not layer_has_data(layers, k)]
    keys = [k for k in keys if k not in empty]
    sources = {"sectoren": source, "bushaltes": source, **(layer_sources or {})}
    deck_layers = spatial_layers(
        keys,
        sectors=display_frame,
        features=layers.features,
        stops=layers.stops,
        walkability=walk_cells,
        residents=layers.residents,
        rescale=rescale,
        categories=categories,
        sources=sources,
        facilities=layers.facilities,  # the hectare rasters arrive as one image each
    ) + _selection_layer(display_frame, selected)
    focus = display_frame[display_frame["code"] == selected] if selected else display_frame
    deck = spatial_deck(deck_layers, fit_view(focus if len(focus) else display_frame))
    map_col, legend_col = st.columns([4, 1.3])
    with map_col:
        st.pydeck_chart(
            deck, height=600, key=map_key(selected, page=PAGE), on_select="rerun", selection_mode="single-object"
        )
    with legend_col:
        walk_range = walkability_bounds(walk_cells["value"], rescale) if len(walk_cells) else (0.0, 100.0)
        facilities_labels = facilities_classes(layers.facilities["value"])[1] if len(layers.facilities) else []
        legends = layer_legends(
            keys, categories, walkability_range=walk_range, rescaled=rescale, facilities_labels=facilities_labels
        )
        if not legends:
            st.caption("Geen lagen gekozen.")
        st.markdown("".join(legend_html(legend) for legend in legends), unsafe_allow_html=True)
        if selected:
            st.caption("Dikke zwarte rand: de gekozen sector")
        if empty:
            st.caption(
                "Geen gegevens in dit gebied voor: "
                + ", ".join(LAYERS[k].label for k in empty)
                + ". Importeer ze op de pagina Gegevens."
            )
    st.caption(
        "Klik op een sector (laag 'Statistische sectoren') of kies hem in de tabel hieronder. Wijs een punt aan "
        f"voor naam, soort en bron. Bron: {source}. Kaart zonder achtergrond: werkt ook zonder internet."
    )


def sector_table(layers: ViewLayers, names: pd.Series) -> pd.DataFrame:
    """Per sector: where its residents live (kern/lint/verspreid) and what lies inside it."""
    codes = list(names.index)
    shares = settlement_shares(layers.places, codes) if len(layers.places) else pd.DataFrame(index=codes)
    counts = (
        amenity_counts(layers.amenities, layers.amenities.get("statsec", pd.Series(dtype=object)), codes)
        if len(layers.amenities)
        else pd.DataFrame(index=codes)
    )
    basket = [c for c in BASKET_CATEGORIES if c in counts.columns]
    table = pd.DataFrame({"Sector": names, "Code": codes}, index=codes)
    table["Inwoners (hectarecellen)"] = shares.get("residents")
    for cls in ("kern", "lint", "verspreid", "elders"):
        table[f"% {SETTLEMENT_LABELS[cls].split(' (')[0]}"] = shares.get(f"pct_{cls}")
    table["Basisvoorzieningen in de sector"] = counts[basket].sum(axis=1) if basket else 0
    table["Alle voorzieningen in de sector"] = counts.sum(axis=1) if len(counts.columns) else 0
    return table.reset_index(drop=True)


def render_sector_table(table: pd.DataFrame, selected: str | None, source: str) -> None:
    pct = st.column_config.NumberColumn(format="%.1f %%")
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=ranking_table_key(selected, list(table["Code"]), page=PAGE, table="sectoren"),
        column_config={
            "Inwoners (hectarecellen)": st.column_config.NumberColumn(format="%d"),
            **{c: pct for c in table.columns if c.startswith("% ")},
        },
    )
    st.caption(
        "Aandeel inwoners per nederzettingstype: een bewoonde hectarecel telt als kern wanneer haar middelpunt in "
        "een kern ligt, als lint of verspreide bebouwing binnen 75 m ervan, anders als 'elders'. Inwoners: som van "
        f"de bewoonde hectarecellen van de sector. Basisvoorzieningen: voeding (voedingswinkel, supermarkt, bakker, "
        f"slager), huisarts, apotheek, school. Bron: {source}. Leeg = geen gegevens, nooit 0."
    )


def render_sector_detail(layers: ViewLayers, selected: str, name: str) -> None:
    """A sector's residents by settlement type and the amenities and stops in or near it."""
    geom = layers.sectors_lambert.set_index("code")["geometry"].get(selected)
    shares = settlement_shares(layers.places, [selected]).loc[selected] if len(layers.places) else None
    left, right = st.columns([2, 3])
    with left:
        st.markdown("**Waar wonen de inwoners?**")
        if shares is None or pd.isna(shares["residents"]):
            st.info("Voor deze sector zijn geen bewoonde hectarecellen gekend.")
        else:
            rows = [
                (SETTLEMENT_LABELS[c], shares[c], shares[f"pct_{c}"]) for c in ("kern", "lint", "verspreid", "elders")
            ]
            st.markdown(
                "\n".join(
                    f"- {label}: **{format_number(p, 1)} %** ({format_number(n)} van "
                    f"{format_number(shares['residents'])} inwoners)"
                    for label, n, p in rows
                )
            )
        stops = layers.stops
        if geom is not None and len(stops):
            near = amenities_near(stops.assign(category="bushalte"), geom, NEAR_RADIUS_M)
            st.markdown(f"**Bushaltes in of tot {NEAR_RADIUS_M} m van de sector: {len(near)}**")
            if len(near):
                st.dataframe(
                    pd.DataFrame(
                        {
                            "Halte": near["name"],
                            "Vertrekken per uur (weekdag)": [
                                "belbus (op afroep)" if b else ("onbekend" if pd.isna(d) else format_number(d, 1))
                                for b, d in zip(near["is_belbus"], near["departures_per_hour"])
                            ],
                            "Afstand": [
                                "in de sector" if i else f"{format_number(d)} m"
                                for i, d in zip(near["inside"], near["distance_m"])
                            ],
                        }
                    ),
                    hide_index=True,
                    width="stretch",
                )
    with right:
        if geom is None:
            st.info("Deze sector heeft geen kaart: voorzieningen in de buurt zijn niet te bepalen.")
            return
        near = amenities_near(layers.amenities, geom, NEAR_RADIUS_M)
        st.markdown(f"**Voorzieningen in of tot {NEAR_RADIUS_M} m van {name}: {len(near)}**")
        if near.empty:
            st.info(f"Geen enkele voorziening in de sector of binnen {NEAR_RADIUS_M} m ervan.")
            return
        present = set(near["category"])
        missing = [CATEGORY_LABELS[c] for c in ("bakker", "huisarts", "apotheek", "school") if c not in present]
        if not present & set(BASKET_GROUPS["voeding"]):
            missing.insert(0, "voedingswinkel of supermarkt, bakker, slager")
        if missing:
            st.markdown(f"Niet in of vlak bij de sector: {', '.join(missing)}.")
        st.dataframe(
            pd.DataFrame(
                {
                    "Voorziening": near["name"].fillna("(zonder naam)"),
                    "Soort": [CATEGORY_LABELS.get(c, c) for c in near["category"]],
                    "Ligging": [
                        "in de sector" if i else f"op {format_number(d)} m"
                        for i, d in zip(near["inside"], near["distance_m"])
                    ],
                }
            ),
            hide_index=True,
            width="stretch",
            height=min(420, 38 + 35 * len(near)),
        )
        st.caption("Afstand in rechte lijn tot de rand van de sector.")
