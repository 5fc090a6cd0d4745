"""How much map data goes to the browser: the "Wat is er?" map for one municipality and one care zone.

Builds the page's deck (every layer on) from a demo store and measures the JSON
``st.pydeck_chart`` sends, against the naive way: the same features as raw
GeoJSON (unsimplified Lambert geometry converted to EPSG:4326, full float
precision, hectare cells as 4-corner polygons) in pydeck's default indented JSON.

    .venv/bin/python bench/bench_map_payload.py [--db PATH] [--baseline REV] > result.json

``--baseline REV`` also builds the same deck with ``zorgzaam/layers.py`` of that git revision (before and
after in one run, on the same data).

JSON on stdout, a summary table on stderr. Not a test.
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import json
import subprocess
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
from zorgzaam import layers as current_layers  # noqa: E402
from zorgzaam.layers import LAYERS  # noqa: E402
from zorgzaam.maps import area_frame, fit_view  # noqa: E402
from zorgzaam.store import Store  # noqa: E402

_TO_WGS84 = Transformer.from_crs(31370, 4326, always_xy=True)
MARGIN_M = 1500.0
# Until the hectare rasters became images, the page left the cells' tooltips out above this many cells.
OLD_PICKABLE_CELLS = 10_000


def load_layers_module(revision: str):
    """``zorgzaam/layers.py`` of another git revision, as the module ``zorgzaam._layers_baseline``."""
    text = subprocess.run(
        ["git", "show", f"{revision}:zorgzaam/layers.py"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    path = Path(tempfile.mkdtemp(prefix="zorgzaam-layers-")) / "layers_baseline.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location("zorgzaam._layers_baseline", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


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
        "facilities": store.grid_cells(layer="voorzieningenniveau", statsecs=codes),
    }


def app_payload(data: dict, module=current_layers) -> tuple[int, float, int, int]:
    """The page's deck with every layer on: bytes of its JSON, seconds, layers, bytes of the hectare layers."""
    started = time.perf_counter()
    kwargs = {}
    if "cells_pickable" in inspect.signature(module.spatial_layers).parameters:
        # The old page: hectare tooltips only while the cells were few.
        kwargs["cells_pickable"] = (
            max(len(data["walkability"]), len(data["residents"]), len(data["facilities"])) <= OLD_PICKABLE_CELLS
        )
    layers = module.spatial_layers(
        list(LAYERS),
        sectors=data["sectors_display"],
        features=data["features"],
        stops=data["stops"],
        walkability=data["walkability"],
        residents=data["residents"],
        facilities=data["facilities"],
        **kwargs,
    )
    deck = module.spatial_deck(layers, fit_view(data["sectors_display"]))
    text = deck.to_json()
    seconds = time.perf_counter() - started
    cells = [x for x in layers if x.id.split("-")[0] in ("walkability", "inwoners", "voorzieningenniveau")]
    cell_bytes = len(module.spatial_deck(cells, fit_view(data["sectors_display"])).to_json().encode())
    return len(text.encode()), seconds, len(layers), cell_bytes


def naive_payload(data: dict) -> tuple[int, float]:
    """Raw GeoJSON of the same objects: no simplification, no rounding, cells as polygons, indented."""
    started = time.perf_counter()
    layers = []
    sectors = data["sectors_lambert"]
    layers.append(
        pdk.Layer(
            "GeoJsonLayer",
            id="sectoren",
            data=json.loads(
                shapely.to_geojson(shapely.GeometryCollection(list(_wgs84(sectors["geometry"].to_numpy()))))
            ),
        )
    )
    feats = data["features"]
    full = _wgs84(shapely.from_wkb([bytes(g) for g in feats["geom_lambert"]]))
    layers.append(
        pdk.Layer(
            "GeoJsonLayer",
            id="features",
            data={
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": json.loads(shapely.to_geojson(g)),
                        "properties": {"name": n, "category": c, "properties": p},
                    }
                    for g, n, c, p in zip(full, feats["name"], feats["category"], feats["properties"])
                ],
            },
        )
    )
    stops = data["stops"]
    layers.append(
        pdk.Layer(
            "GeoJsonLayer",
            id="stops",
            data={
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [lo, la]},
                        "properties": {"name": n, "departures_per_hour": None if pd.isna(d) else float(d)},
                    }
                    for lo, la, n, d in zip(stops["lon"], stops["lat"], stops["name"], stops["departures_per_hour"])
                ],
            },
        )
    )
    for key in ("walkability", "residents"):
        cells = data[key]
        squares = _wgs84(shapely.box(cells["x"] - 50, cells["y"] - 50, cells["x"] + 50, cells["y"] + 50))
        layers.append(
            pdk.Layer(
                "GeoJsonLayer",
                id=key,
                data={
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "type": "Feature",
                            "geometry": json.loads(shapely.to_geojson(g)),
                            "properties": {"value": float(v)},
                        }
                        for g, v in zip(squares, cells["value"])
                    ],
                },
            )
        )
    deck = pdk.Deck(layers=layers, map_provider=None, map_style=None)
    text = deck.to_json()  # pydeck's own, indented JSON
    return len(text.encode()), time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing store (default: a fresh demo store in a temp folder)")
    parser.add_argument("--baseline", metavar="REV", help="also measure zorgzaam/layers.py of this git revision")
    args = parser.parse_args()
    baseline = load_layers_module(args.baseline) if args.baseline else None
    if args.db:
        store = Store.open(args.db)
    else:
        path = Path(tempfile.mkdtemp(prefix="zorgzaam-payload-")) / "demo.duckdb"
        store = Store.open(path)
        install_demo(store)
    out = {}
    for label, level, code in (("municipality", "gemeente", TOWN_CODE), ("care_zone", "elz", DEMO_ELZ_CODE)):
        data = view_data(store, level, code)
        app_payload(data)  # warm-up: imports, PROJ and GDAL set-up
        app_bytes, app_s, n_layers, cell_bytes = app_payload(data)
        naive_bytes, naive_s = naive_payload(data)
        out[label] = {
            "area": f"{level} {code}",
            "sectors": len(data["codes"]),
            "features": len(data["features"]),
            "stops": len(data["stops"]),
            "walkability_cells": len(data["walkability"]),
            "resident_cells": len(data["residents"]),
            "facilities_cells": len(data["facilities"]),
            "layers": n_layers,
            "app_bytes": app_bytes,
            "app_hectare_bytes": cell_bytes,
            "app_seconds": round(app_s, 3),
            "naive_bytes": naive_bytes,
            "naive_seconds": round(naive_s, 3),
            "ratio_naive_to_app": round(naive_bytes / app_bytes, 2),
        }
        if baseline is not None:
            app_payload(data, baseline)
            before_bytes, before_s, before_layers, before_cells = app_payload(data, baseline)
            out[label]["baseline"] = {
                "revision": args.baseline,
                "app_bytes": before_bytes,
                "app_hectare_bytes": before_cells,
                "app_seconds": round(before_s, 3),
                "layers": before_layers,
                "ratio_baseline_to_app": round(before_bytes / app_bytes, 2),
            }
    json.dump(out, sys.stdout, indent=2)
    print(file=sys.stderr)
    print(
        f"{'view':<14}{'objects':>30}{'app JSON':>12}{'hectares':>11}{'naive JSON':>13}{'ratio':>7}{'baseline':>11}",
        file=sys.stderr,
    )
    for label, r in out.items():
        objects = f"{r['sectors']} sect, {r['features']} feat, {r['walkability_cells']} cells"
        before = f"{r['baseline']['app_bytes'] / 1e6:>9.2f}MB" if "baseline" in r else ""
        print(
            f"{label:<14}{objects:>30}{r['app_bytes'] / 1e6:>10.3f}MB{r['app_hectare_bytes'] / 1e6:>9.3f}MB"
            f"{r['naive_bytes'] / 1e6:>11.2f}MB{r['ratio_naive_to_app']:>7.1f}{before}",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
