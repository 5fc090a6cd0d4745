"""Who versus what per sector: a need indicator beside the share of the people concerned without access.

Pure functions joining the engine's sector results (the *wie*) with the stored
per-place access table (the *wat*). When a group's size is only known per
sector (e.g. 80+), it is spread over the sector's inhabited places in
proportion to their residents, so "80+ without access" is an estimate: the
page says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .access import AccessSettings, lacks_access, sector_access
from .catalogue import BUILTIN, Indicator
from .formatting import format_indicator, format_number

__all__ = ["DEFAULT_NEED", "FRAME_COLUMNS", "NEEDS", "NeedOption", "need_text", "pooled_lack_share", "sector_mismatch"]


@dataclass(frozen=True)
class NeedOption:
    """A *wie*: the indicator on the need axis and the group of people it counts."""

    code: str
    label: str  # Dutch, for the picker
    indicator: str  # catalogue code computed by the engine
    group_label: str  # plural, as in "In X wonen 140 <group_label>"
    use_count: bool = False  # the need axis is the group's size, not the indicator's rate

    @property
    def ind(self) -> Indicator:
        return BUILTIN.indicator(self.indicator)


# The group is the indicator's numerator: the people the rate counts.
NEEDS: dict[str, NeedOption] = {
    n.code: n
    for n in (
        NeedOption("pct_80plus", "% 80-plussers", "pct_80plus", "inwoners van 80+"),
        NeedOption("n_80plus", "Aantal 80-plussers", "pct_80plus", "inwoners van 80+", use_count=True),
        NeedOption("pct_alone_75plus", "% alleenwonende 75-plussers", "pct_alone_75plus", "alleenwonende 75-plussers"),
        NeedOption("pct_65plus", "% 65-plussers", "pct_65plus", "inwoners van 65+"),
        NeedOption(
            "pct_chronic_condition",
            "% met statuut chronische aandoening",
            "pct_chronic_condition",
            "inwoners met een chronische aandoening",
        ),
    )
}
DEFAULT_NEED = "pct_80plus"

FRAME_COLUMNS = [
    "statsec",
    "name",
    "need_value",
    "need_status",
    "group_count",
    "residents",
    "lack_share",
    "group_lacking",
    "small",
]


def sector_mismatch(
    need_results: pd.DataFrame,
    places: pd.DataFrame,
    names: pd.Series,
    need: NeedOption,
    measure: str,
    settings: AccessSettings,
    small_threshold: int = 0,
    population: pd.Series | None = None,
) -> pd.DataFrame:
    """One row per sector of ``names`` (code -> name): need, group size and its share without access.

    ``need_results``: engine rows of ``need.indicator`` for the sectors (area_code, value, numerator,
    status). ``places``: the stored per-place access table. ``population`` (code -> inhabitants)
    flags sectors under ``small_threshold``; a hidden population counts as small.
    """
    rows = need_results[need_results["indicator"] == need.indicator].set_index("area_code")
    codes = list(names.index)
    status = rows["status"].reindex(codes).fillna("ontbrekend")
    ok = status == "ok"
    group = pd.to_numeric(rows["numerator"], errors="coerce").reindex(codes).where(ok).astype(float)
    rate = pd.to_numeric(rows["value"], errors="coerce").reindex(codes).where(ok).astype(float)
    in_view = places[places["statsec"].isin(codes)]
    lack = lacks_access(in_view, measure, settings) if len(in_view) else np.zeros(0, dtype=bool)
    per_sector = sector_access(in_view, group, lack).set_index("statsec").reindex(codes)
    out = pd.DataFrame(
        {
            "statsec": codes,
            "name": names.reindex(codes).to_numpy(),
            "need_value": (group if need.use_count else rate).to_numpy(),
            "need_status": status.to_numpy(),
            "group_count": group.to_numpy(),
            "residents": per_sector["residents"].to_numpy(dtype=float),
            "lack_share": per_sector["share_lacking"].to_numpy(dtype=float),
            "group_lacking": per_sector["group_lacking"].to_numpy(dtype=float)
            if "group_lacking" in per_sector
            else np.full(len(codes), np.nan),
        }
    )
    if population is not None and small_threshold > 0:
        pop = pd.to_numeric(population, errors="coerce").reindex(codes)
        out["small"] = ~(pop >= small_threshold).to_numpy()
    else:
        out["small"] = False
    return out[FRAME_COLUMNS]


def pooled_lack_share(frame: pd.DataFrame) -> float:
    """The share of the group without access over all sectors with a known group: a ratio of sums."""
    known = frame["group_count"].notna() & frame["group_lacking"].notna()
    total = frame.loc[known, "group_count"].sum()
    return float(frame.loc[known, "group_lacking"].sum() / total) if total > 0 else float("nan")


def need_text(need: NeedOption, value: float, status: str = "ok") -> str:
    """A need's value in words: a number of people, or the indicator's value with its unit."""
    if need.use_count:
        return "x" if status != "ok" else f"{format_number(value)} {need.group_label}"
    return format_indicator(need.ind, value, status)
