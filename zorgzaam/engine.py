"""The indicator engine: every indicator at any level as a ratio of sums.

An area's base count is, in this order:
1. the value stored for the area itself (a municipal total as published,
   which includes the sector values the source hid);
2. the sum over a partition of the area into finer areas whose values are
   all known: coarsest partition first (municipalities, then deelgemeenten
   or wijken, then sectors);
3. otherwise missing, with status "onvolledig" when hidden ("x") values
   prevented the sum, or "ontbrekend" when there are no data.

An indicator is then sum(numerator counts) / sum(denominator counts) x
multiplier for that area, so a care-zone average is never a mean of sector
percentages. Any needed count that is not "ok" makes the indicator missing
with that status; a hidden value never counts as 0.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator, Sequence

import numpy as np
import pandas as pd

from .areas import LEVEL_CODES, finer_levels, level as level_info
from .catalogue import BUILTIN, Catalogue, Indicator
from .store import Store

__all__ = [
    "MIN_PARTIAL_COVERAGE",
    "RESULT_COLUMNS",
    "USE_RESULTS",
    "EngineError",
    "available_periods",
    "compute",
    "derive_counts",
    "latest_period",
    "needed_variables",
    "refresh_results",
    "resolve_targets",
]

RESULT_COLUMNS = [
    "area_code",
    "area_level",
    "area_name",
    "indicator",
    "period",
    "numerator",
    "denominator",
    "value",
    "status",
    "approx",
    "coverage",
    "coverage_of",
]

# Worst status first: it wins when counts are combined.
_STATUS_ORDER = ("verborgen", "onvolledig", "ontbrekend", "nvt", "ok")
_STATUS_RANK = {s: i for i, s in enumerate(_STATUS_ORDER)}


class EngineError(ValueError):
    """A request the engine cannot answer, worded for the user (Dutch)."""


def _rank(statuses: pd.Series) -> pd.Series:
    """Status as a number (0 = worst), so "worst of" is a fast numeric min."""
    codes = pd.Categorical(statuses, categories=_STATUS_ORDER).codes  # much faster than .map on strings
    if (codes < 0).any():
        raise EngineError(f"Onbekende status: {sorted(set(statuses[codes < 0]))}")
    return pd.Series(codes.astype("int64"), index=statuses.index)


def _unrank(ranks: pd.Series) -> pd.Series:
    return pd.Series(np.asarray(_STATUS_ORDER, dtype=object)[ranks.to_numpy(dtype="int64")], index=ranks.index).astype(
        "str"
    )


def needed_variables(indicators: Sequence[Indicator], catalogue: Catalogue = BUILTIN) -> list[str]:
    """Base counts the indicators need, with the parts of derived counts."""
    out: dict[str, None] = {}
    for ind in indicators:
        for code in ind.base_counts:
            out[code] = None
            for part in catalogue.base_counts[code].sum_of if code in catalogue.base_counts else ():
                out[part] = None
    return list(out)


def derive_counts(obs: pd.DataFrame, catalogue: Catalogue = BUILTIN) -> pd.DataFrame:
    """Add derived base counts (e.g. 80+ = 80-89 + 90+) where an area lacks them."""
    if obs.empty:
        return obs
    frames = [obs]
    keys = ["area_level", "area_code", "period"]
    for base in catalogue.base_counts.values():
        if not base.sum_of:
            continue
        parts = obs[obs["variable"].isin(base.sum_of)]
        if parts.empty:
            continue
        grouped = (
            parts.assign(rank=_rank(parts["status"]))
            .groupby(keys, sort=False)
            .agg(n=("variable", "nunique"), value=("value", "sum"), rank=("rank", "min"))
            .reset_index()
        )
        grouped = grouped[grouped["n"] == len(base.sum_of)].drop(columns="n")
        grouped["status"] = _unrank(grouped.pop("rank"))
        have = obs.loc[obs["variable"] == base.code, keys]
        if not have.empty:
            grouped = grouped.merge(have.assign(_have=1), on=keys, how="left")
            grouped = grouped[grouped["_have"].isna()].drop(columns="_have")
        grouped.loc[grouped["status"] != "ok", "value"] = np.nan
        frames.append(grouped.assign(variable=base.code))
    return pd.concat(frames, ignore_index=True)


class _Resolver:
    """Resolves base counts per area of a level, from stored values or sums of finer areas."""

    def __init__(self, obs: pd.DataFrame, members: pd.DataFrame, variables: list[str]):
        self.obs = obs
        self.members = members  # one row per sector: statsec + parent code per level
        self.variables = variables
        self._cache: dict[str, pd.DataFrame] = {}

    def _complete(self, codes: Iterable[str]) -> pd.DataFrame:
        """Every (area, variable) pair, with status 'ontbrekend' where nothing is known."""
        codes = pd.Index(pd.unique(pd.Series(list(codes), dtype="object")), name="area_code")
        return pd.MultiIndex.from_product([codes, self.variables], names=["area_code", "variable"]).to_frame(
            index=False
        )

    def values(self, lvl: str) -> pd.DataFrame:
        """area_code, variable, value, status for every area of ``lvl`` that contains loaded sectors."""
        if lvl in self._cache:
            return self._cache[lvl]
        if lvl == "statsec":
            codes = self.members["statsec"]
        else:
            codes = self.members[lvl].dropna() if lvl in self.members else pd.Series([], dtype="object")
        grid = self._complete(codes)
        stored = self.obs.loc[self.obs["area_level"] == lvl, ["area_code", "variable", "value", "status"]]
        result = grid.merge(stored, on=["area_code", "variable"], how="left")
        if lvl != "statsec" and not result.empty:
            result = self._fill_from_finer(lvl, result)
        result["status"] = result["status"].fillna("ontbrekend")
        result.loc[result["status"] != "ok", "value"] = np.nan
        self._cache[lvl] = result
        return result

    def _fill_from_finer(self, lvl: str, result: pd.DataFrame) -> pd.DataFrame:
        """Fill the pairs without a stored value from the coarsest complete partition."""
        fallback = None
        for finer in finer_levels(lvl):
            todo = result["status"].isna()
            if not todo.any():
                break
            if finer != "statsec" and finer not in self.members:
                continue
            summed = self._sum_children(lvl, finer)
            if summed.empty:
                continue
            merged = result.merge(summed, on=["area_code", "variable"], how="left", suffixes=("", "_sum"))
            use = todo & merged["status_sum"].eq("ok")
            merged.loc[use, "value"] = merged.loc[use, "value_sum"]
            merged.loc[use, "status"] = "ok"
            if finer == "statsec":
                fallback = merged["status_sum"]
            result = merged.drop(columns=["value_sum", "status_sum"])
        if fallback is not None:
            still = result["status"].isna()
            result.loc[still, "status"] = fallback[still]
        return result

    def _sum_children(self, lvl: str, finer: str) -> pd.DataFrame:
        """Sum of ``finer`` areas nested in each ``lvl`` area that they cover completely."""
        m = self.members
        if lvl not in m:
            return pd.DataFrame()
        if finer == "statsec":
            mapping = m[["statsec", lvl]].dropna().rename(columns={"statsec": "child", lvl: "area_code"})
        else:
            sub = m[["statsec", finer, lvl]].dropna(subset=[lvl])
            parents_per_child = sub.groupby(finer)[lvl].nunique()
            nested = parents_per_child[parents_per_child == 1].index
            covered = sub[finer].isin(nested)
            # An area is usable only if every one of its sectors lies in a nested child.
            complete_areas = covered.groupby(sub[lvl]).all()
            complete_areas = complete_areas[complete_areas].index
            mapping = (
                sub[sub[lvl].isin(complete_areas)][[finer, lvl]]
                .drop_duplicates()
                .rename(columns={finer: "child", lvl: "area_code"})
            )
        if mapping.empty:
            return pd.DataFrame()
        child_values = self.values(finer).rename(columns={"area_code": "child"})
        joined = mapping.merge(child_values, on="child", how="left")
        joined["status"] = joined["status"].fillna("ontbrekend")
        # "nvt" (not applicable) adds nothing but does not block the sum.
        joined["contrib"] = joined["value"].where(joined["status"] == "ok", 0.0)
        agg_status = (
            joined["status"]
            .map({"ok": "ok", "nvt": "ok", "verborgen": "onvolledig", "onvolledig": "onvolledig"})
            .fillna("ontbrekend")
        )
        joined["rank"] = _rank(agg_status)
        out = (
            joined.groupby(["area_code", "variable"], sort=False)
            .agg(value=("contrib", "sum"), rank=("rank", "min"))
            .reset_index()
        )
        out["status"] = _unrank(out.pop("rank"))
        return out


def available_periods(store: Store, indicators: Sequence[Indicator], catalogue: Catalogue = BUILTIN) -> list[str]:
    """Periods with any data for the indicators: their stored counts (derived ones by their parts) or values."""
    return store.periods(needed_variables(indicators, catalogue) + [i.code for i in indicators])


def latest_period(store: Store, indicators: Sequence[Indicator], catalogue: Catalogue = BUILTIN) -> str:
    periods = available_periods(store, indicators, catalogue)
    if not periods:
        raise EngineError("Er zijn nog geen cijfers voor deze indicator(en) in de databank.")
    return periods[-1]


def resolve_targets(
    store: Store,
    *,
    areas: Sequence[tuple[str, str]] | None = None,
    level: str | None = None,
    within: tuple[str, str] | None = None,
) -> pd.DataFrame:
    """The areas asked for as a frame (level, code, name)."""
    if areas is not None:
        frames = [store.find_area(code, lvl) for lvl, code in areas]
        found = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["level", "code", "name"])
        missing = set(areas) - set(zip(found["level"], found["code"]))
        if missing:
            lvl, code = sorted(missing)[0]
            raise EngineError(f"Gebied '{code}' ({level_info(lvl).label}) bestaat niet in de databank.")
        return found[["level", "code", "name"]].drop_duplicates(["level", "code"]).reset_index(drop=True)
    if level is None:
        raise EngineError("Geef een gebied (--area) of een niveau (--level).")
    level_info(level)
    targets = store.areas(level, within=within)
    if targets.empty:
        where = f" binnen {within[1]}" if within else ""
        raise EngineError(f"Geen gebieden van niveau {level_info(level).label}{where} in de databank.")
    return targets[["level", "code", "name"]]


def compute(
    store: Store,
    indicator_codes: Sequence[str],
    *,
    areas: Sequence[tuple[str, str]] | None = None,
    level: str | None = None,
    within: tuple[str, str] | None = None,
    period: str | None = None,
    catalogue: Catalogue | None = None,
    exact_period: bool = False,
) -> pd.DataFrame:
    """Indicators for the given areas (or all areas of ``level`` within an area), up to one period.

    Each indicator comes, per area, from its own latest period up to ``period`` (default: the latest
    period of any of the indicators) in which it has data: the ``period`` column says which. A hidden
    value in that period stays hidden (it never falls back to an older year); an area without data in
    any period up to ``period`` is "ontbrekend" with ``period`` as asked. Numerator and denominator
    always come from the same period. ``exact_period`` asks for that one period only (a trend).

    ``catalogue`` defaults to the store's (``Store.catalogue()``: the built-in one with the
    werkgroep's own indicators). Returns one row per area and indicator with RESULT_COLUMNS.
    """
    # The table holds the store's catalogue: a caller passing that same catalogue reads it too.
    own_catalogue = catalogue is None or catalogue is store.catalogue()
    if catalogue is None:
        catalogue = store.catalogue()
    indicators = [catalogue.indicator(c) for c in indicator_codes]
    targets = resolve_targets(store, areas=areas, level=level, within=within)
    if period is None:
        period = latest_period(store, indicators, catalogue)
    period = str(period)
    if exact_period:
        if own_catalogue and period in store.result_periods():
            stored = _stored_results(store, indicators, targets, period)
            if stored is not None:
                return _only_this_period(stored, period)
        return _compute_period(store, indicators, targets, period, catalogue)
    if own_catalogue:
        stored = _stored_results(store, indicators, targets, period)
        if stored is not None:
            return stored
    return _compute_latest(store, indicators, targets, period, catalogue)


# --- the results table: every indicator for every area and period, once per data version ------------

_refresh_lock = threading.Lock()
# Off: every figure is computed (the benchmark measures the work done without the table this way).
USE_RESULTS = os.environ.get("ZORGZAAM_RESULTS", "1") != "0"


def refresh_results(store: Store, *, force: bool = False) -> bool:
    """Compute every indicator of the store's catalogue for every area, for each period in the store
    (as ``compute(period=P)`` would), and keep them in the results table for this data version.
    Does nothing when the table is up to date (unless ``force``) or the store is read-only.
    Returns whether it wrote results."""
    if store.read_only or not USE_RESULTS:
        return False
    with _refresh_lock:  # two sessions after one import: one computes, the other finds it done
        version = store.data_version()
        if not force and store.results_fresh():
            return False
        catalogue = store.catalogue()
        indicators = list(catalogue.indicators.values())
        targets = store.areas()[["level", "code", "name"]]
        columns = ["asked_period", *RESULT_COLUMNS]
        frames = [] if targets.empty or not indicators else list(_latest_for_every_period(store, indicators, targets))
        result = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
        return store.replace_results(version, result[columns])


def _latest_for_every_period(
    store: Store, indicators: Sequence[Indicator], targets: pd.DataFrame
) -> Iterator[pd.DataFrame]:
    """``_compute_latest`` for every period in the store, with ``asked_period``: each period is computed once
    (for the indicators with data in it), then every asked period takes, per area and indicator, the row of
    the latest period up to it that has data, as ``_compute_latest`` does period by period."""
    catalogue = store.catalogue()
    periods = store.periods(None)
    known = store.variable_periods(needed_variables(indicators, catalogue) + [i.code for i in indicators])
    by_variable = known.groupby("variable")["period"].agg(set).to_dict() if not known.empty else {}
    candidates = {
        ind.code: {p for v in needed_variables([ind], catalogue) + [ind.code] for p in by_variable.get(v, ())}
        for ind in indicators
    }
    exact = {}
    for p in periods:
        group = [i for i in indicators if p in candidates[i.code]]
        if group:
            exact[p] = _compute_period(store, group, targets, p, catalogue)
    keys = ["area_level", "area_code", "indicator"]
    for asked in periods:
        tried = [exact[p] for p in periods if p <= asked and p in exact]
        frames = []
        if tried:
            rows = pd.concat(tried, ignore_index=True)  # oldest period first
            found = rows[rows["status"] != "ontbrekend"].drop_duplicates(keys, keep="last")
            # Without data up to the asked period: the oldest period's row (the last one tried), as asked.
            gap = rows.drop_duplicates(keys, keep="first")
            gap = gap.merge(found[keys], on=keys, how="left", indicator=True)
            gap = gap[gap.pop("_merge") == "left_only"].assign(period=asked)
            frames += [found, gap]
        without = [i for i in indicators if not any(p <= asked for p in candidates[i.code])]
        if without:  # no data up to this period at all: every area "ontbrekend", nothing to compute
            frames.append(_without_data(without, targets, asked))
        yield pd.concat(frames, ignore_index=True)[RESULT_COLUMNS].assign(asked_period=asked)


def _only_this_period(rows: pd.DataFrame, period: str) -> pd.DataFrame:
    """``compute(exact_period=True)`` from the latest-up-to rows of the same period: a row from an older year
    has no data in ``period`` ("ontbrekend", as ``_compute_period`` gives it)."""
    older = (rows["period"] != period).to_numpy()
    if older.any():
        rows = rows.copy()
        rows.loc[older, ["numerator", "denominator", "value", "approx", "coverage"]] = np.nan
        rows.loc[older, "coverage_of"] = ""
        rows.loc[older, "status"] = "ontbrekend"
        rows.loc[older, "period"] = period
    return rows


def _without_data(indicators: Sequence[Indicator], targets: pd.DataFrame, period: str) -> pd.DataFrame:
    """The rows ``_compute_period`` gives for indicators without any observation: "ontbrekend" everywhere."""
    n = len(targets)
    frame = pd.DataFrame(
        {
            "area_code": np.tile(targets["code"].to_numpy(dtype=object), len(indicators)),
            "area_level": np.tile(targets["level"].to_numpy(dtype=object), len(indicators)),
            "area_name": np.tile(targets["name"].to_numpy(dtype=object), len(indicators)),
            "indicator": np.repeat([i.code for i in indicators], n).astype(object),
            "period": period,
            "numerator": np.nan,
            "denominator": np.nan,
            "value": np.nan,
            "status": "ontbrekend",
            "approx": np.nan,
            "coverage": np.nan,
            "coverage_of": "",
        }
    )
    return frame[RESULT_COLUMNS]


def _stored_results(
    store: Store, indicators: Sequence[Indicator], targets: pd.DataFrame, period: str
) -> pd.DataFrame | None:
    """``compute``'s answer read from the results table, or None when the table cannot give it whole."""
    if not USE_RESULTS or targets.empty:
        return None
    version = store.data_version()
    # Asking for a period with no data of its own gives what the latest period before it gives
    # (only the rows without data say the period asked).
    stored_periods = [p for p in store.result_periods() if p <= period]
    if not stored_periods:
        return None
    rows = store.stored_results(stored_periods[-1], [i.code for i in indicators], targets, version)
    if rows is None or len(rows) != len(targets) * len(indicators):
        return None  # stale, another period, or an area or indicator the table does not hold
    order = {i.code: k for k, i in enumerate(indicators)}
    rows = rows.assign(_i=rows["indicator"].map(order)).sort_values(["_i", "_a"], kind="stable").reset_index(drop=True)
    rows["area_name"] = targets["name"].to_numpy()[rows["_a"].to_numpy()]
    rows["coverage_of"] = rows["coverage_of"].fillna("")
    rows.loc[rows["status"] == "ontbrekend", "period"] = period
    return rows[RESULT_COLUMNS]


def _compute_latest(
    store: Store, indicators: Sequence[Indicator], targets: pd.DataFrame, period: str, catalogue: Catalogue
) -> pd.DataFrame:
    """Every indicator for every target, each from its own latest period up to ``period`` (see ``compute``)."""
    indicator_codes = [i.code for i in indicators]
    # Indicators with the same candidate periods are computed together, newest period first.
    known = store.variable_periods(needed_variables(indicators, catalogue) + [i.code for i in indicators])
    by_variable = known.groupby("variable")["period"].agg(set).to_dict() if not known.empty else {}
    groups: dict[tuple[str, ...], list[Indicator]] = {}
    for ind in indicators:
        wanted = needed_variables([ind], catalogue) + [ind.code]
        candidates = sorted({p for v in wanted for p in by_variable.get(v, ()) if p <= period}, reverse=True)
        groups.setdefault(tuple(candidates) or (period,), []).append(ind)

    frames: list[pd.DataFrame] = []
    for candidates, group in groups.items():
        todo = targets
        missing: pd.DataFrame | None = None
        for p in candidates:
            result = _compute_period(store, group, todo, p, catalogue)
            if missing is not None:  # only the pairs still without data
                result = result.merge(missing, on=["area_level", "area_code", "indicator"])
            gap = result["status"] == "ontbrekend"
            frames.append(result[~gap])
            missing = result.loc[gap, ["area_level", "area_code", "indicator"]]
            if missing.empty:
                break
            keys = set(zip(missing["area_level"], missing["area_code"]))
            todo = targets[[k in keys for k in zip(targets["level"], targets["code"])]]
        else:
            frames.append(result[gap].assign(period=period))
    result = pd.concat(frames, ignore_index=True)
    order_ind = {c: k for k, c in enumerate(dict.fromkeys(indicator_codes))}
    order_area = {k: n for n, k in enumerate(zip(targets["level"], targets["code"]))}
    result = (
        result.assign(
            _i=result["indicator"].map(order_ind),
            _a=[order_area[k] for k in zip(result["area_level"], result["area_code"])],
        )
        .sort_values(["_i", "_a"], kind="stable")
        .drop(columns=["_i", "_a"])
    )
    return result[RESULT_COLUMNS].reset_index(drop=True)


def _compute_period(
    store: Store,
    indicators: Sequence[Indicator],
    targets: pd.DataFrame,
    period: str,
    catalogue: Catalogue,
) -> pd.DataFrame:
    """Every indicator for every target area in exactly one period."""
    variables = needed_variables(indicators, catalogue)
    indicator_vars = [i.code for i in indicators]
    target_keys = list(zip(targets["level"], targets["code"]))

    stored_targets = derive_counts(store.observations(variables + indicator_vars, [period], target_keys), catalogue)
    base_vars = list(dict.fromkeys(c for i in indicators for c in i.base_counts))

    # Areas above sector level that lack a stored count need their sectors.
    have = stored_targets[stored_targets["variable"].isin(base_vars)].groupby(["area_level", "area_code"]).size()
    need_sum: dict[str, list[str]] = {}
    for lvl, code in target_keys:
        if lvl != "statsec" and have.get((lvl, code), 0) < len(base_vars):
            need_sum.setdefault(lvl, []).append(code)

    sectors = [code for lvl, code in target_keys if lvl == "statsec"]
    for lvl, codes in need_sum.items():
        sectors += store.sectors_within(lvl, codes)
    sectors = list(dict.fromkeys(sectors))

    members = store.parents("statsec", sectors) if sectors else pd.DataFrame({"statsec": []})
    members = members.rename(columns={"code": "statsec"})
    if "statsec" not in members:
        members["statsec"] = pd.Series(sectors, dtype="object")
    load_keys = set(target_keys) | {("statsec", s) for s in sectors}
    for lvl in LEVEL_CODES:
        if lvl in members:
            load_keys |= {(lvl, c) for c in members[lvl].dropna().unique()}
    if load_keys == set(target_keys):
        obs = stored_targets  # nothing to sum (e.g. all sectors of Flanders): no second read
    else:
        obs = derive_counts(store.observations(variables + indicator_vars, [period], sorted(load_keys)), catalogue)

    resolver = _Resolver(obs, members, base_vars)
    per_level: list[pd.DataFrame] = []
    for lvl, group in targets.groupby("level", sort=False):
        values = (
            resolver.values(lvl) if base_vars else pd.DataFrame(columns=["area_code", "variable", "value", "status"])
        )
        # Targets without any loaded sector (e.g. a reference area with only stored values).
        missing_codes = set(group["code"]) - set(values["area_code"])
        if missing_codes:
            extra = resolver._complete(missing_codes).merge(
                obs.loc[obs["area_level"] == lvl, ["area_code", "variable", "value", "status"]],
                on=["area_code", "variable"],
                how="left",
            )
            extra["status"] = extra["status"].fillna("ontbrekend")
            extra.loc[extra["status"] != "ok", "value"] = np.nan
            values = pd.concat([values, extra], ignore_index=True)
        values = values[values["area_code"].isin(group["code"])].assign(area_level=lvl)
        per_level.append(values)
    counts = pd.concat(per_level, ignore_index=True) if per_level else pd.DataFrame()

    stored_indicators = obs[obs["variable"].isin(indicator_vars)]
    index = pd.MultiIndex.from_arrays([targets["level"], targets["code"]], names=["area_level", "area_code"])
    if counts.empty:
        wide_value = pd.DataFrame(index=index)
        wide_rank = pd.DataFrame(index=index)
    else:
        counts = counts.assign(rank=_rank(counts["status"]))
        wide_value = counts.pivot_table(
            index=["area_level", "area_code"], columns="variable", values="value", aggfunc="first", dropna=False
        ).reindex(index)
        wide_rank = counts.pivot_table(
            index=["area_level", "area_code"], columns="variable", values="rank", aggfunc="first"
        ).reindex(index)
    missing_rank = _STATUS_RANK["ontbrekend"]
    wide_rank = wide_rank.fillna(missing_rank).astype("int64")
    rows = [
        _indicator_rows(ind, wide_value, wide_rank, missing_rank, stored_indicators, targets, period)
        for ind in indicators
    ]
    result = pd.concat(rows, ignore_index=True)
    summed = {(lvl, code) for lvl, codes in need_sum.items() for code in codes}
    result = _partial_values(result, indicators, resolver, members, summed)
    return _no_parts_without_data(result)[RESULT_COLUMNS]


def _no_parts_without_data(result: pd.DataFrame) -> pd.DataFrame:
    """A figure without data ("ontbrekend") has no numerator or denominator either: a count that is there
    (the population beside a missing number of men) is no part of a figure that is not."""
    missing = (result["status"] == "ontbrekend").to_numpy()
    if missing.any():
        result.loc[missing, ["numerator", "denominator", "value", "approx", "coverage"]] = np.nan
        result.loc[missing, "coverage_of"] = ""
    return result


# A partial reference is shown only when its known part covers at least this share
# (of the denominator, or of the sectors when the denominator is not known everywhere).
MIN_PARTIAL_COVERAGE = 0.5


def _partial_values(
    result: pd.DataFrame,
    indicators: Sequence[Indicator],
    resolver: _Resolver,
    members: pd.DataFrame,
    summed: set[tuple[str, str]],
) -> pd.DataFrame:
    """Fill ``approx`` and ``coverage`` for areas whose value is blocked by hidden or absent sectors.

    The approximation is the same ratio of sums over the sectors whose counts are all known. Its
    coverage is the share of the area's denominator in those sectors when the denominator is known
    in every sector (``coverage_of`` = the denominator's unit), else the share of its sectors
    (``coverage_of`` = "sectoren"). Below MIN_PARTIAL_COVERAGE, or without any data, the area is
    "ontbrekend": a reference that is mostly unknown is not shown as one.
    """
    result = result.assign(approx=np.nan, coverage=np.nan, coverage_of="")
    # Only areas whose every sector was loaded to be summed (not a stored value, nor a parent of a target).
    summed_index = pd.MultiIndex.from_tuples(sorted(summed), names=["area_level", "area_code"])
    keys = pd.MultiIndex.from_arrays([result["area_level"], result["area_code"]])
    todo = result["status"].isin(["onvolledig", "ontbrekend"]) & pd.Series(
        keys.isin(summed_index) if summed else False, index=result.index
    )
    if not todo.any() or members.empty or "statsec" not in members:
        return result
    sector_values = resolver.values("statsec")
    if sector_values.empty:
        return result
    ok = sector_values["status"].isin(["ok", "nvt"])
    data = ok | sector_values["status"].isin(["verborgen", "onvolledig"])
    wide_value = sector_values.assign(value=sector_values["value"].where(ok, 0.0)).pivot_table(
        index="area_code", columns="variable", values="value", aggfunc="first"
    )
    wide_ok = (
        sector_values.assign(ok=ok)
        .pivot_table(index="area_code", columns="variable", values="ok", aggfunc="first")
        .astype(bool)
    )
    wide_data = (
        sector_values.assign(d=data)
        .pivot_table(index="area_code", columns="variable", values="d", aggfunc="first")
        .astype(bool)
    )
    by_code = {i.code: i for i in indicators}
    sectors = wide_value.index
    value_m = wide_value.to_numpy(dtype=float, na_value=0.0)
    ok_m = wide_ok.reindex(index=sectors, columns=wide_value.columns).fillna(False).to_numpy(dtype=bool)
    data_m = wide_data.reindex(index=sectors, columns=wide_value.columns).fillna(False).to_numpy(dtype=bool)
    column = {c: k for k, c in enumerate(wide_value.columns)}
    # Per level: each (sector, area) link as positions, so every sum over an area's sectors is one bincount.
    links: dict[str, tuple[pd.Index, np.ndarray, np.ndarray]] = {}
    per_indicator: dict[str, tuple[np.ndarray, ...]] = {}
    for (lvl, ind_code), rows in result[todo].groupby(["area_level", "indicator"], sort=False):
        if lvl not in members:
            continue
        ind = by_code[ind_code]
        # A value only given per area (a score without weight) has no counts to sum: nothing to approximate.
        if not ind.base_counts or any(c not in column for c in ind.base_counts):
            continue
        if lvl not in links:
            link = members[["statsec", lvl]].dropna()
            pos = sectors.get_indexer(link["statsec"])
            pos = np.where(pos >= 0, pos, len(sectors))  # a sector without any value: the empty last row
            areas, group = np.unique(link[lvl].to_numpy(dtype=object).astype(str), return_inverse=True)
            links[lvl] = (pd.Index(areas), pos, group)
        areas, pos, group = links[lvl]
        if ind_code not in per_indicator:
            cols = [column[c] for c in ind.base_counts]
            all_ok = ok_m[:, cols].all(axis=1)
            # A sector has data for the indicator when each of its counts is known or hidden.
            has_data = data_m[:, cols].all(axis=1)
            num = value_m[:, [column[c] for c in ind.numerator]].sum(axis=1) * all_ok
            if ind.denominator:
                den_cols = [column[c] for c in ind.denominator]
                den_all = value_m[:, den_cols].sum(axis=1)
                den_ok = ok_m[:, den_cols].all(axis=1)
            else:
                den_all, den_ok = np.zeros(len(sectors)), np.zeros(len(sectors), dtype=bool)
            parts = (all_ok, has_data, num, den_all * all_ok, den_all, den_ok)
            per_indicator[ind_code] = tuple(np.append(a, np.zeros(1, dtype=a.dtype)) for a in parts)
        all_ok, has_data, num, den, den_all, den_ok = (a[pos] for a in per_indicator[ind_code])
        k = len(areas)
        sums = {
            "n": np.bincount(group, minlength=k).astype(float),
            "n_ok": np.bincount(group, weights=all_ok, minlength=k),
            "n_data": np.bincount(group, weights=has_data, minlength=k),
            "num": np.bincount(group, weights=num, minlength=k),
            "den": np.bincount(group, weights=den, minlength=k),
            "den_all": np.bincount(group, weights=den_all, minlength=k),
            "den_missing": np.bincount(group, weights=~den_ok, minlength=k),
        }
        at = areas.get_indexer(rows["area_code"].astype(str))
        found = at >= 0
        idx = rows.index.to_numpy()[found]
        at = at[found]
        n_all, n_ok, n_data = sums["n"][at], sums["n_ok"][at], sums["n_data"][at]
        num, den, den_all = sums["num"][at], sums["den"][at], sums["den_all"][at]
        den_known = sums["den_missing"][at] == 0
        known = n_data > 0  # nothing known in the sectors: the status from the counts stands
        all_hidden = known & (n_ok == 0)  # every sector with data is hidden
        partial = known & (n_ok > 0)
        by_den = np.full(len(idx), bool(ind.denominator)) & den_known & (den_all > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            cover = np.where(by_den, den / np.where(den_all > 0, den_all, 1.0), n_ok / np.where(n_all > 0, n_all, 1.0))
            approx = num / np.where(den != 0, den, 1.0) * ind.multiplier if ind.denominator else num
        too_little = partial & (cover < MIN_PARTIAL_COVERAGE)
        shown = partial & ~too_little
        if ind.denominator:
            shown &= den != 0
        result.loc[idx[all_hidden], "status"] = "onvolledig"
        result.loc[idx[too_little], "status"] = "ontbrekend"
        result.loc[idx[too_little], "value"] = np.nan
        if shown.any():
            result.loc[idx[shown], "status"] = "onvolledig"
            result.loc[idx[shown], "approx"] = approx[shown]
            result.loc[idx[shown], "coverage"] = cover[shown]
            result.loc[idx[shown], "coverage_of"] = ind.denominator_kind or "noemer"
            words = idx[shown & ~by_den]
            result.loc[words, "coverage_of"] = "sectoren"
    return result


def _indicator_rows(
    ind: Indicator,
    wide_value: pd.DataFrame,
    wide_rank: pd.DataFrame,
    missing_rank: int,
    stored: pd.DataFrame,
    targets: pd.DataFrame,
    period: str,
) -> pd.DataFrame:
    """One indicator for every target, from counts pivoted to one column per base count."""
    index = wide_value.index
    ranks = np.full(len(index), missing_rank if not ind.base_counts else len(_STATUS_ORDER) - 1)
    for code in ind.base_counts:
        col = wide_rank[code].to_numpy() if code in wide_rank else np.full(len(index), missing_rank)
        ranks = np.minimum(ranks, col)
    status = pd.Series(np.asarray(_STATUS_ORDER, dtype=object)[ranks], index=index)

    def total(codes: tuple[str, ...]) -> pd.Series:
        # No counts (a score given per area only): no numerator or denominator, never 0.
        out = pd.Series(0.0 if codes else np.nan, index=index)
        for c in codes:
            out = out + (wide_value[c].astype(float) if c in wide_value else np.nan)
        return out

    numerator = total(ind.numerator)
    if ind.is_count:
        denominator = pd.Series(np.nan, index=index)
        value = numerator
    else:
        denominator = total(ind.denominator)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = numerator / denominator * ind.multiplier
        zero = (status == "ok") & (denominator == 0)
        status = status.where(~zero, "nvt")
    value = value.where(status == "ok")
    out = pd.DataFrame(
        {
            "area_level": targets["level"].to_numpy(),
            "area_code": targets["code"].to_numpy(),
            "area_name": targets["name"].to_numpy(),
            "indicator": ind.code,
            "period": period,
            "numerator": numerator.to_numpy(),
            "denominator": denominator.to_numpy(),
            "value": value.to_numpy(),
            "status": status.to_numpy(),
        }
    )

    # A stored indicator value (imported without its counts) fills a gap.
    own = stored[stored["variable"] == ind.code]
    if not own.empty:
        own = own.set_index(["area_level", "area_code"])
        idx = out.set_index(["area_level", "area_code"]).index
        gap = (out["status"] != "ok").to_numpy() & idx.isin(own.index)
        if gap.any():
            hit = own.reindex(idx[gap])
            out.loc[gap, "value"] = hit["value"].to_numpy()
            out.loc[gap, "status"] = hit["status"].to_numpy()
            out.loc[gap, ["numerator", "denominator"]] = np.nan
    return out
