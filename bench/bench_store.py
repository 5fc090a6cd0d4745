"""Benchmark: a Flanders-sized synthetic store, its write path and the engine's main queries.

Not a test (pytest only collects ``tests/``, and this file is not named
``test_*``). Run from the repository root:

    .venv/bin/python bench/bench_store.py [--db PATH] [--keep] [--repeat N] [--seed S]

Builds ~9,800 statistical sectors in 300 municipalities, 60 care zones, 5
provinces and the Flemish region, with two periods of every stored base count,
writes it through ``Store.replace_dataset`` (one dataset) and times the
engine's typical requests. JSON goes to stdout; progress and correctness
checks go to stderr. See ``bench/README.md`` for what each figure means.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from anywhere

import duckdb  # noqa: E402
import pyproj  # noqa: E402
import shapely  # noqa: E402

from zorgzaam.catalogue import BUILTIN  # noqa: E402
from zorgzaam.comparisons import with_references  # noqa: E402
from zorgzaam.engine import compute  # noqa: E402
from zorgzaam.store import Store, close_all  # noqa: E402

PERIODS = ("2020", "2025")
GEWEST = ("2000", "Vlaams Gewest")
# Province code, name, arrondissement prefixes of its NIS codes, municipalities, care zones.
PROVINCES = (
    ("10000", "Provincie Antwerpen", ("11", "12", "13"), 69, 14),
    ("20001", "Provincie Vlaams-Brabant", ("23", "24"), 65, 13),
    ("30000", "Provincie West-Vlaanderen", ("31", "32", "33", "34", "35", "36", "37", "38"), 64, 13),
    ("40000", "Provincie Oost-Vlaanderen", ("41", "42", "43", "44", "45", "46"), 60, 12),
    ("70000", "Provincie Limburg", ("71", "72", "73"), 42, 8),
)
N_SECTORS = 9_800
GRID_COLS, GRID_ROWS = 140, 70  # 9,800 square cells
CELL_M = 1_175.0  # ~1.38 km² per sector, Flanders is ~13,500 km²
ORIGIN = (22_000.0, 153_000.0)  # Lambert 72, south-west corner of the grid
STRIP_ROWS = 5  # cells are handed out in 5-row serpentine strips: compact, contiguous areas
HIDDEN_SHARE = 0.03  # sectors where the source hides small values
HIDE_BELOW = 10


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --- synthetic geography ---------------------------------------------------------


@dataclass
class Geography:
    sector_codes: np.ndarray  # object, sorted by province, zone, municipality, deelgemeente
    sector_muni: np.ndarray  # int index into muni_codes
    sector_deel: np.ndarray  # int index into deel_codes
    muni_codes: np.ndarray
    muni_names: np.ndarray
    muni_zone: np.ndarray  # int index into zone_codes
    deel_codes: np.ndarray
    deel_names: np.ndarray
    deel_muni: np.ndarray
    zone_codes: np.ndarray
    zone_names: np.ndarray
    zone_prov: np.ndarray  # int index into PROVINCES

    @property
    def sector_zone(self) -> np.ndarray:
        return self.muni_zone[self.sector_muni]

    @property
    def sector_prov(self) -> np.ndarray:
        return self.zone_prov[self.sector_zone]

    def zone_municipalities(self, z: int) -> list[str]:
        return list(self.muni_codes[self.muni_zone == z])


def make_geography(rng: np.random.Generator) -> Geography:
    muni_codes, muni_names, muni_zone, zone_codes, zone_names, zone_prov = [], [], [], [], [], []
    for p, (_code, pname, prefixes, n_muni, n_zones) in enumerate(PROVINCES):
        # Split the province's municipalities into zones of varying size (at least 1 each).
        cuts = np.sort(rng.choice(np.arange(1, n_muni), n_zones - 1, replace=False))
        sizes = np.diff(np.concatenate([[0], cuts, [n_muni]]))
        z0 = len(zone_codes)
        for k in range(n_zones):
            zone_codes.append(f"elz{z0 + k + 1}")
            zone_names.append(f"Zone {z0 + k + 1:02d} ({pname.removeprefix('Provincie ')})")
            zone_prov.append(p)
        j = 0
        for k, size in enumerate(sizes):
            for _ in range(size):
                prefix = prefixes[j % len(prefixes)]
                muni_codes.append(f"{prefix}{j // len(prefixes) + 1:03d}")
                muni_names.append(f"Gemeente {prefix}{j // len(prefixes) + 1:03d}")
                muni_zone.append(z0 + k)
                j += 1
    n_muni = len(muni_codes)
    # Sectors per municipality: a long tail, a few cities with 100-250 sectors.
    weights = rng.lognormal(0.0, 0.6, n_muni)
    weights[rng.choice(n_muni, 6, replace=False)] *= 6.0
    per_muni = 1 + rng.multinomial(N_SECTORS - n_muni, weights / weights.sum())

    sector_codes, sector_muni, sector_deel = [], [], []
    deel_codes, deel_names, deel_muni = [], [], []
    for m, (code, n) in enumerate(zip(muni_codes, per_muni)):
        n_deel = int(np.clip(round(n / 9), 1, 26))
        deel_of = (np.arange(n) * n_deel) // n
        for d in range(n_deel):
            letter = chr(ord("A") + d)
            deel_codes.append(f"{code}{letter}")
            deel_names.append(f"{muni_names[m]} {letter} (Dg.)")
            deel_muni.append(m)
            members = np.flatnonzero(deel_of == d)
            for k, _ in enumerate(members):
                last = str(k % 9 + 1) if k % 6 == 5 else "-"  # e.g. 11001A052 beside 11001A00-
                sector_codes.append(f"{code}{letter}{k:02d}{last}")
                sector_muni.append(m)
                sector_deel.append(len(deel_codes) - 1)
    geo = Geography(
        sector_codes=np.array(sector_codes, dtype=object),
        sector_muni=np.array(sector_muni),
        sector_deel=np.array(sector_deel),
        muni_codes=np.array(muni_codes, dtype=object),
        muni_names=np.array(muni_names, dtype=object),
        muni_zone=np.array(muni_zone),
        deel_codes=np.array(deel_codes, dtype=object),
        deel_names=np.array(deel_names, dtype=object),
        deel_muni=np.array(deel_muni),
        zone_codes=np.array(zone_codes, dtype=object),
        zone_names=np.array(zone_names, dtype=object),
        zone_prov=np.array(zone_prov),
    )
    assert len(geo.sector_codes) == N_SECTORS and len(set(sector_codes)) == N_SECTORS
    return geo


def serpentine_cells() -> tuple[np.ndarray, np.ndarray]:
    """Column and row of each of the grid's cells, in the order they are handed out."""
    cols, rows = [], []
    for s in range(GRID_ROWS // STRIP_ROWS):
        col_order = range(GRID_COLS) if s % 2 == 0 else range(GRID_COLS - 1, -1, -1)
        for i, c in enumerate(col_order):
            strip = range(s * STRIP_ROWS, (s + 1) * STRIP_ROWS)
            for r in strip if i % 2 == 0 else reversed(strip):
                cols.append(c)
                rows.append(r)
    return np.array(cols), np.array(rows)


def grouped_union(geoms: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Union of the (edge-sharing, non-overlapping) sector squares per group index."""
    order = np.argsort(groups, kind="stable")
    bounds = np.searchsorted(groups[order], np.arange(n_groups + 1))
    return np.array(
        [shapely.coverage_union_all(geoms[order[a:b]]) for a, b in zip(bounds[:-1], bounds[1:])], dtype=object
    )


def make_areas(geo: Geography) -> tuple[pd.DataFrame, pd.DataFrame]:
    cols, rows = serpentine_cells()
    x0 = ORIGIN[0] + cols * CELL_M
    y0 = ORIGIN[1] + rows * CELL_M
    squares = shapely.box(x0, y0, x0 + CELL_M, y0 + CELL_M)
    to_wgs84 = pyproj.Transformer.from_crs(31370, 4326, always_xy=True)

    def frame(level: str, codes, names, geoms) -> pd.DataFrame:
        geoms = np.asarray(geoms, dtype=object)
        display = shapely.transform(geoms, lambda xy: np.column_stack(to_wgs84.transform(xy[:, 0], xy[:, 1])))
        return pd.DataFrame(
            {
                "level": level,
                "code": list(codes),
                "name": list(names),
                "area_ha": shapely.area(geoms) / 10_000.0,
                "geom_lambert": shapely.to_wkb(geoms),
                "geom_display": shapely.to_wkb(display),
            }
        )

    n_zones, n_prov = len(geo.zone_codes), len(PROVINCES)
    zone_geoms = grouped_union(squares, geo.sector_zone, n_zones)
    areas = pd.concat(
        [
            frame("statsec", geo.sector_codes, [f"Sector {c}" for c in geo.sector_codes], squares),
            frame(
                "deelgemeente",
                geo.deel_codes,
                geo.deel_names,
                grouped_union(squares, geo.sector_deel, len(geo.deel_codes)),
            ),
            frame(
                "gemeente", geo.muni_codes, geo.muni_names, grouped_union(squares, geo.sector_muni, len(geo.muni_codes))
            ),
            frame("elz", geo.zone_codes, geo.zone_names, zone_geoms),
            frame(
                "provincie",
                [p[0] for p in PROVINCES],
                [p[1] for p in PROVINCES],
                grouped_union(zone_geoms, geo.zone_prov, n_prov),
            ),
            frame("gewest", [GEWEST[0]], [GEWEST[1]], [shapely.coverage_union_all(zone_geoms)]),
        ],
        ignore_index=True,
    )

    prov_codes = np.array([p[0] for p in PROVINCES], dtype=object)
    sec, muni, zone = geo.sector_codes, geo.muni_codes, geo.zone_codes
    chains = [
        (
            "statsec",
            sec,
            {
                "deelgemeente": geo.deel_codes[geo.sector_deel],
                "gemeente": muni[geo.sector_muni],
                "elz": zone[geo.sector_zone],
                "provincie": prov_codes[geo.sector_prov],
            },
        ),
        (
            "deelgemeente",
            geo.deel_codes,
            {
                "gemeente": muni[geo.deel_muni],
                "elz": zone[geo.muni_zone[geo.deel_muni]],
                "provincie": prov_codes[geo.zone_prov[geo.muni_zone[geo.deel_muni]]],
            },
        ),
        ("gemeente", muni, {"elz": zone[geo.muni_zone], "provincie": prov_codes[geo.zone_prov[geo.muni_zone]]}),
        ("elz", zone, {"provincie": prov_codes[geo.zone_prov]}),
        ("provincie", prov_codes, {}),
    ]
    parts = []
    for level, codes, parents in chains:
        for parent_level, parent_codes in {**parents, "gewest": np.full(len(codes), GEWEST[0], dtype=object)}.items():
            parts.append(
                pd.DataFrame({"level": level, "code": codes, "parent_level": parent_level, "parent_code": parent_codes})
            )
    return areas, pd.concat(parts, ignore_index=True)


# --- synthetic counts -------------------------------------------------------------

STORED_COUNTS = [b.code for b in BUILTIN.base_counts.values() if not b.sum_of]
AGE_KEYS = ("0_9", "10_19", "20_29", "30_39", "40_49", "50_59", "60_69", "70_79", "80_89", "90plus")
AGE_SHARES = np.array([0.105, 0.112, 0.118, 0.127, 0.124, 0.141, 0.128, 0.083, 0.048, 0.014])


def make_counts(rng: np.random.Generator, profile: dict[str, np.ndarray], pop: np.ndarray) -> np.ndarray:
    """One period: sectors x STORED_COUNTS integer matrix, internally consistent."""
    b = rng.binomial

    def p(base: float, key: str) -> np.ndarray:  # a sector-specific rate around ``base``
        return np.clip(base * profile[key], 0.0, 0.95)

    v: dict[str, np.ndarray] = {"pop_total": pop}
    ages = rng.multinomial(pop, profile["age_shares"])  # n x 10, rows sum to pop
    for i, key in enumerate(AGE_KEYS):
        v[f"pop_age_{key}"] = ages[:, i]
    v["pop_men"] = b(pop, 0.493)
    v["pop_women"] = pop - v["pop_men"]
    a = {k: ages[:, i] for i, k in enumerate(AGE_KEYS)}
    age_60_64 = b(a["60_69"], 0.52)
    age_70_74 = b(a["70_79"], 0.55)
    v["pop_age_20_64"] = a["20_29"] + a["30_39"] + a["40_49"] + a["50_59"] + age_60_64
    v["pop_age_18_64"] = v["pop_age_20_64"] + b(a["10_19"], 0.2)
    v["pop_age_75plus"] = a["70_79"] - age_70_74 + a["80_89"] + a["90plus"]
    v["pop_age_65plus"] = a["60_69"] - age_60_64 + a["70_79"] + a["80_89"] + a["90plus"]
    v["pop_same_address"] = b(pop, p(0.9, "mobility"))
    hh = b(pop, 0.43)
    v["hh_private"] = hh
    v["hh_single_person"] = b(hh, p(0.32, "urban"))
    v["hh_single_parent_minor"] = b(hh, p(0.06, "deprivation"))
    v["pop_alone_18_64"] = b(v["pop_age_18_64"], p(0.12, "urban"))
    v["pop_alone_75plus"] = b(v["pop_age_75plus"], 0.38)
    v["pupils_primary"] = b(a["0_9"] + a["10_19"], 0.3)
    v["pupils_primary_low_edu_mother"] = b(v["pupils_primary"], p(0.12, "deprivation"))
    v["pupils_secondary"] = b(a["10_19"], 0.55)
    v["pupils_secondary_low_edu_mother"] = b(v["pupils_secondary"], p(0.10, "deprivation"))
    v["insured_20_64"] = b(v["pop_age_20_64"], 0.99)
    v["insured_20_64_increased"] = b(v["insured_20_64"], p(0.12, "deprivation"))
    v["insured_65plus"] = b(v["pop_age_65plus"], 0.99)
    v["insured_65plus_replacement_income"] = b(v["insured_65plus"], p(0.05, "deprivation"))
    v["insured_total"] = b(pop, 0.99)
    v["insured_chronic"] = b(v["insured_total"], 0.2)
    v["insured_antidepressants"] = b(v["insured_total"], p(0.11, "deprivation"))
    v["hh_known_tenure"] = b(hh, 0.95)
    v["hh_tenant"] = b(v["hh_known_tenure"], p(0.28, "urban"))
    v["social_rental_dwellings"] = b(hh, p(0.06, "deprivation"))
    v["pop_non_belgian_birth_nat"] = b(pop, p(0.12, "urban"))
    v["pop_non_belgian_origin"] = np.minimum(pop, v["pop_non_belgian_birth_nat"] + b(pop, p(0.13, "urban")))
    v["hh_statbel"] = hh
    v["cars"] = b(hh * 2, p(0.55, "urban"))
    v["tax_returns"] = b(v["pop_age_18_64"] + v["pop_age_65plus"], 0.8)
    # Euro, ~20.000-45.000 per return: a sum, so it is summed like any count.
    v["net_taxable_income"] = v["tax_returns"] * np.round(rng.normal(31000, 4000, len(pop)).clip(18000, 60000))
    missing = set(STORED_COUNTS) ^ set(v)
    assert not missing, f"generator and catalogue disagree on {sorted(missing)}"
    return np.column_stack([v[c] for c in STORED_COUNTS]).astype(np.int64)


def make_observations(
    rng: np.random.Generator, geo: Geography, no_totals_zone: int
) -> tuple[pd.DataFrame, dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Observation frame plus the true sector values and hidden masks per period (for checks)."""
    n = len(geo.sector_codes)
    urban = rng.lognormal(0.0, 0.25, n)
    profile = {
        "urban": urban,
        "mobility": rng.lognormal(0.0, 0.02, n),
        "deprivation": rng.lognormal(0.0, 0.45, n) * urban,
        # Greyer and younger sectors: Dirichlet around Flanders' age pyramid.
        "age_shares": rng.dirichlet(AGE_SHARES * 60.0, n),
    }
    pop_2020 = np.maximum(0, rng.lognormal(6.35, 0.75, n)).astype(np.int64)  # median ~570, mean ~750
    small = rng.random(n) < 0.01  # a few near-empty sectors (industry, parks)
    pop_2020[small] = rng.integers(0, 30, int(small.sum()))
    pops = {"2020": pop_2020, "2025": np.maximum(0, pop_2020 * rng.normal(1.03, 0.04, n)).astype(np.int64)}

    in_no_totals_zone = geo.sector_zone == no_totals_zone
    order_ok = np.all(np.diff(geo.sector_muni) >= 0)
    assert order_ok, "sectors must be grouped by municipality"
    starts = np.searchsorted(geo.sector_muni, np.arange(len(geo.muni_codes)))
    muni_with_totals = np.flatnonzero(geo.muni_zone != no_totals_zone)
    var = np.array(STORED_COUNTS, dtype=object)
    nv = len(var)

    frames, truth, hidden_masks = [], {}, {}
    for period in PERIODS:
        values = make_counts(rng, profile, pops[period])
        # The source hides small values in some sectors (never in the no-totals zone, so
        # that its zone average from sectors has a value to check).
        hide_sector = ((rng.random(n) < HIDDEN_SHARE) | (pops[period] < 20)) & ~in_no_totals_zone
        hidden = hide_sector[:, None] & (values < HIDE_BELOW)
        # Every flagged sector hides at least one count.
        none = hide_sector & ~hidden.any(axis=1)
        hidden[none, rng.integers(0, nv, int(none.sum()))] = True
        truth[period], hidden_masks[period] = values, hidden

        flat_hidden = hidden.ravel()
        sector_value = values.ravel().astype(float)
        sector_value[flat_hidden] = np.nan
        frames.append(
            pd.DataFrame(
                {
                    "area_level": "statsec",
                    "area_code": np.repeat(geo.sector_codes, nv),
                    "variable": np.tile(var, n),
                    "period": period,
                    "value": sector_value,
                    "status": np.where(flat_hidden, "verborgen", "ok").astype(object),
                }
            )
        )
        # Published municipal totals include the hidden values (sums of the true values).
        totals = np.add.reduceat(values, starts, axis=0)[muni_with_totals]
        frames.append(
            pd.DataFrame(
                {
                    "area_level": "gemeente",
                    "area_code": np.repeat(geo.muni_codes[muni_with_totals], nv),
                    "variable": np.tile(var, len(muni_with_totals)),
                    "period": period,
                    "value": totals.ravel().astype(float),
                    "status": "ok",
                }
            )
        )
        frames.append(
            pd.DataFrame(
                {
                    "area_level": "gewest",
                    "area_code": GEWEST[0],
                    "variable": var,
                    "period": period,
                    "value": values.sum(axis=0).astype(float),
                    "status": "ok",
                }
            )
        )
    return pd.concat(frames, ignore_index=True), truth, hidden_masks


# --- timing -------------------------------------------------------------------------


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def measure(path: Path, fn, repeat: int) -> tuple[dict, object]:
    """Cold first call on a freshly opened database (also the warm-up), then ``repeat`` warm calls."""
    close_all()
    store = Store.open(path)
    cold, out = timed(lambda: fn(store))
    warm = [timed(lambda: fn(store))[0] for _ in range(repeat)]
    return {
        "cold": round(cold, 4),
        "min": round(min(warm), 4),
        "median": round(statistics.median(warm), 4),
        "max": round(max(warm), 4),
        "n": repeat,
    }, out


def check(label: str, ok: bool, detail: str) -> bool:
    log(f"check {'OK  ' if ok else 'FAIL'} {label}: {detail}")
    return ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="database file to build (must not exist); default: a temp file")
    ap.add_argument("--keep", action="store_true", help="keep the database file afterwards")
    ap.add_argument("--repeat", type=int, default=5, help="warm calls per query (default 5)")
    ap.add_argument("--seed", type=int, default=20250101)
    ap.add_argument(
        "--no-rewrite", action="store_true", help="skip the final re-import of the same dataset (saves 10-20 s)"
    )
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")

    tmpdir = None
    if args.db is None:
        tmpdir = tempfile.mkdtemp(prefix="zorgzaam-bench-")
        path = Path(tmpdir) / "bench.duckdb"
    else:
        path = args.db
        if path.exists():
            ap.error(f"{path} exists; the benchmark builds a fresh database (remove it or pick another path)")

    try:
        return run(path, args)
    finally:
        close_all()
        if not args.keep:
            for p in (path, path.with_name(path.name + ".wal")):
                p.unlink(missing_ok=True)
            if tmpdir:
                os.rmdir(tmpdir)
        else:
            log(f"kept {path}")


def run(path: Path, args: argparse.Namespace) -> int:
    rng = np.random.default_rng(args.seed)

    # 1. Build. ---------------------------------------------------------------------
    t_build = time.perf_counter()
    geo = make_geography(rng)
    sectors_per_zone = np.bincount(geo.sector_zone, minlength=len(geo.zone_codes))
    by_size = np.argsort(sectors_per_zone, kind="stable")
    # Two median-sized zones: Z has municipal totals, Z0 has none (its average comes from sectors).
    z_idx, z0_idx = int(by_size[len(by_size) // 2]), int(by_size[len(by_size) // 2 + 1])
    t = time.perf_counter()
    areas, parents = make_areas(geo)
    geometry_seconds = time.perf_counter() - t
    obs, truth, hidden = make_observations(rng, geo, z0_idx)
    generate_seconds = time.perf_counter() - t_build
    log(
        f"generated {len(areas):,} areas, {len(parents):,} parent rows, {len(obs):,} observations "
        f"in {generate_seconds:.1f} s (geometry {geometry_seconds:.1f} s)"
    )

    store = Store.open(path)
    write_seconds, _ = timed(
        lambda: store.replace_dataset(
            "bench",
            title="Synthetisch Vlaanderen (benchmark)",
            source="bench/bench_store.py",
            period_label=", ".join(PERIODS),
            areas=areas,
            area_parents=parents,
            observations=obs,
        )
    )
    build_seconds = time.perf_counter() - t_build
    checkpoint_seconds, _ = timed(lambda: store._cursor().execute("CHECKPOINT"))
    store_bytes = store.file_size()
    wal = path.with_name(path.name + ".wal")
    log(f"wrote in {write_seconds:.1f} s, checkpoint {checkpoint_seconds:.1f} s, {store_bytes / 1e6:.1f} MB")

    counts = dict(store._cursor().execute("SELECT level, count(*) FROM areas GROUP BY level").fetchall())
    n_obs, n_null, n_hidden = (
        store._cursor()
        .execute(
            "SELECT count(*), count(*) FILTER (value IS NULL), count(*) FILTER (status = 'verborgen') FROM observations"
        )
        .fetchall()[0]
    )  # fetchall: a fetchone() result keeps its transaction open (see README)

    # 2. Queries. -------------------------------------------------------------------
    Z, Z0 = geo.zone_codes[z_idx], geo.zone_codes[z0_idx]
    z_munis = geo.zone_municipalities(z_idx)
    muni_sectors = np.bincount(geo.sector_muni, minlength=len(geo.muni_codes))
    # The zone's largest municipality, for the 36-indicator view.
    M = z_munis[int(np.argmax([muni_sectors[list(geo.muni_codes).index(m)] for m in z_munis]))]
    # The synthetic store has no spatial layers, so no access indicators (those come from bench_access.py).
    all_indicators = [c for c, ind in BUILTIN.indicators.items() if ind.theme != "voorzieningen en bereikbaarheid"]
    latest = PERIODS[-1]

    def zone_with_references(s: Store):
        sectors = compute(s, ["pct_80plus"], level="statsec", within=("elz", Z))
        refs = compute(
            s, ["pct_80plus"], areas=[("elz", Z), ("gewest", GEWEST[0])] + [("gemeente", m) for m in z_munis]
        )
        return sectors, refs

    queries = {
        "zone_with_references": zone_with_references,
        "flanders_sectors": lambda s: compute(s, ["pct_80plus"], level="statsec"),
        "zone_from_sectors": lambda s: compute(s, ["pct_80plus"], areas=[("elz", Z0)]),
        "municipality_all_indicators": lambda s: with_references(s, all_indicators, "gemeente", M),
    }
    timings, results = {}, {}
    for name, fn in queries.items():
        timings[name], results[name] = measure(path, fn, args.repeat)
        log(f"{name}: cold {timings[name]['cold']:.3f} s, median {timings[name]['median']:.3f} s")

    # 3. Checks (stderr). -------------------------------------------------------------
    a80 = STORED_COUNTS.index("pop_age_80_89"), STORED_COUNTS.index("pop_age_90plus")
    tot = STORED_COUNTS.index("pop_total")
    values = truth[latest]

    def pct80(rows: np.ndarray) -> float:
        sub = values[rows]
        return float((sub[:, a80[0]].sum() + sub[:, a80[1]].sum()) / sub[:, tot].sum() * 100)

    def got(df: pd.DataFrame, level: str, code: str) -> tuple[float, str]:
        row = df[(df["area_level"] == level) & (df["area_code"] == code)].iloc[0]
        return float(row["value"]), row["status"]

    ok = True
    sectors_df, refs_df = results["zone_with_references"]
    in_z = geo.sector_zone == z_idx
    ok &= check(
        "zone sectors",
        len(sectors_df) == int(in_z.sum()),
        f"{len(sectors_df)} rows for {int(in_z.sum())} sectors of {Z}",
    )
    value_z, status_z = got(refs_df, "elz", Z)
    starts = np.searchsorted(geo.sector_muni, np.arange(len(geo.muni_codes)))
    muni_totals = np.add.reduceat(values, starts, axis=0)  # the stored municipal totals
    zm = np.flatnonzero(geo.muni_zone == z_idx)
    expected_z = float(
        (muni_totals[zm, a80[0]].sum() + muni_totals[zm, a80[1]].sum()) / muni_totals[zm, tot].sum() * 100
    )
    ok &= check(
        "zone value (a) = ratio of sums of its municipal totals",
        status_z == "ok" and math.isclose(value_z, expected_z, rel_tol=1e-12),
        f"{Z}: {value_z!r} ({status_z}) vs {expected_z!r}",
    )
    hidden_80 = hidden[latest][in_z][:, list(a80) + [tot]].any(axis=1).sum()
    ok &= check(
        "zone sectors with a hidden count are 'verborgen'",
        int((sectors_df["status"] == "verborgen").sum()) == int(hidden_80),
        f"{int((sectors_df['status'] == 'verborgen').sum())} vs {int(hidden_80)} expected",
    )
    value_g, status_g = got(refs_df, "gewest", GEWEST[0])
    ok &= check(
        "gewest value = stored total",
        status_g == "ok" and math.isclose(value_g, pct80(np.arange(len(values))), rel_tol=1e-12),
        f"{value_g!r} vs {pct80(np.arange(len(values)))!r}",
    )
    flanders = results["flanders_sectors"]
    ok &= check("flanders sectors", len(flanders) == N_SECTORS, f"{len(flanders)} rows")
    value_z0, status_z0 = got(results["zone_from_sectors"], "elz", Z0)
    expected_z0 = pct80(np.flatnonzero(geo.sector_zone == z0_idx))
    ok &= check(
        "zone without municipal totals (c) = ratio of sums of its sectors",
        status_z0 == "ok" and math.isclose(value_z0, expected_z0, rel_tol=1e-12),
        f"{Z0}: {value_z0!r} ({status_z0}) vs {expected_z0!r}",
    )
    m_df, m_refs = results["municipality_all_indicators"]
    ok &= check(
        "municipality with references",
        len(m_df) == len(all_indicators) * 3
        and [r.level for r in m_refs] == ["elz", "gewest"]
        and bool((m_df.loc[m_df["area_level"] == "gemeente", "status"] == "ok").all()),
        f"{len(m_df)} rows, references {[(r.level, r.code) for r in m_refs]}",
    )
    ok &= check("observation NULLs are the hidden values", n_null == n_hidden, f"{n_null} NULL, {n_hidden} verborgen")

    # 4. Re-import: the same dataset written again (an updated export replacing the old one). --
    rewrite = None
    if not args.no_rewrite:
        close_all()
        store = Store.open(path)
        rewrite_seconds, _ = timed(
            lambda: store.replace_dataset(
                "bench",
                title="Synthetisch Vlaanderen (benchmark)",
                source="bench/bench_store.py",
                period_label=", ".join(PERIODS),
                areas=areas,
                area_parents=parents,
                observations=obs,
            )
        )
        # Known issue (see README): on a reopened database Store.open leaves migrate()'s
        # fetchone() result, and so a transaction, open on the base connection; CHECKPOINT
        # then fails (and FORCE CHECKPOINT waits forever). A large commit is written to the
        # database file directly, so the size below is meaningful either way.
        try:
            store._cursor().execute("CHECKPOINT")
            checkpoint = "ok"
        except duckdb.TransactionException as exc:
            checkpoint = f"failed: {str(exc).splitlines()[0][:120]}"
        log(f"checkpoint after rewrite: {checkpoint}")
        used, free = (
            store._cursor().execute("SELECT used_blocks, free_blocks FROM pragma_database_size()").fetchall()[0]
        )
        rewrite = {
            "seconds": round(rewrite_seconds, 3),
            "store_bytes_after": store.file_size(),
            "used_blocks": used,
            "free_blocks": free,
            "checkpoint_after": checkpoint,
        }
        log(f"rewrite: {rewrite_seconds:.1f} s, {store.file_size() / 1e6:.1f} MB ({free} of {used + free} blocks free)")
        n_after = store._cursor().execute("SELECT count(*) FROM observations").fetchall()[0][0]
        ok &= check(
            "re-import replaces, does not add", n_after == n_obs, f"{n_after} observations after, {n_obs} before"
        )

    report = {
        "timestamp": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "duckdb": duckdb.__version__,
            "pandas": pd.__version__,
            "numpy": np.__version__,
            "cpu_count": os.cpu_count(),
            "cpu_available": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
        },
        "seed": args.seed,
        "build_seconds": round(build_seconds, 3),
        "generate_seconds": round(generate_seconds, 3),
        "write_seconds": round(write_seconds, 3),
        "checkpoint_seconds": round(checkpoint_seconds, 3),
        "store_bytes": store_bytes,
        "wal_bytes_after_checkpoint": wal.stat().st_size if wal.exists() else 0,
        "counts": {
            "sectors": counts.get("statsec", 0),
            "deelgemeenten": counts.get("deelgemeente", 0),
            "municipalities": counts.get("gemeente", 0),
            "zones": counts.get("elz", 0),
            "provinces": counts.get("provincie", 0),
            "gewest": counts.get("gewest", 0),
            "area_parents": len(parents),
            "observations": n_obs,
            "observations_hidden": n_hidden,
            "periods": len(PERIODS),
            "stored_base_counts": len(STORED_COUNTS),
        },
        "query_areas": {
            "zone": Z,
            "zone_sectors": int(in_z.sum()),
            "zone_municipalities": len(z_munis),
            "zone_without_municipal_totals": Z0,
            "zone_without_totals_sectors": int((geo.sector_zone == z0_idx).sum()),
            "municipality": M,
            "municipality_sectors": int(muni_sectors[list(geo.muni_codes).index(M)]),
            "indicators_all": len(all_indicators),
            "period": latest,
        },
        "queries_seconds": timings,
        "rewrite": rewrite,
        "checks_passed": bool(ok),
    }
    print(json.dumps(report, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
