"""Provincies in Cijfers area tables: which sector lies in which municipality, care zone, province.

Accepted (dataformats.md §1.5, §3.1, §4.1; files of github.com/provinciesincijfers/gebiedsniveaus):
* ``verzamelbestanden/statsec_als_basis.xlsx``: 2025 sectors → every area level;
* ``verzamelbestanden/statsec2024_als_basis.xlsx``: the same for the 2024 sectors;
* ``kerntabellen/gemeente_elz.xls`` / ``aggregatietabellen/gemeente_elz.xlsx``: municipality → care zone;
* the PinC polygon layers ``gemeente``, ``deelgemeente``, ``elz`` and ``ggw7`` (shapefiles in
  Lambert 72, code column ``geoitem`` or ``elz``) as geometry of those levels.

Pseudo-sectors ``NNNNNZZZZ`` ("sector onbekend") and the technical zones ``elz9x`` are left out.
"""

from __future__ import annotations

import re

import geopandas as gpd
import pandas as pd
import shapely

from ..areas import LEVEL_BY_CODE, SECTOR_CODE_RE, normalise_sector_code
from ..formatting import format_number
from ..geometry import display_wkb
from ..store import Store
from .core import ImportPlan, Preview, check_vintage, known_codes, require_columns
from .errors import ImportProblem
from .sectors import check_polygons, to_lambert

KIND = "gebiedsindeling"

# (store level, column of the code, column of the name) per vintage of the PinC sector table.
_LEVEL_COLUMNS = {
    "2025": {"statsec": ("statsec", "statsec_naam"), "deelgemeente": ("deelgemeente", "deelgemeente_naam"),
             "gemeente": ("gemeente", "gemeente_naam"), "wijk": ("ggw7", None), "elz": ("elz", "elz_naam"),
             "provincie": ("provincie", "provincie_naam"), "gewest": ("gewest", "gewest_naam")},
    "2024": {"statsec": ("statsec2024", "statsec2024_naam"),
             "deelgemeente": ("deelgemeente2024", "deelgemeente2024_naam"),
             "gemeente": ("gemeente", "gemeente_naam"), "wijk": ("ggw72024", None), "elz": ("elz", "elz_naam"),
             "provincie": ("provincie", "provincie_naam"), "gewest": ("gewest", "gewest_naam")},
}
_TECHNICAL_ZONE = re.compile(r"elz9\d")
_UNKNOWN_MUNICIPALITY = {"99991", "99992", "99993", "99999"}


def recognise_table(frame: pd.DataFrame) -> str | None:
    """"sectors-2025", "sectors-2024" or "gemeente-elz" when the columns say so."""
    cols = set(map(str, frame.columns))
    if {"statsec2024", "gemeente", "elz"} <= cols:
        return "sectors-2024"
    if {"statsec", "gemeente", "elz"} <= cols:
        return "sectors-2025"
    if {"gemeente", "elz"} <= cols and len(cols) <= 6:
        return "gemeente-elz"
    return None


def _clean(value) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():  # a code read as a number from Excel
        text = text[:-2]
    return text or None


def plan_sector_table(frame: pd.DataFrame, vintage: str, file_names: list[str], store: Store) -> ImportPlan:
    """Sector → deelgemeente, wijk, gemeente, care zone, province, region (a PinC ``*_als_basis`` table)."""
    spec = _LEVEL_COLUMNS[vintage]
    require_columns(frame, [c for c, _ in spec.values()], "deze gebiedstabel")
    check_vintage(store, vintage)
    table = frame.map(_clean)
    sector_col = spec["statsec"][0]
    table[sector_col] = table[sector_col].map(lambda c: normalise_sector_code(c) if c else c)
    pseudo = table[sector_col].fillna("").str.endswith("ZZZZ")
    table = table[~pseudo & table[sector_col].notna()]
    bad = table[~table[sector_col].map(lambda c: bool(SECTOR_CODE_RE.match(c)))][sector_col]
    if len(bad):
        raise ImportProblem(f"{len(bad)} waarden in kolom {sector_col} zijn geen sectorcode: "
                            f"{', '.join(bad.head(10))}. Kies het originele bestand van Provincies in Cijfers.")
    dupes = table[table[sector_col].duplicated(keep=False)][sector_col]
    if len(dupes):
        raise ImportProblem(f"Sommige sectorcodes staan meer dan één keer in de tabel: "
                            f"{', '.join(sorted(set(dupes))[:10])}. Kies het originele bestand.")
    areas, parents, levels = [], [], {}
    for level, (code_col, name_col) in spec.items():
        codes = table[code_col]
        names = table[name_col] if name_col else codes
        rows = pd.DataFrame({"level": level, "code": codes, "name": names.fillna(codes)}).dropna(subset=["code"])
        if level == "elz":
            rows = rows[~rows["code"].str.fullmatch(_TECHNICAL_ZONE)]
        if level == "gemeente":
            rows = rows[~rows["code"].isin(_UNKNOWN_MUNICIPALITY)]
        rows = rows.drop_duplicates(subset=["code"])
        areas.append(rows)
        levels[level] = len(rows)
        if level != "statsec":
            valid = set(rows["code"])
            link = pd.DataFrame({"level": "statsec", "code": table[sector_col], "parent_level": level,
                                 "parent_code": codes})
            parents.append(link[link["parent_code"].isin(valid)])
    # The municipality's own parents (care zone, province, region), so the area picker works at once.
    municipal = table.drop_duplicates(subset=[spec["gemeente"][0]])
    for level in ("elz", "provincie", "gewest"):
        link = pd.DataFrame({"level": "gemeente", "code": municipal[spec["gemeente"][0]], "parent_level": level,
                             "parent_code": municipal[spec[level][0]]}).dropna()
        parents.append(link[~link["code"].isin(_UNKNOWN_MUNICIPALITY)
                            & ~link["parent_code"].str.fullmatch(_TECHNICAL_ZONE)])
    for child, parent in (("elz", "provincie"), ("elz", "gewest"), ("provincie", "gewest")):
        link = pd.DataFrame({"level": child, "code": table[spec[child][0]], "parent_level": parent,
                             "parent_code": table[spec[parent][0]]}).dropna().drop_duplicates(subset=["code"])
        parents.append(link[~link["code"].str.fullmatch(_TECHNICAL_ZONE)])
    known = known_codes(store, "statsec")
    codes = list(table[sector_col])
    return ImportPlan(
        dataset_id=f"{KIND}-statsec-{vintage}",
        title=f"Gebiedsindeling van de sectoren (indeling {vintage})",
        source="Provincies in Cijfers",
        period_label=vintage,
        file_name=", ".join(file_names),
        preview=Preview(
            kind=KIND, description=f"Gebiedsindeling Provincies in Cijfers: sector → gemeente, eerstelijnszone "
                                   f"… (sectorindeling {vintage})",
            file_names=file_names, rows=len(frame), levels=levels,
            matched=sum(c in known for c in codes) if known else None,
            unmatched=sorted(set(codes) - known) if known else [],
            notes=[f"{format_number(int(pseudo.sum()))} codes 'sector onbekend' (…ZZZZ) overgeslagen."],
        ),
        areas=pd.concat(areas, ignore_index=True),
        area_parents=pd.concat(parents, ignore_index=True).drop_duplicates(subset=["level", "code", "parent_level"]),
        sector_vintage=vintage,
    )


def plan_municipality_zones(frame: pd.DataFrame, file_names: list[str], store: Store) -> ImportPlan:
    """Municipality → care zone (PinC ``gemeente_elz``), with names when the table has them."""
    table = frame.map(_clean)
    require_columns(table, ["gemeente", "elz"], "deze tabel gemeente → eerstelijnszone")
    table = table.dropna(subset=["gemeente", "elz"])
    table = table[~table["gemeente"].isin(_UNKNOWN_MUNICIPALITY) & ~table["elz"].str.fullmatch(_TECHNICAL_ZONE)]
    bad = table[~table["gemeente"].str.fullmatch(r"\d{5}")]["gemeente"]
    if len(bad):
        raise ImportProblem(f"{len(bad)} gemeentecodes zijn geen NIS-code van 5 cijfers: {', '.join(bad.head(10))}.")
    dupes = table[table["gemeente"].duplicated(keep=False)]["gemeente"]
    if len(dupes):
        raise ImportProblem(f"Deze gemeenten staan meer dan één keer in de tabel: {', '.join(sorted(set(dupes)))}.")
    name_gem = next((c for c in table.columns if c.lower() in ("name gemeente", "gemeente_naam")), None)
    name_elz = next((c for c in table.columns if c.lower() in ("name elz", "elz_naam")), None)
    areas = pd.concat([
        pd.DataFrame({"level": "gemeente", "code": table["gemeente"],
                      "name": table[name_gem] if name_gem else table["gemeente"]}),
        pd.DataFrame({"level": "elz", "code": table["elz"],
                      "name": table[name_elz] if name_elz else table["elz"]}).drop_duplicates(subset=["code"]),
    ], ignore_index=True)
    parents = pd.DataFrame({"level": "gemeente", "code": table["gemeente"], "parent_level": "elz",
                            "parent_code": table["elz"]})
    known = known_codes(store, "gemeente")
    return ImportPlan(
        dataset_id=f"{KIND}-gemeente-elz", title="Gemeenten per eerstelijnszone", source="Provincies in Cijfers",
        file_name=", ".join(file_names),
        preview=Preview(kind=KIND, description="Gemeenten per eerstelijnszone (Provincies in Cijfers)",
                        file_names=file_names, rows=len(frame),
                        levels={"gemeente": len(table), "elz": table["elz"].nunique()},
                        matched=sum(c in known for c in table["gemeente"]) if known else None,
                        unmatched=sorted(set(table["gemeente"]) - known) if known else []),
        areas=areas, area_parents=parents,
    )


# PinC polygon layer → (store level, code pattern).
_POLYGON_LEVELS = {
    "gemeente": ("gemeente", r"\d{5}"),
    "deelgemeente": ("deelgemeente", r"\d{5}[A-Z0-9]"),
    "elz": ("elz", r"elz\d+"),
    "ggw7": ("wijk", r"\d{5}W[0-9A-Z]{2,3}"),
}


def recognise_polygons(gdf: gpd.GeoDataFrame, stem: str) -> str | None:
    """The PinC layer name of a polygon file, from its name or its code column."""
    cols = {c.lower(): c for c in gdf.columns}
    if "geoitem" not in cols and "elz" not in cols:
        return None
    key = stem.lower()
    if key in _POLYGON_LEVELS:
        return key
    values = gdf[cols.get("geoitem") or cols["elz"]].dropna().astype(str)
    for layer, (_level, pattern) in _POLYGON_LEVELS.items():
        if len(values) and values.str.fullmatch(pattern).mean() > 0.95:
            return layer
    return None


def plan_area_polygons(gdf: gpd.GeoDataFrame, layer: str, file_names: list[str], store: Store) -> ImportPlan:
    """Outlines of municipalities, deelgemeenten, care zones or wijken (PinC shapefiles)."""
    level, pattern = _POLYGON_LEVELS[layer]
    cols = {c.lower(): c for c in gdf.columns}
    code_col = cols.get("geoitem") or cols.get("elz")
    name_col = cols.get("naam")
    codes = gdf[code_col].map(_clean)
    keep = codes.notna() & codes.str.fullmatch(pattern).fillna(False)
    if layer == "elz":
        keep &= ~codes.str.fullmatch(_TECHNICAL_ZONE).fillna(False)
    if not keep.any():
        raise ImportProblem(f"In dit bestand staan geen codes van het niveau {level} (zoals "
                            f"{'elz12' if level == 'elz' else '11001'}). Kies de laag {layer} van Provincies in Cijfers.")
    gdf, codes = gdf[keep], codes[keep]
    dupes = codes[codes.duplicated(keep=False)]
    if len(dupes):
        raise ImportProblem(f"Sommige codes komen meer dan één keer voor: {', '.join(sorted(set(dupes))[:10])}.")
    lambert, crs_label = to_lambert(gdf, "deze laag")
    geoms, repaired = check_polygons(lambert, codes, "deze laag")
    names = gdf[name_col].map(_clean).fillna(codes) if name_col else codes
    areas = pd.DataFrame({"level": level, "code": codes.to_numpy(), "name": names.to_numpy(),
                          "area_ha": shapely.area(geoms) / 10_000.0, "geom_lambert": list(shapely.to_wkb(geoms)),
                          "geom_display": display_wkb(geoms, coverage=False)})
    if not name_col:
        areas["name"] = None  # a care zone's name comes from the area tables; never overwrite it by its code
    known = known_codes(store, level)
    return ImportPlan(
        dataset_id=f"{KIND}-vormen-{level}", title=f"Omtrek van de {LEVEL_BY_CODE[level].plural}",
        source="Provincies in Cijfers",
        file_name=", ".join(file_names),
        preview=Preview(kind=KIND, description=f"Omtrek van de {LEVEL_BY_CODE[level].plural} (Provincies in Cijfers)",
                        file_names=file_names,
                        rows=len(gdf), crs=crs_label, levels={level: len(areas)},
                        matched=sum(c in known for c in codes) if known else None,
                        unmatched=sorted(set(codes) - known) if known else [],
                        warnings=[f"{repaired} kapotte vormen werden hersteld."] if repaired else []),
        areas=areas,
    )
