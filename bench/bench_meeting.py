"""Benchmark: how long the big screen of a meeting waits for a step's content, and the verslag for its file.

Not a test (pytest only collects ``tests/``). Run from the repository root:

    .venv/bin/python bench/bench_meeting.py [--db PATH] [--municipality NIS5] [--sectors N]

On a copy of the database (default: a fresh demo) an analysis meeting is planned for the
municipality with the most mapped sectors (Heidebeek, 33 sectors, in the demo) with ``--sectors``
chosen sectors (0 = the whole municipality), started, every step visited, two phones answer
the check-in, and it is finished. Timed, each in a **fresh Python process** (imports and the
store's first queries count, as for the first time a step is shown after a restart):

* ``wie_figures`` / ``wie_map``: the Wie woont er? table and map (``meeting_content``);
* ``wat_map``: the amenities map and counts; ``wie_vs_wat``: the findings per sector;
* ``minutes_build``: ``build_minutes`` (figures, maps, findings, poll results, notes);
* ``minutes_pdf`` / ``minutes_docx`` / ``minutes_html``: build and render.

The presenter caches the step contents per data version, so a step shown again is instant; these
are the first showings. JSON to stdout, progress to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

CASES = (
    "wie_figures",
    "wie_map",
    "wat_map",
    "wie_vs_wat",
    "minutes_build",
    "minutes_pdf",
    "minutes_docx",
    "minutes_html",
)

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from zorgzaam import meeting_content as mc, meetings
from zorgzaam.reports import meeting_maps as maps, minutes as mn, minutes_render as mr, summary_table
from zorgzaam.store import Store
store = Store.open(sys.argv[1])
meeting = meetings.get(store, sys.argv[2])
case = sys.argv[3]
indicators = mc.usable_indicators(store, meeting.indicators or mc.DEFAULT_INDICATORS)
t1 = time.perf_counter()
out = {}
if case == "wie_figures":
    out["rows"] = len(mc.sector_figures(store, meeting.municipality, meeting.sectors, indicators).table)
elif case == "wie_map":
    out["bytes"] = len(maps.indicator_map(store, meeting.municipality, meeting.sectors, indicators[0], None,
                                          source="bench"))
elif case == "wat_map":
    out["bytes"] = len(maps.amenities_map(store, meeting.municipality, meeting.sectors, source="bench")[0])
elif case == "wie_vs_wat":
    out["rows"] = len(summary_table.findings(store, meeting.municipality, meeting.sectors))
else:
    doc = mn.build_minutes(store, meeting.meeting_id)
    if case != "minutes_build":
        render = {"minutes_pdf": mr.minutes_pdf, "minutes_docx": mr.minutes_docx,
                  "minutes_html": lambda d: mr.minutes_html(d).encode("utf-8")}[case]
        out["bytes"] = len(render(doc))
t2 = time.perf_counter()
with open("/proc/self/status") as f:
    peak = next(int(line.split()[1]) for line in f if line.startswith("VmHWM")) / 1024
print(json.dumps({"import_open_s": round(t1 - t0, 2), "work_s": round(t2 - t1, 2), "peak_rss_mb": round(peak), **out}))
"""


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def prepare(db: Path, municipality: str | None, n_sectors: int) -> str:
    from zorgzaam import meetings, polls
    from zorgzaam.meeting_content import DEFAULT_INDICATORS
    from zorgzaam.store import Store, close_all

    store = Store.open(db)
    if municipality is None:
        municipality = store.areas_by_mapped_sectors("gemeente")[0]
    sectors = sorted(store.sectors_within("gemeente", [municipality]))[:n_sectors] if n_sectors else []
    planned = meetings.plan(
        store,
        team="Bench",
        title="Analyse (bench)",
        meeting_date=datetime.now().date(),
        agenda=meetings.TEMPLATES["analyse"].agenda(),
        template="analyse",
        municipality=municipality,
        sectors=sectors,
        indicators=DEFAULT_INDICATORS,
    )
    meeting, token = meetings.start(store, planned.meeting_id)
    code = store.poll_session(meeting.poll_session_id)["join_code"]
    question = polls.find_session(store, code).visible_questions()[0].question_id
    for pid, word in (("p1", "koffie"), ("p2", "soep")):
        polls.answer(store, code, pid, question, word)
    for step in range(1, len(meeting.agenda)):
        meetings.go_to(store, meeting.meeting_id, token, step)
    meetings.save_note(store, meeting.meeting_id, token, 0, "notities", "Kleine dingen tellen.")
    meetings.finish(store, meeting.meeting_id, token)
    log(f"bijeenkomst {meeting.meeting_id}: gemeente {municipality}, {len(sectors) or 'alle'} sectoren")
    close_all()
    return meeting.meeting_id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="a database to copy (default: a fresh demo)")
    parser.add_argument("--municipality")
    parser.add_argument("--sectors", type=int, default=0, help="number of chosen sectors (0: the whole municipality)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        if args.db:
            shutil.copy(args.db, db)
        else:
            log("demo bouwen …")
            subprocess.run(
                [sys.executable, "-m", "zorgzaam", "demo", "--db", str(db)],
                cwd=REPO_ROOT,
                check=True,
                capture_output=True,
                env=dict(os.environ, ZORGZAAM_DB=str(db)),
            )
        meeting_id = prepare(db, args.municipality, args.sectors)
        results = {}
        for case in CASES:
            done = subprocess.run(
                [sys.executable, "-c", CHILD, str(db), meeting_id, case],
                cwd=REPO_ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            results[case] = json.loads(done.stdout.strip().splitlines()[-1])
            log(f"{case:<14} {results[case]}")
    print(
        json.dumps(
            {
                "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "machine": f"{platform.machine()} {os.cpu_count()} cores",
                "sectors": args.sectors,
                "results": results,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
