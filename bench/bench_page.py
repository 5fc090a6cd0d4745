"""Benchmark: server time of a rerun of the "Wie woont er?" page, against an empty Streamlit app.

Not a test (pytest only collects ``tests/``, and this file is not named
``test_*``). Run from the repository root:

    .venv/bin/python bench/bench_page.py [--repeat N] [--keep-db DIR] [--stores demo,flanders] [--no-profile]

Builds two databases (the demo care zone, and the Flanders-sized synthetic store
of ``bench_store.py``), then drives the real ``app.py`` with
``streamlit.testing.v1.AppTest`` on page ``pages/wie_woont_er.py``: the first run
of a fresh process, the first run of a new session, and the reruns a werkgroep's
click causes (nothing changed, another indicator, another classification, another
sector), for one municipality and for the whole care zone. The same is measured on
an empty app (``st.title`` + one selectbox) as the baseline. AppTest runs the
script in-process: this is the server's script time, not the browser's drawing.

Each view (store x municipality or whole zone) and the empty app run in their own
Python process (fresh imports and caches), started by this script. JSON goes to
stdout; progress, findings and the sanity checks go to stderr. The exit code is 1
when a measured run showed an exception or ``st.error``, or a sanity check failed.
See ``bench/README.md`` for what each figure means.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import logging
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGE = "pages/wie_woont_er.py"
START_PAGE = "pages/start.py"
DEFAULT_INDICATOR = "pct_80plus"
# Switched to in this order; the first visit of each is a cache miss. An indicator for which
# the page shows no figures is reported as a finding and left out of the timings.
INDICATORS = (
    "pct_alone_75plus",
    "pct_tenants",
    "mantelzorgratio",
    "pct_single_person_hh",
    "pct_antidepressants",
    "pct_increased_reimbursement_20_64",
    "pct_non_belgian_origin",
    "groene_druk",
    "pct_65plus",
    "pct_same_address",
    "pct_chronic_condition",
    "pct_low_edu_mother_primary",
    "pct_alone_18_64",
)
METHOD_CYCLE = ("afwijking_elz", "gelijke_intervallen", "kwantielen")
EMPTY_APP = """import streamlit as st

st.title("Lege app")
keuze = st.selectbox("Keuze", ["een", "twee", "drie"], key="keuze")
"""
TIMEOUT = 600


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def stats(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    return {
        "median": round(statistics.median(values), 4),
        "min": round(min(values), 4),
        "max": round(max(values), 4),
        "n": len(values),
    }


# --- worker: one process, one store and view (or the empty app) ---------------------------------


class Timing:
    """Per AppTest.run(): wall time of run() and the script time (SCRIPT_STARTED to stop)."""

    started: float | None = None
    stopped: float | None = None
    profiler: cProfile.Profile | None = None  # set: the script thread runs under this profiler


def install_timed_runner() -> None:
    """Make AppTest use a LocalScriptRunner that timestamps the script thread's start and end.

    ``AppTest.run()`` also spends time outside the script (starting the thread, turning the
    ForwardMsgs into an element tree); ``script`` is the part a real server spends too.
    """
    from streamlit.runtime.scriptrunner import ScriptRunnerEvent
    from streamlit.testing.v1 import app_test
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    stops = {
        ScriptRunnerEvent.SCRIPT_STOPPED_WITH_SUCCESS,
        ScriptRunnerEvent.SCRIPT_STOPPED_WITH_COMPILE_ERROR,
        ScriptRunnerEvent.SCRIPT_STOPPED_FOR_RERUN,
    }

    class TimedRunner(LocalScriptRunner):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)

            def stamp(sender, event, **_kw):
                now = time.perf_counter()
                if event == ScriptRunnerEvent.SCRIPT_STARTED and Timing.started is None:
                    Timing.started = now
                elif event in stops:
                    Timing.stopped = now  # the last one counts (st.rerun() runs the script twice)

            self.on_event.connect(stamp, weak=False)

        def _run_script_thread(self) -> None:
            profiler = Timing.profiler
            if profiler is None:
                return super()._run_script_thread()
            profiler.enable()
            try:
                return super()._run_script_thread()
            finally:
                profiler.disable()

    app_test.LocalScriptRunner = TimedRunner


class Worker:
    def __init__(self, spec: dict):
        self.spec = spec
        self.samples: dict[str, list[tuple[float, float]]] = {}
        self.findings: list[dict] = []
        self.sanity: dict[str, object] = {}
        self.failed = False
        self.jumps = 0
        self.profile_scenario = spec.get("profile")
        self.profiler = cProfile.Profile() if self.profile_scenario else None

    # one timed run --------------------------------------------------------------------------
    def run(self, at, scenario: str, what: str = ""):
        Timing.started = Timing.stopped = None
        Timing.profiler = self.profiler if scenario == self.profile_scenario else None
        t = time.perf_counter()
        at.run()
        wall = time.perf_counter() - t
        Timing.profiler = None
        script = (Timing.stopped - Timing.started) if Timing.started and Timing.stopped else float("nan")
        ok = self.check_clean(at, scenario, what)
        if ok:
            self.samples.setdefault(scenario, []).append((wall, script))
        log(f"  {scenario:<28} {what:<34} run {wall:7.3f} s  script {script:7.3f} s{'' if ok else '  (left out)'}")
        return ok

    def check_clean(self, at, scenario: str, what: str) -> bool:
        problems = [("exception", e.message) for e in at.exception] + [("error", e.value) for e in at.error]
        for kind, message in problems:
            self.finding(kind, scenario, what, message)
        if problems:
            self.failed = True
        return not problems

    def finding(self, kind: str, scenario: str, what: str, message: str) -> None:
        key = (kind, scenario.split("_")[0], what, message)
        if any((f["kind"], f["scenario"].split("_")[0], f["what"], f["message"]) == key for f in self.findings):
            return
        self.findings.append(
            {"kind": kind, "scenario": scenario, "what": what, "message": message, "view": self.spec.get("label")}
        )
        log(f"  FINDING {kind} in {scenario} {what}: {message}")

    def fail(self, label: str, detail: str) -> None:
        self.failed = True
        log(f"  check FAIL {label}: {detail}")

    # the page's output, for the sanity checks ---------------------------------------------------
    @staticmethod
    def ranking(at):
        return next((df.value for df in at.dataframe if "Rang" in df.value.columns), None)

    def check_page(
        self, at, label: str, *, indicator: str | None = None, method: str | None = None, sector: str | None = None
    ) -> None:
        from zorgzaam.catalogue import BUILTIN
        from zorgzaam.classify import METHODS

        table = self.ranking(at)
        want = self.spec["sectors_in_view"]
        if table is None:
            self.fail(label, f"no ranking table; info: {[i.value for i in at.info]}")
            return
        if len(table) != want:
            self.fail(label, f"ranking table has {len(table)} rows, the view has {want} sectors")
        if indicator and BUILTIN.indicator(indicator).label not in table.columns:
            self.fail(label, f"ranking table has no column for {indicator}: {list(table.columns)}")
        if method:
            legend = next((m.value for m in at.markdown if "zz-legend" in m.value), "")
            if f"Indeling: {METHODS[method]}" not in legend:
                self.fail(label, f"legend does not say 'Indeling: {METHODS[method]}'")
        if sector and not any(f"({sector})" in s.value for s in at.subheader):
            self.fail(label, f"no profile heading for sector {sector}")
        for w in at.warning:
            self.finding("warning", label, indicator or method or sector or "", w.value)

    def no_figures(self, at) -> str | None:
        return next((i.value for i in at.info if "nog geen cijfers" in i.value), None)

    # the page ------------------------------------------------------------------------------------
    def new_app(self, page: str = PAGE):
        from streamlit.testing.v1 import AppTest

        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
        at.query_params["elz"] = self.spec["elz"]
        at.query_params["gemeente"] = self.spec["gemeente"]
        at.query_params["bereik"] = self.spec["bereik"]
        at.switch_page(page)
        return at

    def page(self) -> None:
        n = self.spec["repeat"]
        log(f"[{self.spec['label']}] {self.spec['sectors_in_view']} sectors in view")
        at = self.new_app()
        self.run(at, "first_run_process", "cold process")
        self.check_page(at, "first run", indicator=DEFAULT_INDICATOR, method="kwantielen")
        table = self.ranking(at)
        self.sanity["ranking_rows"] = None if table is None else len(table)
        self.sanity["headline"] = next(
            (m.value.split("  \n")[0] for m in at.markdown if m.value.startswith("**")), None
        )
        self.sanity["infos"] = [i.value for i in at.info]
        self.sanity["dataframes"] = [list(df.value.shape) for df in at.dataframe]
        self.sanity["query_params"] = dict(at.query_params)
        if table is None:
            log("  the page shows no ranking table: nothing more to measure")
            return
        codes = list(table["Code"])

        for _ in range(n):
            session = self.new_app()
            self.run(session, "first_run_session", "new session, warm caches")
        self.check_page(session, "new session", indicator=DEFAULT_INDICATOR)

        for _ in range(n):
            self.run(at, "rerun_unchanged")
        self.check_page(at, "rerun")

        # indicators: first visit (cache miss), then again (cache hit)
        visited = [DEFAULT_INDICATOR]
        for code in INDICATORS:
            if len(visited) > n:
                break
            at.selectbox(key="indicator").set_value(code)
            if self.run(at, "indicator_first", code):
                message = self.no_figures(at)
                if message:
                    self.finding("no figures", "indicator_first", code, message)
                    self.samples["indicator_first"].pop()
                    continue
                self.check_page(at, f"indicator {code}", indicator=code)
                visited.append(code)
        self.sanity["indicators"] = visited
        for i in range(n):
            code = visited[i % len(visited)]
            if at.selectbox(key="indicator").value == code:
                code = visited[(i + 1) % len(visited)]
            at.selectbox(key="indicator").set_value(code)
            self.run(at, "indicator_again", code)
            self.check_page(at, f"indicator {code} again", indicator=code)
        at.selectbox(key="indicator").set_value(DEFAULT_INDICATOR)
        self.run(at, "setup", DEFAULT_INDICATOR)

        # classification
        for i in range(n):
            method = METHOD_CYCLE[i % len(METHOD_CYCLE)]
            if at.segmented_control(key="indeling").value == method:
                method = METHOD_CYCLE[(i + 1) % len(METHOD_CYCLE)]
            at.segmented_control(key="indeling").set_value(method)
            self.run(at, "classification", method)
            self.check_page(at, f"classification {method}", method=method)
        if at.segmented_control(key="indeling").value != "kwantielen":
            at.segmented_control(key="indeling").set_value("kwantielen")
            self.run(at, "setup", "kwantielen")

        # sectors: first selection of each (profile cache miss), then again (hit)
        step = max(1, len(codes) // n)
        chosen = codes[::step][:n]
        self.sanity["sectors"] = chosen
        for again in (False, True):
            scenario = "sector_again" if again else "sector_first"
            for code in chosen:
                at.session_state["sector"] = code
                self.run(at, scenario, code)
                self.check_page(at, f"{scenario} {code}", sector=code)
        for _ in range(n):
            self.run(at, "rerun_unchanged_with_sector")
        self.check_page(at, "rerun with a sector", sector=chosen[-1])

        # indicator switch with a sector selected (profile cached, trend per indicator)
        sector = chosen[-1]
        for i in range(n):
            code = visited[(i + 1) % len(visited)]
            if at.selectbox(key="indicator").value == code:
                code = visited[(i + 2) % len(visited)]
            at.selectbox(key="indicator").set_value(code)
            if not self.run(at, "indicator_with_sector", code):
                continue
            now = at.session_state.get("sector")
            if now != sector:
                # The page selected another sector by itself: a finding, not the interaction we time.
                # The sample is left out and the sector selected again (an untimed setup run).
                self.samples["indicator_with_sector"].pop()
                self.jumps += 1
                self.finding(
                    "selection changed",
                    "indicator_with_sector",
                    "",
                    f"switching the indicator with sector {sector} selected showed sector {now} instead "
                    "(a stale row of the ranking table's selection is read against the new ranking order)",
                )
                log("    (left out: the selection changed)")
                at.session_state["sector"] = sector
                self.run(at, "setup", sector)
                continue
            self.check_page(at, f"indicator {code} with a sector", indicator=code, sector=sector)
        self.sanity["indicator_with_sector_left_out"] = self.jumps

        if self.spec.get("start_page"):
            # The start page as a second reference (its own caches cold on the first visit).
            at.switch_page(START_PAGE)
            self.run(at, "start_first_visit", START_PAGE)
            if not any(m.label for m in at.metric):
                self.fail("start page", "no key figures shown")
            self.sanity["start_metrics"] = len(at.metric)
            for _ in range(n):
                self.run(at, "start_rerun", START_PAGE)

    # the empty app -------------------------------------------------------------------------------
    def empty(self) -> None:
        from streamlit.testing.v1 import AppTest

        n = self.spec["repeat"]
        log("[empty app] st.title + one selectbox")
        script = Path(self.spec["script"])
        at = AppTest.from_file(str(script), default_timeout=TIMEOUT)
        self.run(at, "first_run_process", "cold process")
        for _ in range(n):
            self.run(AppTest.from_file(str(script), default_timeout=TIMEOUT), "first_run_session")
        for _ in range(n):
            self.run(at, "rerun_unchanged")
        options = ["twee", "drie", "een"]
        for i in range(n):
            at.selectbox(key="keuze").set_value(options[i % 3])
            self.run(at, "switch_selectbox", options[i % 3])
        if at.selectbox(key="keuze").value != options[(n - 1) % 3] or at.title[0].value != "Lege app":
            self.fail("empty app", "the selectbox or title is not what was set")

    def report(self) -> dict:
        scenarios = {}
        for name, values in self.samples.items():
            if name == "setup":
                continue
            scenarios[name] = {"script": stats([s for _, s in values]), "run": stats([w for w, _ in values])}
        out = {
            "label": self.spec.get("label"),
            "scenarios": scenarios,
            "sanity": self.sanity,
            "findings": self.findings,
            "failed": self.failed,
        }
        if self.profiler is not None:
            out["profile"] = profile_report(self.profiler, self.samples.get(self.profile_scenario, []))
            if self.spec.get("pstats_dir"):
                path = (
                    Path(self.spec["pstats_dir"])
                    / f"{self.spec['label'].replace('/', '_')}_{self.profile_scenario}.pstats"
                )
                self.profiler.dump_stats(path)
                out["profile"]["pstats_file"] = str(path)
        return out


def profile_report(profiler: cProfile.Profile, samples: list) -> dict:
    runs = max(1, len(samples))
    profiler.create_stats()
    if not profiler.stats:
        return {"runs_profiled": 0, "note": "nothing was profiled (did the page fail?)"}
    st_ = pstats.Stats(profiler)

    def rows(sort: str, limit: int, keep=lambda f: True):
        entries = []
        for (file, line, func), (cc, nc, tt, ct, _callers) in st_.stats.items():
            if keep(file):
                entries.append(
                    {
                        "function": f"{short(file)}:{line}({func})",
                        "calls": nc,
                        "cumtime_per_run": round(ct / runs, 4),
                        "tottime_per_run": round(tt / runs, 4),
                    }
                )
        key = "cumtime_per_run" if sort == "cumulative" else "tottime_per_run"
        return sorted(entries, key=lambda e: -e[key])[:limit]

    project = (str(REPO / "zorgzaam"), str(REPO / "pages"), str(REPO / "app.py"))

    def not_a_wrapper(file: str) -> bool:  # the script runner, exec and the cache decorators wrap everything
        return not any(part in file for part in WRAPPERS)

    return {
        "runs_profiled": runs,
        "script_seconds_profiled": [round(s, 4) for _, s in samples],
        "top_cumulative": rows("cumulative", 25, not_a_wrapper),
        "top_cumulative_project": rows("cumulative", 20, lambda f: f.startswith(project)),
        "top_tottime": rows("tottime", 20),
    }


WRAPPERS = (
    os.path.join("streamlit", "runtime", "scriptrunner"),
    os.path.join("streamlit", "testing"),
    os.path.join("streamlit", "navigation"),
    os.path.join("streamlit", "runtime", "caching"),
    os.path.join("streamlit", "runtime", "metrics_util.py"),
    "threading.py",
    "contextlib.py",
    "~",
    os.path.join("pages", "wie_woont_er.py"),
    os.path.join("pages", "start.py"),
    "app.py",
)


def short(file: str) -> str:
    for prefix in (str(REPO) + os.sep, "site-packages" + os.sep):
        if prefix in file:
            return file.split(prefix, 1)[1]
    return file


def worker_main(spec: dict) -> int:
    sys.path.insert(0, str(REPO))
    os.chdir(REPO)
    if spec.get("db"):
        os.environ["ZORGZAAM_DB"] = spec["db"]  # before any AppTest: the app caches one Store per path
    if spec.get("without_results"):
        os.environ["ZORGZAAM_RESULTS"] = "0"  # before zorgzaam is imported: compute instead of reading the table
    install_timed_runner()
    # Setting AppTest.session_state from the main thread logs "missing ScriptRunContext": harmless here.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage()
    )
    w = Worker(spec)
    try:
        w.empty() if spec["kind"] == "empty" else w.page()
    finally:
        if spec.get("db"):
            from zorgzaam.store import close_all

            close_all()
    print(json.dumps(w.report()))
    return 0


# --- driver ----------------------------------------------------------------------------------


def run_worker(spec: dict) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", json.dumps(spec)],
        check=False,
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"worker {spec.get('label')} failed with exit code {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def build_demo(path: Path) -> dict:
    log(f"building the demo store {path}")
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "zorgzaam", "--db", str(path), "demo"], cwd=REPO, check=True, stdout=subprocess.DEVNULL
    )
    return {"build_seconds": round(time.perf_counter() - t, 2)}


def build_flanders(path: Path) -> dict:
    log(f"building the Flanders-sized store {path} (bench_store.py, about 20 s)")
    t = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "bench_store.py"),
            "--db",
            str(path),
            "--keep",
            "--no-rewrite",
            "--repeat",
            "1",
        ],
        cwd=REPO,
        check=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    seed = json.loads(proc.stdout)["seed"]
    build = round(time.perf_counter() - t, 2)
    log("computing its results table (engine.refresh_results, as an import does)")
    t = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from zorgzaam.engine import refresh_results; from zorgzaam.store import Store; "
            "assert refresh_results(Store.open(sys.argv[1]))",
            str(path),
        ],
        cwd=REPO,
        check=True,
    )
    return {"build_seconds": build, "results_seconds": round(time.perf_counter() - t, 2), "seed": seed}


def pick_areas(path: Path, target: int | None) -> dict:
    """The zone with about ``target`` sectors (or the only/largest one) and its largest municipality."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        zones = con.execute(
            "SELECT parent_code, count(*) AS n FROM area_parents WHERE level = 'statsec' AND parent_level = 'elz' "
            "GROUP BY parent_code ORDER BY " + ("abs(count(*) - ?), parent_code" if target else "n DESC, parent_code"),
            [target] if target else [],
        ).fetchall()
        elz, zone_sectors = zones[0]
        muni, muni_sectors = con.execute(
            "SELECT g.parent_code, count(*) FROM area_parents g JOIN area_parents z "
            "ON z.level = 'statsec' AND z.code = g.code AND z.parent_level = 'elz' AND z.parent_code = ? "
            "WHERE g.level = 'statsec' AND g.parent_level = 'gemeente' GROUP BY g.parent_code "
            "ORDER BY count(*) DESC, g.parent_code LIMIT 1",
            [elz],
        ).fetchall()[0]
        zone_munis = con.execute(
            "SELECT count(*) FROM area_parents WHERE level = 'gemeente' AND parent_level = 'elz' AND parent_code = ?",
            [elz],
        ).fetchall()[0][0]
    finally:
        con.close()
    return {
        "zone": elz,
        "zone_sectors": zone_sectors,
        "zone_municipalities": zone_munis,
        "municipality": muni,
        "municipality_sectors": muni_sectors,
    }


RERUN_TYPES = (
    "rerun_unchanged",
    "indicator_first",
    "indicator_again",
    "classification",
    "sector_first",
    "sector_again",
    "rerun_unchanged_with_sector",
    "indicator_with_sector",
)


def ratios(results: dict) -> dict:
    empty = results["empty"]["scenarios"]
    base = {name: empty[name]["script"]["median"] for name in empty if empty[name]["script"].get("n")}
    out = {}
    for label, res in results.items():
        if label == "empty":
            continue
        sc = res["scenarios"]
        r = {}
        for name, s in sc.items():
            ref = {
                "first_run_process": "first_run_process",
                "first_run_session": "first_run_session",
                "rerun_unchanged": "rerun_unchanged",
            }.get(name, "switch_selectbox")
            if s["script"].get("n") and base.get(ref):
                r[name] = round(s["script"]["median"] / base[ref], 1)
        out[label] = r
    return out


def table_ratios(results: dict) -> dict:
    """Per view and rerun type: median script time reading the results table / computing every figure."""
    out = {}
    for label, res in results.items():
        computed = results.get(f"{label} (berekend)")
        if computed is None:
            continue
        r = {}
        for name, sc in res["scenarios"].items():
            other = computed["scenarios"].get(name, {}).get("script", {})
            if sc["script"].get("n") and other.get("n") and other["median"]:
                r[name] = {
                    "table_ms": round(sc["script"]["median"] * 1000, 1),
                    "computed_ms": round(other["median"] * 1000, 1),
                    "ratio": round(sc["script"]["median"] / other["median"], 2),
                }
        out[label] = r
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7, help="runs per rerun type (default 7)")
    ap.add_argument(
        "--keep-db",
        type=Path,
        metavar="DIR",
        help="build the databases in DIR and keep them (reused when already there), with the profiles as .pstats files",
    )
    ap.add_argument("--stores", default="demo,flanders", help="comma-separated: demo, flanders (default both)")
    ap.add_argument("--no-profile", action="store_true", help="skip profiling the slowest rerun type")
    ap.add_argument(
        "--compare-results",
        action="store_true",
        help="also run every view with ZORGZAAM_RESULTS=0 (every figure computed, the work done before the "
        "results table) and report the ratio table/computed per rerun type",
    )
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        return worker_main(json.loads(args.worker))
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    if not stores or set(stores) - {"demo", "flanders"}:
        ap.error("--stores takes demo, flanders or both")

    tmpdir = Path(tempfile.mkdtemp(prefix="zorgzaam-bench-page-"))
    dbdir = args.keep_db or tmpdir
    dbdir.mkdir(parents=True, exist_ok=True)
    try:
        return drive(args, stores, dbdir, tmpdir)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
        if args.keep_db:
            log(f"kept the databases in {args.keep_db}")


def drive(args, stores: list[str], dbdir: Path, tmpdir: Path) -> int:
    import duckdb
    import pandas as pd
    import streamlit

    store_info, specs = {}, []
    for name in stores:
        path = dbdir / f"{name}.duckdb"
        if path.exists():
            log(f"reusing {path}")
            info = {"build_seconds": None, "reused": True}
        else:
            info = build_demo(path) if name == "demo" else build_flanders(path)
        info.update(pick_areas(path, None if name == "demo" else 150))
        info["path"] = str(path) if args.keep_db else None
        store_info[name] = info
        log(
            f"{name}: zone {info['zone']} ({info['zone_sectors']} sectors, {info['zone_municipalities']} "
            f"municipalities), municipality {info['municipality']} ({info['municipality_sectors']} sectors)"
        )
        for bereik in ("gemeente", "elz"):
            specs.append(
                {
                    "kind": "page",
                    "label": f"{name}/{bereik}",
                    "db": str(path),
                    "elz": info["zone"],
                    "gemeente": info["municipality"],
                    "bereik": bereik,
                    "repeat": args.repeat,
                    "sectors_in_view": info["municipality_sectors"] if bereik == "gemeente" else info["zone_sectors"],
                    "start_page": bereik == "gemeente",
                }
            )
    if args.compare_results:
        specs += [
            dict(spec, label=f"{spec['label']} (berekend)", without_results=True)
            for spec in list(specs)
            if spec["kind"] == "page"
        ]
    script = tmpdir / "empty_app.py"
    script.write_text(EMPTY_APP, encoding="utf-8")
    specs.append({"kind": "empty", "label": "empty", "script": str(script), "repeat": args.repeat})

    results = {}
    for spec in specs:
        results[spec["label"]] = run_worker(spec)

    profiles = []
    if not args.no_profile:
        # The slowest rerun type (largest median script time) over all page views, and the plain
        # rerun (the floor of every click) on the same view, each profiled in a fresh process.
        candidates = [
            (res["scenarios"][name]["script"]["median"], label, name)
            for label, res in results.items()
            if label != "empty"
            for name in RERUN_TYPES
            if res["scenarios"].get(name, {}).get("script", {}).get("n")
        ]
        if candidates:
            _, label, slowest = max(candidates)
            for name in dict.fromkeys((slowest, "rerun_unchanged")):
                spec = dict(
                    next(s for s in specs if s["label"] == label),
                    profile=name,
                    start_page=False,
                    pstats_dir=str(args.keep_db) if args.keep_db else None,
                )
                log(f"profiling {name} on {label} (cProfile in the script thread; timings of this run are not used)")
                prof = run_worker(spec)
                profiles.append(
                    {
                        "view": label,
                        "rerun_type": name,
                        **prof.get("profile", {}),
                        "findings": [f for f in prof["findings"] if f["kind"] in ("exception", "error")],
                    }
                )

    findings = [f for res in results.values() for f in res["findings"]]
    for p in profiles:
        findings += [dict(f, view=f"{p['view']} (profile run)") for f in p.pop("findings", [])]
    report = {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "streamlit": streamlit.__version__,
            "duckdb": duckdb.__version__,
            "pandas": pd.__version__,
            "cpu_count": os.cpu_count(),
            "cpu_available": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
        },
        "code": git_state(),
        "repeat": args.repeat,
        "stores": store_info,
        "results": results,
        "ratio_to_empty_app": ratios(results) if "empty" in results else {},
        "ratio_table_to_computed": table_ratios(results),
        "findings": findings,
        "profiles": profiles,
        "checks_passed": not any(res["failed"] for res in results.values()),
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    log("")
    log(summary_table(results))
    return 0 if report["checks_passed"] else 1


def git_state() -> dict | None:
    """The commit measured, and the app files that differ from it (the page is measured as it is on disk)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "app.py", "pages", "zorgzaam"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return None
    return {"commit": commit, "changed_app_files": [line[3:] for line in dirty]}


def summary_table(results: dict) -> str:
    names = (
        "first_run_process",
        "first_run_session",
        "rerun_unchanged",
        "indicator_first",
        "indicator_again",
        "classification",
        "sector_first",
        "sector_again",
        "rerun_unchanged_with_sector",
        "indicator_with_sector",
        "start_first_visit",
        "start_rerun",
        "switch_selectbox",
    )
    labels = list(results)
    lines = ["median script seconds: " + " | ".join(labels)]
    for name in names:
        cells = [results[lab]["scenarios"].get(name, {}).get("script", {}).get("median") for lab in labels]
        if any(c is not None for c in cells):
            lines.append(f"{name:<28} " + " | ".join("-" if c is None else f"{c:.3f}" for c in cells))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
