"""Provincies in Cijfers area tables: which sector lies in which municipality, care zone, province.

Accepted (dataformats.md §1.5, §3.1, §4.1; files of github.com/provinciesincijfers/gebiedsniveaus):
* ``verzamelbestanden/statsec_als_basis.xlsx``: 2025 sectors → every area level;
* ``verzamelbestanden/statsec2024_als_basis.xlsx``: the same for the 2024 sectors;
* ``kerntabellen/gemeente_elz.xls`` / ``aggregatietabellen/gemeente_elz.xlsx``: municipality → care zone;
* ``kerntabellen/statsec_elzantw.xlsx``: the Antwerp split (§4.1) — sector → one of the 4 care zones
  of the city (``elzantw1``…``elzantw4``), replacing ``elz2`` "Antwerpen en rand" for those sectors;
* the PinC name lists ``data_voor_swing/gebiedsdefinities/<level>.xlsx`` (``sequence nr | geoitem code |
  short name | name``): the names of one level, the level read from the codes;
* the PinC polygon layers ``gemeente``, ``deelgemeente``, ``elz``, ``elzantw`` and ``ggw7`` (shapefiles in
  Lambert 72, code column ``geoitem``, ``elz`` or ``ELZantw``) as geometry of those levels.

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
from .core import ImportPlan, Preview, check_vintage, known_codes, require_columns, require_known_codes
from .errors import ImportProblem
from .sectors import check_polygons, detect_vintage, to_lambert

__all__ = [
    "KIND",
    "SPLIT_PREFIX",
    "plan_antwerp_zones",
    "plan_area_polygons",
    "plan_municipality_zones",
    "plan_names",
    "plan_sector_table",
    "recognise_polygons",
    "recognise_table",
    "split_zone_code",
]

KIND = "gebiedsindeling"

# (store level, column of the code, column of the name) per vintage of the PinC sector table.
_LEVEL_COLUMNS = {
    "2025": {
        "statsec": ("statsec", "statsec_naam"),
        "deelgemeente": ("deelgemeente", "deelgemeente_naam"),
        "gemeente": ("gemeente", "gemeente_naam"),
        "wijk": ("ggw7", None),
        "elz": ("elz", "elz_naam"),
        "provincie": ("provincie", "provincie_naam"),
        "gewest": ("gewest", "gewest_naam"),
    },
    "2024": {
        "statsec": ("statsec2024", "statsec2024_naam"),
        "deelgemeente": ("deelgemeente2024", "deelgemeente2024_naam"),
        "gemeente": ("gemeente", "gemeente_naam"),
        "wijk": ("ggw72024", None),
        "elz": ("elz", "elz_naam"),
        "provincie": ("provincie", "provincie_naam"),
        "gewest": ("gewest", "gewest_naam"),
    },
}
_TECHNICAL_ZONE = re.compile(r"elz9\d")
_UNKNOWN_MUNICIPALITY = {"99991", "99992", "99993", "99999"}


# The Antwerp split (dataformats.md §4.1): the care zone elz2 is split by sector into 4 zones,
# stored as the care zones elzantw1 … elzantw4.
SPLIT_PREFIX = "elzantw"
_NAME_TABLE_COLUMNS = {"geoitem code", "name"}


def recognise_table(frame: pd.DataFrame) -> str | None:
    """ "sectors-2025", "sectors-2024", "gemeente-elz", "antwerp-zones" or "names" when the columns say so."""
    cols = set(map(str, frame.columns))
    lower = {c.lower() for c in cols}
    if {"statsec2024", "gemeente", "elz"} <= cols:
        return "sectors-2024"
    if {"statsec", "gemeente", "elz"} <= cols:
        return "sectors-2025"
    if {"gemeente", "elz"} <= cols and len(cols) <= 6:
        return "gemeente-elz"
    if {"statsec", "elzantw"} <= lower and len(cols) <= 6:
        return "antwerp-zones"
    if _NAME_TABLE_COLUMNS <= lower and len(cols) <= 6:
        return "names"
    return None


def split_zone_code(raw) -> str | None:
    """The store code of an Antwerp care zone: ``1`` → ``elzantw1``; ``#LEEG!`` (outside Antwerp) → None."""
    text = _clean(raw)
    if text is None:
        return None
    if text.lower().startswith(SPLIT_PREFIX):
        text = text[len(SPLIT_PREFIX) :]
    return f"{SPLIT_PREFIX}{int(text)}" if text.isdigit() else None


def _split_zone_names(codes: pd.Series, names: pd.Series | None) -> dict[str, str]:
    """Code → name of the Antwerp zones (first name given per code; the code when a file has none)."""
    out: dict[str, str] = {}
    for code, name in zip(codes, names if names is not None else codes):
        if code is not None and code not in out:
            out[code] = _clean(name) or code
    return dict(sorted(out.items()))


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
    # The codes say which sector lies where; a missing name column only costs the names: those areas are
    # named by their code (the store keeps a name it already knows, see Store._merge_areas).
    nameless = {level: name for level, (_code, name) in spec.items() if name and name not in table.columns}
    for name_col in nameless.values():
        table[name_col] = None
    sector_col = spec["statsec"][0]
    table[sector_col] = table[sector_col].map(lambda c: normalise_sector_code(c) if c else c)
    pseudo = table[sector_col].fillna("").str.endswith("ZZZZ")
    table = table[~pseudo & table[sector_col].notna()]
    bad = table[~table[sector_col].map(lambda c: bool(SECTOR_CODE_RE.match(c)))][sector_col]
    if len(bad):
        raise ImportProblem(
            f"{len(bad)} waarden in kolom {sector_col} zijn geen sectorcode: "
            f"{', '.join(bad.head(10))}. Kies het originele bestand van Provincies in Cijfers."
        )
    dupes = table[table[sector_col].duplicated(keep=False)][sector_col]
    if len(dupes):
        raise ImportProblem(
            f"Sommige sectorcodes staan meer dan één keer in de tabel: "
            f"{', '.join(sorted(set(dupes))[:10])}. Kies het originele bestand."
        )
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
            link = pd.DataFrame(
                {"level": "statsec", "code": table[sector_col], "parent_level": level, "parent_code": codes}
            )
            parents.append(link[link["parent_code"].isin(valid)])
    # The municipality's own parents (care zone, province, region), so the area picker works at once.
    municipal = table.drop_duplicates(subset=[spec["gemeente"][0]])
    for level in ("elz", "provincie", "gewest"):
        link = pd.DataFrame(
            {
                "level": "gemeente",
                "code": municipal[spec["gemeente"][0]],
                "parent_level": level,
                "parent_code": municipal[spec[level][0]],
            }
        ).dropna()
        parents.append(
            link[~link["code"].isin(_UNKNOWN_MUNICIPALITY) & ~link["parent_code"].str.fullmatch(_TECHNICAL_ZONE)]
        )
    for child, parent in (("elz", "provincie"), ("elz", "gewest"), ("provincie", "gewest")):
        link = (
            pd.DataFrame(
                {
                    "level": child,
                    "code": table[spec[child][0]],
                    "parent_level": parent,
                    "parent_code": table[spec[parent][0]],
                }
            )
            .dropna()
            .drop_duplicates(subset=["code"])
        )
        parents.append(link[~link["code"].str.fullmatch(_TECHNICAL_ZONE)])
    area_parents = pd.concat(parents, ignore_index=True).drop_duplicates(subset=["level", "code", "parent_level"])
    areas = pd.concat(areas, ignore_index=True)
    notes = [f"{format_number(int(pseudo.sum()))} codes 'sector onbekend' (…ZZZZ) overgeslagen."]
    split_col = next((c for c in table.columns if str(c).lower() == "elzantw"), None)
    if split_col is not None:  # the 2025 table carries the Antwerp split itself (column ELZantw)
        areas, area_parents, split_notes, n_zones = _with_split(table, spec, split_col, areas, area_parents)
        levels["elz"] += n_zones
        notes += split_notes
    known = known_codes(store, "statsec")
    codes = list(table[sector_col])
    warnings = [_nameless_warning(nameless, vintage)] if nameless else []
    return ImportPlan(
        dataset_id=f"{KIND}-statsec-{vintage}",
        title=f"Gebiedsindeling van de sectoren (indeling {vintage})",
        source="Provincies in Cijfers",
        period_label=vintage,
        file_name=", ".join(file_names),
        preview=Preview(
            kind=KIND,
            description=f"Gebiedsindeling Provincies in Cijfers: sector → gemeente, eerstelijnszone "
            f"… (sectorindeling {vintage})",
            file_names=file_names,
            rows=len(frame),
            levels=levels,
            matched=sum(c in known for c in codes) if known else None,
            unmatched=sorted(set(codes) - known) if known else [],
            notes=notes,
            warnings=warnings,
        ),
        areas=areas,
        area_parents=area_parents,
        sector_vintage=vintage,
    )


def _nameless_warning(nameless: dict[str, str], vintage: str) -> str:
    """Dutch: which name columns a sector table lacks, what the areas are called instead, where names come from."""
    columns = list(nameless.values())
    plurals = [LEVEL_BY_CODE[level].plural for level in nameless]
    what = " en ".join([", ".join(plurals[:-1]), plurals[-1]] if len(plurals) > 1 else plurals)
    verb = "ontbreekt de kolom" if len(columns) == 1 else "ontbreken de kolommen"
    original = "statsec2024_als_basis.xlsx" if vintage == "2024" else "statsec_als_basis.xlsx"
    return (
        f"In deze gebiedstabel {verb} {', '.join(columns)}: de {what} krijgen hun code als naam (een naam die "
        f"de databank al kent, blijft). Voor de namen: importeer het originele bestand {original} of de "
        "namenlijsten van Provincies in Cijfers."
    )


def _with_split(
    table: pd.DataFrame, spec: dict, split_col: str, areas: pd.DataFrame, parents: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, list[str], int]:
    """A sector table's areas and parents with the Antwerp split of its ELZantw column applied.

    The listed sectors get their Antwerp zone as care zone; a municipality wholly inside one zone gets
    that zone, one split over several zones keeps no care zone (each sector is compared with its own).
    """
    sector_col = spec["statsec"][0]
    name_col = next((c for c in table.columns if str(c).lower() in ("elzantw_naam", "name elzantw")), None)
    zones = table[split_col].map(split_zone_code)
    listed = zones.notna()
    if not listed.any():
        return areas, parents, [], 0
    names = _split_zone_names(zones[listed], table.loc[listed, name_col] if name_col else None)
    sector_zone = pd.Series(zones[listed].to_numpy(), index=table.loc[listed, sector_col].to_numpy())
    parents = parents.copy()
    sector_elz = (parents["level"] == "statsec") & (parents["parent_level"] == "elz")
    moved = sector_elz & parents["code"].isin(sector_zone.index)
    parents.loc[moved, "parent_code"] = parents.loc[moved, "code"].map(sector_zone)
    # The zone of every sector after the split, and each municipality's zones.
    zone_of = parents[sector_elz].set_index("code")["parent_code"]
    municipality_of = pd.Series(table[spec["gemeente"][0]].to_numpy(), index=table[sector_col].to_numpy())
    per_municipality = zone_of.groupby(municipality_of.reindex(zone_of.index)).agg(lambda z: sorted(set(z)))
    touched = per_municipality[per_municipality.map(lambda z: any(c in names for c in z))]
    municipal_elz = (parents["level"] == "gemeente") & (parents["parent_level"] == "elz")
    whole = {m: z[0] for m, z in touched.items() if len(z) == 1}
    split = set(touched.index) - set(whole)
    rows = municipal_elz & parents["code"].isin(whole)
    parents.loc[rows, "parent_code"] = parents.loc[rows, "code"].map(whole)
    parents = parents[~(municipal_elz & parents["code"].isin(split))]
    # The zones themselves, inside the province and region of their sectors.
    zone_rows = pd.DataFrame({"level": "elz", "code": list(names), "name": list(names.values())})
    first = table[listed].assign(_zone=zones[listed]).drop_duplicates(subset=["_zone"]).set_index("_zone")
    zone_parents = [
        pd.DataFrame(
            {
                "level": "elz",
                "code": list(names),
                "parent_level": level,
                "parent_code": [first.loc[c, spec[level][0]] for c in names],
            }
        ).dropna()
        for level in ("provincie", "gewest")
    ]
    municipality_names = dict(zip(table[spec["gemeente"][0]], table[spec["gemeente"][1]]))
    in_touched = zone_of[zone_of.index.isin(municipality_of[municipality_of.isin(touched.index)].index)]
    old_zone = set(in_touched) - set(names)
    left = table[table[sector_col].isin(in_touched[in_touched.isin(old_zone)].index)]
    notes = _split_notes(
        touched,
        names,
        municipality_names,
        dict(zip(left[sector_col], left[spec["statsec"][1]].fillna(left[sector_col]))),
        {c: n or c for c, n in zip(table[spec["elz"][0]], table[spec["elz"][1]]) if c in old_zone},
    )
    return (
        pd.concat([areas, zone_rows], ignore_index=True),
        pd.concat([parents, *zone_parents], ignore_index=True),
        notes,
        len(names),
    )


def _split_notes(
    touched: pd.Series,
    zone_names: dict[str, str],
    municipality_names: dict[str, str],
    left_behind: dict[str, str],
    old_zone_names: dict[str, str],
) -> list[str]:
    """Dutch preview lines: which municipality lies in which Antwerp zone(s), and the sectors left out."""
    notes = []
    for municipality, zones in touched.items():
        name = municipality_names.get(municipality) or municipality
        split = [zone_names[z] for z in zones if z in zone_names]
        if len(zones) == 1:
            notes.append(f"{name} ligt helemaal in de eerstelijnszone {split[0]}.")
        else:
            notes.append(
                f"{name} ligt in {len(split)} eerstelijnszones ({', '.join(split)}): elke sector van "
                f"{name} wordt vergeleken met zijn eigen zone; de gemeente als geheel krijgt geen "
                "eerstelijnszone."
            )
    if left_behind:
        listed = ", ".join(f"{n} ({c})" for c, n in sorted(left_behind.items())[:10])
        zone = ", ".join(old_zone_names.values()) or ", ".join(sorted(old_zone_names))
        notes.append(
            f"{format_number(len(left_behind))} sectoren staan in geen van deze zones en blijven in "
            f"{zone or 'hun oude zone'}: {listed}."
        )
    return notes


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
    name_gem = next((c for c in table.columns if str(c).lower() in ("name gemeente", "gemeente_naam")), None)
    name_elz = next((c for c in table.columns if str(c).lower() in ("name elz", "elz_naam")), None)
    areas = pd.concat(
        [
            pd.DataFrame(
                {
                    "level": "gemeente",
                    "code": table["gemeente"],
                    "name": table[name_gem] if name_gem else table["gemeente"],
                }
            ),
            pd.DataFrame(
                {"level": "elz", "code": table["elz"], "name": table[name_elz] if name_elz else table["elz"]}
            ).drop_duplicates(subset=["code"]),
        ],
        ignore_index=True,
    )
    parents = pd.DataFrame(
        {"level": "gemeente", "code": table["gemeente"], "parent_level": "elz", "parent_code": table["elz"]}
    )
    known = known_codes(store, "gemeente")
    return ImportPlan(
        dataset_id=f"{KIND}-gemeente-elz",
        title="Gemeenten per eerstelijnszone",
        source="Provincies in Cijfers",
        file_name=", ".join(file_names),
        preview=Preview(
            kind=KIND,
            description="Gemeenten per eerstelijnszone (Provincies in Cijfers)",
            file_names=file_names,
            rows=len(frame),
            levels={"gemeente": len(table), "elz": table["elz"].nunique()},
            matched=sum(c in known for c in table["gemeente"]) if known else None,
            unmatched=sorted(set(table["gemeente"]) - known) if known else [],
        ),
        areas=areas,
        area_parents=parents,
    )


def plan_antwerp_zones(frame: pd.DataFrame, file_names: list[str], store: Store) -> ImportPlan:
    """The Antwerp split (PinC ``statsec_elzantw``): sector → one of the 4 care zones of the city.

    The zones ``elzantw1``…``elzantw4`` replace ``elz2`` as care zone of the listed sectors (2025 codes).
    Which municipality then lies in one zone or in several follows from its sectors when the file is
    written (``Store.import_dataset`` settles the municipality's care zone from its sectors).
    """
    cols = {str(c).lower(): c for c in frame.columns}
    require_columns(
        frame.rename(columns={cols.get("elzantw"): "ELZantw", cols.get("statsec"): "statsec"}),
        ["statsec", "ELZantw"],
        "deze tabel sector → Antwerpse eerstelijnszone",
    )
    check_vintage(store, "2025")
    sectors = frame[cols["statsec"]].map(_clean).map(lambda c: normalise_sector_code(c) if c else c)
    zones = frame[cols["elzantw"]].map(split_zone_code)
    name_col = cols.get("name elzantw") or cols.get("elzantw_naam")
    keep = sectors.notna() & ~sectors.fillna("").str.endswith("ZZZZ") & zones.notna()
    if not keep.any():
        raise ImportProblem(
            "In deze tabel hoort geen enkele sector bij een Antwerpse eerstelijnszone (1 tot 4). "
            "Kies het bestand statsec_elzantw.xlsx van Provincies in Cijfers."
        )
    skipped = int((~keep).sum())
    names = _split_zone_names(zones[keep], frame.loc[keep, name_col] if name_col else None)
    sectors, zones = sectors[keep], zones[keep]
    bad = sectors[~sectors.map(lambda c: bool(SECTOR_CODE_RE.match(c)))]
    if len(bad):
        raise ImportProblem(
            f"{len(bad)} waarden in kolom statsec zijn geen sectorcode: {', '.join(bad.head(10))}. "
            "Kies het originele bestand van Provincies in Cijfers."
        )
    dupes = sectors[sectors.duplicated(keep=False)]
    if len(dupes):
        raise ImportProblem(
            f"Sommige sectorcodes staan meer dan één keer in de tabel: "
            f"{', '.join(sorted(set(dupes))[:10])}. Kies het originele bestand."
        )
    sector_zone = pd.Series(zones.to_numpy(), index=sectors.to_numpy())
    parents = [
        pd.DataFrame(
            {"level": "statsec", "code": sectors.to_numpy(), "parent_level": "elz", "parent_code": zones.to_numpy()}
        )
    ]
    # What the store knows: each sector's municipality, province and region, and its present care zone.
    known = store.parents("statsec", list(sector_zone.index))
    for level in ("provincie", "gewest"):
        if level in known:
            first = known.assign(_zone=known["code"].map(sector_zone)).dropna(subset=[level])
            first = first.drop_duplicates(subset=["_zone"])
            parents.append(
                pd.DataFrame(
                    {"level": "elz", "code": first["_zone"], "parent_level": level, "parent_code": first[level]}
                )
            )
    notes = [f"{format_number(int((sector_zone == z).sum()))} sectoren in {n} ({z})" for z, n in names.items()]
    if skipped:
        notes.append(
            f"{format_number(skipped)} rijen zonder Antwerpse zone (#LEEG!) of 'sector onbekend' overgeslagen."
        )
    if "gemeente" in known:
        municipalities = sorted(set(known["gemeente"].dropna()))
        members = store.sector_zones(municipalities)
        members["zone"] = members["code"].map(sector_zone).fillna(members["zone"])
        members = members[~members["code"].str.endswith("ZZZZ")].dropna(subset=["zone"])
        touched = members.groupby("gemeente")["zone"].agg(lambda z: sorted(set(z)))
        area_names = (
            store.area_names(
                municipalities + list(members["code"]) + list(members["zone"]), ("gemeente", "elz", "statsec")
            )
            if len(members)
            else {}
        )
        left = members[~members["zone"].isin(list(names))]
        notes += _split_notes(
            touched,
            names,
            area_names,
            {c: area_names.get(c, c) for c in left["code"]},
            {z: area_names.get(z, z) for z in set(left["zone"])},
        )
    else:
        notes.append(
            "De gemeenten van deze sectoren zijn nog niet bekend: importeer ook de gebiedstabel "
            "statsec_als_basis.xlsx (sectorindeling 2025)."
        )
    known_sectors = known_codes(store, "statsec")
    return ImportPlan(
        dataset_id=f"{KIND}-elzantw",
        title="Eerstelijnszones van Antwerpen (per sector)",
        source="Provincies in Cijfers",
        period_label="2025",
        file_name=", ".join(file_names),
        preview=Preview(
            kind=KIND,
            description="De 4 eerstelijnszones van Antwerpen: sector → zone "
            "(Provincies in Cijfers, sectorindeling 2025)",
            file_names=file_names,
            rows=len(frame),
            levels={"elz": len(names), "statsec": len(sectors)},
            matched=sum(c in known_sectors for c in sectors) if known_sectors else None,
            unmatched=sorted(set(sectors) - known_sectors) if known_sectors else [],
            notes=notes,
        ),
        areas=pd.DataFrame({"level": "elz", "code": list(names), "name": list(names.values())}),
        area_parents=pd.concat(parents, ignore_index=True),
        sector_vintage="2025",
    )


# Code patterns of the levels a PinC name list (``gebiedsdefinities/<level>.xlsx``) may hold.
_NAME_LEVELS = {
    "elz": r"elz\d+",
    "gemeente": r"\d{5}",
    "deelgemeente": r"\d{5}[A-Z0-9]",
    "wijk": r"\d{5}[A-Z][0-9A-Z]{1,3}",
}


def plan_names(frame: pd.DataFrame, file_names: list[str], store: Store) -> ImportPlan:
    """Names of one level (PinC ``sequence nr | geoitem code | short name | name``); the level from the codes."""
    cols = {str(c).lower(): c for c in frame.columns}
    codes = frame[cols["geoitem code"]].map(_clean)
    name_col = cols.get("short name") or cols["name"]
    names = frame[name_col].map(_clean)
    present = codes.dropna()
    level = None
    sectors = present.map(normalise_sector_code)
    if len(present) and sectors.map(lambda c: bool(SECTOR_CODE_RE.match(c))).mean() > 0.95:
        level, codes = "statsec", codes.map(lambda c: normalise_sector_code(c) if c else c)
    else:
        for candidate, pattern in _NAME_LEVELS.items():
            if len(present) and present.str.fullmatch(pattern).mean() > 0.95:
                level = candidate
                break
    if level is None:
        raise ImportProblem(
            f"zorgzaam herkent de codes van deze namenlijst niet (zoals {', '.join(present.head(3))}). "
            "Verwacht: codes van sectoren, gemeenten, eerstelijnszones … van Provincies in Cijfers."
        )
    keep = codes.notna() & names.notna()
    if level == "statsec":
        keep &= ~codes.fillna("").str.endswith("ZZZZ")
    elif level == "elz":
        keep &= ~codes.fillna("").str.fullmatch(_TECHNICAL_ZONE)
    elif level == "gemeente":
        keep &= ~codes.isin(_UNKNOWN_MUNICIPALITY)
    table = pd.DataFrame({"level": level, "code": codes[keep], "name": names[keep]})
    table = table.drop_duplicates(subset=["code"]).reset_index(drop=True)
    vintage = None
    if level == "statsec":
        vintage = detect_vintage(table["code"], file_names, "geoitem code")[0]
        check_vintage(store, vintage)
    known = known_codes(store, level)
    return ImportPlan(
        dataset_id=f"{KIND}-namen-{level}",
        title=f"Namen van de {LEVEL_BY_CODE[level].plural}",
        source="Provincies in Cijfers",
        file_name=", ".join(file_names),
        preview=Preview(
            kind=KIND,
            description=f"Namen van de {LEVEL_BY_CODE[level].plural} (Provincies in Cijfers)",
            file_names=file_names,
            rows=len(frame),
            levels={level: len(table)},
            matched=sum(c in known for c in table["code"]) if known else None,
            unmatched=sorted(set(table["code"]) - known) if known else [],
            notes=[
                f"{format_number(int((~keep).sum()))} rijen overgeslagen (technische codes "
                "zoals 'sector onbekend' of 'niet te lokaliseren')."
            ]
            if (~keep).any()
            else [],
        ),
        areas=table,
        sector_vintage=vintage,
    )


# PinC polygon layer → (store level, code pattern).
_POLYGON_LEVELS = {
    "gemeente": ("gemeente", r"\d{5}"),
    "deelgemeente": ("deelgemeente", r"\d{5}[A-Z0-9]"),
    "elz": ("elz", r"elz\d+"),
    "ggw7": ("wijk", r"\d{5}[A-Z][0-9A-Z]{1,3}"),
    "elzantw": ("elz", SPLIT_PREFIX + r"\d+"),  # the 4 Antwerp care zones (field ELZantw: 1…4, '#LEEG!')
}


def recognise_polygons(gdf: gpd.GeoDataFrame, stem: str) -> str | None:
    """The PinC layer name of a polygon file, from its name or its code column."""
    cols = {c.lower(): c for c in gdf.columns}
    if "elzantw" in cols and "geoitem" not in cols and "elz" not in cols:
        return "elzantw"
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
    code_col = cols.get("geoitem") or cols.get("elz") or cols.get("elzantw")
    name_col = cols.get("naam")
    codes = gdf[code_col].map(split_zone_code if layer == "elzantw" else _clean)
    keep = codes.notna() & codes.str.fullmatch(pattern).fillna(False)
    if layer == "elz":
        keep &= ~codes.str.fullmatch(_TECHNICAL_ZONE).fillna(False)
    if not keep.any():
        raise ImportProblem(
            f"In dit bestand staan geen codes van het niveau {level} (zoals "
            f"{'elz12' if level == 'elz' else '11001'}). Kies de laag {layer} van Provincies in Cijfers."
        )
    gdf, codes = gdf[keep], codes[keep]
    dupes = codes[codes.duplicated(keep=False)]
    if len(dupes):
        raise ImportProblem(f"Sommige codes komen meer dan één keer voor: {', '.join(sorted(set(dupes))[:10])}.")
    # Outlines belong to the areas of the area tables: once the store knows areas of this level, the
    # file must meet them (else it would add a second, unrelated set of areas).
    # The four Antwerp care zones are met only by the Antwerp zones the store already has.
    known_here = known_codes(store, level)
    if layer == "elzantw":
        known_here = {c for c in known_here if c.startswith(SPLIT_PREFIX)}
    require_known_codes(list(codes), known_here, level)
    lambert, crs_label = to_lambert(gdf, "deze laag")
    geoms, repaired = check_polygons(lambert, codes, "deze laag")
    names = gdf[name_col].map(_clean).fillna(codes) if name_col else codes
    areas = pd.DataFrame(
        {
            "level": level,
            "code": codes.to_numpy(),
            "name": names.to_numpy(),
            "area_ha": shapely.area(geoms) / 10_000.0,
            "geom_lambert": list(shapely.to_wkb(geoms)),
            "geom_display": display_wkb(geoms, coverage=False),
        }
    )
    if not name_col:
        areas["name"] = None  # a care zone's name comes from the area tables; never overwrite it by its code
    known = known_codes(store, level)
    what = LEVEL_BY_CODE[level].plural + (" van Antwerpen" if layer == "elzantw" else "")
    notes = []
    if layer == "elzantw" and len(gdf) < len(keep):
        notes.append(f"{format_number(len(keep) - len(gdf))} vorm(en) buiten Antwerpen (#LEEG!) overgeslagen.")
    return ImportPlan(
        dataset_id=f"{KIND}-vormen-{'elzantw' if layer == 'elzantw' else level}",
        title=f"Omtrek van de {what}",
        source="Provincies in Cijfers",
        file_name=", ".join(file_names),
        preview=Preview(
            kind=KIND,
            description=f"Omtrek van de {what} (Provincies in Cijfers)",
            file_names=file_names,
            notes=notes,
            rows=len(gdf),
            crs=crs_label,
            levels={level: len(areas)},
            matched=sum(c in known for c in codes) if known else None,
            unmatched=sorted(set(codes) - known) if known else [],
            warnings=[f"{repaired} kapotte vormen werden hersteld."] if repaired else [],
        ),
        areas=areas,
    )
