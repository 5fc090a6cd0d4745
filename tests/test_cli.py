"""python -m zorgzaam: query output, errors as one Dutch line."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pandas as pd
import pytest

from tests.helpers import SECTOR_1, make_store, scaled
from zorgzaam.cli import main
from zorgzaam.engine import RESULT_COLUMNS
from zorgzaam.store import Store, close_all

S1, S2, S3, S4 = "11111A00-", "11111A01-", "22222A00-", "22222A012"


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "cli.duckdb"
    make_store(
        path,
        {
            ("statsec", S1): SECTOR_1,
            ("statsec", S2): scaled(SECTOR_1, 0.3),
            ("statsec", S3): scaled(SECTOR_1, 1.7),
            ("statsec", S4): dict(SECTOR_1, pop_age_90plus="x"),
        },
    )
    close_all()
    return path


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_query_level_within_as_csv(db, capsys):
    code, out, _ = run(
        capsys,
        "--db",
        db,
        "query",
        "--indicator",
        "pct_men",
        "--level",
        "statsec",
        "--within",
        "11111",
        "--format",
        "csv",
    )
    assert code == 0
    frame = pd.read_csv(io.StringIO(out), dtype={"area_code": str, "period": str})
    assert list(frame.columns) == RESULT_COLUMNS
    assert sorted(frame["area_code"]) == [S1, S2]
    row = frame[frame["area_code"] == S1].iloc[0]
    assert (row["numerator"], row["denominator"], row["value"], row["status"]) == (490, 1000, 49.0, "ok")


def test_query_zone_as_json_is_the_ratio_of_sums(db, capsys):
    code, out, _ = run(
        capsys, "--db", db, "query", "--indicator", "pct_single_person_hh", "--area", "elz1", "--format", "json"
    )
    assert code == 0
    (zone,) = json.loads(out)
    hh = [
        SECTOR_1["hh_private"],
        round(SECTOR_1["hh_private"] * 0.3),
        round(SECTOR_1["hh_private"] * 1.7),
        SECTOR_1["hh_private"],
    ]
    single = [
        SECTOR_1["hh_single_person"],
        round(SECTOR_1["hh_single_person"] * 0.3),
        round(SECTOR_1["hh_single_person"] * 1.7),
        SECTOR_1["hh_single_person"],
    ]
    assert zone["value"] == pytest.approx(sum(single) / sum(hh) * 100)
    assert zone["area_level"] == "elz" and zone["status"] == "ok"


def test_hidden_sector_value_is_null_in_json(db, capsys):
    code, out, _ = run(
        capsys, "--db", db, "query", "--indicator", "pct_80plus", "--area", S4, "--area", "elz1", "--format", "json"
    )
    rows = {r["area_code"]: r for r in json.loads(out)}
    assert rows[S4]["value"] is None and rows[S4]["status"] == "verborgen"
    assert rows["elz1"]["value"] is None and rows["elz1"]["status"] == "onvolledig"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "--indicator", "pct_onbekend", "--area", "elz1"], "Onbekende indicator"),
        (["query", "--indicator", "pct_men", "--area", "99999"], "bestaat niet"),
        (["query", "--indicator", "pct_men", "--level", "gemeente", "--period", "1990"], "Geen cijfers voor periode"),
        (["query", "--indicator", "pct_men", "--within", "11111"], "--within kan enkel"),
    ],
)
def test_errors_are_one_dutch_line_and_a_non_zero_exit(db, capsys, args, message):
    code, out, err = run(capsys, "--db", db, *args)
    assert code == 1
    assert out == ""
    assert err.startswith("Fout: ") and message in err
    assert err.count("\n") == 1


def test_missing_database_is_explained(tmp_path, capsys):
    code, _, err = run(capsys, "--db", tmp_path / "nope.duckdb", "info")
    assert code == 1 and "bestaat nog niet" in err


def test_info_lists_levels_and_periods(db, capsys):
    code, out, _ = run(capsys, "--db", db, "info")
    assert code == 0
    assert "statsec" in out and "       4  statistische sectoren" in out
    assert "Perioden: 2025" in out


def test_indicators_catalogue_as_csv(capsys):
    code, out, _ = run(capsys, "indicators", "--format", "csv")
    frame = pd.read_csv(io.StringIO(out))
    assert code == 0
    assert frame.set_index("code").loc["groene_druk", "formula"] == "pop_age_0_19 / pop_age_20_64 × 100"


def test_module_entry_point_runs(db):
    done = subprocess.run(
        [sys.executable, "-m", "zorgzaam", "--db", str(db), "query", "--indicator", "pop_total", "--area", S1],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].startswith(f"{S1},statsec,")


# --- access (bereikbaarheid) ---------------------------------------------------------------------


def test_query_answers_an_access_indicator_for_a_municipality(demo_db, capsys):
    from zorgzaam.store import Store

    code, out, _ = run(
        capsys, "--db", demo_db, "query", "--indicator", "pct_no_basket_1200m", "--area", "13091", "--format", "json"
    )
    assert code == 0
    (row,) = json.loads(out)
    store = Store.open(demo_db, read_only=True)
    places = store.place_access(store.sectors_within("gemeente", ["13091"]))
    close_all()
    lacking = places["residents"][places["dist_basket"].isna() | (places["dist_basket"] > 1200)].sum()
    assert row["status"] == "ok" and row["period"] == "2025"
    assert (row["numerator"], row["denominator"]) == (pytest.approx(lacking), pytest.approx(places["residents"].sum()))
    assert row["value"] == pytest.approx(100 * lacking / places["residents"].sum())
    assert 0 < row["value"] < 100


def test_access_command_recomputes_and_prints_a_dutch_summary(demo_db, tmp_path, capsys):
    import shutil

    close_all()
    copy = tmp_path / "copy.duckdb"
    shutil.copy(demo_db, copy)
    code, out, err = run(capsys, "--db", copy, "access")
    assert code == 0, err
    assert out.startswith("Bereikbaarheid berekend voor demo (periode 2025): ")
    assert "woonplaatsen" in out and "inwoners" in out and " s." in out
    code, _, err = run(capsys, "--db", copy, "access", "--dataset", "bestaat-niet")
    assert code == 1 and err.startswith("Fout: ") and "bestaat-niet" in err


def test_access_command_without_hectare_cells_is_one_dutch_line(db, capsys):
    code, out, err = run(capsys, "--db", db, "access")
    assert code == 1 and out == ""
    assert err.startswith("Fout: Geen hectarecellen met inwoners") and err.count("\n") == 1


def test_access_command_combines_the_layers_of_an_own_database(demo_db, tmp_path, capsys):
    import shutil

    close_all()
    copy = tmp_path / "own.duckdb"
    shutil.copy(demo_db, copy)
    store = Store.open(copy)
    # As after imports: the layers in their own datasets, not a demo.
    store._cursor().execute("UPDATE grid_cells SET dataset_id = 'raster-inwoners'")
    store._cursor().execute("UPDATE datasets SET is_demo = FALSE")
    store._cursor().execute(
        "INSERT INTO datasets VALUES ('raster-inwoners', 'raster', 'test', NULL, FALSE, NULL, now())"
    )
    close_all()
    code, out, err = run(capsys, "--db", copy, "access")
    assert code == 0, err
    assert out.startswith("Bereikbaarheid berekend uit alle geïmporteerde lagen (periode 2025): ")
    store = Store.open(copy)
    assert set(store._query_df("SELECT DISTINCT dataset_id FROM place_access")["dataset_id"]) == {"bereikbaarheid"}


# --- report ------------------------------------------------------------------------------------------


def test_report_writes_the_summary_table_as_xlsx_and_csv(demo_db, tmp_path, capsys):
    import openpyxl

    from zorgzaam.demo import TOWN_CODE

    xlsx = tmp_path / "samenvatting.xlsx"
    code, out, err = run(capsys, "--db", demo_db, "report", "--area", TOWN_CODE, "--output", xlsx)
    assert code == 0, err
    assert out.startswith(f"XLSX geschreven: {xlsx}")
    book = openpyxl.load_workbook(xlsx, read_only=True)
    assert {"Samenvatting", "Cijfers", "Indicatoren", "Over dit bestand"} <= set(book.sheetnames)
    store = Store.open(demo_db)
    sectors = store.sectors_within("gemeente", [TOWN_CODE])
    close_all()
    codes = [row[0] for row in book["Samenvatting"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert sorted(codes) == sorted(sectors)
    csv = tmp_path / "samenvatting.csv"
    code, _, err = run(
        capsys,
        "--db",
        demo_db,
        "report",
        "--area",
        sectors[0],
        "--area",
        sectors[1],
        "--format",
        "csv",
        "--output",
        csv,
    )
    assert code == 0, err
    assert csv.read_bytes().startswith(b"\xef\xbb\xbfSectorcode;Sector;Gemeente")
    frame = pd.read_csv(csv, sep=";", encoding="utf-8-sig", dtype=str)
    assert sorted(frame["Sectorcode"]) == sorted(sectors[:2])


def test_report_refuses_unknown_or_mixed_areas_in_one_dutch_line(demo_db, tmp_path, capsys):
    from zorgzaam.demo import DEMO_ELZ_CODE, TOWN_CODE

    code, _, err = run(capsys, "--db", demo_db, "report", "--area", "99999", "--output", tmp_path / "x.xlsx")
    assert code == 1 and err.startswith("Fout: Gebied '99999' staat niet in de databank") and err.count("\n") == 1
    code, _, err = run(
        capsys, "--db", demo_db, "report", "--area", TOWN_CODE, "--area", DEMO_ELZ_CODE, "--output", tmp_path / "x.xlsx"
    )
    assert code == 1 and "Geef één of meer statistische sectoren" in err
    code, _, err = run(capsys, "--db", demo_db, "report", "--area", TOWN_CODE, "--output", tmp_path / "x.doc")
    assert code == 1 and "Onbekend formaat 'doc'" in err
    assert not (tmp_path / "x.xlsx").exists()


def test_report_writes_a_sector_profile_as_pdf_and_html(demo_db, tmp_path, capsys):
    from pypdf import PdfReader

    from zorgzaam.demo import TOWN_CODE

    store = Store.open(demo_db)
    sector = store.sectors_within("gemeente", [TOWN_CODE])[0]
    name = store.find_area(sector, "statsec")["name"].iloc[0]
    close_all()
    pdf = tmp_path / "profiel.pdf"
    code, out, err = run(capsys, "--db", demo_db, "report", "--area", sector, "--output", pdf)
    assert code == 0, err
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert sector in text and name in text
    html = tmp_path / "profiel.html"
    code, _, err = run(capsys, "--db", demo_db, "report", "--area", sector, "--format", "html", "--output", html)
    assert code == 0, err
    page = html.read_text(encoding="utf-8")
    assert sector in page and "<img" in page and 'src="http' not in page


def test_meetings_lists_them_and_minutes_writes_the_verslag(tmp_path, capsys):
    import docx

    from zorgzaam import meetings, polls

    path = tmp_path / "meetings.duckdb"
    store = Store.open(path)
    planned = meetings.plan(
        store,
        team="Werkgroep CLI",
        title="Toetsen",
        meeting_date="2026-03-01",
        agenda=meetings.TEMPLATES["toetsen"].agenda(),
    )
    meeting, token = meetings.start(store, planned.meeting_id)
    code = store.poll_session(meeting.poll_session_id)["join_code"]
    checkin = polls.find_session(store, code).visible_questions()[0].question_id
    polls.answer(store, code, "p1", checkin, "fietsen")
    meetings.save_note(store, meeting.meeting_id, token, 0, "notities", "Iemand hielp een buur verhuizen.")
    close_all()

    status, out, err = run(capsys, "--db", path, "meetings", "--format", "csv")
    assert status == 0, err
    rows = pd.read_csv(io.StringIO(out), dtype=str)
    assert rows[["meeting_id", "team", "title", "state"]].values.tolist() == [
        [meeting.meeting_id, "Werkgroep CLI", "Toetsen", "bezig"]
    ]

    target = tmp_path / "verslag.docx"
    status, out, err = run(capsys, "--db", path, "minutes", "--meeting", meeting.meeting_id, "--output", target)
    assert status == 0, err
    assert out.startswith(f"Verslag (DOCX) geschreven: {target}")
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "Iemand hielp een buur verhuizen." in text
    cells = [c.text for t in docx.Document(str(target)).tables for row in t.rows for c in row.cells]
    assert "fietsen" in cells

    status, _, err = run(capsys, "--db", path, "minutes", "--meeting", "bestaatniet", "--output", tmp_path / "x.pdf")
    assert status == 1 and err.startswith("Fout: Deze bijeenkomst bestaat niet") and err.count("\n") == 1
    status, _, err = run(
        capsys, "--db", path, "minutes", "--meeting", meeting.meeting_id, "--output", tmp_path / "x.txt"
    )
    assert status == 1 and "Onbekend formaat 'txt'" in err
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "x.txt").exists()


def _running_meeting(path, title: str = "Kwijt"):
    from zorgzaam import meetings

    store = Store.open(path)
    planned = meetings.plan(
        store,
        team="Werkgroep CLI",
        title=title,
        meeting_date="2026-03-01",
        agenda=meetings.TEMPLATES["toetsen"].agenda(),
    )
    meeting, token = meetings.start(store, planned.meeting_id)
    meetings.save_note(store, meeting.meeting_id, token, 0, "notities", "Soep voor de buren.")
    close_all()
    return meeting, token


def test_meetings_finish_ends_a_meeting_whose_link_is_lost(tmp_path, capsys):
    from zorgzaam import meetings, polls

    path = tmp_path / "meetings.duckdb"
    meeting, token = _running_meeting(path)
    status, out, err = run(capsys, "--db", path, "meetings", "--finish", meeting.meeting_id)
    assert status == 0, err
    assert out.startswith(
        f"Bijeenkomst {meeting.meeting_id} (Kwijt) afgesloten zonder begeleiderslink: de peiling is gesloten"
    )
    assert f"minutes --meeting {meeting.meeting_id}" in out
    store = Store.open(path)
    after = meetings.get(store, meeting.meeting_id)
    assert after.state == "afgerond" and after.token_hash is None and after.finished_at is not None
    assert store.poll_session(meeting.poll_session_id)["state"] == "closed"
    assert meetings.notes(store, meeting.meeting_id) == {(0, "notities"): "Soep voor de buren."}  # kept for the verslag
    with pytest.raises(meetings.MeetingError):
        meetings.authorise(store, meeting.meeting_id, token)
    with pytest.raises(polls.PollError):
        polls.facilitator_session(store, meeting.poll_session_id, token)
    close_all()

    status, out, _ = run(capsys, "--db", path, "meetings", "--finish", meeting.meeting_id)
    assert status == 0 and out.strip() == f"Bijeenkomst {meeting.meeting_id} (Kwijt) was al afgerond."
    status, out, err = run(
        capsys, "--db", path, "minutes", "--meeting", meeting.meeting_id, "--output", tmp_path / "verslag.html"
    )
    assert status == 0, err
    assert "Soep voor de buren." in (tmp_path / "verslag.html").read_text(encoding="utf-8")


def test_meetings_delete_needs_yes_and_says_what_it_removes(tmp_path, capsys):
    from zorgzaam import meetings

    path = tmp_path / "meetings.duckdb"
    meeting, _token = _running_meeting(path, "Weg")
    status, out, err = run(capsys, "--db", path, "meetings", "--delete", meeting.meeting_id)
    assert status == 1 and out == "" and err.count("\n") == 1
    assert err.startswith(f"Fout: Bijeenkomst {meeting.meeting_id} (Weg) niet verwijderd: bevestig met --yes. ")
    assert meetings.DELETE_CONSEQUENCES in err
    store = Store.open(path)
    assert meetings.get(store, meeting.meeting_id).state == "bezig"  # nothing changed
    close_all()

    status, out, err = run(capsys, "--db", path, "meetings", "--delete", meeting.meeting_id, "--yes")
    assert status == 0, err
    assert out.strip() == f"Bijeenkomst {meeting.meeting_id} (Weg) verwijderd."
    store = Store.open(path)
    assert meetings.get(store, meeting.meeting_id) is None and meetings.notes(store, meeting.meeting_id) == {}
    assert store.poll_session(meeting.poll_session_id)["state"] == "closed"
    close_all()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--finish", "bestaatniet"], "Fout: Bijeenkomst 'bestaatniet' bestaat niet."),
        (["--delete", "bestaatniet", "--yes"], "Fout: Bijeenkomst 'bestaatniet' bestaat niet."),
        (["--yes"], "Fout: --yes hoort bij --delete ID."),
    ],
)
def test_meetings_finish_and_delete_refusals(tmp_path, capsys, args, message):
    path = tmp_path / "meetings.duckdb"
    _running_meeting(path)
    status, out, err = run(capsys, "--db", path, "meetings", *args)
    assert status == 1 and err.startswith(message) and err.count("\n") == 1


def test_meetings_finish_refuses_a_planned_meeting(tmp_path, capsys):
    from zorgzaam import meetings

    path = tmp_path / "meetings.duckdb"
    store = Store.open(path)
    planned = meetings.plan(
        store,
        team="Werkgroep CLI",
        title="Later",
        meeting_date="2026-03-01",
        agenda=meetings.TEMPLATES["toetsen"].agenda(),
    )
    close_all()
    status, _, err = run(capsys, "--db", path, "meetings", "--finish", planned.meeting_id)
    assert status == 1 and err.startswith("Fout: Deze bijeenkomst is nog niet begonnen")
    store = Store.open(path)
    assert meetings.get(store, planned.meeting_id).state == "gepland"
    close_all()
