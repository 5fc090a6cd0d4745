"""How much map data goes to the browser: the "Wat is er?" map for one municipality and one care zone.

Builds the page's deck (every layer on) from a demo store and measures the JSON
``st.pydeck_chart`` sends, against the naive way: the same features as raw
GeoJSON (unsimplified Lambert geometry converted to EPSG:4326, full float
precision, hectare cells as 4-corner polygons) in pydeck's default indented JSON.

    .venv/bin/python bench/bench_map_payload.py [--db PATH] > result.json

JSON on stdout, a summary table on stderr. Not a test.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pydeck as pdk
import shapely
from pyproj import Transformer

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from zorgzaam.demo import DEMO_ELZ_CODE, TOWN_CODE, install_demo  # noqa: E402
from zorgzaam.layers import LAYERS, spatial_deck, spatial_layers  # noqa: E402
from zorgzaam.maps import area_frame, fit_view  # noqa: E402
from zorgzaam.store import Store  # noqa: E402
from zorgzaam.ui.wat_sections import PICKABLE_CELLS  # noqa: E402

_TO_WGS84 = Transformer.from_crs(31370, 4326, always_xy=True)
MARGIN_M = 1500.0


def _wgs84(geoms: np.ndarray) -> np.ndarray:
    return shapely.transform(geoms, lambda c: np.column_stack(_TO_WGS84.transform(c[:, 0], c[:, 1])))


def view_data(store: Store, level: str, code: str) -> dict:
    codes = store.sectors_within(level, [code])
    lam = store.geometries("statsec", codes, display=False)
    geoms = shapely.from_wkb([bytes(g) for g in lam["geometry"]])
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    bbox = (minx - MARGIN_M, miny - MARGIN_M, maxx + MARGIN_M, maxy + MARGIN_M)
    return {
        "codes": codes,
        "sectors_lambert": pd.DataFrame({"code": lam["code"], "name": lam["name"], "geometry": list(geoms)}),
        "sectors_display": area_frame(store, "statsec", codes),
        "features": store.features(bbox=bbox, display=True),
        "stops": store.stops(bbox=bbox),
        "walkability": store.grid_cells(layer="walkability", statsecs=codes),
        "residents": store.grid_cells(layer="inwoners", statsecs=codes),
    }


def app_payload(data: dict) -> tuple[int, float, int]:
    started = time.perf_counter()
    # As the page does: hectare tooltips only while the cells are few.
    pickable = max(len(data["walkability"]), len(data["residents"])) <= PICKABLE_CELLS
    layers = spatial_layers(list(LAYERS), sectors=data["sectors_display"], features=data["features"],
                            stops=data["stops"], walkability=data["walkability"], residents=data["residents"],
                            cells_pickable=pickable)
    deck = spatial_deck(layers, fit_view(data["sectors_display"]))
    text = deck.to_json()
    return len(text.encode()), time.perf_counter() - started, len(layers)


def naive_payload(data: dict) -> tuple[int, float]:
    """Raw GeoJSON of the same objects: no simplification, no rounding, cells as polygons, indented."""
    started = time.perf_counter()
    layers = []
    sectors = data["sectors_lambert"]
    layers.append(pdk.Layer("GeoJsonLayer", id="sectoren", data=json.loads(
        shapely.to_geojson(shapely.GeometryCollection(list(_wgs84(sectors["geometry"].to_numpy())))))))
    feats = data["features"]
    full = _wgs84(shapely.from_wkb([bytes(g) for g in feats["geom_lambert"]]))
    layers.append(pdk.Layer("GeoJsonLayer", id="features", data={
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": json.loads(shapely.to_geojson(g)),
                      "properties": {"name": n, "category": c, "properties": p}}
                     for g, n, c, p in zip(full, feats["name"], feats["category"], feats["properties"])]}))
    stops = data["stops"]
    layers.append(pdk.Layer("GeoJsonLayer", id="stops", data={
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [lo, la]},
                      "properties": {"name": n, "departures_per_hour": None if pd.isna(d) else float(d)}}
                     for lo, la, n, d in zip(stops["lon"], stops["lat"], stops["name"], stops["departures_per_hour"])]}))
    for key in ("walkability", "residents"):
        cells = data[key]
        squares = _wgs84(shapely.box(cells["x"] - 50, cells["y"] - 50, cells["x"] + 50, cells["y"] + 50))
        layers.append(pdk.Layer("GeoJsonLayer", id=key, data={
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "geometry": json.loads(shapely.to_geojson(g)),
                          "properties": {"value": float(v)}} for g, v in zip(squares, cells["value"])]}))
    deck = pdk.Deck(layers=layers, map_provider=None, map_style=None)
    text = deck.to_json()  # pydeck's own, indented JSON
    return len(text.encode()), time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing store (default: a fresh demo store in a temp folder)")
    args = parser.parse_args()
    if args.db:
        store = Store.open(args.db)
    else:
        path = Path(tempfile.mkdtemp(prefix="zorgzaam-payload-")) / "demo.duckdb"
        store = Store.open(path)
        install_demo(store)
    out = {}
    for label, level, code in (("municipality", "gemeente", TOWN_CODE), ("care_zone", "elz", DEMO_ELZ_CODE)):
        data = view_data(store, level, code)
        app_bytes, app_s, n_layers = app_payload(data)
        naive_bytes, naive_s = naive_payload(data)
        out[label] = {
            "area": f"{level} {code}", "sectors": len(data["codes"]), "features": len(data["features"]),
            "stops": len(data["stops"]), "walkability_cells": len(data["walkability"]),
            "resident_cells": len(data["residents"]), "layers": n_layers,
            "app_bytes": app_bytes, "app_seconds": round(app_s, 3),
            "naive_bytes": naive_bytes, "naive_seconds": round(naive_s, 3),
            "ratio_naive_to_app": round(naive_bytes / app_bytes, 2),
        }
    json.dump(out, sys.stdout, indent=2)
    print(file=sys.stderr)
    print(f"{'view':<14}{'objects':>30}{'app JSON':>12}{'naive JSON':>13}{'ratio':>7}", file=sys.stderr)
    for label, r in out.items():
        objects = f"{r['sectors']} sect, {r['features']} feat, {r['walkability_cells']} cells"
        print(f"{label:<14}{objects:>30}{r['app_bytes'] / 1e6:>10.2f}MB{r['naive_bytes'] / 1e6:>11.2f}MB"
              f"{r['ratio_naive_to_app']:>7.1f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
