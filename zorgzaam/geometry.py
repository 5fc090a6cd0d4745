"""Geometry conversions shared by the demo and the importers: Lambert 72 for work, EPSG:4326 for display."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from pyproj import Transformer

LAMBERT = 31370
DISPLAY = 4326
# Display copies are simplified to this tolerance (metres, Lambert) before reprojection: maps stay light.
DISPLAY_TOLERANCE_M = 5.0

_TO_WGS84 = Transformer.from_crs(LAMBERT, DISPLAY, always_xy=True)


def lambert_to_wgs84(geoms: np.ndarray) -> np.ndarray:
    return shapely.transform(geoms, lambda c: np.column_stack(_TO_WGS84.transform(c[:, 0], c[:, 1])))


def display_wkb(geoms: Sequence, coverage: bool) -> list[bytes]:
    """WKB of simplified EPSG:4326 copies of Lambert geometries.

    ``coverage``: the polygons tile an area (sectors of a municipality), so they are simplified
    together and keep shared edges without gaps or slivers.
    """
    arr = np.array(list(geoms), dtype=object)
    if coverage and len(arr) > 1:
        simple = shapely.coverage_simplify(arr, DISPLAY_TOLERANCE_M)
    else:
        simple = shapely.simplify(arr, DISPLAY_TOLERANCE_M, preserve_topology=True)
    return list(shapely.to_wkb(lambert_to_wgs84(simple)))
