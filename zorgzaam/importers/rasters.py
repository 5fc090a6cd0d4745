"""Hectare rasters (GeoTIFF) → grid cells: residents, walkability and facilities level (dataformats.md §6).

The Departement Omgeving publishes its hectare maps as GeoTIFFs in Lambert 72 at 100 m
(``…ni_inw_ha_vlaa_2019.tif``: residents per hectare; ``…ni_huish_basisvoorz_ha_vlaa_2013.tif``:
facilities level). Every cell becomes a row of ``grid_cells`` with ``x, y`` = the Lambert 72 cell
centre, its value and the statistical sector that contains the centre.

Layers (``grid_cells.layer``): ``inwoners`` (residents per hectare), ``walkability`` (score) and
``voorzieningenniveau`` (facilities level classes). Which one a file is comes from the caller
(``layer=``) or from the file name (``inw``/``inwoners``/``bevolking`` → inwoners, ``walkab`` →
walkability, ``voorz``/``basisvoorz`` → voorzieningenniveau).

Rules:

* CRS EPSG:31370, or EPSG:3812 (cell centres are then transformed to 31370); none or another one
  is refused.
* 100 m cells are taken as they are. A finer raster whose cell size divides 100 m (10, 20, 25,
  50 m …) is aggregated to hectares on the 100 m Lambert grid: the sum for ``inwoners``, the mean
  for the scores; nodata pixels are ignored. Other cell sizes, rotated or non-square cells are refused.
* nodata and NaN are left out, never 0; ``inwoners`` cells of 0 (or, impossibly, below 0) too.
* Only the part over the store's sectors is read (a window on their bounding box, in bands of
  rows, so a Flanders-wide raster stays cheap); cells whose centre lies in no sector are left out
  and counted. Without sector geometry in the store nothing can be placed: refused.
* Re-importing a layer replaces it: the dataset id is ``raster-<layer>``.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Iterator
from pathlib import PurePosixPath

import numpy as np
import pandas as pd
import shapely

from ..formatting import format_number
from ..geometry import LAMBERT
from ..store import Store
from . import files
from .core import ImportPlan, Preview
from .errors import ImportProblem
from .files import SourceFile

__all__ = [
    "CHUNK_PIXELS",
    "KIND",
    "LAYERS",
    "LAYER_LABELS",
    "MAX_PIXELS",
    "dataset_id_for",
    "layer_from_name",
    "plan_raster",
]

KIND = "hectareraster"
LAYERS: tuple[str, ...] = ("inwoners", "walkability", "voorzieningenniveau")
LAYER_LABELS = {
    "inwoners": "inwoners per hectare",
    "walkability": "walkabilityscore",
    "voorzieningenniveau": "voorzieningenniveau",
}
HECTARE_M = 100.0
#: Pixels of the part of a raster over the sectors read at most (a 10 m raster of a care zone is a few million).
MAX_PIXELS = 200_000_000
#: Pixels read at once (a band of rows): bounds the memory of one step.
CHUNK_PIXELS = 4_000_000
#: Cell centres per spatial query when assigning sectors.
_POINT_CHUNK = 1_000_000

_CRS_LABELS = {31370: "EPSG:31370 (Lambert 72)", 3812: "EPSG:3812 (Lambert 2008)"}
_NAME_PATTERNS = (
    ("inwoners", re.compile(r"inw|bevolking|population")),
    ("walkability", re.compile(r"walkab")),
    ("voorzieningenniveau", re.compile(r"voorz")),
)
_OMGEVING_NAME = re.compile(r"omgeving|^ni_\w+_ha_|\.ni_\w+_ha_")


def layer_from_name(file_name: str) -> str | None:
    """The layer a file name points to, or None when it names none or more than one."""
    stem = PurePosixPath(file_name).stem.lower()
    found = [layer for layer, pattern in _NAME_PATTERNS if pattern.search(stem)]
    return found[0] if len(found) == 1 else None


def dataset_id_for(layer: str) -> str:
    return f"raster-{layer}"


def _size_label(metres: float) -> str:
    return f"{format_number(metres, 0 if float(metres).is_integer() else 1)} m"


def _value_text(value: float) -> str:
    """A value with as few decimals as it needs (at most 2): 12 → '12', 12.5 → '12,5'."""
    decimals = next((d for d in (0, 1) if round(value, d) == round(value, 2)), 2)
    return format_number(round(value, 2), decimals)


@contextlib.contextmanager
def _open(source: SourceFile) -> Iterator[object]:
    """The raster as an open rasterio dataset (from disk, or from the bytes in memory)."""
    import rasterio
    from rasterio.errors import RasterioError
    from rasterio.io import MemoryFile

    with contextlib.ExitStack() as stack:
        try:
            if source.path is not None:
                src = stack.enter_context(rasterio.open(source.path))
            else:
                memory = stack.enter_context(MemoryFile(source.read_bytes()))
                src = stack.enter_context(memory.open())
        except (RasterioError, OSError) as e:
            raise ImportProblem(
                f"'{source.label}' kon niet gelezen worden als GeoTIFF: het bestand is beschadigd of "
                "onvolledig. Download het opnieuw bij de bron.",
                details=[f"Technische melding: {e}"],
            ) from e
        yield src


def _raster_epsg(src, label: str) -> int:
    if src.crs is None or not src.crs.to_wkt():
        raise ImportProblem(
            f"'{label}' zegt niet in welk coördinatenstelsel het ligt (geen CRS in de GeoTIFF). "
            "zorgzaam leest hectarerasters in EPSG:31370 (Lambert 72) of EPSG:3812 (Lambert 2008): "
            "download het originele bestand opnieuw of bewaar het raster met een van die twee."
        )
    code = files.crs_epsg(src.crs.to_wkt())
    if code not in _CRS_LABELS:
        name = f"EPSG:{code}" if code else (src.crs.to_string() or "een onbekend stelsel")
        raise ImportProblem(
            f"'{label}' ligt in {name}; zorgzaam leest hectarerasters alleen in EPSG:31370 "
            "(Lambert 72) of EPSG:3812 (Lambert 2008). Zet het raster eerst om naar EPSG:31370 (bv. "
            "in QGIS: Raster › Projecties › Verschuiven)."
        )
    return code


def _factor(transform, label: str) -> tuple[int, float]:
    """(pixels per hectare side, cell size in metres); refuses rotated, non-square and odd cell sizes."""
    if abs(transform.b) > 1e-9 or abs(transform.d) > 1e-9:
        raise ImportProblem(
            f"'{label}' is een gedraaid raster; zorgzaam leest alleen rasters met noord boven. "
            "Kies het originele bestand van de bron."
        )
    size_x, size_y = abs(transform.a), abs(transform.e)
    if size_x <= 0 or abs(size_x - size_y) > 1e-6 * size_x:
        raise ImportProblem(
            f"De cellen van '{label}' zijn niet vierkant ({format_number(size_x, 2)} × "
            f"{format_number(size_y, 2)} m); zorgzaam leest hectarerasters met cellen van 100 m "
            "(of 10, 20, 25 of 50 m, die tot hectares samengevoegd worden)."
        )
    ratio = HECTARE_M / size_x
    factor = round(ratio)
    if factor < 1 or abs(ratio - factor) > 1e-6 * max(ratio, 1.0):
        raise ImportProblem(
            f"De cellen van '{label}' zijn {_size_label(size_x)} groot. zorgzaam leest hectarerasters "
            "met cellen van 100 m, of fijner zodat ze precies in een hectare passen (10, 20, 25 of "
            "50 m). Kies de versie per hectare (100 m) van deze kaart."
        )
    return factor, size_x


def _grid_offset(origin: float, step: float, factor: int) -> int:
    """Index (0 … factor-1) of the first pixel whose edge lies on a multiple of 100 m (0 when none does)."""
    if factor == 1:
        return 0
    res = abs(step)
    k = ((-origin) % HECTARE_M) / res if step > 0 else (origin % HECTARE_M) / res
    if abs(k - round(k)) > 1e-6:
        return 0
    return int(round(k)) % factor


def _sector_bounds_in(bounds: tuple[float, float, float, float], epsg: int) -> tuple[float, float, float, float]:
    if epsg == LAMBERT:
        return bounds
    from pyproj import Transformer

    transformer = Transformer.from_crs(LAMBERT, epsg, always_xy=True)
    return transformer.transform_bounds(*bounds, densify_pts=21)


def _read_cells(
    src, epsg: int, factor: int, layer: str, bounds_l72: tuple[float, float, float, float], label: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """x, y (raster CRS), value of the hectare cells over ``bounds_l72``; and whether only a part was read."""
    from rasterio.windows import Window

    t = src.transform
    minx, miny, maxx, maxy = _sector_bounds_in(bounds_l72, epsg)
    inverse = ~t
    corners = [inverse @ (x, y) for x in (minx, maxx) for y in (miny, maxy)]
    cols = [c for c, _ in corners]
    rows = [r for _, r in corners]
    c0, c1 = max(0, math.floor(min(cols))), min(src.width, math.ceil(max(cols)))
    r0, r1 = max(0, math.floor(min(rows))), min(src.height, math.ceil(max(rows)))
    if c0 >= c1 or r0 >= r1:
        raise ImportProblem(
            f"'{label}' ligt niet over de sectoren in de databank: het raster dekt een ander gebied. "
            "Kies het raster van jouw gemeente of van Vlaanderen."
        )
    # Snap the window outward to whole hectares of the 100 m Lambert grid.
    col_off = _grid_offset(t.c, t.a, factor)
    row_off = _grid_offset(t.f, t.e, factor)
    c0 -= (c0 - col_off) % factor
    r0 -= (r0 - row_off) % factor
    c1 += (-(c1 - col_off)) % factor
    r1 += (-(r1 - row_off)) % factor
    pixels = (c1 - c0) * (r1 - r0)
    if pixels > MAX_PIXELS:
        raise ImportProblem(
            f"Het deel van '{label}' over de sectoren telt {format_number(pixels)} pixels; zorgzaam "
            f"leest er hoogstens {format_number(MAX_PIXELS)}. Neem de versie per hectare (100 m) of "
            "knip het raster bij tot je gemeente."
        )
    partial = c0 > 0 or r0 > 0 or c1 < src.width or r1 < src.height
    blocks_per_band = max(1, CHUNK_PIXELS // max(1, (c1 - c0) * factor))
    band_rows = blocks_per_band * factor
    nbx = (c1 - c0) // factor
    xs, ys, vs = [], [], []
    for top in range(r0, r1, band_rows):
        bottom = min(top + band_rows, r1)
        # Pixels outside the raster (the snapped edges) count as nodata.
        rt, rb = max(top, 0), min(bottom, src.height)
        ct, cb = max(c0, 0), min(c1, src.width)
        data = np.full((bottom - top, c1 - c0), np.nan, dtype="float64")
        if rb > rt and cb > ct:
            part = src.read(1, window=Window(ct, rt, cb - ct, rb - rt), masked=True)
            data[rt - top : rb - top, ct - c0 : cb - c0] = np.ma.filled(part.astype("float64"), np.nan)
        nby = (bottom - top) // factor
        blocks = data.reshape(nby, factor, nbx, factor)
        # An undeclared float nodata (±3.4e38) is no value either.
        valid = np.isfinite(blocks) & (np.abs(blocks) < 1e30)
        count = valid.sum(axis=(1, 3))
        total = np.where(valid, blocks, 0.0).sum(axis=(1, 3))
        keep = count > 0
        if not keep.any():
            continue
        value = total if layer == "inwoners" else total / np.maximum(count, 1)
        by, bx = np.nonzero(keep)
        col_centre = c0 + bx * factor + factor / 2.0
        row_centre = top + by * factor + factor / 2.0
        xs.append(t.c + col_centre * t.a + row_centre * t.b)
        ys.append(t.f + col_centre * t.d + row_centre * t.e)
        vs.append(value[keep])
    if not xs:
        return np.zeros(0), np.zeros(0), np.zeros(0), partial
    return np.concatenate(xs), np.concatenate(ys), np.concatenate(vs), partial


def _assign_sectors(x: np.ndarray, y: np.ndarray, geoms: np.ndarray) -> np.ndarray:
    """Per point the index of the (first, by code) sector that contains it; -1 when none does.

    A tree over (a chunk of) the cell centres is queried with the sector polygons, which shapely
    prepares: no loop over cells.
    """
    out = np.full(len(x), -1, dtype=np.int64)
    for start in range(0, len(x), _POINT_CHUNK):
        stop = min(start + _POINT_CHUNK, len(x))
        tree = shapely.STRtree(shapely.points(x[start:stop], y[start:stop]))
        sector_idx, point_idx = tree.query(geoms, predicate="intersects")
        if not len(point_idx):
            continue
        order = np.lexsort((sector_idx, point_idx))
        point_idx, sector_idx = point_idx[order], sector_idx[order]
        first = np.ones(len(point_idx), dtype=bool)
        first[1:] = point_idx[1:] != point_idx[:-1]
        out[start + point_idx[first]] = sector_idx[first]
    return out


def plan_raster(source: SourceFile, file_names: list[str], store: Store, *, layer: str | None = None) -> ImportPlan:
    """The plan for one hectare raster (GeoTIFF); ``layer`` overrides what the file name says."""
    label = file_names[0] if file_names else source.name
    if layer is not None and layer not in LAYERS:
        raise ImportProblem(f"'{layer}' is geen rasterlaag van zorgzaam. Kies uit: {', '.join(LAYERS)}.")
    layer = layer or layer_from_name(label)
    if layer is None:
        raise ImportProblem(
            f"zorgzaam weet niet wat het raster '{label}' toont: inwoners per hectare, walkability of "
            "voorzieningenniveau. Kies de laag bij het importeren, of zet 'inwoners', 'walkability' of "
            "'voorzieningenniveau' in de bestandsnaam (bv. inwoners_2019.tif)."
        )
    sectors = store.geometries("statsec", display=False)
    if sectors.empty:
        raise ImportProblem(
            "Importeer eerst de sectorgeometrie (de statistische sectoren van Statbel): zorgzaam legt "
            "elke hectarecel in de sector waarin haar middelpunt ligt."
        )
    sector_geoms = shapely.from_wkb(np.array(list(sectors["geometry"]), dtype=object))
    sector_codes = sectors["code"].to_numpy(dtype=object)
    bounds = tuple(float(v) for v in shapely.total_bounds(sector_geoms))

    warnings: list[str] = []
    with _open(source) as src:
        epsg = _raster_epsg(src, label)
        factor, size = _factor(src.transform, label)
        if src.count > 1:
            warnings.append(f"Het raster heeft {src.count} banden; alleen de eerste is gelezen.")
        x, y, values, partial = _read_cells(src, epsg, factor, layer, bounds, label)
    if epsg != LAMBERT and len(x):
        from pyproj import Transformer

        x, y = Transformer.from_crs(epsg, LAMBERT, always_xy=True).transform(x, y)
        x, y = np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64")

    notes: list[str] = []
    minx, miny, maxx, maxy = bounds
    in_box = (x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy)
    x, y, values = x[in_box], y[in_box], values[in_box]
    if layer == "inwoners":
        negative = values < 0
        if negative.any():
            warnings.append(
                f"{format_number(int(negative.sum()))} cellen met een negatief aantal inwoners weggelaten "
                "(geen geldige waarde)."
            )
        zero = values == 0
        if zero.any():
            notes.append(f"Cellen zonder inwoners (0) weggelaten: {format_number(int(zero.sum()))}")
        keep = values > 0
        x, y, values = x[keep], y[keep], values[keep]
    sector_idx = _assign_sectors(x, y, sector_geoms)
    inside = sector_idx >= 0
    outside = int((~inside).sum())
    cells = (
        pd.DataFrame(
            {
                "layer": layer,
                "x": x[inside],
                "y": y[inside],
                "value": values[inside].astype("float64"),
                "statsec": sector_codes[sector_idx[inside]] if inside.any() else np.zeros(0, dtype=object),
            }
        )
        .sort_values(["statsec", "x", "y"], kind="stable")
        .reset_index(drop=True)
    )
    if cells.empty:
        raise ImportProblem(
            f"Geen enkele cel van '{label}' met een waarde ligt in een sector van de databank. Kies "
            "het raster van het gebied van je sectoren, of importeer eerst de juiste sectorgeometrie."
        )

    how = ""
    if factor > 1:
        how = " opgeteld per hectare" if layer == "inwoners" else " gemiddeld per hectare"
    description = f"Hectareraster: {LAYER_LABELS[layer]} ({_size_label(size)}{',' + how if how else ''})"
    notes.insert(0, f"Laag: {layer}")
    notes.insert(
        1,
        f"Celgrootte: {_size_label(size)}"
        + (
            f"; {factor} × {factor} cellen samengevoegd tot één hectare ("
            + ("som" if layer == "inwoners" else "gemiddelde")
            + ", lege cellen genegeerd)"
            if factor > 1
            else ""
        ),
    )
    lo, hi = float(cells["value"].min()), float(cells["value"].max())
    notes.append(f"Waarden: van {_value_text(lo)} tot {_value_text(hi)}")
    if layer == "inwoners":
        notes.append(f"Inwoners in de cellen samen: {format_number(float(cells['value'].sum()))}")
    covered = int(cells["statsec"].nunique())
    notes.append(f"Sectoren met cellen: {format_number(covered)} van {format_number(len(sector_codes))}")
    notes.append(f"Cellen buiten de sectoren van de databank (weggelaten): {format_number(outside)}")
    if partial:
        notes.append("Alleen het deel van het raster over de sectoren in de databank is gelezen.")
    if layer == "voorzieningenniveau" and factor > 1:
        warnings.append(
            "Klassen van voorzieningenniveau zijn per hectare gemiddeld: de waarden zijn geen hele klassen meer."
        )
    if covered < len(sector_codes):
        warnings.append(
            f"{format_number(len(sector_codes) - covered)} sectoren krijgen geen enkele cel (buiten het "
            "raster, of zonder waarde)."
        )
    source_text = (
        "Departement Omgeving (Vlaams Planbureau voor Omgeving)"
        if _OMGEVING_NAME.search(label.lower())
        else "eigen bestand"
    )
    return ImportPlan(
        dataset_id=dataset_id_for(layer),
        title=description,
        source=source_text,
        file_name=label,
        preview=Preview(
            kind=KIND,
            description=description,
            file_names=file_names,
            rows=len(cells),
            crs=_CRS_LABELS[epsg],
            notes=notes,
            warnings=warnings,
            sample=cells.head(10).copy(),
        ),
        grid_cells=cells,
    )
