"""Sector code vintages: the 2025 reform split sectors, so 2025 codes sum exactly to 2024 codes.

A crosswalk table (Statbel's code table as ``Statsect2025_2024.csv``: ``CS01012025;CS01012024``)
maps every 2025 sector to the one 2024 sector it lies in. With it, counts published on 2025 codes
can be brought into a store on the 2024 division: the parts are summed, and a hidden part makes
the 2024 total hidden too (never a partial sum). Counts on 2024 codes cannot be split over 2025
sectors; indicator values (percentages) cannot be summed at all.
"""

from __future__ import annotations

import re

import pandas as pd

from ..areas import SECTOR_CODE_RE, normalise_sector_code
from ..catalogue import BUILTIN
from ..store import Store
from .core import ImportPlan, Preview
from .errors import ImportProblem

__all__ = ["KIND", "absorbed_sectors", "plan_crosswalk", "recognise_crosswalk", "to_2024"]

KIND = "omzettingstabel"
_COLUMN_2025 = re.compile(r"(CS0101)?2025|.*_?2025$|statsec(2025)?$", re.IGNORECASE)
_COLUMN_2024 = re.compile(r"(CS0101)?2024|.*_?2024$|statsec2024$", re.IGNORECASE)


def recognise_crosswalk(frame: pd.DataFrame) -> tuple[str, str] | None:
    """(2025 column, 2024 column) of a two-column code table, or None."""
    cols = [str(c).strip() for c in frame.columns]
    new = next((c for c in cols if re.fullmatch(r"CS01012025", c, re.I)), None)
    old = next((c for c in cols if re.fullmatch(r"CS01012024", c, re.I)), None)
    if new and old:
        return new, old
    return None


def plan_crosswalk(frame: pd.DataFrame, columns: tuple[str, str], file_names: list[str], store: Store) -> ImportPlan:
    new_col, old_col = columns
    table = pd.DataFrame(
        {
            "code_2025": frame[new_col].astype(str).map(normalise_sector_code),
            "code_2024": frame[old_col].astype(str).map(normalise_sector_code),
        }
    )
    bad = table[~table["code_2025"].str.match(SECTOR_CODE_RE) | ~table["code_2024"].str.match(SECTOR_CODE_RE)]
    if len(bad):
        raise ImportProblem(
            f"{len(bad)} rijen van de omzettingstabel bevatten geen sectorcodes, bv. "
            f"{bad.iloc[0]['code_2025']} → {bad.iloc[0]['code_2024']}. Kies de originele tabel."
        )
    dupes = table[table["code_2025"].duplicated(keep=False)]
    if len(dupes):
        raise ImportProblem(
            "Een sector van 2025 hoort bij precies één sector van 2024, maar "
            f"{', '.join(sorted(set(dupes['code_2025']))[:10])} staat er meer dan één keer in."
        )
    known = set(store.areas("statsec")["code"])
    unmatched = sorted(set(table["code_2024"]) - known) if known else []
    return ImportPlan(
        dataset_id=f"{KIND}-2025-2024",
        title="Omzettingstabel sectoren 2025 → 2024",
        source="Statbel",
        file_name=", ".join(file_names),
        preview=Preview(
            kind=KIND,
            description="Omzettingstabel van sectorcodes 2025 naar 2024",
            file_names=file_names,
            rows=len(frame),
            matched=len(set(table["code_2024"])) - len(unmatched) if known else None,
            unmatched=unmatched,
            notes=[
                f"{table['code_2025'].nunique()} sectoren van 2025 in {table['code_2024'].nunique()} sectoren van 2024."
            ],
        ),
        sector_crosswalk=table,
    )


def to_2024(observations: pd.DataFrame, crosswalk: dict[str, str]) -> pd.DataFrame:
    """Sector observations on 2025 codes summed to 2024 codes (counts only; a hidden part hides the sum)."""
    sectors = observations["area_level"] == "statsec"
    rows = observations[sectors]
    missing = sorted(set(rows["area_code"]) - set(crosswalk))
    if missing:
        raise ImportProblem(
            f"{len(missing)} sectorcodes van 2025 staan niet in de omzettingstabel: "
            f"{', '.join(missing[:10])}. Importeer de volledige omzettingstabel (Statsect2025_2024)."
        )
    not_counts = sorted(set(rows["variable"]) - set(BUILTIN.base_counts))
    if not_counts:
        raise ImportProblem(
            f"Alleen tellingen kunnen van sectorindeling 2025 naar 2024 opgeteld worden; "
            f"{', '.join(not_counts)} zijn geen tellingen. Vraag de cijfers op in de indeling 2024."
        )
    rows = rows.assign(area_code=rows["area_code"].map(crosswalk))
    # Worst status wins: one hidden part makes the 2024 sector hidden, never a partial sum.
    order = {"verborgen": 0, "ontbrekend": 1, "nvt": 2, "ok": 3}
    grouped = (
        rows.assign(rank=rows["status"].map(order))
        .groupby(["area_level", "area_code", "variable", "period"], as_index=False)
        .agg(value=("value", "sum"), rank=("rank", "min"))
    )
    grouped["status"] = grouped["rank"].map({v: k for k, v in order.items()})
    grouped.loc[grouped["status"] != "ok", "value"] = float("nan")
    return pd.concat([observations[~sectors], grouped.drop(columns="rank")], ignore_index=True)


def absorbed_sectors(store: Store, crosswalk: dict[str, str], converted: set[str]) -> list[str]:
    """2024 sectors of the converted sectors' municipalities that no 2025 sector maps to (merged away)."""
    municipalities = {store.parent_of("statsec", code, "gemeente") for code in converted}
    municipalities.discard(None)
    if not municipalities:
        return []
    in_scope = set(store.sectors_within("gemeente", sorted(municipalities)))
    return sorted(in_scope - set(crosswalk.values()))
