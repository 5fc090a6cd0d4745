"""Benchmark: importing Flanders-wide files with ``python -m zorgzaam import`` (time and peak memory).

Not a test. Run from the repository root:

    .venv/bin/python bench/bench_import.py [--sectors N] [--keep DIR]

Generates, in the real layouts (fixed seed, no downloads):
* a Statbel sector geometry file for all of Flanders: N sectors (default 9,845, the 2025 count)
  as ``sh_statbel_statistical_sectors_31370_20250101.geojson`` in a zip with a folder, lower-case
  Statbel columns, polygons in Lambert 72 (wobbly outlines with ``--vertices`` points each, default
  300, on a grid so they form a coverage like the real sectors);
* a Provincies in Cijfers upload table (``period | geolevel | geoitem | <20 base counts>``) for the
  same sectors and two periods, as xlsx and as csv with decimal commas and "x" for hidden values;
* a hectare raster of residents over the same extent (GeoTIFF, Lambert 72, 100 m, LZW, nodata
  -9999, like Departement Omgeving's ``ni_inw_ha_vlaa_2019``).
Each import runs in its own process (``python -m zorgzaam import``) into a fresh database, timed
with ``/usr/bin/time``-style ``resource`` accounting of the child: wall time and peak RSS.
JSON goes to stdout, progress to stderr. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
COUNTS = [
    "pop_total",
    "pop_men",
    "pop_women",
    "pop_age_0_9",
    "pop_age_10_19",
    "pop_age_20_29",
    "pop_age_30_39",
    "pop_age_40_49",
    "pop_age_50_59",
    "pop_age_60_69",
    "pop_age_70_79",
    "pop_age_80_89",
    "pop_age_90plus",
    "pop_age_65plus",
    "pop_age_75plus",
    "hh_private",
    "hh_single_person",
    "pop_alone_75plus",
    "hh_known_tenure",
    "hh_tenant",
]


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def sector_codes(n: int, rng: np.random.Generator) -> tuple[list[str], list[str]]:
    """n plausible 2025 sector codes and their municipality (300 municipalities, NIS-like codes)."""
    municipalities = [
        f"{p}{i:03d}"
        for p in (
            "11",
            "12",
            "13",
            "23",
            "24",
            "31",
            "32",
            "33",
            "34",
            "35",
            "36",
            "37",
            "38",
            "41",
            "42",
            "43",
            "44",
            "45",
            "46",
            "71",
            "72",
            "73",
        )
        for i in range(1, 15)
    ][:300]
    owner = rng.integers(0, len(municipalities), n)
    codes, munis = [], []
    seen: set[str] = set()
    for i, m in enumerate(owner):
        nis = municipalities[m]
        while True:
            code = f"{nis}{'ABCD'[rng.integers(0, 4)]}{rng.integers(0, 100):02d}{'-0123456789KLM'[rng.integers(0, 14)]}"
            if code not in seen:
                break
        seen.add(code)
        codes.append(code)
        munis.append(nis)
    return codes, munis


def geometry_file(path: Path, codes: list[str], munis: list[str], rng: np.random.Generator, vertices: int) -> Path:
    """A zipped Statbel-style GeoJSON (EPSG:31370) with one irregular polygon per sector."""
    side = int(np.ceil(np.sqrt(len(codes))))
    size = 2_500.0
    features = []
    angles = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    for i, (code, nis) in enumerate(zip(codes, munis)):
        cx = 20_000 + (i % side) * size
        cy = 150_000 + (i // side) * size * 0.4
        # A wobbly outline; never wider than its grid cell, so sectors do not overlap (a coverage).
        wobble = np.convolve(rng.standard_normal(vertices), np.ones(9) / 9, mode="same")
        radius = size * 0.42 * (1 + 0.3 * wobble).clip(0.6, 1.15)
        ring = [
            [round(cx + r * np.cos(a), 2), round(cy + r * np.sin(a) * 0.4, 2)]
            for r, a in zip(radius.tolist(), angles.tolist())
        ]
        ring.append(ring[0])
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "cd_sector": code,
                    "tx_sector_descr_nl": f"SECTOR {i}",
                    "cd_sub_munty": code[:6],
                    "tx_sub_munty_nl": f"DEELGEMEENTE {code[:6]}",
                    "cd_munty_refnis": nis,
                    "tx_munty_descr_nl": f"Gemeente {nis}",
                    "cd_prov_refnis": "10000",
                    "tx_prov_descr_nl": "Provincie",
                    "cd_rgn_refnis": "02000",
                    "tx_rgn_descr_nl": "Vlaams Gewest",
                    "ms_area_ha": None,
                },
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    doc = {
        "type": "FeatureCollection",
        "name": "sectors",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::31370"}},
        "features": features,
    }
    stem = "sh_statbel_statistical_sectors_31370_20250101.geojson"
    archive = path / f"{stem}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{stem}/{stem}", json.dumps(doc))
    return archive


def residents_raster(path: Path, n_sectors: int, rng: np.random.Generator) -> Path:
    """A 100 m residents raster over the generated sectors' extent (about Flanders' size)."""
    import rasterio
    from rasterio.transform import from_origin

    side = int(np.ceil(np.sqrt(n_sectors)))
    left, top = 19_000.0, 150_000.0 + side * 1_000.0 + 1_000.0
    width, height = side * 25 + 20, side * 10 + 20
    values = rng.gamma(0.5, 40.0, size=(height, width)).astype("float32")
    values[rng.random((height, width)) < 0.45] = -9999.0  # uninhabited hectares
    out = path / "ni_inw_ha_vlaa_2019.tif"
    with rasterio.open(
        out,
        "w",
        driver="GTiff",
        width=width,
        height=height,
        count=1,
        dtype="float32",
        crs="EPSG:31370",
        transform=from_origin(left, top, 100, 100),
        nodata=-9999.0,
        compress="lzw",
        tiled=True,
    ) as dst:
        dst.write(values, 1)
    return out


def figures_table(codes: list[str], rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for period in ("2024", "2025"):
        block = pd.DataFrame({"period": period, "geolevel": "statsec", "geoitem": codes})
        for col in COUNTS:
            block[col] = rng.integers(0, 3_000, len(codes))
        rows.append(block)
    return pd.concat(rows, ignore_index=True)


_CHILD = (
    "import json, resource, sys\n"
    "from zorgzaam.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print('PEAK_RSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def run_import(files: list[Path], db: Path) -> dict:
    """``zorgzaam import`` in its own process: wall time, that process's peak RSS (MB), exit code."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, "--db", str(db), "import", *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        log(proc.stdout[-2000:] + proc.stderr[-2000:])
    peak = next((int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("PEAK_RSS_KB")), 0)
    return {
        "seconds": round(wall, 2),
        "peak_rss_mb": round(peak / 1e3, 1),
        "exit_code": proc.returncode,
        "db_mb": round(db.stat().st_size / 1e6, 1) if db.exists() else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sectors", type=int, default=9_845)
    parser.add_argument(
        "--vertices",
        type=int,
        default=300,
        help="vertices per sector outline (Statbel's full-detail sectors have a few hundred)",
    )
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--keep", help="keep the generated files in this folder")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="zorgzaam-bench-import-"))
    work.mkdir(parents=True, exist_ok=True)
    codes, munis = sector_codes(args.sectors, rng)
    log(f"generating {len(codes):,} sectors …")
    geo = geometry_file(work, codes, munis, rng, args.vertices)
    table = figures_table(codes, rng)
    xlsx = work / "upload_bevolking_statsec.xlsx"
    table.to_excel(xlsx, index=False)
    csv = work / "upload_bevolking_statsec.csv"
    hidden = table.copy().astype(str)
    hidden.loc[hidden.sample(frac=0.02, random_state=1).index, "pop_age_90plus"] = "x"
    hidden.to_csv(csv, sep=";", index=False)
    raster = residents_raster(work, len(codes), rng)
    sizes = {p.name: round(p.stat().st_size / 1e6, 1) for p in (geo, xlsx, csv, raster)}
    log(f"files: {sizes}")
    results = {}
    for label, files in (
        ("sector geometry (zip GeoJSON)", [geo]),
        ("figures table (xlsx)", [xlsx]),
        ("figures table (csv)", [csv]),
        ("residents raster (GeoTIFF 100 m)", [raster]),
    ):
        db = work / f"bench-{len(results)}.duckdb"
        if db.exists():
            db.unlink()
        if not label.startswith("sector"):  # figures and cells need their sectors: geometry first (not timed)
            subprocess.run(
                [sys.executable, "-m", "zorgzaam", "--db", str(db), "import", str(geo)],
                cwd=ROOT,
                capture_output=True,
                check=True,
            )
        log(f"import {label} …")
        results[label] = run_import(files, db)
        log(f"  {results[label]}")
    out = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "sectors": len(codes),
        "vertices_per_sector": args.vertices,
        "values_per_table": len(table) * len(COUNTS),
        "file_mb": sizes,
        "imports": results,
    }
    print(json.dumps(out, indent=2))
    return 0 if all(r["exit_code"] == 0 for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
