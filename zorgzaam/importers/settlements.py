"""Kernen, linten and verspreide bebouwing (cores, ribbons, scattered buildings; dataformats.md §6.3).

Everything is written as features of layer ``"nederzetting"`` with category ``"kern"``,
``"lint"`` or ``"verspreid"``: what ``access.settlement_class`` (kern: a cell centre inside a
kern polygon; lint/verspreid: within 75 m) and ``layers.settlement_layers`` read.

The attribute names of the Departement Omgeving files are not known, so the category is found:

1. per feature, from a column whose values read like a category (case-insensitive: "Kern",
   "kernen", "LINT", "lintbebouwing", "verspreide bebouwing", also "core"/"ribbon"/"dispersed");
2. else for the whole file, from its name (``kernen…``, ``linten…``, ``verspreide_bebouwing…``);
3. else, when every shape is a line, ``lint`` (ribbons are the line layer);
4. else the file is refused with a message to rename it.

``plan_dataset`` only sends a vector file here when (1) or (2) holds, after the checks for stops,
amenities and area outlines, and never for a file with a column of sector codes or a PinC
``geoitem`` column, so sector and area files are not taken for settlements. Kernen and verspreide bebouwing must be polygons; linten lines
(polygons are accepted too; the map then draws their outline). CRS: EPSG:31370, 3812 or 4326.
Re-importing the same set of categories replaces it: the dataset id is
``nederzetting-<categories>`` (e.g. ``nederzetting-kern-lint-verspreid``).
"""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..formatting import format_number
from ..geometry import LAMBERT, display_wkb
from ..store import Store
from . import files, sectors
from .core import ImportPlan, Preview
from .errors import ImportProblem

__all__ = [
    "CATEGORIES",
    "CATEGORY_LABELS",
    "KIND",
    "LAYER",
    "categories_in_name",
    "category_column",
    "category_of",
    "dataset_id_for",
    "plan_settlements",
    "recognise",
]

KIND = "nederzetting"
LAYER = "nederzetting"
CATEGORIES: tuple[str, ...] = ("kern", "lint", "verspreid")
CATEGORY_LABELS = {"kern": "kernen", "lint": "linten", "verspreid": "verspreide bebouwing"}

_CRS_LABELS = {31370: "EPSG:31370 (Lambert 72)", 3812: "EPSG:3812 (Lambert 2008)", 4326: "EPSG:4326 (WGS84)"}
# Generous box around Belgium in Lambert 72 (metres), as sectors.py.
_BELGIUM_LAMBERT = (10_000.0, 10_000.0, 310_000.0, 260_000.0)
_WORDS = (
    ("kern", re.compile(r"kern|core")),
    ("lint", re.compile(r"lint|ribbon")),
    ("verspreid", re.compile(r"verspreid|dispers|scatter")),
)
#: Share of the filled values of a column that must read as a category for the column to decide.
_COLUMN_SHARE = 0.9
_MAX_VALUE_CHARS = 40
_ID_COLUMNS = ("id", "fid", "objectid", "object_id", "uidn", "oidn", "gid")
_NAME_COLUMNS = ("naam", "name", "kernnaam", "benaming")
_POLYGONAL = (3, 6)  # Polygon, MultiPolygon
_LINEAR = (1, 2, 5)  # LineString, LinearRing, MultiLineString
_MAX_LISTED = 10


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value).strip()


def category_of(value: object) -> str | None:
    """ "kern", "lint" or "verspreid" when a value reads like one; None otherwise ("buiten de kernen" too)."""
    text = _text(value).lower()
    if not text or len(text) > _MAX_VALUE_CHARS or "buiten" in text:
        return None
    found = [cat for cat, pattern in _WORDS if pattern.search(text)]
    return found[0] if len(found) == 1 else None


def category_column(gdf: pd.DataFrame) -> str | None:
    """The column whose values read like categories (the one with most such values), or None."""
    geometry = getattr(gdf, "_geometry_column_name", None)
    best, best_hits = None, 0
    for col in gdf.columns:
        if col == geometry:
            continue
        series = gdf[col]
        if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
            continue
        values = series.map(_text)
        filled = values[values != ""]
        if not len(filled):
            continue
        hits = int(filled.map(category_of).notna().sum())
        if hits / len(filled) >= _COLUMN_SHARE and hits > best_hits:
            best, best_hits = col, hits
    return best


def categories_in_name(stem: str) -> list[str]:
    """The categories a file name speaks of (``kernen_2019`` → ["kern"])."""
    text = stem.lower()
    return [cat for cat, pattern in _WORDS if pattern.search(text)]


def _is_sector_file(gdf: gpd.GeoDataFrame) -> bool:
    try:
        sectors._sector_column(gdf)
    except ImportProblem:
        return False
    return True


def recognise(gdf: gpd.GeoDataFrame, stem: str) -> bool:
    """True for a kernen/linten/verspreide-bebouwing file: a category column or the words in the file name.

    A file with a column of sector codes is never one (it is sector geometry), nor a Provincies in
    Cijfers area layer (a ``geoitem`` column): PinC's ``kern.shp`` divides Limburg into cores *and*
    "buiten de kernen" areas, which is no settlement typology.
    """
    if gdf is None or not len(gdf) or "geoitem" in {str(c).lower() for c in gdf.columns} or _is_sector_file(gdf):
        return False
    return category_column(gdf) is not None or bool(categories_in_name(stem))


def dataset_id_for(categories: list[str]) -> str:
    return f"{KIND}-" + "-".join(c for c in CATEGORIES if c in categories)


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:_MAX_LISTED])
    return shown + (f" … en {format_number(len(items) - _MAX_LISTED)} meer" if len(items) > _MAX_LISTED else "")


def _column(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    by_lower = {str(c).lower(): c for c in frame.columns}
    return next((by_lower[n] for n in names if n in by_lower), None)


def _ids(frame: pd.DataFrame) -> np.ndarray:
    col = _column(frame, _ID_COLUMNS)
    if col is not None:
        ids = frame[col].map(lambda v: _text(int(v) if isinstance(v, float) and float(v).is_integer() else v))
        if (ids != "").all() and not ids.duplicated().any():
            return ids.to_numpy(dtype=object)
    return np.array([f"rij-{i + 1}" for i in range(len(frame))], dtype=object)


def _polygonal(geom):
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _categories(
    gdf: gpd.GeoDataFrame, stem: str, label: str, category: str | None, kinds: np.ndarray, present: np.ndarray
) -> tuple[np.ndarray, str]:
    """Per row the category (None when unknown) and how it was decided (Dutch)."""
    n = len(gdf)
    if category is not None:
        return np.full(n, category, dtype=object), "gekozen bij het importeren"
    col = category_column(gdf)
    if col is not None:
        return gdf[col].map(category_of).to_numpy(dtype=object), f"kolom '{col}'"
    named = categories_in_name(stem)
    if len(named) == 1:
        return np.full(n, named[0], dtype=object), "bestandsnaam"
    if present.any() and np.isin(kinds[present], _LINEAR).all():
        return np.full(n, "lint", dtype=object), "lijnen: linten"
    raise ImportProblem(
        f"zorgzaam weet niet of '{label}' kernen, linten of verspreide bebouwing bevat: er is geen "
        "kolom met die waarden en de bestandsnaam zegt het niet eenduidig. Noem het bestand kernen, "
        "linten of verspreide_bebouwing (bv. kernen_2019.shp), één bestand per soort."
    )


def plan_settlements(
    gdf: gpd.GeoDataFrame, file_names: list[str], store: Store | None = None, *, category: str | None = None
) -> ImportPlan:
    """The plan for a layer of kernen, linten and/or verspreide bebouwing; ``category`` sets it for every feature."""
    label = file_names[0] if file_names else "bestand"
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", label.split(" [", 1)[0])
    if category is not None and category not in CATEGORIES:
        raise ImportProblem(f"'{category}' is geen soort bebouwing van zorgzaam. Kies uit: {', '.join(CATEGORIES)}.")
    if gdf is None or not len(gdf):
        raise ImportProblem(f"'{label}' is leeg: er staan geen kernen, linten of verspreide bebouwing in.")
    code = files.crs_epsg(gdf)
    if code is None:
        raise ImportProblem(
            f"Het coördinatenstelsel van '{label}' is onbekend. Laad het .prj-bestand mee op, of "
            "bewaar de laag in EPSG:31370 (Lambert 72)."
        )
    if code not in _CRS_LABELS:
        raise ImportProblem(
            f"'{label}' ligt in EPSG:{code}; zorgzaam leest kernen en linten in EPSG:31370 "
            "(Lambert 72), EPSG:3812 (Lambert 2008) of EPSG:4326 (WGS84). Zet de laag eerst om."
        )
    report = files.geometry_report(gdf)
    if report.n_null + report.n_empty == report.n_features:
        raise ImportProblem(
            f"Geen enkel object van '{label}' heeft een vorm (lege geometrie). Het bestand is "
            "onvolledig; download het opnieuw."
        )
    warnings: list[str] = []
    notes: list[str] = []
    raw = np.asarray(gdf.geometry.values, dtype=object)
    present = ~(shapely.is_missing(raw) | shapely.is_empty(raw))
    kinds = np.full(len(raw), -1)
    kinds[present] = shapely.get_type_id(raw[present])
    cats, how = _categories(gdf, stem, label, category, kinds, present)
    known = pd.notna(cats) & np.isin(cats.astype(str), CATEGORIES)
    if not known.any():
        raise ImportProblem(f"Geen enkel object van '{label}' is een kern, lint of verspreide bebouwing.")
    if (~known).any():
        col = category_column(gdf)
        values = sorted({_text(v) or "(leeg)" for v in gdf[col][~known]}) if col else []
        warnings.append(
            f"{format_number(int((~known).sum()))} objecten zonder herkenbare soort weggelaten"
            + (f" (waarden: {_listed(values)})" if values else "")
            + "."
        )
    missing = known & ~present
    if missing.any():
        warnings.append(f"{format_number(int(missing.sum()))} objecten zonder vorm (lege geometrie) weggelaten.")
    keep = known & present
    polygon_cat = np.isin(cats.astype(str), ("kern", "verspreid"))
    wrong = keep & (
        (polygon_cat & ~np.isin(kinds, _POLYGONAL)) | (~polygon_cat & ~np.isin(kinds, _POLYGONAL + _LINEAR))
    )
    if wrong.any():
        bad = sorted({CATEGORY_LABELS[c] for c in cats[wrong]})
        raise ImportProblem(
            f"De {' en '.join(bad)} in '{label}' hebben niet de juiste vorm: kernen en verspreide "
            "bebouwing moeten vlakken zijn, linten lijnen (of vlakken). Kies de juiste laag van het "
            "bestand."
        )

    geoms = gpd.GeoSeries(raw[keep], crs=f"EPSG:{code}")
    lambert = geoms.to_crs(LAMBERT) if code != LAMBERT else geoms
    lam = np.asarray(lambert.values, dtype=object)
    minx, miny, maxx, maxy = shapely.total_bounds(lam)
    bx0, by0, bx1, by1 = _BELGIUM_LAMBERT
    if not (bx0 <= minx and maxx <= bx1 and by0 <= miny and maxy <= by1):
        raise ImportProblem(
            f"De vormen van '{label}' liggen niet in België als ze in {_CRS_LABELS[code]} gelezen "
            "worden: het coördinatenstelsel in het bestand klopt niet. Kies het originele bestand van "
            "de bron."
        )
    invalid = ~shapely.is_valid(lam)
    if invalid.any():
        kept_cats = cats[keep]
        repaired = shapely.make_valid(lam[invalid])
        fix_polygons = np.isin(kept_cats[invalid].astype(str), ("kern", "verspreid")) | np.isin(
            shapely.get_type_id(lam[invalid]), _POLYGONAL
        )
        repaired = np.array([_polygonal(g) if p else g for g, p in zip(repaired, fix_polygons)], dtype=object)
        if shapely.is_empty(repaired).any():
            broken = int(shapely.is_empty(repaired).sum())
            raise ImportProblem(
                f"{format_number(broken)} vormen in '{label}' zijn kapot en niet te herstellen. "
                "Download het bestand opnieuw."
            )
        lam = lam.copy()
        lam[invalid] = repaired
        notes.append(f"Kapotte vormen hersteld: {format_number(int(invalid.sum()))}")

    frame = pd.DataFrame(gdf.drop(columns=[gdf.geometry.name]))[keep]
    kept_cats = cats[keep].astype(str)
    ids = _ids(frame)
    name_col = _column(frame, _NAME_COLUMNS)
    names = [(_text(v) or None) for v in frame[name_col]] if name_col else [None] * len(frame)
    source = f"Kernen, linten en verspreide bebouwing ({label})"
    col = category_column(gdf) if category is None else None
    props = [
        json.dumps({"bron": source, **({"soort": _text(v)} if col else {})}, ensure_ascii=False)
        for v in (frame[col] if col else [None] * len(frame))
    ]
    # The map draws linten as paths: a lint given as a polygon is shown by its outline.
    display_src = lam.copy()
    lint_polygons = (kept_cats == "lint") & np.isin(shapely.get_type_id(lam), _POLYGONAL)
    if lint_polygons.any():
        display_src[lint_polygons] = shapely.boundary(lam[lint_polygons])
        notes.append(f"Linten als vlakken: {format_number(int(lint_polygons.sum()))} (op de kaart hun omtrek).")
    features = pd.DataFrame(
        {
            "layer": LAYER,
            "feature_id": [f"{c}-{i}" for c, i in zip(kept_cats, ids)],
            "category": kept_cats,
            "name": pd.Series(names, dtype=object),
            "properties": pd.Series(props, dtype=object),
            "geom_lambert": list(shapely.to_wkb(lam)),
            "geom_display": display_wkb(display_src, coverage=False),
        }
    )
    present_cats = [c for c in CATEGORIES if c in set(kept_cats)]
    counts = features["category"].value_counts()
    notes.insert(0, f"Soort bepaald uit: {how}")
    notes.insert(
        1, "Per soort: " + ", ".join(f"{CATEGORY_LABELS[c]} {format_number(int(counts[c]))}" for c in present_cats)
    )
    polygonal = np.isin(shapely.get_type_id(lam), _POLYGONAL)
    for cat in ("kern", "verspreid"):
        mask = (kept_cats == cat) & polygonal
        if mask.any():
            hectares = float(shapely.area(lam[mask]).sum()) / 1e4
            notes.append(f"Oppervlakte {CATEGORY_LABELS[cat]}: {format_number(hectares, 1)} ha")
    lines = (kept_cats == "lint") & ~polygonal
    if lines.any():
        notes.append(f"Lengte linten: {format_number(float(shapely.length(lam[lines]).sum()) / 1000, 1)} km")
    dataset_id = dataset_id_for(present_cats)
    if store is not None:
        others = store.feature_categories(LAYER, dataset_id)
        overlap = others[others["category"].isin(present_cats)]
        if len(overlap):
            pairs = overlap[["dataset_id", "category"]].itertuples(index=False)
            warnings.append(
                "De databank heeft al "
                + ", ".join(f"{CATEGORY_LABELS[c]} uit '{d}'" for d, c in pairs)
                + "; die blijven staan. Verwijder die dataset als dit bestand ze vervangt, anders tellen "
                "ze dubbel mee."
            )
    description = "Nederzettingen: " + ", ".join(CATEGORY_LABELS[c] for c in present_cats)
    return ImportPlan(
        dataset_id=dataset_id,
        title=description,
        source=source,
        file_name=label,
        preview=Preview(
            kind=KIND,
            description=description,
            file_names=file_names,
            rows=len(gdf),
            crs=_CRS_LABELS[code],
            notes=notes,
            warnings=warnings,
            sample=features[["feature_id", "category", "name"]].head(10).copy(),
        ),
        features=features,
    )
