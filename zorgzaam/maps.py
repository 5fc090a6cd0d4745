"""Map building blocks: geometry from the store to pydeck layers (no Streamlit here).

Geometry arrives as the simplified EPSG:4326 copy the store keeps for display;
distances are never computed on it.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Sequence

import geopandas as gpd
import pandas as pd
import pydeck as pdk
import shapely
from pydeck.bindings.json_tools import default_serialize

from .store import Store

__all__ = [
    "CONTEXT_FILL",
    "HIGHLIGHT_FILL",
    "OUTLINE",
    "ReadyDeck",
    "area_frame",
    "choropleth_deck",
    "fit_view",
    "label_layer",
    "label_rows",
    "legend_html",
    "overview_deck",
    "polygon_rows",
]

# Colour-blind-safe, projector-friendly (ColorBrewer Blues / greys).
HIGHLIGHT_FILL = [66, 146, 198, 190]
CONTEXT_FILL = [222, 226, 230, 170]
OUTLINE = [70, 70, 70, 255]
LABEL_COLOUR = [20, 20, 20, 255]


def area_frame(store: Store, level: str, codes: Sequence[str] | None = None) -> gpd.GeoDataFrame:
    """Display geometry (EPSG:4326) of areas as a GeoDataFrame with level, code, name."""
    raw = store.geometries(level, list(codes) if codes is not None else None, display=True)
    geometry = shapely.from_wkb(raw["geometry"].to_numpy()) if len(raw) else []
    return gpd.GeoDataFrame(raw.drop(columns="geometry"), geometry=geometry, crs="EPSG:4326")


def polygon_rows(frame: gpd.GeoDataFrame, columns: Sequence[str]) -> list[dict]:
    """One row per polygon part: the attributes plus ``polygon`` as rings of [lon, lat]."""
    rows = []
    for record, geom in zip(frame[list(columns)].to_dict(orient="records"), frame.geometry):
        if geom is None or geom.is_empty:
            continue
        parts = geom.geoms if geom.geom_type == "MultiPolygon" else [geom]
        for part in parts:
            rings = [list(map(list, part.exterior.coords))] + [list(map(list, r.coords)) for r in part.interiors]
            rows.append({**record, "polygon": rings})
    return rows


def label_rows(frame: gpd.GeoDataFrame, text_column: str) -> list[dict]:
    points = frame.geometry.representative_point()
    return [
        {"text": text, "position": [p.x, p.y]}
        for text, p in zip(frame[text_column], points)
        if p is not None and not p.is_empty
    ]


def label_layer(labels: gpd.GeoDataFrame, column: str = "name") -> pdk.Layer:
    """Readable area names (e.g. municipalities) on a white halo, for a projector."""
    return pdk.Layer(
        "TextLayer",
        id="labels",
        data=label_rows(labels, column),
        get_position="position",
        get_text="text",
        get_size=16,
        get_color=LABEL_COLOUR,
        font_weight=700,
        get_text_anchor='"middle"',
        get_alignment_baseline='"center"',
        background=True,
        get_background_color=[255, 255, 255, 200],
        background_padding=[4, 2],
    )


def fit_view(frame: gpd.GeoDataFrame) -> pdk.ViewState:
    """A view that shows the whole frame (north up, no tilt)."""
    if frame.empty:
        return pdk.ViewState(latitude=51.0, longitude=4.4, zoom=7.5)
    minx, miny, maxx, maxy = frame.total_bounds
    points = [[minx, miny], [maxx, maxy], [minx, maxy], [maxx, miny]]
    view = pdk.data_utils.compute_view(points, view_proportion=1)
    view.zoom = max(min(view.zoom + 0.4, 15.0), 6.0)
    view.pitch = 0
    view.bearing = 0
    return view


class ReadyDeck(pdk.Deck):
    """A deck that makes its JSON (compact, as ``layers.CompactDeck``) once: kept in a cache, the same map is
    sent again on every rerun without serialising its polygons again."""

    def to_json(self) -> str:
        made = _deck_json.get(self)
        if made is None:
            made = json.dumps(
                self, sort_keys=True, default=default_serialize, separators=(",", ":"), ensure_ascii=False
            )
            _deck_json[self] = made
        return made


# Outside the deck: pydeck serialises a deck's own attributes.
_deck_json: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def overview_deck(
    sectors: gpd.GeoDataFrame,
    highlight: pd.Series,
    labels: gpd.GeoDataFrame | None = None,
    label_column: str = "name",
    tooltip_html: str = "<b>{name}</b><br/>{code}",
    layer_id: str = "sectoren",
) -> ReadyDeck:
    """Sectors outlined, the highlighted ones filled, with text labels (e.g. municipalities)."""
    frame = sectors.copy()
    frame["fill"] = [HIGHLIGHT_FILL if h else CONTEXT_FILL for h in highlight.to_numpy()]
    columns = [c for c in frame.columns if c != "geometry"]
    layers = [
        pdk.Layer(
            "PolygonLayer",
            id=layer_id,
            data=polygon_rows(frame, columns),
            get_polygon="polygon",
            get_fill_color="fill",
            get_line_color=OUTLINE,
            line_width_min_pixels=1,
            stroked=True,
            filled=True,
            pickable=True,
            auto_highlight=True,
        )
    ]
    if labels is not None and not labels.empty:
        layers.append(label_layer(labels, label_column))
    return ReadyDeck(
        layers=layers,
        initial_view_state=fit_view(frame),
        map_provider=None,
        map_style=None,
        tooltip={"html": tooltip_html, "style": {"backgroundColor": "white", "color": "#111", "fontSize": "14px"}},
    )


SELECTED_OUTLINE = [0, 0, 0, 255]
SMALL_MARK_COLOUR = [120, 40, 0, 255]


def choropleth_deck(
    sectors: gpd.GeoDataFrame,
    fill: Sequence[Sequence[int]],
    selected: str | None = None,
    labels: gpd.GeoDataFrame | None = None,
    marks: gpd.GeoDataFrame | None = None,
    tooltip_html: str = "<b>{name}</b><br/>{code}",
    layer_id: str = "sectoren",
) -> pdk.Deck:
    """Sectors coloured by class, the selected one outlined thick, optional text marks ("x", "⚠").

    ``marks`` has a ``mark`` column drawn at each area's representative point.
    """
    frame = sectors.copy()
    frame["fill"] = [list(c) + [210] for c in fill]
    columns = [c for c in frame.columns if c != "geometry"]
    layers = [
        pdk.Layer(
            "PolygonLayer",
            id=layer_id,
            data=polygon_rows(frame, columns),
            get_polygon="polygon",
            get_fill_color="fill",
            get_line_color=OUTLINE,
            line_width_min_pixels=1,
            stroked=True,
            filled=True,
            pickable=True,
            auto_highlight=True,
            highlight_color=[255, 255, 255, 90],
        )
    ]
    if selected is not None and (frame["code"] == selected).any():
        chosen = frame[frame["code"] == selected]
        layers.append(
            pdk.Layer(
                "PolygonLayer",
                id="selectie",
                data=polygon_rows(chosen, ["code"]),
                get_polygon="polygon",
                filled=False,
                stroked=True,
                get_line_color=SELECTED_OUTLINE,
                line_width_min_pixels=4,
                pickable=False,
            )
        )
    if marks is not None and not marks.empty:
        layers.append(
            pdk.Layer(
                "TextLayer",
                id="markeringen",
                data=label_rows(marks, "mark"),
                get_position="position",
                get_text="text",
                get_size=15,
                get_color=SMALL_MARK_COLOUR,
                font_weight=700,
                get_text_anchor='"middle"',
                get_alignment_baseline='"center"',
            )
        )
    if labels is not None and not labels.empty:
        layers.append(label_layer(labels))
    return ReadyDeck(
        layers=layers,
        initial_view_state=fit_view(frame),
        map_provider=None,
        map_style=None,
        tooltip={"html": tooltip_html, "style": {"backgroundColor": "white", "color": "#111", "fontSize": "14px"}},
    )


def legend_html(title: str, entries: Sequence[tuple[Sequence[int], str]], notes: Sequence[str] = ()) -> str:
    """A map legend as HTML (pydeck draws none): a swatch and a label per class."""
    import html

    items = "".join(
        "<div style='display:flex;align-items:center;gap:8px;margin:3px 0'>"
        f"<span style='flex:none;width:22px;height:16px;border:1px solid #555;"
        f"background:rgb({c[0]},{c[1]},{c[2]})'></span><span>{html.escape(label)}</span></div>"
        for c, label in entries
    )
    extra = "".join(f"<div style='margin-top:6px;font-size:0.85em;color:#333'>{html.escape(n)}</div>" for n in notes)
    return (
        "<div class='zz-legend' style='font-size:0.95em;line-height:1.25'>"
        f"<div style='font-weight:700;margin-bottom:4px'>{html.escape(title)}</div>{items}{extra}</div>"
    )
