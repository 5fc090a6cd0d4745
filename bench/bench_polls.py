"""Benchmark: live polls — answers per second from concurrent participants, and how soon the facilitator sees one.

Not a test (pytest only collects ``tests/``, and this file is not named
``test_*``). Run from the repository root:

    .venv/bin/python bench/bench_polls.py [--participants 1,10,50,100,200] [--repeat 3]
                                          [--view-repeat 30] [--browser-repeat 10] [--no-browser]

Three parts:

1. **Throughput** (``throughput``): per N a fresh on-disk store (temp dir) and a
   9-bouwstenen session (``polls.create_session``); N threads, one per
   participant, each with its own DuckDB cursor (``Store`` keeps one per
   thread, as for Streamlit's session threads), wait on one barrier and then
   answer the 9 questions one after the other with ``polls.answer``. Then a
   second pass in which every participant changes all 9 answers (the
   replacement path). Checked: the stored rows equal N × 9 and the
   distribution per question equals what was sent (also via ``polls.results``).
2. **Facilitator view, in process** (``facilitator_view``): what one refresh of
   the live-results fragment computes (``facilitator_session`` +
   ``results``, ``scale_table``, ``scale_figure`` + ``plotly.io.to_json`` as
   ``st.plotly_chart`` does), and the proposal fragment (``results`` +
   ``werkgroep.scores_from_poll`` + ``proposal_table``), with 0, 450 and 1800
   answers in the round.
3. **Facilitator view, end to end** (``browser``): the real app
   (``streamlit run app.py``, fresh demo database in a temp dir) in Debian's
   headless Chromium; the facilitator's page in one context, a phone in
   another. Per repetition the phone taps an answer and we time until the
   phone shows "Bewaard" and until the facilitator's table (never touched)
   shows the new answer. A random 0-2 s pause before each tap keeps the taps
   out of step with the 2 s refresh.

JSON goes to stdout; progress and the checks go to stderr. The exit code is 1
when a check fails. See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))  # run from anywhere

import duckdb  # noqa: E402
import plotly  # noqa: E402
import plotly.io as pio  # noqa: E402

from zorgzaam import charts, polls, werkgroep  # noqa: E402
from zorgzaam.store import Store, close_all  # noqa: E402
from zorgzaam.ui import poll_sections  # noqa: E402

N_QUESTIONS = 9
FAILED: list[str] = []


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def check(ok: bool, what: str) -> None:
    log(f"  {'ok  ' if ok else 'FOUT'} {what}")
    if not ok:
        FAILED.append(what)


def summary(values: list[float], digits: int = 4) -> dict:
    """n, min, p50, p90, p95, max (seconds) of a list of timings."""
    if not values:
        return {"n": 0}
    arr = np.asarray(values, dtype=float)
    p50, p90, p95 = np.percentile(arr, [50, 90, 95])
    return {
        "n": len(values),
        "min": round(float(arr.min()), digits),
        "p50": round(float(p50), digits),
        "p90": round(float(p90), digits),
        "p95": round(float(p95), digits),
        "max": round(float(arr.max()), digits),
    }


class CountingStore(Store):
    """The app's Store, counting how often a write ran its work (more than once: a retry; the one writer
    runs a batch's answers again one by one only when one of them failed)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.attempts = 0
        self._count_lock = threading.Lock()

    def _write(self, work, batch=False):
        if callable(batch):  # an item for a batch handler (a poll answer): counted once, as it is handed over
            with self._count_lock:
                self.attempts += 1
            return super()._write(work, batch=batch)

        def counted(cur):
            with self._count_lock:
                self.attempts += 1
            return work(cur)

        return super()._write(counted, batch=batch)


# --- 1. throughput -------------------------------------------------------------------------


def values_for(participant: int, pass_: int) -> list[int]:
    """Deterministic, varied scores 1-5 for one participant's 9 answers."""
    rng = random.Random(participant * 7919 + pass_ * 104729)
    return [rng.randint(1, 5) for _ in range(N_QUESTIONS)]


def answer_concurrently(store: Store, code: str, n: int, pass_: int, pids: list[str]) -> dict:
    """n threads, released together, each answering the 9 questions in order; timings and errors."""
    barrier = threading.Barrier(n + 1)
    latencies: list[list[float]] = [[] for _ in range(n)]
    finished = [0.0] * n
    errors: list[str] = []
    errors_lock = threading.Lock()

    def participant(i: int) -> None:
        scores = values_for(i, pass_)
        store._cursor()  # this thread's cursor exists before the start, like a phone's session thread
        barrier.wait()
        for q, score in enumerate(scores, start=1):
            t = time.perf_counter()
            try:
                polls.answer(store, code, pids[i], q, score, name=None)
            except Exception as exc:  # a refused answer is a result, not a crash of the benchmark
                with errors_lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
            latencies[i].append(time.perf_counter() - t)
        finished[i] = time.perf_counter()

    threads = [threading.Thread(target=participant, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    wall = max(finished) - start
    flat = [x for per in latencies for x in per]
    return {"answers": len(flat), "wall_s": wall, "latencies": flat, "errors": errors}


def verify(store: Store, session: polls.PollSession, token: str, n: int, pass_: int, what: str) -> None:
    frame = store.poll_answers(session.session_id, round=1)
    check(len(frame) == n * N_QUESTIONS, f"{what}: {len(frame)} answers stored, expected {n} × 9 = {n * N_QUESTIONS}")
    sent = {q: Counter() for q in range(1, N_QUESTIONS + 1)}
    for i in range(n):
        for q, score in enumerate(values_for(i, pass_), start=1):
            sent[q][score] += 1
    stored = {
        q: Counter(int(v) for v in frame.loc[frame["question_id"] == q, "value"]) for q in range(1, N_QUESTIONS + 1)
    }
    check(stored == sent, f"{what}: distribution per question in the store equals what was sent")
    res = polls.results(store, session.session_id, token).by_question()
    same = all({s: c for s, c in res[q].distribution.items() if c} == dict(sent[q]) for q in sent)
    check(
        same and all(res[q].n == n for q in sent) and polls.results(store, session.session_id, token).participants == n,
        f"{what}: polls.results shows the same distribution and {n} participants",
    )


def run_pass(store: CountingStore, code: str, n: int, pass_: int, pids: list[str]) -> dict:
    before = store.attempts
    out = answer_concurrently(store, code, n, pass_, pids)
    attempts = store.attempts - before
    return {
        "answers": out["answers"],
        "wall_s": round(out["wall_s"], 4),
        "answers_per_s": round(out["answers"] / out["wall_s"], 1),
        "latency_s": summary(out["latencies"]),
        "errors": len(out["errors"]),
        "error_examples": sorted(set(out["errors"]))[:3],
        "retried_transactions": attempts - (out["answers"] - len(out["errors"])),
        "_latencies": out["latencies"],
    }


def throughput(workdir: Path, counts: list[int], repeat: int) -> list[dict]:
    results = []
    for n in counts:
        path = workdir / f"throughput_{n}.duckdb"
        store = CountingStore(path)
        runs = {"first": [], "change": []}
        for r in range(repeat):
            session, token = polls.create_session(
                store, f"Bench {n} deelnemers, run {r + 1}", polls.bouwstenen_questions()
            )
            pids = [polls.new_participant_id() for _ in range(n)]
            for pass_, kind in ((0, "first"), (1, "change")):
                out = run_pass(store, session.join_code, n, pass_, pids)
                runs[kind].append(out)
                log(
                    f"  N={n:>3} run {r + 1} {kind:<6}: {out['answers']} answers in {out['wall_s']:.2f} s = "
                    f"{out['answers_per_s']:.0f}/s, p50 {out['latency_s']['p50'] * 1000:.1f} ms, "
                    f"p95 {out['latency_s']['p95'] * 1000:.1f} ms, max {out['latency_s']['max'] * 1000:.0f} ms, "
                    f"retries {out['retried_transactions']}, errors {out['errors']}"
                )
                verify(store, session, token, n, pass_, f"N={n} run {r + 1} {kind}")
        entry = {"participants": n, "answers_per_pass": n * N_QUESTIONS}
        for kind, outs in runs.items():
            best = sorted(outs, key=lambda o: o["answers_per_s"])[len(outs) // 2]  # the median run
            pooled = [x for o in outs for x in o["_latencies"]]
            entry[kind] = {
                "answers_per_s_median": best["answers_per_s"],
                "answers_per_s_runs": [o["answers_per_s"] for o in outs],
                "wall_s_runs": [o["wall_s"] for o in outs],
                "latency_s_all_runs": summary(pooled),
                "retried_transactions_runs": [o["retried_transactions"] for o in outs],
                "errors_runs": [o["errors"] for o in outs],
                "error_examples": sorted({e for o in outs for e in o["error_examples"]})[:3],
            }
        results.append(entry)
        close_all()
    return results


# --- 2. facilitator view in process -----------------------------------------------------------


def time_calls(fn, repeat: int) -> dict:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return summary(times, 5)


def facilitator_view(workdir: Path, repeat: int) -> list[dict]:
    store = CountingStore(workdir / "view.duckdb")
    out = []
    for n in (0, 50, 200):
        session, token = polls.create_session(store, f"Bench scherm {n}", polls.bouwstenen_questions())
        if n:
            pids = [polls.new_participant_id() for _ in range(n)]
            run_pass(store, session.join_code, n, 0, pids)
        sid = session.session_id

        def data():
            polls.facilitator_session(store, sid, token)
            return polls.results(store, sid, token)

        res = data()
        check(
            sum(r.n for r in res.questions) == n * N_QUESTIONS,
            f"view: {n * N_QUESTIONS} answers in the round ({sum(r.n for r in res.questions)})",
        )

        def refresh():  # live_results: session + results, table, chart as st.plotly_chart serialises it
            r = data()
            poll_sections.scale_table(r)
            pio.to_json(charts.poll_scale(r), validate=False)

        def proposal():  # _proposal (every 3 s): session + results + scores + table
            polls.facilitator_session(store, sid, token)
            r = polls.results(store, sid, token)
            poll_sections.proposal_table(r, werkgroep.scores_from_poll(r))

        entry = {
            "answers": n * N_QUESTIONS,
            "data_s": time_calls(data, repeat),
            "scale_table_s": time_calls(lambda: poll_sections.scale_table(res), repeat),
            "scale_figure_json_s": time_calls(lambda: pio.to_json(charts.poll_scale(res), validate=False), repeat),
            "live_refresh_total_s": time_calls(refresh, repeat),
            "proposal_refresh_s": time_calls(proposal, repeat),
        }
        ms = {k: v["p50"] * 1000 for k, v in entry.items() if isinstance(v, dict)}
        log(
            f"  {n * N_QUESTIONS:>4} answers: data p50 {ms['data_s']:.1f} ms, table {ms['scale_table_s']:.1f} ms, "
            f"figure+json {ms['scale_figure_json_s']:.1f} ms, live refresh {ms['live_refresh_total_s']:.1f} ms, "
            f"proposal {ms['proposal_refresh_s']:.1f} ms"
        )
        out.append(entry)
    close_all()
    return out


# --- 3. facilitator view end to end ----------------------------------------------------------------

SCALE_ROWS_JS = """() => {
    for (const grid of document.querySelectorAll('[data-testid="stDataFrame"]')) {
        const rows = [...grid.querySelectorAll('table tr')]
            .map(tr => [...tr.querySelectorAll('th, td')].map(c => c.innerText.trim()));
        if (rows.length && rows[0][0] === 'Nr.' && rows[0].includes('Mediaan')) return rows.slice(1);
    }
    return null;
}"""
# True when the facilitator's table shows the expected cells (Antwoorden and the five score columns).
ROW_SHOWN_JS = (
    """([question, expected]) => {
    const rows = (%s)();
    if (!rows) return false;
    const row = rows.find(r => r[1] === question);
    return !!row && JSON.stringify(row.slice(2, 8)) === JSON.stringify(expected);
}"""
    % SCALE_ROWS_JS
)


def expected_cells(scores: list[int], participants: int) -> list[str]:
    """The facilitator's Antwoorden and score columns for a question with these answers."""
    n = len(scores)
    counts = Counter(scores)
    return [f"{n} van {participants}"] + [
        f"{counts[s]} ({charts.format_share(counts[s], n)})" if n else "0" for s in polls.SCALE_VALUES
    ]


def browser_latency(workdir: Path, repeat: int) -> dict:
    """Taps on phones (a new phone after every 9 questions) and the facilitator's table catching up."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import (
        CHROMIUM_ARGS,
        VIEWPORT,
        build_demo_db,
        chromium_path,
        open_app,
        start_streamlit,
        wait_for_app_idle,
    )

    exe = chromium_path()
    if exe is None:
        raise SystemExit("chromium ontbreekt (/usr/bin/chromium); draai met --no-browser")
    db_path = workdir / "app.duckdb"
    t = time.perf_counter()
    build_demo_db(db_path)
    log(f"  demo database built in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    server = start_streamlit(REPO_ROOT / "app.py", db_path, log_path=workdir / "streamlit.log")
    log(f"  server answered after {time.perf_counter() - t:.1f} s")
    questions = [b.name for b in polls.bouwstenen.BOUWSTENEN]
    saved, shown, after_saved = [], [], []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(exe), headless=True, args=CHROMIUM_ARGS)
            fac = browser.new_context(viewport=VIEWPORT, locale="nl-BE").new_page()
            open_app(fac, f"{server.url}/")
            open_app(fac, f"{server.url}/peiling")
            fac.get_by_role("button", name="Peiling starten").click()
            fac.get_by_text("Bewaar deze pagina als bladwijzer").wait_for(timeout=60_000)
            link = fac.locator('a[href*="/meedoen?code="]').first.get_attribute("href")
            fac.get_by_text("0 deelnemers in deze ronde").wait_for(timeout=30_000)
            rng = random.Random(20261202)
            answers: dict[int, list[int]] = {q: [] for q in range(1, N_QUESTIONS + 1)}
            participants = 0
            phone = None
            for k in range(repeat + 1):  # tap 0 is a warm-up and not counted
                q = k % N_QUESTIONS + 1
                if q == 1:  # a new participant: a new phone (browser context) for every 9 taps
                    if phone is not None:
                        phone.context.close()
                    phone = browser.new_context(
                        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="nl-BE"
                    ).new_page()
                    open_app(phone, link)
                    participants += 1
                score = rng.randint(1, 5)
                box = phone.locator('[data-testid="stLayoutWrapper"]').filter(
                    has=phone.get_by_text(f"{q}. {questions[q - 1]}", exact=True)
                )
                box.scroll_into_view_if_needed()
                wait_for_app_idle(phone)
                phone.wait_for_timeout(rng.uniform(0, 2000))  # out of step with the facilitator's 2 s refresh
                t0 = time.perf_counter()
                box.get_by_text(charts.score_label(score), exact=True).click()
                box.get_by_text("Bewaard").wait_for(state="visible", timeout=15_000)
                t_saved = time.perf_counter()
                answers[q].append(score)
                fac.wait_for_function(
                    ROW_SHOWN_JS,
                    arg=[questions[q - 1], expected_cells(answers[q], participants)],
                    polling=20,
                    timeout=20_000,
                )
                t_shown = time.perf_counter()
                if k == 0:
                    continue
                saved.append(t_saved - t0)
                shown.append(t_shown - t0)
                after_saved.append(t_shown - t_saved)
                log(
                    f"  tap {k:>2}: q{q} → {score}; phone shows 'Bewaard' after {t_saved - t0:.2f} s, "
                    f"the facilitator's table after {t_shown - t0:.2f} s"
                )
            browser.close()
    finally:
        server.stop()
        close_all()
    return {
        "repeat": repeat,
        "refresh_interval_s": 2,
        "phone_saved_s": summary(saved, 3),
        "facilitator_shows_s": summary(shown, 3),
        "facilitator_after_saved_s": summary(after_saved, 3),
        "facilitator_shows_each_s": [round(x, 3) for x in shown],
    }


# --- main ------------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--participants",
        default="1,10,50,100,200",
        help="comma-separated N (default 1,10,50,100,200; N=1 is the sequential baseline)",
    )
    ap.add_argument("--repeat", type=int, default=3, help="runs per N (default 3)")
    ap.add_argument("--view-repeat", type=int, default=30, help="timed calls per facilitator-view step (default 30)")
    ap.add_argument("--browser-repeat", type=int, default=10, help="timed taps in the browser (default 10)")
    ap.add_argument("--no-browser", action="store_true", help="skip the end-to-end part")
    args = ap.parse_args()
    counts = [int(x) for x in args.participants.split(",") if x.strip()]

    import streamlit

    started = datetime.now(timezone.utc)
    result: dict = {
        "benchmark": "bench_polls",
        "started_utc": started.isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "duckdb": duckdb.__version__,
            "pandas": pd.__version__,
            "numpy": np.__version__,
            "plotly": plotly.__version__,
            "streamlit": streamlit.__version__,
            "cpu_count": os.cpu_count(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
        },
    }
    with tempfile.TemporaryDirectory(prefix="bench_polls_") as tmp:
        workdir = Path(tmp)
        log(f"1. throughput (N = {counts}, {args.repeat} runs each) in {workdir}")
        result["throughput"] = throughput(workdir, counts, args.repeat)
        log("2. facilitator view in process")
        result["facilitator_view"] = facilitator_view(workdir, args.view_repeat)
        if not args.no_browser:
            log("3. facilitator view end to end (browser)")
            result["browser"] = browser_latency(workdir, args.browser_repeat)
    result["checks_failed"] = FAILED
    result["seconds_total"] = round((datetime.now(timezone.utc) - started).total_seconds(), 1)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if FAILED:
        log(f"{len(FAILED)} check(s) failed")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
