"""Vector data: GeoJSON, shapefile sets, GeoPackage and SpatiaLite via pyogrio (never reprojected), the EPSG
code of a CRS, and a count of missing, empty and invalid shapes. No Streamlit."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from ..errors import ImportProblem
from .formats import _KIND_NL, sniff
from .shapefiles import SHAPEFILE_PARTS, ShapefileSet, group_shapefiles
from .source import SourceFile, _names_nl

#: EPSG codes accepted from a low-confidence match of a .prj (ESRI WKT); others stay unknown.
KNOWN_EPSG = (31370, 3812, 4326, 3035, 3857, 4258, 4313, 25831, 32631)


@contextlib.contextmanager
def _vector_path(source: SourceFile | ShapefileSet) -> Iterator[Path]:
    if isinstance(source, SourceFile) and source.suffix in SHAPEFILE_PARTS:
        sets, _ = group_shapefiles([source])
        source = sets[0] if sets else ShapefileSet(stem=source.stem, parts={source.suffix: source})
    if isinstance(source, ShapefileSet):
        source.require_complete()
    else:
        kind = sniff(source)
        if kind != "vector":
            raise ImportProblem(
                f"'{source.label}' is geen kaartlaag maar {_KIND_NL[kind]}. Kies een GeoJSON, "
                "shapefile, GeoPackage of SpatiaLite-bestand."
            )
    with source.local_path() as path:
        yield path


def _gdal_problem(label: str, error: Exception) -> ImportProblem:
    return ImportProblem(
        f"'{label}' kon niet gelezen worden als kaartlaag: het bestand is beschadigd, onvolledig of geen geldige "
        "GeoJSON/shapefile/GeoPackage. Download het opnieuw bij de bron.",
        details=[f"Technische melding: {error}"],
    )


def _spatial_layers(path: Path, label: str) -> list[str]:
    import pyogrio

    try:
        layers = pyogrio.list_layers(path)
    except Exception as e:  # pyogrio raises DataSourceError and friends
        raise _gdal_problem(label, e) from e
    return [str(name) for name, geometry_type in layers if geometry_type is not None]


def list_layers(source: SourceFile | ShapefileSet) -> list[str]:
    """Names of the layers with geometry (a GeoPackage may have several; others have one)."""
    with _vector_path(source) as path:
        return _spatial_layers(path, source.label)


def read_vector(source: SourceFile | ShapefileSet, layer: str | None = None) -> gpd.GeoDataFrame:
    """The features of a GeoJSON, shapefile set, GeoPackage or SpatiaLite file, not reprojected.

    The CRS is the file's: a GeoJSON ``crs`` member (Statbel 31370/3812) is honoured, a GeoJSON
    without one is EPSG:4326 (RFC 7946), a shapefile without ``.prj`` has ``crs`` None. When the
    file says degrees but the coordinates cannot be degrees, ``crs`` is set to None (unknown):
    the importer decides. A file with several layers needs ``layer`` (see ``list_layers``).
    Refused: incomplete shapefiles, unreadable files, no layer with geometry, zero features.
    """
    import pyogrio

    label = source.label
    with _vector_path(source) as path:
        layers = _spatial_layers(path, label)
        if layer is None:
            if not layers:
                raise ImportProblem(
                    f"'{label}' bevat geen kaartlaag (geen geometrie). Kies een bestand met gebieden, lijnen of punten."
                )
            if len(layers) > 1:
                raise ImportProblem(
                    f"'{label}' bevat meerdere kaartlagen ({_names_nl(layers)}). Kies welke laag je wilt inlezen.",
                    details=layers,
                )
            layer = layers[0]
        elif layer not in layers:
            raise ImportProblem(
                f"'{label}' heeft geen kaartlaag '{layer}'. Lagen: {_names_nl(layers) or 'geen'}.", details=layers
            )
        try:
            gdf = pyogrio.read_dataframe(path, layer=layer, use_arrow=True)
        except Exception as e:  # noqa: BLE001 - DataSourceError, FieldError, arrow errors …
            raise _gdal_problem(label, e) from e
    try:
        has_geometry = isinstance(gdf, gpd.GeoDataFrame) and gdf.geometry.name in gdf.columns
    except AttributeError:  # a GeoDataFrame without an active geometry column
        has_geometry = False
    if not has_geometry:
        raise ImportProblem(
            f"'{label}' bevat geen kaartvormen (geen geometrie). Kies een bestand met gebieden, lijnen of punten."
        )
    if len(gdf) == 0:
        raise ImportProblem(
            f"'{label}' bevat geen enkel kaartobject (0 features). Kies het bestand met de gebieden "
            "of punten, of exporteer het opnieuw."
        )
    if gdf.crs is not None and gdf.crs.is_geographic:
        valid = gdf.geometry[~(gdf.geometry.isna() | gdf.geometry.is_empty)]
        if len(valid):
            minx, miny, maxx, maxy = valid.total_bounds
            if max(abs(minx), abs(maxx)) > 360.5 or max(abs(miny), abs(maxy)) > 90.5:
                gdf = gdf.set_crs(None, allow_override=True)  # "degrees" of 150000: unknown, not guessed
    return gdf


def crs_epsg(obj: object) -> int | None:
    """The EPSG code of a GeoDataFrame/GeoSeries/CRS/WKT/'EPSG:…' string, or None when unknown.

    An exact match is taken as is. A looser one (ESRI ``.prj`` WKT such as
    ``Belge_Lambert_1972`` with other decimals or swapped standard parallels, or an unnamed WKT)
    only when it is one of ``KNOWN_EPSG``, found by pyproj's identification or by the same
    projection parameters and ellipsoid: a custom projection stays None, never a loose guess.
    Importers should ``gdf.set_crs(code, allow_override=True)`` before reprojecting: a WKT
    without a known datum is otherwise shifted with a ballpark transformation (~100 m off for
    Lambert 72).
    """
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    crs = getattr(obj, "crs", obj)
    if crs is None:
        return None
    try:
        crs = CRS.from_user_input(crs)
    except (CRSError, TypeError, ValueError):
        return None
    code = crs.to_epsg()
    if code is not None:
        return int(code)
    loose = crs.to_epsg(min_confidence=25)
    if loose in KNOWN_EPSG:
        return int(loose)
    return _epsg_by_parameters(crs)


_LINEAR_PARAMS = ("x_0", "y_0")
_ANGULAR_PARAMS = ("lat_0", "lon_0", "lat_ts", "k", "k_0")


def _projection_parameters(crs) -> dict | None:
    import warnings

    if not crs.is_projected or crs.ellipsoid is None:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "you will likely lose important projection information"
        d = crs.to_dict()
    if not d.get("proj"):
        return None
    out = {
        "proj": d["proj"],
        "a": crs.ellipsoid.semi_major_metre,
        "rf": crs.ellipsoid.inverse_flattening,
        "parallels": sorted(float(d[k]) for k in ("lat_1", "lat_2") if k in d),
    }
    out.update({k: float(d.get(k, 0.0)) for k in _LINEAR_PARAMS + _ANGULAR_PARAMS})
    if out["k"] == 0.0 and out["k_0"] != 0.0:
        out["k"] = out["k_0"]
    return out


def _epsg_by_parameters(crs) -> int | None:
    """A known projected EPSG code whose projection, parameters and ellipsoid match ``crs``."""
    from pyproj import CRS

    mine = _projection_parameters(crs)
    if mine is None:
        return None
    for code in KNOWN_EPSG:
        known = _projection_parameters(CRS.from_epsg(code))
        if (
            known is None
            or known["proj"] != mine["proj"]
            or len(known["parallels"]) != len(mine["parallels"])
            or abs(known["a"] - mine["a"]) > 0.01
            or abs(known["rf"] - mine["rf"]) > 1e-6
        ):
            continue
        if (
            all(abs(known[k] - mine[k]) <= 0.05 for k in _LINEAR_PARAMS)
            and all(abs(known[k] - mine[k]) <= 1e-6 for k in _ANGULAR_PARAMS)
            and all(abs(a - b) <= 1e-6 for a, b in zip(known["parallels"], mine["parallels"]))
        ):
            return code
    return None


@dataclass(frozen=True)
class GeometryReport:
    """Counts of shapes that an importer may have to refuse or repair."""

    n_features: int
    n_null: int  # no geometry at all
    n_empty: int  # a geometry without coordinates
    n_invalid: int  # self-intersections and the like (among the non-null, non-empty ones)

    @property
    def ok(self) -> bool:
        return self.n_null == 0 and self.n_empty == 0 and self.n_invalid == 0


def geometry_report(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> GeometryReport:
    """How many geometries are missing, empty or invalid (the importer decides what is fatal)."""
    geoms = gdf.geometry if isinstance(gdf, gpd.GeoDataFrame) else gdf
    raw = np.asarray(geoms.values, dtype=object)
    null = shapely.is_missing(raw)
    empty = shapely.is_empty(raw) & ~null
    present = ~null & ~empty
    invalid = present & ~shapely.is_valid(raw)
    return GeometryReport(
        n_features=len(raw), n_null=int(null.sum()), n_empty=int(empty.sum()), n_invalid=int(invalid.sum())
    )
