"""Benchmark: how long a werkgroep waits for a sector profile (PDF and HTML), and the memory it takes.

Not a test (pytest only collects ``tests/``, and this file is not named
``test_*``). Run from the repository root:

    .venv/bin/python bench/bench_reports.py [--db PATH] [--repeat 3] [--municipality NIS5] [--sector CODE]

Four cases, each run ``--repeat`` times in a **fresh Python process** (so the
import of matplotlib/reportlab, the store's first queries and the font
registration count every time, as for the first click on a download button):

* ``sector_pdf`` / ``sector_html``: ``build_profiles(store, [sector])`` then
  ``profile_pdf`` / ``profile_html`` for one sector (default: the demo's
  woonzorgcentrum sector 13091A03-);
* ``municipality_pdf`` / ``municipality_html``: the same for a whole
  municipality (default: the one with the most mapped sectors, Heidebeek with
  33 in the demo): a section for the municipality, then one per sector, each
  with its map.

Per run: ``import_s`` (importing zorgzaam.reports.profile), ``open_s``
(``Store.open``), ``build_s`` (``build_profiles``: engine, signals, mismatch,
notes, maps), ``render_s`` (PDF or HTML), ``total_s`` (the three after the
import), ``bytes``, ``pages`` (PDF), ``sections`` and ``peak_rss_mb`` (the child's
``VmHWM``). Without ``--db`` a fresh demo database is built in a temp dir.
JSON goes to stdout, progress and checks to stderr; exit code 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))  # run from anywhere

CASES = ("sector_pdf", "sector_html", "municipality_pdf", "municipality_html")
FAILED: list[str] = []


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def check(ok: bool, what: str) -> None:
    log(f"  {'ok  ' if ok else 'FOUT'} {what}")
    if not ok:
        FAILED.append(what)


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM). Not ``ru_maxrss``: Linux keeps that across execve, so a
    child would report its parent's peak (the parent may have built the demo)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def child(db: str, case: str, sector: str, municipality: str) -> dict:
    """One measurement in this (fresh) process."""
    t0 = time.perf_counter()
    from zorgzaam.reports.profile import build_profiles, profile_html, profile_pdf
    from zorgzaam.store import Store

    t1 = time.perf_counter()
    store = Store.open(db, read_only=True)
    t2 = time.perf_counter()
    if case.startswith("sector"):
        doc = build_profiles(store, [sector])
    else:
        doc = build_profiles(store, municipality=municipality)
    t3 = time.perf_counter()
    pages = None
    if case.endswith("pdf"):
        out = profile_pdf(doc)
        t4 = time.perf_counter()
        from io import BytesIO

        from pypdf import PdfReader

        pages = len(PdfReader(BytesIO(out)).pages)
        size = len(out)
        external = False
    else:
        text = profile_html(doc)
        t4 = time.perf_counter()
        size = len(text.encode("utf-8"))
        import re

        # base64 may spell "http" by chance: look outside the data: URIs.
        external = "http" in re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", text).lower()
    return {
        "import_s": round(t1 - t0, 3),
        "open_s": round(t2 - t1, 3),
        "build_s": round(t3 - t2, 3),
        "render_s": round(t4 - t3, 3),
        "total_s": round(t4 - t1, 3),
        "bytes": size,
        "pages": pages,
        "sections": len(doc.sections),
        "maps": sum(s.map_png is not None for s in doc.sections),
        "external_requests": external,
        "peak_rss_mb": peak_rss_mb(),
    }


def run_child(db: str, case: str, sector: str, municipality: str) -> dict:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        case,
        "--db",
        db,
        "--sector",
        sector,
        "--municipality",
        municipality,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO_ROOT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{case} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def summarise(runs: list[dict]) -> dict:
    out = {"n": len(runs), "runs": runs}
    for key in ("build_s", "render_s", "total_s", "import_s", "peak_rss_mb"):
        values = [r[key] for r in runs]
        out[key] = {"min": min(values), "median": round(statistics.median(values), 3), "max": max(values)}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="an existing demo (or real) database; default: a fresh demo in a temp dir")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sector", default=None)
    parser.add_argument("--municipality", default=None)
    parser.add_argument("--child", choices=CASES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.db, args.child, args.sector, args.municipality)))
        return 0

    from zorgzaam.store import Store, close_all

    tmp = None
    db = args.db
    if db is None:
        from zorgzaam.demo import install_demo

        tmp = tempfile.TemporaryDirectory(prefix="bench_reports_")
        db = os.path.join(tmp.name, "demo.duckdb")
        log("demo database bouwen …")
        install_demo(Store.open(db))
        close_all()
    store = Store.open(db, read_only=True)
    municipality = args.municipality or store.areas_by_mapped_sectors("gemeente")[0]
    sectors = store.sectors_within("gemeente", [municipality])
    sector = args.sector or ("13091A03-" if "13091A03-" in sectors else sectors[0])
    close_all()
    log(f"gemeente {municipality} ({len(sectors)} sectoren), sector {sector}, {args.repeat}× per geval")

    results = {}
    for case in CASES:
        runs = []
        for k in range(args.repeat):
            run = run_child(db, case, sector, municipality)
            log(f"  {case} #{k + 1}: build {run['build_s']} s, render {run['render_s']} s, rss {run['peak_rss_mb']} MB")
            runs.append(run)
        results[case] = summarise(runs)
        last = runs[-1]
        expected = 1 if case.startswith("sector") else len(sectors) + 1
        check(last["sections"] == expected and last["maps"] == expected, f"{case}: {expected} secties met kaart")
        if last["pages"] is not None:
            check(last["pages"] >= expected, f"{case}: {last['pages']} pagina's ≥ {expected}")
        check(not last["external_requests"], f"{case}: geen externe verwijzingen")

    import matplotlib
    import reportlab

    report = {
        "benchmark": "bench_reports",
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "matplotlib": matplotlib.__version__,
            "reportlab": reportlab.Version,
        },
        "database": "fresh demo" if tmp else db,
        "municipality": municipality,
        "municipality_sectors": len(sectors),
        "sector": sector,
        "cases": results,
        "failed_checks": FAILED,
    }
    print(json.dumps(report, indent=2))
    if tmp is not None:
        tmp.cleanup()
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
