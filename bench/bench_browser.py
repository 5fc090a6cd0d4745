"""Benchmark: from a change in the browser to an idle page, on "Wie woont er?" in headless Chromium.

Not a test (pytest only collects ``tests/``). Run from the repository root:

    .venv/bin/python bench/bench_browser.py [--repeat N] [--db DEMO.duckdb]

Starts the real app (``streamlit run app.py``) on the demo care zone twice, one server at a time: as it
is (figures read from the results table) and with ``ZORGZAAM_RESULTS=0`` (every figure computed, the
work done before the table). In each it opens Wie woont er? for the demo town and changes the indicator,
the classification and the sector, and times every change from the moment the choice is made in the
browser until Streamlit's script state is "notRunning" again and the browser has drawn two frames.
Debian's Chromium (/usr/bin/chromium or $ZORGZAAM_CHROMIUM); no browser is downloaded.
JSON goes to stdout, progress to stderr. Reported, not asserted (the issue asks for ≤ 0,5 s median).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, build_demo_db, start_streamlit  # noqa: E402

INDICATORS = ("pct_alone_75plus", "pct_tenants", "pct_single_person_hh", "pct_65plus", "pct_80plus")
METHODS = ("Gelijke intervallen", "Afwijking t.o.v. ELZ", "Kwantielen")  # the segmented control's labels

IDLE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return !!app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
        && app.getAttribute('data-test-script-state') === 'notRunning';
}"""
RUNNING = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return !!app && app.getAttribute('data-test-script-state') === 'running';
}"""
TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def wait_change(page, started: float) -> float:
    """Seconds from ``started`` until the rerun the change caused has finished and been drawn."""
    try:  # the rerun may already be over before we look: then the state never shows "running"
        page.wait_for_function(RUNNING, timeout=1500, polling=10)
    except Exception:
        pass
    page.wait_for_function(IDLE, timeout=60_000, polling=10)
    page.evaluate(TWO_FRAMES)
    return time.perf_counter() - started


def choose_option(page, label: str, option: str) -> float:
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    page.keyboard.type(option.split(" › ")[-1])  # the list is virtual: type to bring the option into view
    target = page.get_by_role("option", name=option, exact=True)
    target.wait_for(timeout=10_000)
    started = time.perf_counter()
    target.click()
    return wait_change(page, started)


def measure_server(db: Path, label: str, env: dict, repeat: int, workdir: Path) -> dict:
    from playwright.sync_api import sync_playwright

    from zorgzaam.catalogue import BUILTIN
    from zorgzaam.demo import DEMO_ELZ_CODE, TOWN_CODE
    from zorgzaam.store import Store, close_all
    from zorgzaam.ui.indicator_view import indicator_label

    store = Store.open(db, read_only=True)
    sectors = sorted(store.sectors_within("gemeente", [TOWN_CODE]))[:repeat]
    close_all()
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        server = start_streamlit(REPO / "app.py", db, log_path=workdir / f"{label}.log")
    finally:
        for k, v in old.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
    times: dict[str, list[float]] = {"indicator": [], "indeling": [], "sector": []}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            page = browser.new_context(viewport=VIEWPORT, locale="nl-BE").new_page()
            page.goto(server.url, timeout=120_000)  # "/" first: a first deep link shows "Page not found"
            page.wait_for_function(IDLE, timeout=120_000)
            base = f"{server.url}/wie-woont-er?elz={DEMO_ELZ_CODE}&gemeente={TOWN_CODE}&bereik=gemeente"
            page.goto(base, timeout=120_000)
            page.wait_for_function(IDLE, timeout=120_000)
            for round_ in range(repeat):
                for code in INDICATORS:
                    times["indicator"].append(
                        choose_option(page, "Indicator (per thema)", indicator_label(BUILTIN.indicator(code)))
                    )
                method = METHODS[round_ % len(METHODS)]
                button = page.locator('[data-testid="stButtonGroup"] button', has_text=method).first
                button.wait_for(timeout=10_000)
                started = time.perf_counter()
                button.click()
                times["indeling"].append(wait_change(page, started))
            for code in sectors:  # a sector chosen by its link, as the ranking and the map do
                started = time.perf_counter()
                page.goto(f"{base}&sector={code}", timeout=60_000)
                times["sector"].append(wait_change(page, started))
            browser.close()
    finally:
        server.stop()
    out = {}
    for kind, values in times.items():
        if values:
            out[kind] = {
                "median": round(statistics.median(values), 3),
                "max": round(max(values), 3),
                "n": len(values),
            }
    every = [v for values in times.values() for v in values]
    out["all_changes"] = {"median": round(statistics.median(every), 3), "max": round(max(every), 3), "n": len(every)}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="rounds of changes per server (default 3)")
    ap.add_argument("--db", type=Path, help="a demo database to copy (default: built with the CLI)")
    args = ap.parse_args(argv)
    if not CHROMIUM.is_file():
        ap.error(f"{CHROMIUM} ontbreekt (apt-get install chromium)")
    workdir = Path(tempfile.mkdtemp(prefix="zorgzaam-bench-browser-"))
    try:
        db = workdir / "demo.duckdb"
        if args.db:
            shutil.copy(args.db, db)
        else:
            log("building the demo database")
            build_demo_db(db)
        results = {}
        for label, env in (("table", {}), ("computed", {"ZORGZAAM_RESULTS": "0"})):
            log(f"measuring: {label}")
            copy = workdir / f"{label}.duckdb"
            shutil.copy(db, copy)  # each server its own file: one DuckDB writer per file
            results[label] = measure_server(copy, label, env, args.repeat, workdir)
            log(json.dumps(results[label]))
        ratio = {
            kind: round(results["table"][kind]["median"] / results["computed"][kind]["median"], 2)
            for kind in results["table"]
            if kind in results["computed"] and results["computed"][kind]["median"]
        }
        print(json.dumps({"seconds": results, "ratio_table_to_computed": ratio}, indent=2))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
