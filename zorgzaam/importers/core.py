"""What every import is made of: a preview, a plan and one all-or-nothing write.

An importer reads its files (``zorgzaam.importers.files``), checks them, and returns an
``ImportPlan``: the frames to write plus a ``Preview`` that says, before anything is written,
what the file is, the CRS found, rows, codes matched and unmatched, suppressed values and
periods. ``ImportPlan.apply`` writes everything in one transaction (``Store.import_dataset``);
re-importing the same file replaces what it wrote before, because the dataset id comes from
what the file is (its kind and scope), not from when it was imported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from ..formatting import format_number
from ..store import Store
from .errors import ImportProblem

__all__ = [
    "MAX_LISTED_CODES",
    "MIN_KNOWN_SHARE",
    "ImportPlan",
    "Preview",
    "check_vintage",
    "known_codes",
    "require_columns",
    "require_known_codes",
    "unmatched_codes",
]

#: How many unmatched codes a preview lists by name (the rest are counted).
MAX_LISTED_CODES = 50

Progress = Callable[[float, str], None]


@dataclass
class Preview:
    """What an import will write, in words a municipal analyst checks before saying yes."""

    kind: str  # e.g. "statsec-geometrie"
    description: str  # Dutch: "Statistische sectoren (Statbel), indeling 2025"
    file_names: list[str]
    rows: int
    crs: str | None = None  # "EPSG:31370 (Lambert 72)", or None for a table
    levels: dict[str, int] = field(default_factory=dict)  # level → areas written
    periods: list[str] = field(default_factory=list)
    variables: list[str] = field(default_factory=list)  # catalogue codes written
    matched: int | None = None  # codes found among the known areas (None: nothing to match against)
    unmatched: list[str] = field(default_factory=list)
    suppressed: int = 0  # values hidden by the source ("x", -99997 …): kept as missing, never 0
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sample: pd.DataFrame | None = None

    def lines(self) -> list[str]:
        """The preview as Dutch lines (for the CLI and the page)."""
        out = [
            f"{self.description}",
            f"Bestand(en): {', '.join(self.file_names)}",
            f"Rijen: {format_number(self.rows)}",
        ]
        if self.crs:
            out.append(f"Coördinatenstelsel: {self.crs}")
        for level, n in self.levels.items():
            out.append(f"Gebieden op niveau {level}: {format_number(n)}")
        if self.periods:
            out.append(f"Perioden: {', '.join(self.periods)}")
        if self.variables:
            out.append(f"Variabelen: {', '.join(self.variables)}")
        if self.matched is not None:
            total = self.matched + len(self.unmatched)
            out.append(f"Codes herkend: {format_number(self.matched)} van {format_number(total)}")
        if self.unmatched:
            shown = ", ".join(self.unmatched[:MAX_LISTED_CODES])
            more = len(self.unmatched) - MAX_LISTED_CODES
            out.append(f"Niet herkend: {shown}" + (f" … en {format_number(more)} meer" if more > 0 else ""))
        if self.suppressed:
            out.append(f"Verborgen waarden (blijven ontbrekend, nooit 0): {format_number(self.suppressed)}")
        out += self.notes
        out += [f"Let op: {w}" for w in self.warnings]
        return out


@dataclass
class ImportPlan:
    """Everything one import writes, ready for ``apply``."""

    dataset_id: str
    title: str
    source: str
    preview: Preview
    period_label: str | None = None
    file_name: str | None = None
    areas: pd.DataFrame | None = None
    area_parents: pd.DataFrame | None = None
    observations: pd.DataFrame | None = None
    features: pd.DataFrame | None = None
    stops: pd.DataFrame | None = None
    grid_cells: pd.DataFrame | None = None
    sector_crosswalk: pd.DataFrame | None = None
    sector_vintage: str | None = None  # "2024" / "2025" when the file fixes the store's sector division
    unmapped_columns: list[str] = field(default_factory=list)  # columns that still need a mapping choice
    value_columns: list[str] = field(default_factory=list)  # a figures table's value columns (mapped or not)
    asks_period: bool = False  # a plain table: the period may be given (else the year in a column name)
    period_proposal: str | None = None  # the period proposed (the given one, or the latest year in a column name)
    lacking_period: list[str] = field(default_factory=list)  # mapped columns not written for want of a period

    @property
    def writes_something(self) -> bool:
        frames = (
            self.areas,
            self.area_parents,
            self.observations,
            self.features,
            self.stops,
            self.grid_cells,
            self.sector_crosswalk,
        )
        return any(f is not None and len(f) for f in frames)

    def apply(self, store: Store, progress: Progress | None = None) -> None:
        """Write the plan in one transaction: all of it, or (on any error) nothing."""
        store.import_dataset(
            self.dataset_id,
            title=self.title,
            source=self.source,
            period_label=self.period_label,
            file_name=self.file_name,
            areas=self.areas,
            area_parents=self.area_parents,
            observations=self.observations,
            features=self.features,
            stops=self.stops,
            grid_cells=self.grid_cells,
            sector_crosswalk=self.sector_crosswalk,
            sector_vintage=self.sector_vintage,
            progress=progress,
        )


def known_codes(store: Store, level: str) -> set[str]:
    return set(store.areas(level)["code"])


def unmatched_codes(codes: Sequence[str], known: set[str]) -> list[str]:
    """The codes (sorted, unique) not among ``known``."""
    return sorted({c for c in codes if c not in known})


def require_columns(frame: pd.DataFrame, needed: Sequence[str], what: str) -> None:
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ImportProblem(
            f"In {what} ontbreekt de kolom {', '.join(missing)}. Gevonden kolommen: "
            f"{', '.join(map(str, frame.columns[:15]))}. Kies het originele bestand van de bron, niet een bewerkte kopie."
        )


#: A file whose codes must meet the store's areas is refused when fewer than this share of its codes, and
#: fewer than this share of the store's areas of that level, are found (a file for all of Belgium still
#: fits a store with every Flemish sector).
MIN_KNOWN_SHARE = 0.5

_EXPECTED = {
    "statsec": "sectorcodes zoals {ex}",
    "gemeente": "NIS-codes zoals {ex}",
    "elz": "zonecodes zoals {ex}",
    "wijk": "wijkcodes zoals {ex}",
    "deelgemeente": "codes zoals {ex}",
}


def require_known_codes(codes: Sequence[str], known: set[str], level: str) -> None:
    """Refuse (one Dutch sentence naming three of the file's codes and the store's) a file whose codes
    hardly meet the store's areas of ``level``; nothing to check when the store has none of that level."""
    codes = sorted(set(codes))
    if not known or not codes:
        return
    found = sum(c in known for c in codes)
    if found and (found / len(codes) >= MIN_KNOWN_SHARE or found / len(known) >= MIN_KNOWN_SHARE):
        return
    strangers = [c for c in codes if c not in known][:3]
    examples = sorted(known)[:2]
    expected = _EXPECTED.get(level, "codes zoals {ex}").format(ex=" of ".join(examples))
    share = format_number(100 * found / len(codes), 1)
    head = (
        f"Geen van de {format_number(len(codes))} codes komt overeen met de gebieden in de databank"
        if not found
        else f"Slechts {format_number(found)} van de {format_number(len(codes))} codes ({share} %) komen overeen "
        "met de gebieden in de databank, minder dan de helft"
    )
    raise ImportProblem(
        f"{head} (gevonden: {', '.join(strangers)}; verwacht: {expected}), dus is er niets bewaard: importeer eerst "
        "de gebiedsindeling van dit bestand, of kies een bestand met dezelfde codes."
    )


def check_vintage(store: Store, vintage: str | None) -> None:
    """Refuse a file on the other sector division than the store's (mixing them double-counts people)."""
    have = store.sector_vintage()
    if vintage is not None and have is not None and have != vintage:
        raise ImportProblem(
            f"Dit bestand gebruikt de sectorindeling {vintage}, de databank de indeling {have}. Beide samen zouden "
            "inwoners dubbel tellen. Zet de codes eerst om met een omzettingstabel (2025 → 2024), of gebruik een "
            "aparte databank."
        )
