"""Amenities (voorzieningen) as points or polygons: OpenStreetMap extracts and official lists (dataformats.md §7).

Everything is written as features of layer ``"voorziening"`` with one of
``access.AMENITY_CATEGORIES`` as category; ``access.amenity_points`` takes a point on the surface
of a polygon (a park stays a polygon here).

Inputs:

* **OSM vector files** (GeoJSON, GeoPackage, Geofabrik shapefile): the OSM tags as columns
  (``amenity``, ``shop``, ``healthcare``, ``leisure`` …), the recommended ``key``/``value``
  columns, GDAL's ``other_tags`` (hstore) or a ``tags`` object, or Geofabrik's ``fclass``;
* **OSM JSON**: an Overpass answer (``elements`` with ``lat``/``lon`` or ``center`` and
  ``tags``), a GeoJSON FeatureCollection saved as .json, or the plain pharmacy list of
  jy95/pharmacies_BE (``name[]``, ``geo{latitude, longitude}``: every entry is ``amenity=pharmacy``);
* **tables with coordinates**: lon/lat columns (WGS84) or X/Y columns whose CRS is named in the
  header ("X (Lambert 2008)", "x_lambert72", "x_31370" …) or given by the caller. The category
  comes from tag columns, from the caller (``category=``) or from a recognised layout: the
  FAGG/AFMPS list of public pharmacies → ``apotheek``. The iRail list of railway stations is
  recognised and refused: a station is no category of the basic basket (``AMENITY_CATEGORIES``).

Mapping (``OSM_TAG_MAPPING``, overridden by the werkgroep's remembered choices in the store and per
call): a key ``"tag=value"`` (or a bare Geofabrik
``fclass`` value) → category. A row's tags are tried in the order of ``TAG_KEYS`` and the first
mapped one wins; rows none of whose tags is mapped are not imported and counted in the preview
("Niet gekoppeld: shop=florist (12) …") by their first tag.

Rules: rows without coordinates or outside Belgium's box are left out (warning); duplicate feature
ids keep the first (warning); names from ``name``/``naam``/``Name`` (or the pharmacy list's name
object); ``properties`` holds ``bron`` (the source), ``tag`` (the OSM tag that decided the
category, when there is one) and a few useful attributes (address, opening hours, status).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from pathlib import PurePosixPath

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..access import AMENITY_CATEGORIES, CATEGORY_LABELS
from ..formatting import format_number
from ..store import Store
from . import files
from .core import ImportPlan, Preview
from .errors import ImportProblem

__all__ = [
    "BELGIUM_LONLAT",
    "KIND",
    "LAYER",
    "OSM_TAG_MAPPING",
    "TAG_KEYS",
    "category_counts",
    "dataset_id_for",
    "effective_mapping",
    "plan_json",
    "plan_points",
    "recognise_json",
    "recognise_points",
    "table_points",
    "tag_counts",
]

KIND = "voorzieningen"
LAYER = "voorziening"

#: Belgium in WGS84 (lon_min, lat_min, lon_max, lat_max), with a small margin (as transit.py).
BELGIUM_LONLAT = (2.5, 49.45, 6.45, 51.55)

#: Default OSM tag → category. Keys "tag=value" for OSM tags, bare values for Geofabrik's ``fclass``.
#: Deliberately left out (no basket category): amenity=library, railway=station, amenity=marketplace,
#: healthcare=* other than doctor/pharmacy, amenity=place_of_worship. Override per call with ``mapping``.
OSM_TAG_MAPPING: dict[str, str] = {
    # Food shops
    "shop=supermarket": "supermarkt",
    "shop=convenience": "voedingswinkel",
    "shop=greengrocer": "voedingswinkel",
    "shop=bakery": "bakker",
    "shop=butcher": "slager",
    # Care
    "amenity=pharmacy": "apotheek",
    "healthcare=pharmacy": "apotheek",
    "amenity=doctors": "huisarts",
    "healthcare=doctor": "huisarts",
    "amenity=nursing_home": "woonzorgcentrum",
    "social_facility=nursing_home": "woonzorgcentrum",
    # Services
    "amenity=school": "school",
    "amenity=post_office": "post",
    "amenity=bank": "bank",
    "amenity=atm": "bank",
    # A Flemish lokaal dienstencentrum is usually tagged community_centre (dataformats.md §7.2);
    # not every community centre is one, so check the preview.
    "amenity=community_centre": "lokaal_dienstencentrum",
    # Rest and green
    "amenity=bench": "zitbank",
    "amenity=toilets": "openbaar_toilet",
    "leisure=park": "groen",
    # Geofabrik free shapefiles (fclass)
    "supermarket": "supermarkt",
    "convenience": "voedingswinkel",
    "greengrocer": "voedingswinkel",
    "bakery": "bakker",
    "butcher": "slager",
    "pharmacy": "apotheek",
    "doctors": "huisarts",
    "nursing_home": "woonzorgcentrum",
    "school": "school",
    "post_office": "post",
    "bank": "bank",
    "atm": "bank",
    "community_centre": "lokaal_dienstencentrum",
    "bench": "zitbank",
    "toilet": "openbaar_toilet",
    "park": "groen",
}

#: OSM keys looked at, in this order: the first tag of a row that is mapped decides its category.
TAG_KEYS: tuple[str, ...] = (
    "amenity",
    "shop",
    "healthcare",
    "social_facility",
    "leisure",
    "railway",
    "public_transport",
    "highway",
    "tourism",
    "office",
    "craft",
    "landuse",
    "building",
)

_CRS_LABELS = {31370: "EPSG:31370 (Lambert 72)", 3812: "EPSG:3812 (Lambert 2008)", 4326: "EPSG:4326 (WGS84)"}
_MAX_LISTED = 20
_ID_COLUMNS = ("osm_id", "@id", "id", "osmid", "feature_id", "fid")
_NAME_WORDS = ("name", "naam", "nom", "benaming")
_EXTRA_PROPS = {
    "opening_hours": "opening_hours",
    "wheelchair": "wheelchair",
    "addr:street": "straat",
    "addr:housenumber": "huisnummer",
    "addr:postcode": "postcode",
    "addr:city": "gemeente",
    "adres": "adres",
    "postcode": "postcode",
    "gemeente": "gemeente",
    "status": "status",
}
_LON_NAMES = ("longitude", "lon", "lng", "long", "lengtegraad", "stop_lon", "@lon", "x_wgs84", "lon_wgs84")
_LAT_NAMES = ("latitude", "lat", "breedtegraad", "stop_lat", "@lat", "y_wgs84", "lat_wgs84")
_CRS_WORDS = (
    (3812, re.compile(r"lambert\s*_?-?2008|3812|lb08")),
    (31370, re.compile(r"lambert\s*_?-?72|31370|lb72")),
    (4326, re.compile(r"wgs\s*84|4326")),
)


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def _norm(col: object) -> str:
    """A column name for matching: lower case, line breaks (and Excel's _x000D_) as spaces."""
    text = str(col).replace("_x000D_", " ").replace("_x000d_", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


def _first_word(col: object) -> str:
    return re.split(r"[\s(/]", _norm(col), maxsplit=1)[0]


def _column(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    by_norm = {_norm(c): c for c in frame.columns}
    return next((by_norm[n] for n in names if n in by_norm), None)


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:_MAX_LISTED])
    return shown + (f" … en {format_number(len(items) - _MAX_LISTED)} meer" if len(items) > _MAX_LISTED else "")


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def dataset_id_for(file_name: str) -> str:
    """``voorzieningen-<stem>``: the stem in lower case, other characters than a-z0-9 as '-'."""
    stem = PurePosixPath(file_name.split(" [", 1)[0]).stem.lower()
    slug = re.sub(r"[^a-z0-9]+", "-", stem).strip("-") or "bestand"
    return f"{KIND}-{slug}"


def effective_mapping(mapping: Mapping[str, str | None] | None) -> dict[str, str]:
    """``OSM_TAG_MAPPING`` with ``mapping`` laid over it; a value None or "" removes a key."""
    merged: dict[str, str | None] = {**OSM_TAG_MAPPING, **(dict(mapping) if mapping else {})}
    bad = sorted({str(v) for v in merged.values() if v and v not in AMENITY_CATEGORIES})
    if bad:
        raise ImportProblem(
            f"Onbekende categorie in de koppeling: {', '.join(bad)}. Kies uit: {', '.join(AMENITY_CATEGORIES)}."
        )
    return {str(k).strip(): v for k, v in merged.items() if v}


# --------------------------------------------------------------------------------------------
# Recognising files
# --------------------------------------------------------------------------------------------


def _is_afmps(frame: pd.DataFrame) -> bool:
    words = {_first_word(c) for c in frame.columns}
    norms = [_norm(c) for c in frame.columns]
    return "vergunningsnummer" in words and any(n.startswith("x (lambert 2008") for n in norms)


def _is_irail(frame: pd.DataFrame) -> bool:
    norms = {_norm(c) for c in frame.columns}
    if not {"uri", "longitude", "latitude"} <= norms:
        return False
    uri = frame[_column(frame, ("uri",))].astype(str)
    return bool(len(uri)) and bool(uri.head(20).str.contains("irail.be/stations", regex=False).any())


def _tag_columns(frame: pd.DataFrame) -> list[str]:
    norms = {_norm(c) for c in frame.columns}
    return [k for k in TAG_KEYS if k in norms]


def _has_tags(frame: pd.DataFrame) -> bool:
    norms = {_norm(c) for c in frame.columns}
    return bool(
        {"fclass", "other_tags", "tags"} & norms
        or {"key", "value"} <= norms
        or {"amenity", "shop", "healthcare", "leisure"} & norms
    )


def recognise_points(frame: pd.DataFrame) -> str | None:
    """Which known amenity layout ``frame`` is, or None.

    ``"afmps"`` (FAGG/AFMPS list of public pharmacies), ``"irail"`` (iRail railway stations),
    ``"geofabrik"`` (a ``fclass`` column), ``"osm"`` (OSM tags as columns, ``key``/``value``,
    ``other_tags`` or ``tags``). A table (no geometry) only counts when it also has coordinates.
    """
    if frame is None or not len(frame.columns):
        return None
    if _is_afmps(frame):
        return "afmps"
    if _is_irail(frame):
        return "irail"
    has_geometry = isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns
    if not has_geometry and _coordinate_columns(frame) is None:
        return None
    norms = {_norm(c) for c in frame.columns}
    if "fclass" in norms:
        return "geofabrik"
    if _has_tags(frame):
        return "osm"
    return None


def recognise_json(obj: object) -> str | None:
    """``"pharmacies-be"`` (jy95/pharmacies_BE list), ``"overpass"`` or ``"geojson"``; None otherwise."""
    if isinstance(obj, list) and obj and all(isinstance(o, dict) for o in obj[:50]):
        sample = obj[:50]
        if all(isinstance(o.get("geo"), dict) and "latitude" in o["geo"] for o in sample) and any(
            "name" in o for o in sample
        ):
            return "pharmacies-be"
    if isinstance(obj, dict):
        if isinstance(obj.get("elements"), list):
            return "overpass"
        if obj.get("type") == "FeatureCollection" and isinstance(obj.get("features"), list):
            return "geojson"
    return None


# --------------------------------------------------------------------------------------------
# Coordinates
# --------------------------------------------------------------------------------------------


def _coordinate_columns(frame: pd.DataFrame) -> tuple[str, str, int | None] | None:
    """(x column, y column, EPSG or None when the header does not say) of a table."""
    lon, lat = _column(frame, _LON_NAMES), _column(frame, _LAT_NAMES)
    if lon is not None and lat is not None:
        return lon, lat, 4326
    xs = [c for c in frame.columns if re.match(r"^(x|x[ _-]?coord\w*|coord\w*[ _-]?x)(\b|[ _(])", _norm(c))]
    ys = [c for c in frame.columns if re.match(r"^(y|y[ _-]?coord\w*|coord\w*[ _-]?y)(\b|[ _(])", _norm(c))]
    if not xs or not ys:
        return None
    x, y = xs[0], ys[0]
    for code, pattern in _CRS_WORDS:
        if pattern.search(_norm(x)) and pattern.search(_norm(y)):
            return x, y, code
    return x, y, None


def _numbers(values: pd.Series) -> np.ndarray:
    text = values.map(_text).str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)


def table_points(frame: pd.DataFrame, crs: int | str | None = None) -> tuple[gpd.GeoSeries, int]:
    """The points of a table with coordinate columns (EPSG of the columns; NaN rows give None).

    ``crs`` (an EPSG code or "EPSG:…") is the caller's statement of the CRS of X/Y columns;
    it is needed when the header does not name it.
    """
    found = _coordinate_columns(frame)
    if found is None:
        raise ImportProblem(
            "Deze tabel heeft geen coördinaten: zorgzaam zoekt kolommen lengte/breedte (longitude, "
            "latitude, lon, lat) of X en Y. Voeg ze toe of kies een bestand met ligging."
        )
    xcol, ycol, code = found
    if crs is not None:
        stated = files.crs_epsg(f"EPSG:{crs}" if isinstance(crs, int) or str(crs).isdigit() else crs)
        if stated is None:
            raise ImportProblem(
                f"Het opgegeven coördinatenstelsel '{crs}' is onbekend. Geef een EPSG-code, bv. "
                "31370 (Lambert 72) of 3812 (Lambert 2008)."
            )
        code = stated if code is None or code != 4326 else code
    if code is None:
        raise ImportProblem(
            f"Het coördinatenstelsel van de kolommen '{_norm(xcol)}' en '{_norm(ycol)}' is onbekend. "
            "Zet het in de kolomnaam (bv. 'X (Lambert 72)' of 'X (Lambert 2008)') of kies het "
            "coördinatenstelsel bij het importeren (31370 = Lambert 72, 3812 = Lambert 2008)."
        )
    x, y = _numbers(frame[xcol]), _numbers(frame[ycol])
    ok = np.isfinite(x) & np.isfinite(y)
    geoms = np.full(len(frame), None, dtype=object)
    geoms[ok] = shapely.points(x[ok], y[ok])
    return gpd.GeoSeries(geoms, index=frame.index, crs=f"EPSG:{code}"), code


def _vector_geometry(gdf: gpd.GeoDataFrame) -> tuple[gpd.GeoSeries, int]:
    code = files.crs_epsg(gdf)
    if code is None:
        raise ImportProblem(
            "Het coördinatenstelsel van deze laag is onbekend. Laad het .prj-bestand mee op, of "
            "bewaar de laag in EPSG:4326 (WGS84) of EPSG:31370 (Lambert 72)."
        )
    geoms = gdf.geometry.set_crs(code, allow_override=True)
    geoms = geoms.where(geoms.notna() & ~geoms.is_empty, None)
    return geoms, code


# --------------------------------------------------------------------------------------------
# Tags
# --------------------------------------------------------------------------------------------

_HSTORE = re.compile(r'"((?:[^"\\]|\\.)*)"\s*=>\s*"((?:[^"\\]|\\.)*)"')


def _row_tags(frame: pd.DataFrame) -> list[list[str]]:
    """Per row the candidate keys "tag=value" (and fclass values), in priority order."""
    by_norm = {_norm(c): c for c in frame.columns}
    n = len(frame)
    out: list[list[str]] = [[] for _ in range(n)]
    if "fclass" in by_norm:
        for i, v in enumerate(frame[by_norm["fclass"]].map(_text)):
            if v:
                out[i].append(v)
    extra: list[dict[str, str]] = [{} for _ in range(n)]
    if "key" in by_norm and "value" in by_norm:
        for i, (k, v) in enumerate(zip(frame[by_norm["key"]].map(_text), frame[by_norm["value"]].map(_text))):
            if k and v:
                extra[i][k] = v
    if "other_tags" in by_norm:
        for i, raw in enumerate(frame[by_norm["other_tags"]].map(_text)):
            extra[i].update(dict(_HSTORE.findall(raw)))
    if "tags" in by_norm:
        for i, raw in enumerate(frame[by_norm["tags"]]):
            if isinstance(raw, str) and raw.strip().startswith("{"):
                try:
                    raw = json.loads(raw)
                except json.JSONDecodeError:
                    raw = None
            if isinstance(raw, dict):
                extra[i].update({str(k): _text(v) for k, v in raw.items()})
    columns = {k: frame[by_norm[k]].map(_text).to_numpy() for k in TAG_KEYS if k in by_norm}
    for i in range(n):
        for k in TAG_KEYS:
            v = columns[k][i] if k in columns else extra[i].get(k, "")
            if v:
                out[i].append(f"{k}={v}")
        for k, v in extra[i].items():
            if k not in TAG_KEYS and v:
                out[i].append(f"{k}={v}")
    return out


def _categorise(tags: list[list[str]], mapping: dict[str, str]) -> tuple[list[str | None], list[str | None]]:
    """Per row (category or None, the deciding tag or — when unmapped — the first tag, or None)."""
    cats: list[str | None] = []
    used: list[str | None] = []
    for row in tags:
        hit = next((t for t in row if t in mapping), None)
        cats.append(mapping[hit] if hit else None)
        used.append(hit if hit else (row[0] if row else None))
    return cats, used


# --------------------------------------------------------------------------------------------
# Planning
# --------------------------------------------------------------------------------------------


def _names(frame: pd.DataFrame) -> np.ndarray:
    col = _column(frame, _NAME_WORDS)
    if col is None:
        col = next((c for c in frame.columns if _first_word(c) in _NAME_WORDS), None)
    if col is None:
        return np.full(len(frame), "", dtype=object)
    return frame[col].map(_text).to_numpy(dtype=object)


def _ids(frame: pd.DataFrame, prefix: str) -> np.ndarray:
    col = _column(frame, _ID_COLUMNS)
    if col is None:
        col = next((c for c in frame.columns if _first_word(c) == "vergunningsnummer"), None)
    if col is not None:
        ids = frame[col].map(_text).to_numpy(dtype=object)
        type_col = _column(frame, ("osm_type",))
        if type_col is not None and _norm(col) in ("osm_id", "id"):
            kinds = frame[type_col].map(_text).to_numpy(dtype=object)
            ids = np.array([f"{k}/{i}" if k and i and "/" not in i else i for k, i in zip(kinds, ids)], dtype=object)
        missing = ids == ""
        if missing.any():
            ids[missing] = [f"{prefix}-{k + 1}" for k in np.flatnonzero(missing)]
        return ids
    return np.array([f"{prefix}-{k + 1}" for k in range(len(frame))], dtype=object)


def _properties(frame: pd.DataFrame, source: str, used: list[str | None]) -> list[str]:
    cols = {}
    for c in frame.columns:
        n = _norm(c)
        key = _EXTRA_PROPS.get(n) or _EXTRA_PROPS.get(_first_word(c))
        if key and key not in cols and c != getattr(frame, "_geometry_column_name", None):
            cols[key] = frame[c].map(_text).to_numpy(dtype=object)
    out = []
    for i in range(len(frame)):
        props = {"bron": source}
        if used[i]:
            props["tag"] = used[i]
        props.update({k: v[i] for k, v in cols.items() if v[i]})
        out.append(json.dumps(props, ensure_ascii=False))
    return out


def _build(
    frame: pd.DataFrame,
    geoms: gpd.GeoSeries,
    code: int,
    *,
    file_names: list[str],
    source: str,
    description: str,
    categories: list[str | None],
    used: list[str | None],
    id_prefix: str,
    notes: list[str] | None = None,
    dataset_id: str | None = None,
) -> ImportPlan:
    rows = len(frame)
    label = file_names[0] if file_names else "bestand"
    warnings: list[str] = []
    notes = list(notes or [])
    cats = pd.Series(categories, index=frame.index, dtype=object)
    mapped = cats.notna().to_numpy()
    unmapped = Counter(t if t else "zonder herkenbare tag" for t, c in zip(used, categories) if c is None)
    unmapped_text = ", ".join(f"{t} ({format_number(n)})" for t, n in unmapped.most_common(_MAX_LISTED))
    if len(unmapped) > _MAX_LISTED:
        unmapped_text += f" … en {format_number(len(unmapped) - _MAX_LISTED)} andere"
    if not mapped.any():
        raise ImportProblem(
            f"Geen enkele rij van {label} kon aan een soort voorziening gekoppeld worden"
            + (f" (niet gekoppeld: {unmapped_text})" if unmapped else "")
            + f". Kies per OSM-tag een categorie ({', '.join(AMENITY_CATEGORIES)}) of kies een ander bestand."
        )
    ids = _ids(frame, id_prefix)
    names = _names(frame)
    props = _properties(frame, source, used)
    present = geoms.notna().to_numpy()
    lonlat = geoms[present].to_crs(4326) if code != 4326 else geoms[present]
    inside = np.zeros(rows, dtype=bool)
    if present.any():
        pts = shapely.point_on_surface(np.asarray(lonlat.values, dtype=object))
        x0, y0, x1, y1 = BELGIUM_LONLAT
        lx, ly = shapely.get_x(pts), shapely.get_y(pts)
        inside[present] = (lx >= x0) & (lx <= x1) & (ly >= y0) & (ly <= y1)
    # A row without coordinates with at most one filled cell is a footnote or an empty row (the AFMPS
    # list ends with one), not a missing amenity.
    filled = frame.apply(lambda col: col.map(_text) != "").sum(axis=1).to_numpy() if rows else np.zeros(0)
    footnote = ~present & (filled <= 1)
    if footnote.any():
        notes.append(f"Lege rijen of voetnoten overgeslagen: {format_number(int(footnote.sum()))}")
    keep = mapped & inside
    no_coords = mapped & ~present & ~footnote
    outside = mapped & present & ~inside
    if mapped.any() and not keep.any():
        raise ImportProblem(
            f"Geen enkele voorziening van {label} ligt in België: de coördinaten ontbreken of het "
            "coördinatenstelsel klopt niet. Controleer de kolommen en het coördinatenstelsel."
        )
    if no_coords.any():
        warnings.append(
            f"{format_number(int(no_coords.sum()))} voorzieningen zonder ligging weggelaten: "
            + _listed([_short(f"{i} {n}") for i, n in zip(ids[no_coords], names[no_coords])])
        )
    if outside.any():
        warnings.append(
            f"{format_number(int(outside.sum()))} voorzieningen buiten België weggelaten: "
            + _listed([_short(n or i) for i, n in zip(ids[outside], names[outside])])
        )
    dupes = pd.Series(ids).duplicated().to_numpy() & keep
    if dupes.any():
        warnings.append(
            f"{format_number(int(dupes.sum()))} dubbele nummers: alleen de eerste is bewaard ("
            + _listed(sorted(set(ids[dupes])))
            + ")."
        )
        keep &= ~dupes
    geo_l = geoms[keep].to_crs(31370) if code != 31370 else geoms[keep]
    geo_d = lonlat[keep[present]] if code != 4326 else geoms[keep]
    features = pd.DataFrame(
        {
            "layer": LAYER,
            "feature_id": ids[keep],
            "category": cats.to_numpy(dtype=object)[keep],
            "name": [n if n else None for n in names[keep]],
            "properties": np.asarray(props, dtype=object)[keep],
            "geom_lambert": list(shapely.to_wkb(np.asarray(geo_l.values, dtype=object))),
            "geom_display": list(
                shapely.to_wkb(shapely.simplify(np.asarray(geo_d.values, dtype=object), 1e-5, preserve_topology=True))
            ),
        }
    )
    per_cat = features["category"].value_counts()
    notes.append(
        "Voorzieningen per categorie: "
        + ", ".join(
            f"{CATEGORY_LABELS.get(c, c)} {format_number(int(per_cat[c]))}" for c in AMENITY_CATEGORIES if c in per_cat
        )
    )
    if unmapped:
        notes.append(f"Niet gekoppeld (niet geïmporteerd): {unmapped_text}")
    dropped = rows - len(features)
    notes.append(f"Weggelaten rijen: {format_number(dropped)}" if dropped else "Geen rijen weggelaten.")
    sample = features[["feature_id", "category", "name"]].head(10).copy()
    return ImportPlan(
        dataset_id=dataset_id or dataset_id_for(label),
        title=description,
        source=source,
        file_name=label,
        preview=Preview(
            kind=KIND,
            description=description,
            file_names=file_names,
            rows=rows,
            crs=_CRS_LABELS.get(code, f"EPSG:{code}"),
            notes=notes,
            warnings=warnings,
            sample=sample,
        ),
        features=features,
    )


def tag_counts(plan: ImportPlan) -> dict[str, int]:
    """Rows per OSM tag of an OSM plan: the tag that decided each imported row's category, and the
    first tag of each row left out ("Niet gekoppeld"); most frequent first. Empty for other plans."""
    counts: Counter = Counter()
    if plan.features is not None and len(plan.features):
        for props in plan.features["properties"]:
            tag = json.loads(props).get("tag") if props else None
            if tag:
                counts[tag] += 1
    for note in plan.preview.notes:
        if note.startswith("Niet gekoppeld (niet geïmporteerd): "):
            text = note.split(": ", 1)[1].split(" … en ", 1)[0]
            for found in re.finditer(r"(?:^|, )(.+?) \(([\d.]+)\)(?=, |$)", text):
                if found.group(1) != "zonder herkenbare tag":
                    counts[found.group(1)] += int(found.group(2).replace(".", ""))
    return dict(counts.most_common())


def category_counts(plan: ImportPlan) -> dict[str, int]:
    """Features per category of a plan (for the page and tests)."""
    if plan.features is None:
        return {}
    return {str(k): int(v) for k, v in plan.features["category"].value_counts().items()}


def plan_points(
    frame: pd.DataFrame,
    file_names: list[str],
    store: Store | None = None,
    *,
    mapping: Mapping[str, str | None] | None = None,
    category: str | None = None,
    crs: int | str | None = None,
) -> ImportPlan:
    """The plan for a vector layer or a table of amenities.

    ``mapping`` lays "tag=value"/fclass → category over ``OSM_TAG_MAPPING`` and over the choices
    the werkgroep made before (``store.amenity_tag_mappings()``, when a store is given);
    ``category`` gives every row one category (for a table without tags); ``crs`` states the CRS
    of X/Y columns. Nothing is matched against the store.
    """
    label = file_names[0] if file_names else "bestand"
    if frame is None or len(frame) == 0:
        raise ImportProblem(f"{label} is leeg: er staan geen voorzieningen in.")
    if category is not None and category not in AMENITY_CATEGORIES:
        raise ImportProblem(
            f"'{category}' is geen soort voorziening van zorgzaam. Kies uit: {', '.join(AMENITY_CATEGORIES)}."
        )
    layout = recognise_points(frame)
    if layout == "irail" and category is None:
        raise ImportProblem(
            f"{label} is de lijst van treinstations (iRail). Een treinstation is geen voorziening "
            "van het basispakket ("
            + ", ".join(CATEGORY_LABELS[c] for c in AMENITY_CATEGORIES)
            + "); zorgzaam importeert stations daarom niet als voorziening. Voor openbaar vervoer "
            "gebruikt zorgzaam de haltes van De Lijn (GTFS)."
        )
    tables = not (isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns)
    if tables:
        geoms, code = table_points(frame, crs)
    else:
        geoms, code = _vector_geometry(frame)
    frame = pd.DataFrame(frame.drop(columns=[frame.geometry.name])) if not tables else frame
    source, description, notes = "eigen bestand", f"Voorzieningen uit {label}", []
    if category is None and layout == "afmps":
        category = "apotheek"
        source = "FAGG/AFMPS, lijst van de publieke apotheken"
        description = "Apotheken (FAGG/AFMPS-lijst van publieke apotheken)"
        status = _column(frame, ("status statut", "status"))
        if status is None:
            status = next((c for c in frame.columns if _first_word(c) == "status"), None)
        if status is not None:
            suspended = int(frame[status].map(_text).str.contains("*", regex=False).sum())
            if suspended:
                notes.append(
                    f"Tijdelijk geschorst (Status '*'): {format_number(suspended)}; ze zijn mee "
                    "geïmporteerd (eigenschap 'status')."
                )
    if category is not None:
        categories = [category] * len(frame)
        used: list[str | None] = [None] * len(frame)
    else:
        if layout not in ("geofabrik", "osm"):
            raise ImportProblem(
                f"zorgzaam weet niet welke soort voorziening de rijen van {label} zijn: er is geen "
                "kolom met OSM-tags (amenity, shop, healthcare, leisure …) of fclass. Kies zelf een "
                f"categorie ({', '.join(AMENITY_CATEGORIES)})."
            )
        source = "OpenStreetMap (Geofabrik)" if layout == "geofabrik" else "OpenStreetMap"
        description = f"Voorzieningen uit OpenStreetMap ({label})"
        remembered = store.amenity_tag_mappings() if store is not None else {}
        categories, used = _categorise(_row_tags(frame), effective_mapping({**remembered, **dict(mapping or {})}))
    return _build(
        frame,
        geoms,
        code,
        file_names=file_names,
        source=source,
        description=description,
        categories=categories,
        used=used,
        id_prefix="rij",
        notes=notes,
    )


def _pharmacies_be_frame(obj: list) -> gpd.GeoDataFrame:
    rows = []
    for o in obj:
        if not isinstance(o, dict):
            continue
        names = o.get("name") or []
        name = ""
        if isinstance(names, list):
            name = next((str(n.get("value")) for n in names if isinstance(n, dict) and n.get("value")), "")
        elif isinstance(names, str):
            name = names
        geo = o.get("geo") if isinstance(o.get("geo"), dict) else {}
        addr = next((a for a in (o.get("addresses") or []) if isinstance(a, dict)), {})
        rows.append(
            {
                "name": name,
                "lat": geo.get("latitude"),
                "lon": geo.get("longitude"),
                "opening_hours": o.get("osm_opening_hours") or "",
                "addr:street": addr.get("street") or "",
                "addr:housenumber": addr.get("housenumber") or "",
                "addr:postcode": addr.get("zipCode") or "",
                "addr:city": addr.get("city") or "",
                "amenity": "pharmacy",
            }
        )
    frame = pd.DataFrame(rows)
    lat = pd.to_numeric(frame["lat"], errors="coerce").to_numpy(dtype=float)
    lon = pd.to_numeric(frame["lon"], errors="coerce").to_numpy(dtype=float)
    # No OSM id in this list: the position (7 decimals, ~1 cm) is the id.
    frame["id"] = [f"osm-{a:.7f},{b:.7f}" if np.isfinite(a) and np.isfinite(b) else "" for a, b in zip(lat, lon)]
    ok = np.isfinite(lat) & np.isfinite(lon)
    geoms = np.full(len(frame), None, dtype=object)
    geoms[ok] = shapely.points(lon[ok], lat[ok])
    return gpd.GeoDataFrame(frame.drop(columns=["lat", "lon"]), geometry=list(geoms), crs="EPSG:4326")


def _overpass_frame(obj: dict) -> gpd.GeoDataFrame:
    rows, geoms = [], []
    for e in obj["elements"]:
        if not isinstance(e, dict) or not isinstance(e.get("tags"), dict):
            continue  # untagged nodes are the vertices of ways
        lat, lon = e.get("lat"), e.get("lon")
        if (lat is None or lon is None) and isinstance(e.get("center"), dict):
            lat, lon = e["center"].get("lat"), e["center"].get("lon")
        tags = {str(k): _text(v) for k, v in e["tags"].items()}
        rows.append({"osm_type": _text(e.get("type")), "osm_id": _text(e.get("id")), **tags})
        ok = isinstance(lat, (int, float)) and isinstance(lon, (int, float))
        geoms.append(shapely.Point(float(lon), float(lat)) if ok else None)
    if not rows:
        raise ImportProblem(
            "Dit Overpass-antwoord bevat geen elementen met tags. Vraag de voorzieningen op met 'out center tags;'."
        )
    frame = pd.DataFrame(rows).astype(object)
    return gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")


def plan_json(
    obj: object, file_names: list[str], store: Store | None = None, *, mapping: Mapping[str, str | None] | None = None
) -> ImportPlan:
    """The plan for an OSM JSON (see ``recognise_json``)."""
    kind = recognise_json(obj)
    label = file_names[0] if file_names else "bestand"
    if kind == "pharmacies-be":
        plan = plan_points(_pharmacies_be_frame(obj), file_names, store, mapping=mapping)
        plan.source = "OpenStreetMap (amenity=pharmacy), via jy95/pharmacies_BE"
        plan.title = plan.preview.description = f"Apotheken uit OpenStreetMap ({label})"
        return plan
    if kind == "overpass":
        return plan_points(_overpass_frame(obj), file_names, store, mapping=mapping)
    if kind == "geojson":
        try:
            gdf = gpd.GeoDataFrame.from_features(obj["features"], crs="EPSG:4326")
        except Exception as e:  # noqa: BLE001 - any malformed feature
            raise ImportProblem(f"{label} is geen geldige GeoJSON: {e}") from e
        return plan_points(gdf, file_names, store, mapping=mapping)
    raise ImportProblem(
        f"{label} is geen OpenStreetMap-bestand dat zorgzaam kent. Verwacht: een Overpass-antwoord "
        "('elements'), een GeoJSON met OSM-tags of de apothekenlijst van OpenStreetMap."
    )
