"""The spatial layers of a view, read once from the store and cached (Streamlit side).

A view is one municipality or a whole care zone; everything within
``MARGIN_M`` of its sectors is read, so amenities and stops just across the
border are on the map and count as "near".
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import shapely
import streamlit as st

from ..environment import sector_amenities
from ..store import Store
from .data import data_version

MARGIN_M = 1500.0


@dataclass(frozen=True)
class ViewLayers:
    """Everything the spatial pages draw and count for one view (Lambert for distances)."""

    sector_codes: tuple[str, ...]
    sectors_lambert: pd.DataFrame  # code, name, geometry (shapely, Lambert 72)
    features: pd.DataFrame  # layer, feature_id, category, name, properties, geom_display (WKB, EPSG:4326)
    amenities: pd.DataFrame  # feature_id, category, name, x, y (Lambert), statsec; each place once
    stops: pd.DataFrame  # stop_id, name, departures_per_hour, is_belbus, x, y, lon, lat
    walkability: pd.DataFrame  # x, y, value, statsec
    facilities: pd.DataFrame  # voorzieningenniveau: x, y, value, statsec
    residents: pd.DataFrame  # x, y, value, statsec
    places: pd.DataFrame  # the stored per-place access table of the view's sectors


def view_layers(store: Store, level: str, code: str) -> ViewLayers:
    return _cached_view_layers(store, data_version(store), level, code)


@st.cache_data(max_entries=16, show_spinner="De kaartlagen worden geladen …")
def _cached_view_layers(_store: Store, version: str, level: str, code: str) -> ViewLayers:
    codes = _store.sectors_within(level, [code])
    raw = _store.geometries("statsec", codes, display=False)
    geoms = shapely.from_wkb([bytes(g) if g is not None else None for g in raw["geometry"]]) if len(raw) else []
    sectors = pd.DataFrame({"code": raw["code"], "name": raw["name"], "geometry": list(geoms)})
    sectors = sectors[[g is not None and not g.is_empty for g in sectors["geometry"]]].reset_index(drop=True)
    if sectors.empty:
        empty = pd.DataFrame()
        return ViewLayers(tuple(codes), sectors, empty, empty, empty, empty, empty, empty, _store.place_access(codes))
    minx, miny, maxx, maxy = shapely.total_bounds(sectors["geometry"].to_numpy())
    bbox = (minx - MARGIN_M, miny - MARGIN_M, maxx + MARGIN_M, maxy + MARGIN_M)
    features = _store.features(bbox=bbox, display=True)
    # Each place once (a pharmacy in two lists is one pharmacy); the map still draws every list's points.
    amenities = sector_amenities(features, sectors)
    return ViewLayers(
        sector_codes=tuple(codes),
        sectors_lambert=sectors,
        features=features.drop(columns=["geom_lambert"], errors="ignore"),
        amenities=amenities,
        stops=_store.stops(bbox=bbox),
        walkability=_store.grid_cells(layer="walkability", statsecs=codes),
        facilities=_store.grid_cells(layer="voorzieningenniveau", statsecs=codes),
        residents=_store.grid_cells(layer="inwoners", statsecs=codes),
        places=_store.place_access(codes),
    )


def view_places(store: Store, level: str, code: str) -> pd.DataFrame:
    """Only the stored per-place access table of a view (no layers for the map)."""
    return _cached_view_places(store, data_version(store), level, code)


@st.cache_data(max_entries=16, show_spinner=False)
def _cached_view_places(_store: Store, version: str, level: str, code: str) -> pd.DataFrame:
    return _store.place_access(_store.sectors_within(level, [code]))


def layer_sources(store: Store) -> dict[str, str]:
    """Per map layer key, the sources of the datasets that wrote it (imports come from different files)."""
    return _cached_layer_sources(store, data_version(store))


@st.cache_data(max_entries=16, show_spinner=False)
def _cached_layer_sources(_store: Store, version: str) -> dict[str, str]:
    from ..sources import layer_sources as sources_per_layer

    return sources_per_layer(_store)
