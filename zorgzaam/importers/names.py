"""Matching area names to codes, for exports that carry names only (Stad in Cijfers, Swing).

A Stad in Cijfers export of Antwerp has a column "Wijken" with "Amandus - Atheneum", where the
Provincies in Cijfers wijk (ggw7) is called "Amandus & Atheneum (Antwerpen)"; the two files share
no code. Names are compared after ``normalise_name`` (no municipality suffix in brackets, no
accents, no case, punctuation as spaces). The same name can occur in several municipalities
("Centrum"): the municipality holding most of the file's unambiguous names decides between them.
A name that still fits several areas, or none, is reported and not imported; never guessed.

A table of municipalities often ends with rows for coarser areas (Statbel's "Tabel C.1": the
arrondissement, "Provincie Vlaams-Brabant", "Vlaams Gewest", "België"): ``match_coarser`` finds the
municipalities, provinces and region among names the finest level left over; a word in front
("Provincie", "Arrondissement") decides the level, and "Vlaams Gewest" / "Vlaanderen" is the Flemish
Region (``REGION_NAMES``). Arrondissements and Belgium have no level in zorgzaam and stay unmatched.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from ..areas import level as level_info
from ..store import Store

__all__ = [
    "COARSE_LEVELS",
    "MIN_SHARE",
    "NAME_LEVELS",
    "REGION_NAMES",
    "NameMatch",
    "coarse_areas",
    "level_from_header",
    "match_coarser",
    "match_names",
    "normalise_name",
    "store_areas_for_names",
]

#: Levels whose areas a name may be matched against, in order of preference on a tie.
NAME_LEVELS: tuple[str, ...] = ("wijk", "deelgemeente", "gemeente", "statsec", "elz")

#: A header that names the level ("Wijken", "Gemeente" …) decides it.
_HEADER_LEVELS = {
    "wijk": "wijk",
    "wijken": "wijk",
    "deelgemeente": "deelgemeente",
    "deelgemeenten": "deelgemeente",
    "gemeente": "gemeente",
    "gemeenten": "gemeente",
    "sector": "statsec",
    "sectoren": "statsec",
    "statistische sector": "statsec",
    "statistische sectoren": "statsec",
}

#: At least this share of the names must match before a level is taken.
MIN_SHARE = 0.5

_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")
_STOPWORDS = {"en"}  # "Amandus & Atheneum" and "Amandus en Atheneum" are one wijk


def normalise_name(name: object) -> str:
    """'Antwerpen - Amandus & Atheneum (Antwerpen)' → 'antwerpen amandus atheneum'."""
    text = _SUFFIX.sub("", str(name or ""))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w and w not in _STOPWORDS]
    return " ".join(words)


@dataclass
class NameMatch:
    """The outcome of matching: a code per matched name, and what could not be matched."""

    level: str
    codes: dict[str, str]  # name as in the file → area code
    unmatched: list[str] = field(default_factory=list)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # name → the codes it fits
    municipality: str | None = None  # the municipality most names lie in

    @property
    def share(self) -> float:
        total = len(self.codes) + len(self.unmatched) + len(self.ambiguous)
        return len(self.codes) / total if total else 0.0


#: Names of the regions in tables (normalised) → their PinC code (dataformats.md §3.1).
REGION_NAMES = {
    "vlaams gewest": "2000",
    "vlaamse gewest": "2000",
    "vlaanderen": "2000",
    "gewest vlaanderen": "2000",
    "flemish region": "2000",
    "brussels hoofdstedelijk gewest": "4000",
    "waals gewest": "3000",
}
#: A first word that names the level of the rest of the name; None: a level zorgzaam does not keep.
_LEVEL_WORDS = {"provincie": "provincie", "prov": "provincie", "arrondissement": None, "arr": None, "gewest": "gewest"}
#: Coarser levels a row of a table by name may be, finest first.
COARSE_LEVELS: tuple[str, ...] = ("gemeente", "provincie", "gewest")


def match_coarser(
    names: Sequence[object], areas: pd.DataFrame, finer_than: str | None = None
) -> dict[str, tuple[str, str]]:
    """(level, code) per name that is one municipality, province or region of ``areas`` (level, code,
    name), of a level coarser than ``finer_than`` (all three when None). A name fitting several areas of
    its level, an arrondissement or Belgium is left out."""
    rank = level_info(finer_than).rank if finer_than else -1
    levels = [lv for lv in COARSE_LEVELS if level_info(lv).rank > rank]
    by_level: dict[str, dict[str, list[str]]] = {}
    for lv in levels:
        rows = areas[areas["level"] == lv]
        table: dict[str, list[str]] = {}
        for code, name in zip(rows["code"], rows["name"]):
            table.setdefault(normalise_name(name), []).append(str(code))
        by_level[lv] = table
    known_regions = {c for codes in by_level.get("gewest", {}).values() for c in codes}
    out: dict[str, tuple[str, str]] = {}
    for raw in dict.fromkeys(str(n).strip() for n in names if n is not None and str(n).strip()):
        text = normalise_name(raw)
        first, _, rest = text.partition(" ")
        wanted = levels
        if first in _LEVEL_WORDS and rest:
            if _LEVEL_WORDS[first] is None:
                continue
            wanted, text = [lv for lv in levels if lv == _LEVEL_WORDS[first]], rest
        if "gewest" in wanted and REGION_NAMES.get(text) in known_regions:
            out[raw] = ("gewest", REGION_NAMES[text])
            continue
        for lv in wanted:
            found = by_level[lv].get(text, [])
            if len(found) == 1:
                out[raw] = (lv, found[0])
                break
            if found:
                break
    return out


def coarse_areas(store: Store) -> pd.DataFrame:
    """The store's municipalities, provinces and regions (level, code, name)."""
    frames = [store.areas(lv)[["level", "code", "name"]] for lv in COARSE_LEVELS]
    return pd.concat(frames, ignore_index=True)


def level_from_header(header: object) -> str | None:
    return _HEADER_LEVELS.get(str(header or "").strip().lower())


def match_names(names: Sequence[object], areas: pd.DataFrame, level: str | None = None) -> NameMatch | None:
    """Match ``names`` to ``areas`` (columns level, code, name, gemeente: the area's municipality or None).

    ``level`` fixes the level (from the header); otherwise the level where most names match is
    taken. None when no level matches at least ``MIN_SHARE`` of the names.
    """
    unique = list(dict.fromkeys(str(n).strip() for n in names if n is not None and str(n).strip()))
    if not unique:
        return None
    levels = [level] if level else [lv for lv in NAME_LEVELS if lv in set(areas["level"])]
    best: NameMatch | None = None
    for lv in levels:
        found = _match_level(unique, areas[areas["level"] == lv])
        if best is None or len(found.codes) > len(best.codes):
            best = found
    if best is None or (not level and best.share < MIN_SHARE) or not best.codes:
        return None
    return best


def _match_level(names: list[str], areas: pd.DataFrame) -> NameMatch:
    level = str(areas["level"].iloc[0]) if len(areas) else ""
    by_name: dict[str, list[tuple[str, object]]] = {}
    for code, name, gemeente in zip(areas["code"], areas["name"], areas.get("gemeente", [None] * len(areas))):
        # Without a known municipality, PinC's "Naam (Gemeente)" still tells which one it is.
        if gemeente is None or pd.isna(gemeente):
            suffix = _SUFFIX.search(str(name or ""))
            gemeente = suffix.group(0).strip(" ()").lower() if suffix else None
        by_name.setdefault(normalise_name(name), []).append((str(code), gemeente))
    candidates = {n: by_name.get(normalise_name(n), []) for n in names}
    # Also "District - Wijk" against "Wijk": try the part after the last " - " when the whole does not fit.
    for n, found in candidates.items():
        if not found and " - " in n:
            candidates[n] = by_name.get(normalise_name(n.rsplit(" - ", 1)[1]), [])
    votes = Counter(g for found in candidates.values() if len(found) == 1 for _, g in found if g is not None)
    top = votes.most_common(2)
    # A tie decides nothing.
    municipality = top[0][0] if top and (len(top) == 1 or top[0][1] > top[1][1]) else None
    out = NameMatch(level=level, codes={}, municipality=municipality)
    for n, found in candidates.items():
        if len(found) > 1 and municipality is not None:
            found = [f for f in found if f[1] == municipality] or found
        if len(found) == 1:
            out.codes[n] = found[0][0]
        elif found:
            out.ambiguous[n] = sorted(c for c, _ in found)
        else:
            out.unmatched.append(n)
    return out


def store_areas_for_names(store: Store) -> pd.DataFrame:
    """The store's named areas with their municipality (through their sectors where not stored)."""
    areas = store.named_areas_with_municipality(NAME_LEVELS)
    areas.loc[areas["level"] == "gemeente", "gemeente"] = areas.loc[areas["level"] == "gemeente", "code"]
    return areas
