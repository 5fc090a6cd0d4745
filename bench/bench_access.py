"""Benchmark: access per residential place (access.compute_place_access) at Flanders size.

Not a test (pytest only collects ``tests/``, and this file is not named
``test_*``). Run from the repository root:

    .venv/bin/python bench/bench_access.py [--seed S] [--cells N] [--naive-sample N] [--no-naive]

Builds a synthetic Flanders in memory (fixed seed, no downloads): about 1.4
million inhabited hectare cells clustered around towns and villages, 60,000
amenities over the 14 categories, 35,000 bus stops with departures per hour
(some belbus), and kern/lint/verspreid features. Times ``compute_place_access``
on all cells in a fresh worker process (so its peak memory is its own), and
compares it with the naive GeoPandas route (``sjoin_nearest`` per category and
threshold, ``sjoin`` with ``dwithin`` for the counts) on a subsample, whose
time is extrapolated to all cells. The naive results are checked against ours
on the subsample. JSON goes to stdout; progress and a summary table to stderr.
See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from anywhere

import geopandas as gpd  # noqa: E402
import scipy  # noqa: E402
import shapely  # noqa: E402

from zorgzaam.access import (  # noqa: E402
    AMENITY_CATEGORIES,
    BUS_THRESHOLDS,
    COUNT_RADII,
    amenity_points,
    bus_column,
    compute_place_access,
    settlement_class,
)

# Flanders in Lambert 72, roughly (the bench does not need its real outline).
BOUNDS = (22_000.0, 153_000.0, 262_000.0, 245_000.0)
# Share of the 60,000 amenities per category (zitbanken most, woonzorgcentra fewest).
CATEGORY_SHARE = {
    "voedingswinkel": 0.05,
    "supermarkt": 0.03,
    "bakker": 0.05,
    "slager": 0.03,
    "huisarts": 0.10,
    "apotheek": 0.04,
    "school": 0.06,
    "post": 0.02,
    "bank": 0.02,
    "lokaal_dienstencentrum": 0.005,
    "woonzorgcentrum": 0.015,
    "zitbank": 0.455,
    "openbaar_toilet": 0.025,
    "groen": 0.10,
}
BELBUS_SHARE = 0.08


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def rss_mb() -> float:
    """Current resident set size (Linux /proc), MB."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3  # KB on Linux


# --- synthetic Flanders ----------------------------------------------------------------


def make_input(seed: int, n_cells: int, n_amenities: int, n_stops: int):
    """Places, amenity features, stops and settlement features (all Lambert 72)."""
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = BOUNDS
    # Settlements: a few cities, many towns and villages; cell counts follow a heavy tail.
    n_centres = 4_000
    cx = rng.uniform(x0 + 5_000, x1 - 5_000, n_centres)
    cy = rng.uniform(y0 + 5_000, y1 - 5_000, n_centres)
    size = rng.pareto(1.3, n_centres) + 1.0
    spread = 250.0 * np.sqrt(size).clip(1, 25)  # metres: a village ~250 m, a city several km
    weight = size / size.sum()
    # Cell centres around the settlements plus 12 % scattered, snapped to the hectare grid, deduplicated
    # (sort-based: numpy's hash-based unique is slow at this size); scattered cells top up what is short.
    m = int(n_cells * 2.0)
    pick = rng.choice(n_centres, m, p=weight)
    px = rng.normal(cx[pick], spread[pick])
    py = rng.normal(cy[pick], spread[pick])
    scatter = rng.random(m) < 0.12
    px[scatter] = rng.uniform(x0, x1, scatter.sum())
    py[scatter] = rng.uniform(y0, y1, scatter.sum())
    keys = np.empty(0, dtype=np.int64)
    while True:
        ok = (px > x0) & (px < x1) & (py > y0) & (py < y1)
        keys = np.sort(
            np.concatenate([keys, (px[ok] // 100).astype(np.int64) * 10_000 + (py[ok] // 100).astype(np.int64)])
        )
        keys = keys[np.r_[True, keys[1:] != keys[:-1]]]
        if len(keys) >= n_cells:
            break
        px = rng.uniform(x0, x1, n_cells - len(keys) + 1000)
        py = rng.uniform(y0, y1, len(px))
    keys = rng.permutation(keys)[:n_cells]
    x = (keys // 10_000) * 100.0 + 50.0
    y = (keys % 10_000) * 100.0 + 50.0
    residents = np.maximum(1, rng.gamma(0.9, 5.0, n_cells).round()).astype(np.float64)
    # Sectors as 1,175 m squares, about a real sector's size (codes are labels only here).
    sx = ((x - x0) // 1_175).astype(np.int64)
    sy = ((y - y0) // 1_175).astype(np.int64)
    sector_index = sx * 100 + sy
    uniq, inverse = np.unique(sector_index, return_inverse=True)
    codes = np.array([f"{10000 + k // 30:05d}A{k % 30:02d}-" for k in range(len(uniq))], dtype=object)
    places = pd.DataFrame({"x": x, "y": y, "statsec": codes[inverse], "residents": residents})

    # Amenities near people: a random inhabited cell (by residents) plus up to ~150 m.
    p = residents / residents.sum()
    feats = []
    for cat in AMENITY_CATEGORIES:
        n = int(round(n_amenities * CATEGORY_SHARE[cat]))
        at = rng.choice(n_cells, n, p=p)
        ax = x[at] + rng.uniform(-150, 150, n)
        ay = y[at] + rng.uniform(-150, 150, n)
        if cat == "groen":
            half = rng.uniform(20, 120, n)
            geoms = shapely.box(ax - half, ay - half, ax + half, ay + half)
        else:
            geoms = shapely.points(ax, ay)
        feats.append(
            pd.DataFrame(
                {
                    "layer": "voorziening",
                    "feature_id": [f"{cat}-{k}" for k in range(n)],
                    "category": cat,
                    "name": None,
                    "geom_lambert": shapely.to_wkb(geoms),
                }
            )
        )

    # Settlement type: kernen around the centres, ribbons from them, scattered clusters in between.
    n_kern = 2_500
    order = np.argsort(-size)[:n_kern]
    kern = shapely.buffer(shapely.points(cx[order], cy[order]), spread[order] * 1.2, quad_segs=8)
    n_lint = 15_000
    start = rng.choice(n_kern, n_lint)
    angle = rng.uniform(0, 2 * np.pi, n_lint)
    r0 = spread[order][start] * 1.2
    length = rng.uniform(300, 1_800, n_lint)
    lx0 = cx[order][start] + r0 * np.cos(angle)
    ly0 = cy[order][start] + r0 * np.sin(angle)
    ends = np.column_stack([lx0 + length * np.cos(angle), ly0 + length * np.sin(angle)])
    lint = shapely.linestrings(np.stack([np.column_stack([lx0, ly0]), ends], axis=1))
    n_vs = 25_000
    vx = rng.uniform(x0, x1, n_vs)
    vy = rng.uniform(y0, y1, n_vs)
    verspreid = shapely.buffer(shapely.points(vx, vy), rng.uniform(40, 120, n_vs), quad_segs=4)
    for cat, geoms in (("kern", kern), ("lint", lint), ("verspreid", verspreid)):
        feats.append(
            pd.DataFrame(
                {
                    "layer": "nederzetting",
                    "feature_id": [f"{cat}-{k}" for k in range(len(geoms))],
                    "category": cat,
                    "name": None,
                    "geom_lambert": shapely.to_wkb(geoms),
                }
            )
        )
    features = pd.concat(feats, ignore_index=True)

    # Stops along where people live; frequency falls off outside the bigger settlements.
    at = rng.choice(n_cells, n_stops, p=p)
    belbus = rng.random(n_stops) < BELBUS_SHARE
    freq = np.round(rng.gamma(1.2, 1.2, n_stops) * 2) / 2
    stops = pd.DataFrame(
        {
            "stop_id": [f"s{k}" for k in range(n_stops)],
            "departures_per_hour": pd.array(np.where(belbus, np.nan, freq), dtype="Float64"),
            "is_belbus": belbus,
            "x": x[at] + rng.uniform(-80, 80, n_stops),
            "y": y[at] + rng.uniform(-80, 80, n_stops),
        }
    )
    return places, features, stops


# --- the measured runs ---------------------------------------------------------------------


def load_implementation(source: Path):
    """``zorgzaam/access.py`` of another revision as the module ``zorgzaam._access_baseline``."""
    spec = importlib.util.spec_from_file_location("zorgzaam._access_baseline", source)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)  # its relative imports resolve in today's zorgzaam package
    return module


def column_digests(table: pd.DataFrame) -> dict[str, str]:
    """One hash per column (values and order): two tables are equal when every digest is."""
    return {
        c: str(
            int(
                pd.util.hash_pandas_object(table[c], index=False)
                .to_numpy()
                .astype(np.uint64)
                .dot(np.arange(1, len(table) + 1, dtype=np.uint64))
            )
        )
        for c in table.columns
    }


def worker(path: Path, trace: bool, impl: Path | None = None) -> dict:
    """Load the saved input, run compute_place_access once, report time and memory (in this process).

    ``impl``: another revision's access.py (``--baseline``): only its time, CPU time and column digests.
    """
    places = pd.read_parquet(path / "places.parquet")
    features = pd.read_parquet(path / "features.parquet")
    stops = pd.read_parquet(path / "stops.parquet")
    amenities = amenity_points(features)
    compute = load_implementation(impl).compute_place_access if impl else compute_place_access
    base_rss = rss_mb()
    if trace:
        tracemalloc.start()
    t0 = time.perf_counter()
    c0 = time.process_time()
    table = compute(places, amenities, stops, features)
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    out = {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "load_average_after": os.getloadavg()[0],
        "rows": len(table),
        "columns": table.shape[1],
        "table_mb": table.memory_usage(deep=False).sum() / 1e6,
        "rss_before_mb": base_rss,
        "peak_rss_mb": peak_rss_mb(),
    }
    out["peak_above_before_mb"] = out["peak_rss_mb"] - base_rss
    if trace:
        out["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    out["settlement_counts"] = table["settlement"].value_counts().to_dict()
    if trace:
        return out
    out["digests"] = column_digests(table)
    if impl:
        return out
    # Stored once: the write into a new store (one transaction), and the file it makes.
    from zorgzaam.store import Store, close_all

    db = path / "bench.duckdb"
    db.unlink(missing_ok=True)  # a new store in every round (``--rounds``), not a rewrite of the last one
    store = Store.open(db)
    t0 = time.perf_counter()
    store.replace_place_access("bench", table)
    out["write_seconds"] = time.perf_counter() - t0
    store._cursor().execute("CHECKPOINT")
    out["store_mb"] = db.stat().st_size / 1e6
    t0 = time.perf_counter()
    some = store.place_access(sorted(table["statsec"].unique())[:150])
    out["read_150_sectors_seconds"] = time.perf_counter() - t0
    out["read_150_sectors_rows"] = len(some)
    close_all()
    del table, some
    # The parts, timed once more on their own: settlement classes, and the rest without them.
    t0 = time.perf_counter()
    settlement_class(places, features)
    out["settlement_seconds"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    compute_place_access(places, amenities, stops, None)
    out["without_settlement_seconds"] = time.perf_counter() - t0
    return out


def naive(places: pd.DataFrame, amenities: pd.DataFrame, stops: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Distances and counts by GeoPandas joins: sjoin_nearest per category/threshold, sjoin dwithin per radius."""
    cells = gpd.GeoDataFrame(
        {"i": np.arange(len(places))}, geometry=gpd.points_from_xy(places["x"], places["y"]), crs=31370
    )
    out = pd.DataFrame(index=np.arange(len(places)))
    timings: dict[str, float] = {}

    def nearest(name: str, pts: gpd.GeoDataFrame) -> None:
        t0 = time.perf_counter()
        joined = gpd.sjoin_nearest(cells, pts, how="left", distance_col="d")
        out[name] = joined.groupby("i")["d"].min()  # ties give several rows per cell
        timings[name] = time.perf_counter() - t0

    for cat in AMENITY_CATEGORIES:
        sub = amenities[amenities["category"] == cat]
        pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(sub["x"], sub["y"]), crs=31370)
        nearest(f"dist_{cat}", pts)
        for r in COUNT_RADII:
            t0 = time.perf_counter()
            joined = gpd.sjoin(cells, pts, how="inner", predicate="dwithin", distance=float(r))
            out[f"n{r}_{cat}"] = joined.groupby("i").size().reindex(out.index, fill_value=0)
            timings[f"n{r}_{cat}"] = time.perf_counter() - t0
    freq = pd.to_numeric(stops["departures_per_hour"]).astype("float64")
    regular = ~stops["is_belbus"].to_numpy() & (freq > 0).to_numpy()
    for t in BUS_THRESHOLDS:
        sub = stops[regular & (freq >= t).to_numpy()]
        nearest(bus_column(t), gpd.GeoDataFrame(geometry=gpd.points_from_xy(sub["x"], sub["y"]), crs=31370))
    sub = stops[stops["is_belbus"].to_numpy()]
    nearest("dist_belbus", gpd.GeoDataFrame(geometry=gpd.points_from_xy(sub["x"], sub["y"]), crs=31370))
    return out, timings


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=20250101)
    ap.add_argument("--cells", type=int, default=1_400_000)
    ap.add_argument("--amenities", type=int, default=60_000)
    ap.add_argument("--stops", type=int, default=35_000)
    ap.add_argument("--naive-sample", type=int, default=100_000)
    ap.add_argument("--no-naive", action="store_true")
    ap.add_argument(
        "--baseline",
        metavar="REV",
        help="also time zorgzaam/access.py of this git revision on the same input (e.g. HEAD~1)",
    )
    ap.add_argument("--rounds", type=int, default=1, help="timed runs of each implementation, alternating")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--impl", help=argparse.SUPPRESS)
    ap.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(Path(args.worker), args.trace, Path(args.impl) if args.impl else None)))
        return 0

    t0 = time.perf_counter()
    log(f"Synthetisch Vlaanderen maken (seed {args.seed}) ...")
    places, features, stops = make_input(args.seed, args.cells, args.amenities, args.stops)
    generate = time.perf_counter() - t0
    amenities = amenity_points(features)
    log(
        f"  {len(places):,} cellen, {len(amenities):,} voorzieningen, {len(stops):,} haltes, "
        f"{(features['layer'] == 'nederzetting').sum():,} nederzettingsvormen in {generate:.1f} s"
    )
    report: dict = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip(),
        "load_average_at_start": os.getloadavg()[0],
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "shapely": shapely.__version__,
            "geopandas": gpd.__version__,
            "pandas": pd.__version__,
            "platform": platform.platform(),
        },
        "input": {
            "seed": args.seed,
            "cells": len(places),
            "residents": float(places["residents"].sum()),
            "sectors": int(places["statsec"].nunique()),
            "amenities": int(len(amenities)),
            "amenities_per_category": amenities["category"].value_counts().to_dict(),
            "stops": len(stops),
            "belbus_stops": int(stops["is_belbus"].sum()),
            "settlement_features": features.loc[features["layer"] == "nederzetting", "category"]
            .value_counts()
            .to_dict(),
            "generate_seconds": generate,
        },
    }

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp)
        places.to_parquet(path / "places.parquet")
        features.to_parquet(path / "features.parquet")
        stops.to_parquet(path / "stops.parquet")
        baseline = None
        if args.baseline:
            baseline = path / "access_baseline.py"
            baseline.write_text(
                subprocess.run(
                    ["git", "show", f"{args.baseline}:zorgzaam/access.py"],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )

        def run(label: str, *extra: str) -> dict:
            log(f"compute_place_access op alle cellen ({label}, eigen proces) ...")
            done = subprocess.run(
                [sys.executable, __file__, "--worker", str(path), *extra], capture_output=True, text=True
            )
            if done.returncode:
                log(done.stderr)
                done.check_returncode()
            result = json.loads(done.stdout.strip().splitlines()[-1])
            log(
                f"  {result['seconds']:.1f} s (CPU {result['cpu_seconds']:.1f} s), "
                f"piek {result['peak_above_before_mb']:.0f} MB boven de start"
            )
            return result

        # Alternating rounds (baseline, then today's), so a busy machine weighs on both alike.
        timed, before = [], []
        for _ in range(max(1, args.rounds)):
            if baseline:
                before.append(run(f"baseline {args.baseline}", "--impl", str(baseline)))
            timed.append(run("timed"))
        traced = run("tracemalloc", "--trace")
        best = min(timed, key=lambda r: r["seconds"])
        report["compute_place_access"] = dict(best)
        report["compute_place_access"]["all_rounds_seconds"] = [r["seconds"] for r in timed]
        report["compute_place_access"]["tracemalloc_peak_mb"] = traced["tracemalloc_peak_mb"]
        report["compute_place_access"]["seconds_under_tracemalloc"] = traced["seconds"]
        report["compute_place_access"]["peak_above_before_mb_under_tracemalloc"] = traced["peak_above_before_mb"]
        if before:
            ref = min(before, key=lambda r: r["seconds"])
            same = ref["digests"] == best["digests"]
            report["baseline"] = {
                "revision": args.baseline,
                "seconds": ref["seconds"],
                "cpu_seconds": ref["cpu_seconds"],
                "all_rounds_seconds": [r["seconds"] for r in before],
                "all_rounds_cpu_seconds": [r["cpu_seconds"] for r in before],
                "timed_all_rounds_cpu_seconds": [r["cpu_seconds"] for r in timed],
                "peak_above_before_mb": ref["peak_above_before_mb"],
                "speedup": ref["seconds"] / best["seconds"],
                "identical_table": same,
                "columns_that_differ": [c for c in ref["digests"] if ref["digests"][c] != best["digests"].get(c)],
            }
            log(
                f"  baseline {args.baseline}: {ref['seconds']:.1f} s, vandaag {best['seconds']:.1f} s; "
                f"dezelfde tabel: {same}"
            )
        for r in timed + before:
            r.pop("digests", None)

    if not args.no_naive:
        n = min(args.naive_sample, len(places))
        sample = places.sample(n=n, random_state=args.seed).reset_index(drop=True)
        log(f"Vergelijking op {n:,} cellen: compute_place_access (zonder nederzetting) en GeoPandas ...")
        t0 = time.perf_counter()
        ours = compute_place_access(sample, amenities, stops, None)
        ours_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        theirs, timings = naive(sample, amenities, stops)
        naive_s = time.perf_counter() - t0
        # Same answers? Distances to float32 precision, counts exactly.
        dist_cols = (
            [f"dist_{c}" for c in AMENITY_CATEGORIES] + [bus_column(t) for t in BUS_THRESHOLDS] + ["dist_belbus"]
        )
        count_cols = [f"n{r}_{c}" for r in COUNT_RADII for c in AMENITY_CATEGORIES]
        max_diff = float(np.nanmax(np.abs(ours[dist_cols].to_numpy(float) - theirs[dist_cols].to_numpy(float))))
        counts_equal = bool((ours[count_cols].to_numpy() == theirs[count_cols].to_numpy()).all())
        scale = len(places) / n
        report["naive_comparison"] = {
            "sample_cells": n,
            "ours_seconds": ours_s,
            "naive_seconds": naive_s,
            "naive_seconds_extrapolated": naive_s * scale,
            "ours_seconds_extrapolated": ours_s * scale,
            "speedup": naive_s / ours_s,
            "max_distance_difference_m": max_diff,
            "counts_equal": counts_equal,
            "naive_nearest_seconds": sum(v for k, v in timings.items() if k.startswith("dist_")),
            "naive_counts_seconds": sum(v for k, v in timings.items() if k.startswith("n")),
        }
        log(
            f"  ons {ours_s:.2f} s, GeoPandas {naive_s:.1f} s; max. verschil {max_diff:.4f} m, "
            f"tellingen gelijk: {counts_equal}"
        )

    print(json.dumps(report, indent=2, ensure_ascii=False))
    c = report["compute_place_access"]
    lines = [
        "",
        f"{'figure':<52} {'value':>14}",
        f"{'cells / amenities / stops':<52} {len(places):>7,} / {len(amenities):,} / {len(stops):,}",
        f"{'compute_place_access, all cells (s)':<52} {c['seconds']:>14.1f}",
        f"{'  CPU time, all threads (s)':<52} {c['cpu_seconds']:>14.1f}",
        f"{'  of which settlement classes (s, timed apart)':<52} {c['settlement_seconds']:>14.1f}",
        f"{'  the rest without settlement (s, timed apart)':<52} {c['without_settlement_seconds']:>14.1f}",
        f"{'  peak RSS above start of call (MB)':<52} {c['peak_above_before_mb']:>14.0f}",
        f"{'  tracemalloc peak, Python/numpy allocations (MB)':<52} {c['tracemalloc_peak_mb']:>14.0f}",
        f"{'  result table in memory (MB)':<52} {c['table_mb']:>14.0f}",
        f"{'Store.replace_place_access, new store (s)':<52} {c['write_seconds']:>14.1f}",
        f"{'  file size after CHECKPOINT (MB)':<52} {c['store_mb']:>14.0f}",
        f"{'  place_access() of 150 sectors (s / rows)':<52} "
        f"{c['read_150_sectors_seconds']:>7.2f} / {c['read_150_sectors_rows']:,}",
    ]
    if "baseline" in report:
        b = report["baseline"]
        lines += [
            f"{'baseline ' + b['revision'] + ', same input, same run (s)':<52} {b['seconds']:>14.1f}",
            f"{'  its CPU time (s)':<52} {b['cpu_seconds']:>14.1f}",
            f"{'  speed-up (baseline / today)':<52} {b['speedup']:>13.1f}×",
            f"{'  identical table (every column)':<52} {str(b['identical_table']):>14}",
        ]
    if "naive_comparison" in report:
        nc = report["naive_comparison"]
        lines += [
            f"{'sample for the comparison (cells)':<52} {nc['sample_cells']:>14,}",
            f"{'  ours on the sample, no settlement (s)':<52} {nc['ours_seconds']:>14.2f}",
            f"{'  GeoPandas sjoin_nearest + sjoin dwithin (s)':<52} {nc['naive_seconds']:>14.1f}",
            f"{'  GeoPandas extrapolated to all cells (s)':<52} {nc['naive_seconds_extrapolated']:>14.0f}",
            f"{'  speed-up':<52} {nc['speedup']:>13.0f}×",
            f"{'  same results (max. distance diff m / counts)':<52} "
            f"{nc['max_distance_difference_m']:>7.4f} / {nc['counts_equal']}",
        ]
    log("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
