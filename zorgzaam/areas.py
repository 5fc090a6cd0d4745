"""Area levels and their hierarchy.

Levels are not a strict tree: a wijk and a deelgemeente both sit between
sector and municipality without nesting in each other, and a care zone can
split a municipality (Antwerp). Membership is therefore stored per sector for
every coarser level, never derived from the first characters of a code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "LEVELS",
    "LEVEL_BY_CODE",
    "LEVEL_CODES",
    "SECTOR_CODE_RE",
    "Level",
    "UnknownLevel",
    "finer_levels",
    "is_sector_code",
    "level",
    "normalise_sector_code",
]


@dataclass(frozen=True)
class Level:
    code: str
    label: str  # Dutch, singular
    plural: str
    rank: int  # 0 = finest


LEVELS: tuple[Level, ...] = (
    Level("statsec", "statistische sector", "statistische sectoren", 0),
    Level("wijk", "wijk", "wijken", 1),
    Level("deelgemeente", "deelgemeente", "deelgemeenten", 1),
    Level("gemeente", "gemeente", "gemeenten", 2),
    Level("elz", "eerstelijnszone", "eerstelijnszones", 3),
    Level("provincie", "provincie", "provincies", 4),
    Level("gewest", "gewest", "gewesten", 5),
)
LEVEL_BY_CODE: dict[str, Level] = {lv.code: lv for lv in LEVELS}
LEVEL_CODES: tuple[str, ...] = tuple(lv.code for lv in LEVELS)

# Sector codes: 5-digit NIS, then 4 characters (see dataformats.md §1.4).
SECTOR_CODE_RE = re.compile(r"^\d{5}[A-Z0-9][0-9A-Z]{2}[-0-9A-Z]$")


class UnknownLevel(ValueError):
    def __init__(self, level: str):
        super().__init__(level)
        self.level = level

    def __str__(self) -> str:
        return f"Onbekend gebiedsniveau '{self.level}'. Kies uit: {', '.join(LEVEL_CODES)}."


def level(code: str) -> Level:
    try:
        return LEVEL_BY_CODE[code]
    except KeyError:
        raise UnknownLevel(code) from None


def finer_levels(code: str) -> list[str]:
    """Levels strictly finer than ``code``, coarsest first, ending with statsec."""
    rank = level(code).rank
    finer = [lv for lv in LEVELS if lv.rank < rank]
    return [lv.code for lv in sorted(finer, key=lambda lv: -lv.rank)]


def normalise_sector_code(raw: str) -> str:
    """Upper-case and turn the Swing upload spelling ``11001a00_`` into ``11001A00-``."""
    return str(raw).strip().upper().replace("_", "-")


def is_sector_code(code: str) -> bool:
    return bool(SECTOR_CODE_RE.match(code))
