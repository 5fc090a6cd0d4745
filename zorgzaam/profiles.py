"""A sector's profile, its trend and the ranking of sectors (Dutch text ready to show, no Streamlit)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .catalogue import BUILTIN, THEMES, Catalogue
from .comparisons import Reference, with_references
from .formatting import format_figure, format_indicator, format_number
from .engine import available_periods
from .store import Store

__all__ = ["profile_indicators", "ranking", "sector_profile", "trend"]


# Every indicator shown in a profile, in theme order (counts first within a theme).
def profile_indicators(catalogue: Catalogue = BUILTIN) -> list[str]:
    return [ind.code for theme in catalogue.by_theme().values() for ind in theme]


def sector_profile(
    store: Store,
    sector_code: str,
    period: str | None = None,
    indicators: Sequence[str] | None = None,
    catalogue: Catalogue = BUILTIN,
) -> tuple[pd.DataFrame, list[Reference]]:
    """Every indicator of a sector beside its references, one row per indicator.

    Columns: indicator, label, theme, unit, value, status, value_text, numerator, denominator,
    then per reference ``ref_<level>`` (value) and ``ref_<level>_text``, and ``index_elz``
    (the sector as a share of the care-zone value × 100; NaN where either is missing).
    """
    if indicators is not None:
        codes = list(indicators)
    else:
        # Indicators without any data in the store (e.g. access before spatial layers are imported)
        # are left out: computing their references would search every sector of Flanders for nothing.
        present = store.variables()
        codes = [c for c in profile_indicators(catalogue) if catalogue.has_data(c, present)]
    result, refs = with_references(store, codes, "statsec", sector_code, period, catalogue)
    if period is None and not result.empty:
        period = str(result["period"].max())  # the latest period: each figure says when it is older
    # One lookup table per area (indicator -> row), not a filter per indicator and reference.
    by_area = {key: rows.set_index("indicator") for key, rows in result.groupby(["area_level", "area_code"])}
    own = by_area[("statsec", sector_code)].reindex(codes)
    inds = [catalogue.indicator(c) for c in codes]
    ok = own["status"].eq("ok").to_numpy()
    frame = pd.DataFrame(
        {
            "indicator": codes,
            "label": [i.label for i in inds],
            "theme": [i.theme for i in inds],
            "unit": [i.unit for i in inds],
            "is_count": [i.is_count for i in inds],
            "period": own["period"].astype(str).to_numpy(),
            "value": np.where(ok, own["value"].astype(float).to_numpy(), np.nan),
            "status": own["status"].to_numpy(),
            "value_text": [format_figure(i, r, period) for i, (_, r) in zip(inds, own.iterrows())],
            "numerator": own["numerator"].to_numpy(),
            "denominator": own["denominator"].to_numpy(),
        }
    )
    for ref in refs:
        rows = by_area.get((ref.level, ref.code))
        rows = rows.reindex(codes) if rows is not None else pd.DataFrame(index=codes, columns=["value", "status"])
        status = rows["status"].fillna("ontbrekend")
        values = np.where(status.eq("ok"), pd.to_numeric(rows["value"], errors="coerce"), np.nan)
        frame[f"ref_{ref.level}"] = values
        frame[f"ref_{ref.level}_status"] = status.to_numpy()
        frame[f"ref_{ref.level}_text"] = [
            format_figure(i, r, period) for i, (_, r) in zip(inds, rows.assign(status=status).iterrows())
        ]
    zone = frame["ref_elz"] if "ref_elz" in frame else pd.Series(np.nan, index=frame.index)
    usable = zone.gt(0) & frame["value"].notna() & ~frame["is_count"]
    frame["index_elz"] = np.where(usable, frame["value"] / zone.where(usable) * 100, np.nan)
    theme_order = {t: k for k, t in enumerate(THEMES)}
    frame["theme_order"] = frame["theme"].map(theme_order).fillna(len(THEMES))
    return frame, refs


def trend(
    store: Store,
    level: str,
    code: str,
    indicator: str,
    periods: Sequence[str] | None = None,
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """An area and its references over every period: period, role, area_name, value, value_text, status.

    ``catalogue`` defaults to the store's (with the werkgroep's own indicators)."""
    catalogue = catalogue if catalogue is not None else store.catalogue()
    ind = catalogue.indicator(indicator)
    periods = list(periods) if periods is not None else available_periods(store, [ind], catalogue)
    frames = []
    for period in periods:
        result, _ = with_references(store, [indicator], level, code, period, catalogue, exact_period=True)
        frames.append(result)
    if not frames:
        return pd.DataFrame(columns=["period", "role", "area_name", "value", "value_text", "status"])
    out = pd.concat(frames, ignore_index=True)
    out["value_text"] = [format_indicator(ind, v, s) for v, s in zip(out["value"], out["status"])]
    out["value"] = out["value"].where(out["status"] == "ok")
    return out[
        [
            "period",
            "role",
            "area_level",
            "area_code",
            "area_name",
            "value",
            "value_text",
            "status",
            "numerator",
            "denominator",
        ]
    ]


def ranking(
    sectors: pd.DataFrame,
    indicator: str,
    small_threshold: int,
    population: pd.Series | None = None,
    catalogue: Catalogue = BUILTIN,
) -> pd.DataFrame:
    """The sectors of a view sorted by an indicator, highest first, missing values last.

    ``sectors`` is an engine result (statsec rows); ``population`` maps sector code to
    inhabitants (for the small-sector flag). Columns: rank, area_code, area_name, value,
    value_text, numerator, denominator, count_text, status, small.
    """
    ind = catalogue.indicator(indicator)
    part = sectors[sectors["indicator"] == indicator].copy()
    part["value"] = part["value"].where(part["status"] == "ok").astype(float)
    part = part.sort_values(["value", "area_code"], ascending=[False, True], na_position="last")
    part["rank"] = range(1, len(part) + 1)
    part.loc[part["value"].isna(), "rank"] = pd.NA
    # The ranking's caption names its year; a row says its own only when it is older than the newest one.
    used = part.loc[part["status"] != "ontbrekend", "period"] if "period" in part else pd.Series(dtype=object)
    asked = str(used.max()) if len(used) else None
    part["value_text"] = [format_figure(ind, r, asked) for _, r in part.iterrows()]
    part["count_text"] = [
        (f"{format_number(n)} / {format_number(d)}" if s == "ok" and not ind.is_count else "")
        for n, d, s in zip(part["numerator"], part["denominator"], part["status"])
    ]
    pop = population if population is not None else pd.Series(dtype=float)
    part["population"] = part["area_code"].map(pop)
    part["small"] = part["population"].lt(small_threshold).fillna(False).astype(bool)
    return part[
        [
            "rank",
            "area_code",
            "area_name",
            "value",
            "value_text",
            "numerator",
            "denominator",
            "count_text",
            "status",
            "population",
            "small",
        ]
    ].reset_index(drop=True)
