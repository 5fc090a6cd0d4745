"""Geometry conversions shared by the demo and the importers: Lambert 72 for work, EPSG:4326 for display."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

__all__ = [
    "DISPLAY",
    "DISPLAY_TOLERANCE_M",
    "LAMBERT",
    "display_wkb",
    "dissolve",
    "lambert_to_wgs84",
    "simplify_in_groups",
    "simplify_lambert",
    "wgs84_wkb",
]

LAMBERT = 31370
DISPLAY = 4326
# Display copies are simplified to this tolerance (metres, Lambert) before reprojection: maps stay light.
DISPLAY_TOLERANCE_M = 5.0

_TO_WGS84 = Transformer.from_crs(LAMBERT, DISPLAY, always_xy=True)


def lambert_to_wgs84(geoms: np.ndarray) -> np.ndarray:
    return shapely.transform(geoms, lambda c: np.column_stack(_TO_WGS84.transform(c[:, 0], c[:, 1])))


def simplify_lambert(geoms: Sequence, coverage: bool) -> np.ndarray:
    """Lambert geometries simplified for display (``DISPLAY_TOLERANCE_M``).

    ``coverage``: the polygons tile an area (sectors of a municipality), so they are simplified
    together and keep shared edges without gaps or slivers.
    """
    arr = np.array(list(geoms), dtype=object)
    if coverage and len(arr) > 1:
        return shapely.coverage_simplify(arr, DISPLAY_TOLERANCE_M)
    return shapely.simplify(arr, DISPLAY_TOLERANCE_M, preserve_topology=True)


def simplify_in_groups(geoms: np.ndarray, groups: Sequence | None) -> np.ndarray:
    """``simplify_lambert`` as a coverage per group (e.g. per municipality).

    Coverage simplification grows faster than linearly (Flanders' 9,845 sectors at once: ~30 s;
    per municipality: ~3 s). Edges inside a group stay shared; a border between two groups is
    simplified on each side, which can leave differences below the 5 m tolerance, invisible on a map.
    """
    if groups is None:
        return simplify_lambert(geoms, coverage=True)
    out = np.empty(len(geoms), dtype=object)
    keys = pd.Series(list(groups)).fillna("")
    for _, index in keys.groupby(keys).indices.items():
        out[index] = simplify_lambert(geoms[index], coverage=True)
    return out


def wgs84_wkb(geoms: Sequence) -> list[bytes]:
    """WKB of EPSG:4326 copies of Lambert geometries."""
    return list(shapely.to_wkb(lambert_to_wgs84(np.array(list(geoms), dtype=object))))


def display_wkb(geoms: Sequence, coverage: bool) -> list[bytes]:
    """WKB of simplified EPSG:4326 copies of Lambert geometries (see ``simplify_lambert``)."""
    return wgs84_wkb(simplify_lambert(geoms, coverage))


def dissolve(parts: Sequence):
    """The union of polygons that tile an area (a municipality from its sectors).

    ``coverage_union_all`` is many times faster than a general union, but only right for a true
    coverage; when its result is not valid (overlapping input), the general union is used.
    """
    arr = np.array(list(parts), dtype=object)
    merged = shapely.coverage_union_all(arr)
    return merged if shapely.is_valid(merged) else shapely.union_all(arr)
