"""Statistical-sector geometry: Statbel's files (both column schemes) and other sector polygons.

Accepted (dataformats.md §1):
* Statbel GeoJSON / SpatiaLite with lower-case names: ``cd_sector``, ``tx_sector_descr_nl``,
  ``cd_sub_munty``, ``tx_sub_munty_nl``, ``cd_munty_refnis``, ``tx_munty_descr_nl``,
  ``cd_prov_refnis``, ``tx_prov_descr_nl``, ``cd_rgn_refnis``, ``ms_area_ha``;
* Statbel shapefiles with short upper-case names: ``CS0101YYYY``, ``T_SEC_NL``, ``C_NIS6``,
  ``T_NIS6_NL``, ``CNIS5_YYYY``, ``T_MUN_NL``, ``CNIS_PROVI…``, ``T_PROVI_NL``, ``M_AREA_HA``;
* any other polygon file with one column of sector codes (e.g. a zone's own export), whose
  municipality then comes from a Provincies in Cijfers area table.

The municipality is taken from the file's municipality column, never from the first five
characters of the code (sectors keep their code when municipalities merge). Geometry is kept in
Lambert 72 (EPSG:31370) for distances, with a simplified EPSG:4326 copy for maps.
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..areas import SECTOR_CODE_RE, normalise_sector_code
from ..geometry import LAMBERT, dissolve, simplify_in_groups, wgs84_wkb
from ..store import Store
from .core import ImportPlan, Preview, check_vintage, known_codes
from .errors import ImportProblem

__all__ = [
    "KIND",
    "VINTAGES",
    "check_polygons",
    "detect_vintage",
    "is_split_code",
    "plan_sector_geometry",
    "to_lambert",
]

KIND = "statsec-geometrie"
VINTAGES = ("2024", "2025")

_CRS_LABELS = {31370: "EPSG:31370 (Lambert 72)", 3812: "EPSG:3812 (Lambert 2008)", 4326: "EPSG:4326 (lengte/breedte)"}
# Generous box around Belgium in Lambert 72 (metres): a file outside it has a wrong CRS.
_BELGIUM_LAMBERT = (10_000.0, 10_000.0, 310_000.0, 260_000.0)

# Statbel's region codes (text, 5 digits) → the Provincies in Cijfers gewest codes used in the store.
_REGION_CODES = {"02000": "2000", "04000": "4000", "03000": "3000", "2000": "2000", "4000": "4000", "3000": "3000"}


def _first(columns: list[str], *patterns: str) -> str | None:
    """The first column whose name matches one of the regex patterns (case-insensitive)."""
    for pattern in patterns:
        rx = re.compile(pattern, re.IGNORECASE)
        for col in columns:
            if rx.fullmatch(col):
                return col
    return None


def _sector_column(gdf: gpd.GeoDataFrame) -> tuple[str, str]:
    """(column holding the sector codes, scheme name)."""
    cols = [c for c in gdf.columns if c != gdf.geometry.name]
    if "cd_sector" in cols:
        return "cd_sector", "Statbel (GeoJSON/SpatiaLite)"
    short = _first(cols, r"CS0101\d{4}")
    if short:
        return short, "Statbel (shapefile)"
    best, best_share = None, 0.0
    for col in cols:
        values = gdf[col].dropna().astype(str).map(normalise_sector_code)
        if len(values) == 0:
            continue
        share = values.map(lambda v: bool(SECTOR_CODE_RE.match(v))).mean()
        if share > best_share:
            best, best_share = col, share
    if best is None or best_share < 0.95:
        raise ImportProblem(
            "In dit bestand staat geen kolom met codes van statistische sectoren (zoals 11001A00-). "
            "Kies het sectorbestand van Statbel (sh_statbel_statistical_sectors_…) of een bestand met zo'n kolom."
        )
    return best, "kolom met sectorcodes"


def is_split_code(codes: pd.Series) -> pd.Series:
    """Codes the 2025 reform made by splitting a sector: two digits, then K, L, M or O (23003A01K).

    Checked on the PinC tables: 3,701 of the 2025 codes and none of the 2020–2024 codes (whose
    letters at the end follow letters, as in 11002P6AK).
    """
    return codes.str[8].isin(list("KLMO")) & codes.str[6:8].str.isdigit()


def detect_vintage(codes: pd.Series, file_names: list[str], code_column: str) -> tuple[str | None, str]:
    """The sector division (2024 or 2025) and how it was recognised."""
    for name in file_names:
        found = re.search(r"(20\d{2})0101|SECTOREN_(20\d{2})_(NEW|OLD)", name, re.IGNORECASE)
        if found:
            if found.group(2):
                return ("2025" if found.group(3).upper() == "NEW" else "2024"), f"bestandsnaam {name}"
            year = found.group(1)
            return ("2025" if year >= "2025" else "2024"), f"bestandsnaam {name}"
    column_year = re.fullmatch(r"CS0101(\d{4})", code_column, re.IGNORECASE)
    if column_year:
        year = column_year.group(1)
        return ("2025" if year >= "2025" else "2024"), f"kolom {code_column}"
    split = is_split_code(codes)
    if split.any():
        return "2025", f"{int(split.sum())} codes van gesplitste sectoren (eindigend op K, L, M …)"
    return None, "niet te bepalen uit de codes alleen"


def to_lambert(gdf: gpd.GeoDataFrame, what: str) -> tuple[gpd.GeoDataFrame, str]:
    """The frame in EPSG:31370, and a label of the CRS it came in."""
    epsg = gdf.crs.to_epsg(min_confidence=20) if gdf.crs is not None else None
    if gdf.crs is None:
        raise ImportProblem(
            f"Het coördinatenstelsel van {what} is onbekend (geen .prj-bestand of crs-vermelding). Statbel levert "
            "EPSG:31370 of EPSG:3812: kies het volledige bestand, met het .prj-bestand erbij."
        )
    label = _CRS_LABELS.get(epsg, f"EPSG:{epsg}" if epsg else gdf.crs.name)
    try:
        out = gdf if epsg == LAMBERT else gdf.to_crs(LAMBERT)
    except Exception as exc:  # noqa: BLE001 - pyproj has many error types
        raise ImportProblem(
            f"Het coördinatenstelsel van {what} ({label}) kan niet omgezet worden naar Lambert 72: "
            f"{exc}. Kies een bestand in EPSG:31370 of 3812."
        ) from None
    minx, miny, maxx, maxy = out.total_bounds
    bx0, by0, bx1, by1 = _BELGIUM_LAMBERT
    if not (bx0 <= minx and maxx <= bx1 and by0 <= miny and maxy <= by1):
        raise ImportProblem(
            f"De vormen van {what} liggen niet in België als ze in {label} gelezen worden: het coördinatenstelsel "
            "in het bestand klopt niet. Kies het originele bestand van de bron."
        )
    return out, label


def check_polygons(gdf: gpd.GeoDataFrame, codes: pd.Series, what: str) -> tuple[np.ndarray, int]:
    """Valid (multi)polygons; broken ones repaired (count returned). Missing or empty ones are refused."""
    geoms = gdf.geometry.to_numpy()
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if missing.any():
        listed = ", ".join(codes[missing].head(10))
        raise ImportProblem(
            f"{int(missing.sum())} gebieden in {what} hebben geen vorm (lege geometrie): {listed}. "
            "Het bestand is onvolledig; download het opnieuw."
        )
    kinds = shapely.get_type_id(geoms)
    if not np.isin(kinds, (3, 6)).all():  # 3 Polygon, 6 MultiPolygon
        raise ImportProblem(
            f"{what} bevat punten of lijnen in plaats van vlakken; kies een bestand met de omtrek van de gebieden."
        )
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        repaired = shapely.make_valid(geoms[invalid])
        # make_valid can return a collection with stray lines; keep only the polygon parts.
        repaired = np.array([_polygonal(g) for g in repaired], dtype=object)
        geoms = geoms.copy()
        geoms[invalid] = repaired
        if (shapely.is_empty(repaired)).any():
            bad = ", ".join(codes[invalid][shapely.is_empty(repaired)].head(10))
            raise ImportProblem(
                f"De vorm van {bad} in {what} is kapot en niet te herstellen. Download het bestand opnieuw."
            )
    return geoms, int(invalid.sum())


def _polygonal(geom):
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _text(gdf: gpd.GeoDataFrame, col: str | None) -> pd.Series | None:
    if col is None:
        return None
    return gdf[col].map(lambda v: None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip())


def _nis(series: pd.Series | None, width: int) -> pd.Series | None:
    """NIS codes as text of ``width`` digits (a shapefile may hold them as numbers)."""
    if series is None:
        return None
    return series.map(lambda v: None if v in (None, "") else str(v).split(".")[0].zfill(width))


def plan_sector_geometry(gdf: gpd.GeoDataFrame, file_names: list[str], store: Store) -> ImportPlan:
    """An import plan for a polygon file of statistical sectors (see the module docstring)."""
    what = "dit sectorbestand"
    if len(gdf) == 0:
        raise ImportProblem("Dit sectorbestand bevat geen enkele sector. Kies het volledige bestand van Statbel.")
    code_col, scheme = _sector_column(gdf)
    raw = gdf[code_col].astype(str)
    codes = raw.map(normalise_sector_code)
    bad = codes[~codes.map(lambda v: bool(SECTOR_CODE_RE.match(v)))]
    if len(bad):
        raise ImportProblem(
            f"{len(bad)} waarden in kolom {code_col} zijn geen sectorcode: "
            f"{', '.join(bad.head(10))}. Een sectorcode heeft 9 tekens, zoals 11001A00-."
        )
    dupes = codes[codes.duplicated(keep=False)]
    if len(dupes):
        raise ImportProblem(
            f"Sommige sectorcodes komen meer dan één keer voor: {', '.join(sorted(set(dupes))[:10])}. "
            "Elke sector hoort één keer in het bestand te staan; kies het originele bestand."
        )
    lambert, crs_label = to_lambert(gdf, what)
    geoms, repaired = check_polygons(lambert, codes, what)

    cols = [c for c in gdf.columns if c != gdf.geometry.name]
    name_col = _first(cols, "tx_sector_descr_nl", "T_SEC_NL", "sectorName", "statsec_naam", "naam", "name")
    area_col = _first(cols, "ms_area_ha", "M_AREA_HA")
    names = _text(gdf, name_col)
    computed_ha = pd.Series(shapely.area(geoms) / 10_000.0, index=gdf.index)
    area_ha = pd.to_numeric(gdf[area_col], errors="coerce").fillna(computed_ha) if area_col else computed_ha
    vintage, how = detect_vintage(codes, file_names, code_col)
    check_vintage(store, vintage)
    known = known_codes(store, "statsec")
    if vintage is None and store.sector_vintage() and known and set(codes) <= known:
        vintage, how = store.sector_vintage(), "alle codes staan in de gebiedsindeling van de databank"

    municipality_col = _first(cols, "cd_munty_refnis", r"CNIS5_\d{4}")
    simple = simplify_in_groups(geoms, _text(gdf, municipality_col).to_numpy() if municipality_col else None)
    sectors = pd.DataFrame(
        {
            "level": "statsec",
            "code": codes.to_numpy(),
            "name": (names if names is not None else codes).fillna(codes).to_numpy(),
            "area_ha": area_ha.to_numpy(dtype=float),
            "geom_lambert": list(shapely.to_wkb(geoms)),
            "geom_display": wgs84_wkb(simple),
        }
    )

    # Parents the file itself states (Statbel files do; others get them from an area table).
    parent_specs = [
        ("deelgemeente", _first(cols, "cd_sub_munty", "C_NIS6"), _first(cols, "tx_sub_munty_nl", "T_NIS6_NL"), 6),
        ("gemeente", _first(cols, "cd_munty_refnis", r"CNIS5_\d{4}"), _first(cols, "tx_munty_descr_nl", "T_MUN_NL"), 5),
        (
            "provincie",
            _first(cols, "cd_prov_refnis", r"CNIS_PROVI.*"),
            _first(cols, "tx_prov_descr_nl", "T_PROVI_NL"),
            5,
        ),
        (
            "gewest",
            _first(cols, "cd_rgn_refnis", r"C_REGIO", r"CNIS_REGIO.*"),
            _first(cols, "tx_rgn_descr_nl", "T_REGIO_NL"),
            5,
        ),
    ]
    area_rows = [sectors]
    parent_rows = []
    levels = {"statsec": len(sectors)}
    for level, code_column, name_column, width in parent_specs:
        if code_column is None:
            continue
        parent_codes = _nis(_text(gdf, code_column), width)
        if level == "gewest":
            parent_codes = parent_codes.map(lambda c: _REGION_CODES.get(c, c) if c else c)
        parent_names = _text(gdf, name_column)
        table = pd.DataFrame(
            {
                "code": codes.to_numpy(),
                "parent": parent_codes.to_numpy(),
                "name": parent_names.to_numpy() if parent_names is not None else None,
            }
        )
        table = table[table["parent"].notna()]
        parent_rows.append(
            pd.DataFrame(
                {"level": "statsec", "code": table["code"], "parent_level": level, "parent_code": table["parent"]}
            )
        )
        first_names = table.groupby("parent")["name"].first()
        parent_geoms, parent_display = [None] * len(first_names), [None] * len(first_names)
        if level in ("deelgemeente", "gemeente"):
            # A municipality's outline is the union of its sectors (exact when the file holds them all);
            # its map outline is the union of the simplified sectors, so borders match on the map.
            groups = pd.Series(range(len(codes))).groupby(parent_codes.to_numpy()).apply(list)
            parent_geoms = [dissolve(geoms[groups[p]]) for p in first_names.index]
            parent_display = wgs84_wkb([dissolve(simple[groups[p]]) for p in first_names.index])
        area_rows.append(
            pd.DataFrame(
                {
                    "level": level,
                    "code": first_names.index,
                    "name": first_names.fillna(pd.Series(first_names.index, index=first_names.index)),
                    "area_ha": [shapely.area(g) / 10_000.0 if g is not None else None for g in parent_geoms],
                    "geom_lambert": [shapely.to_wkb(g) if g is not None else None for g in parent_geoms],
                    "geom_display": parent_display,
                }
            )
        )
        levels[level] = len(first_names)

    notes = [f"Herkend als: {scheme}, codes in kolom {code_col}" + (f", namen in {name_col}" if name_col else "")]
    notes.append(f"Indeling: {vintage} ({how})" if vintage else f"Indeling 2024 of 2025: {how}")
    warnings = []
    if repaired:
        warnings.append(f"{repaired} kapotte vormen (bv. zelfdoorsnijdend) werden hersteld.")
    if not parent_rows or not any(p["parent_level"].eq("gemeente").any() for p in parent_rows):
        warnings.append(
            "Dit bestand zegt niet in welke gemeente elke sector ligt. Importeer ook de gebiedsindeling "
            "van Provincies in Cijfers (statsec_als_basis.xlsx, of statsec2024_als_basis.xlsx voor de "
            "indeling 2024); de app leidt de gemeente nooit af uit de eerste cijfers van de code."
        )
    if vintage is None:
        warnings.append("Controleer of de cijfers die je importeert dezelfde indeling (2024 of 2025) gebruiken.")
    matched = sum(c in known for c in codes) if known else None
    suffix = vintage or "onbekend"
    return ImportPlan(
        dataset_id=f"{KIND}-{suffix}",
        title=f"Statistische sectoren, indeling {suffix}",
        source="Statbel" if scheme.startswith("Statbel") else "eigen bestand",
        period_label=vintage,
        file_name=", ".join(file_names),
        preview=Preview(
            kind=KIND,
            description=f"Statistische sectoren ({scheme}), indeling {suffix}",
            file_names=file_names,
            rows=len(gdf),
            crs=crs_label,
            levels=levels,
            matched=matched,
            unmatched=sorted(set(codes) - known) if known else [],
            notes=notes,
            warnings=warnings,
            sample=sectors[["code", "name", "area_ha"]]
            .head(10)
            .rename(columns={"code": "sector", "name": "naam", "area_ha": "oppervlakte (ha)"}),
        ),
        areas=pd.concat(area_rows, ignore_index=True),
        sector_vintage=vintage,
        area_parents=pd.concat(parent_rows, ignore_index=True) if parent_rows else None,
    )
