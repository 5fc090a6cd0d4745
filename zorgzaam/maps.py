"""Map building blocks: geometry from the store to pydeck layers (no Streamlit here).

Geometry arrives as the simplified EPSG:4326 copy the store keeps for display;
distances are never computed on it.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import pandas as pd
import pydeck as pdk
import shapely

from .store import Store

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


def overview_deck(
    sectors: gpd.GeoDataFrame,
    highlight: pd.Series,
    labels: gpd.GeoDataFrame | None = None,
    label_column: str = "name",
    tooltip_html: str = "<b>{name}</b><br/>{code}",
    layer_id: str = "sectoren",
) -> pdk.Deck:
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
        layers.append(
            pdk.Layer(
                "TextLayer",
                id="labels",
                data=label_rows(labels, label_column),
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
        )
    return pdk.Deck(
        layers=layers,
        initial_view_state=fit_view(frame),
        map_provider=None,
        map_style=None,
        tooltip={"html": tooltip_html, "style": {"backgroundColor": "white", "color": "#111", "fontSize": "14px"}},
    )
