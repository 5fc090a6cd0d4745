"""An area beside the areas a werkgroep compares it with: municipality, care zone, Flanders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from .catalogue import Catalogue
from .engine import compute
from .store import Store

__all__ = ["REFERENCE_LEVELS", "Reference", "references", "with_references"]

# Which references an area is compared with, in the order they are shown.
REFERENCE_LEVELS: dict[str, tuple[str, ...]] = {
    "statsec": ("gemeente", "elz", "gewest"),
    "wijk": ("gemeente", "elz", "gewest"),
    "deelgemeente": ("gemeente", "elz", "gewest"),
    "gemeente": ("elz", "gewest"),
    "elz": ("provincie", "gewest"),
    "provincie": ("gewest",),
    "gewest": (),
}


@dataclass(frozen=True)
class Reference:
    level: str
    code: str
    name: str

    @property
    def label(self) -> str:
        """How the reference is named on screen, every time (style.md)."""
        if self.level == "elz":
            return f"gemiddelde eerstelijnszone {self.name}"
        if self.level == "gemeente":
            return f"gemeente {self.name}"
        if self.level == "gewest":
            return self.name if self.name.lower().startswith("vlaander") else f"gewest {self.name}"
        if self.level == "provincie":
            return self.name if self.name.lower().startswith("provincie") else f"provincie {self.name}"
        return f"{self.name}"

    @property
    def total_label(self) -> str:
        """For counts the reference is a total, not an average."""
        if self.level == "elz":
            return f"totaal eerstelijnszone {self.name}"
        return self.label


def references(store: Store, level: str, code: str) -> list[Reference]:
    """The comparison areas of an area that exist in the store."""
    out = []
    for ref_level in REFERENCE_LEVELS.get(level, ()):
        parent = store.parent_of(level, code, ref_level)
        if parent is None:
            continue
        found = store.find_area(parent, ref_level)
        if not found.empty:
            out.append(Reference(ref_level, parent, found["name"].iloc[0]))
    return out


def with_references(
    store: Store,
    indicator_codes: Sequence[str],
    level: str,
    code: str,
    period: str | None = None,
    catalogue: Catalogue | None = None,
    exact_period: bool = False,
) -> tuple[pd.DataFrame, list[Reference]]:
    """Indicators for an area and its references, one row per (area, indicator).

    ``catalogue`` defaults to the store's (with the werkgroep's own indicators).

    Adds a ``role`` column: "gebied" for the area itself, else the reference label.
    """
    refs = references(store, level, code)
    areas = [(level, code)] + [(r.level, r.code) for r in refs]
    result = compute(store, indicator_codes, areas=areas, period=period, catalogue=catalogue, exact_period=exact_period)
    roles = {(level, code): "gebied"} | {(r.level, r.code): r.label for r in refs}
    result["role"] = [roles[(lv, c)] for lv, c in zip(result["area_level"], result["area_code"])]
    return result, refs
