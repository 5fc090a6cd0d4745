"""The samenvattende tabel (zorgzaam.reports.summary_table) on a copy of the demo store: the XLSX is
opened with openpyxl and its values compared with what zorgzaam.engine computes; the CSV is read back."""

from __future__ import annotations

import csv
import io
import re
import shutil
from datetime import date, timedelta

import openpyxl
import pytest

from zorgzaam import polls, werkgroep
from zorgzaam.catalogue import BUILTIN, extra_indicator
from zorgzaam.demo import DEMO_ELZ_NAME, TINY_SECTOR, TOWN_CODE, WZC_SECTOR
from zorgzaam.engine import EngineError, compute
from zorgzaam.formatting import format_date
from zorgzaam.reports import summary_table as st
from zorgzaam.store import Store, close_all

TEAM = "Werkgroep zorgzaam Heidebeek"
TODAY = date.today()
EARLIER = TODAY - timedelta(days=90)
PERIOD = "2025"
# Poll answers (participant, name, score per bouwsteen question 1 and 2): counts per score below.
ANSWERS = (("p-a", "Anaïs", 1, 4), ("p-b", None, 3, 4), ("p-c", "Bert", 3, 5))


@pytest.fixture(scope="module")
def store(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("summary") / "demo.duckdb"
    shutil.copy(demo_db, path)
    s = Store.open(path)
    yield s
    close_all()


@pytest.fixture(scope="module")
def prepared(store):
    """Team scores on two dates (the later one taken over from a poll) and notes on the summary questions."""
    werkgroep.save_scores(store, TEAM, EARLIER, {"detectie": 2, "inclusie": 3, "communicatie": 4})
    session, token = polls.create_session(store, "Bouwstenen september", polls.bouwstenen_questions()[:2])
    for pid, name, s1, s2 in ANSWERS:
        polls.answer(store, session.join_code, pid, 1, s1, name=name)
        polls.answer(store, session.join_code, pid, 2, s2, name=name)
    scores = werkgroep.scores_from_poll(polls.results(store, session.session_id, token))
    werkgroep.save_scores(
        store, TEAM, TODAY, scores, source="peiling", poll_session_id=session.session_id, poll_round=1
    )
    wzc_name = store.find_area(WZC_SECTOR, "statsec")["name"].iloc[0]
    store.save_summary_note(
        "gemeente",
        TOWN_CODE,
        PERIOD,
        "eenzaamheid",
        f"In {wzc_name} ligt het woonzorgcentrum: dat verklaart de 80-plussers.",
    )
    store.save_summary_note("gemeente", TOWN_CODE, PERIOD, "wie", "Heidebeek vergrijst in de dorpen.")
    store.save_summary_note("gemeente", "13092", PERIOD, "wie", "Een notitie over een andere gemeente.")
    store.save_summary_note("elz", "elz80", PERIOD, "8.1", "De dorpen in het noorden missen een bus.")
    return {"session": session, "token": token, "scores": scores, "wzc_name": wzc_name}


@pytest.fixture(scope="module")
def workbook(store, prepared):
    data = st.summary_xlsx(store, TOWN_CODE, period=PERIOD, team=TEAM)
    return openpyxl.load_workbook(io.BytesIO(data))


def _records(sheet) -> list[dict]:
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, r)) for r in rows[1:]]


def _figure(workbook, sector: str, indicator: str) -> tuple[dict, object]:
    sheet = workbook["Cijfers"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        values = dict(zip(header, (c.value for c in row)))
        if values["Sectorcode"] == sector and values["Indicatorcode"] == indicator:
            return values, row[header.index("Waarde")]
    raise AssertionError(f"{sector} {indicator} not in Cijfers")


# --------------------------------------------------------------------------- the workbook


def test_workbook_has_every_sheet_in_order(workbook):
    assert workbook.sheetnames == list(st.SHEETS)
    sheet = workbook["Samenvatting"]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == list(st.SUMMARY_HEADERS.values())
    assert sheet.column_dimensions["H"].width >= 40  # the findings column is wide ...
    assert sheet.cell(row=2, column=8).alignment.wrap_text  # ... and wraps


def test_a_known_value_equals_the_engine(store, workbook):
    expected = compute(store, ["pct_80plus"], areas=[("statsec", WZC_SECTOR)], period=PERIOD).iloc[0]
    values, cell = _figure(workbook, WZC_SECTOR, "pct_80plus")
    assert values["Waarde"] == pytest.approx(expected["value"], rel=1e-12)
    assert values["Teller"] == pytest.approx(expected["numerator"])
    assert values["Noemer"] == pytest.approx(expected["denominator"])
    assert values["Status"] == "ok" and values["Periode"] == PERIOD and values["Eenheid"] == "%"
    assert values["Noemer (soort)"] == "inwoners"
    assert isinstance(values["Waarde"], float)  # a number, not text
    assert cell.number_format == '#,##0.0" %"'  # one decimal, shown as 22,2 % in a Dutch Excel
    zone = compute(store, ["pct_80plus"], areas=[("elz", "elz80")], period=PERIOD).iloc[0]
    assert values["Gemiddelde eerstelijnszone"] == pytest.approx(zone["value"])
    assert "fictief" in values["Bron"]


def test_a_hidden_value_is_an_empty_cell_never_zero(store, workbook):
    engine = compute(store, ["pct_80plus"], areas=[("statsec", TINY_SECTOR)], period=PERIOD).iloc[0]
    assert engine["status"] == "verborgen"
    values, cell = _figure(workbook, TINY_SECTOR, "pct_80plus")
    assert cell.value is None and values["Status"] == "verborgen"
    assert values["Teller"] is None
    assert "verborgen" in values["Toelichting status"]
    # Its population is published: a number.
    pop, _ = _figure(workbook, TINY_SECTOR, "pop_total")
    assert pop["Status"] == "ok" and pop["Waarde"] > 0


def test_figures_cover_every_sector_of_the_municipality(store, workbook):
    sectors = set(store.sectors_within("gemeente", [TOWN_CODE]))
    codes = {r["Sectorcode"] for r in _records(workbook["Cijfers"])}
    assert codes == sectors
    spatial, _ = _figure(workbook, WZC_SECTOR, "pct_no_basket_1200m")
    expected = compute(store, ["pct_no_basket_1200m"], areas=[("statsec", WZC_SECTOR)], period=PERIOD).iloc[0]
    assert spatial["Waarde"] == pytest.approx(expected["value"])


def test_metadata_sheet_has_the_formula_and_period(workbook):
    rows = {r["Code"]: r for r in _records(workbook["Indicatoren"])}
    row = rows["pct_80plus"]
    assert row["Formule"] == BUILTIN.indicator("pct_80plus").formula == "pop_age_80plus / pop_total × 100"
    assert row["Definitie"] == BUILTIN.indicator("pct_80plus").definition
    assert row["Periode"] == PERIOD and row["Eenheid"] == "%" and row["Noemer"] == "inwoners"
    assert "Provincies in Cijfers" in row["Bron"]
    assert "pct_no_bus_400m" in rows


def test_bouwstenen_sheet_holds_the_saved_scores(workbook, prepared):
    rows = {r["Bouwsteen"]: r for r in _records(workbook["Bouwstenen"])}
    assert len(rows) == 9
    early, late = f"Score {format_date(EARLIER)}", f"Score {format_date(TODAY)}"
    assert rows["Detectie"][early] == 2 and rows["Inclusie"][early] == 3 and rows["Communicatie"][early] == 4
    assert rows["Toeleiding"][early] is None  # niet gescoord: empty
    assert rows["Detectie"][f"Betekenis {format_date(EARLIER)}"] == "al eens over nagedacht"
    assert rows["Toeleiding"][f"Betekenis {format_date(EARLIER)}"] == "niet gescoord"
    # The later date was taken over from the poll: medians 3 and 4 (rounded down).
    assert rows["Buurt: analyse & plan"][late] == prepared["scores"]["buurt_analyse_plan"] == 3
    assert rows["Visie & organisatie"][late] == prepared["scores"]["visie_organisatie"] == 4


def test_poll_sheet_holds_the_distribution_and_is_anonymous(workbook, prepared):
    rows = _records(workbook["Peilingen"])
    assert len(rows) == 2
    first, second = rows
    assert first["Peiling"] == "Bouwstenen september" and first["Ronde"] == 1
    assert first["Bouwsteen"] == "Buurt: analyse & plan"
    assert [first[f"Score {v}"] for v in range(1, 6)] == [1, 0, 2, 0, 0]
    assert [second[f"Score {v}"] for v in range(1, 6)] == [0, 0, 0, 2, 1]
    assert first["Mediaan"] == 3 and second["Mediaan"] == 4
    assert first["Antwoorden"] == 3 and first["Deelnemers in de ronde"] == 3
    everything = " ".join(str(v) for row in workbook["Peilingen"].iter_rows(values_only=True) for v in row)
    assert "Anaïs" not in everything and "Bert" not in everything and "p-a" not in everything


def test_about_sheet_names_area_period_sources_and_the_fictional_demo(workbook):
    about = {r["Veld"]: r["Waarde"] for r in _records(workbook["Over dit bestand"])}
    assert "Heidebeek" in about["Gebied"] and DEMO_ELZ_NAME in about["Gebied"]
    assert about["Periode cijfers"] == PERIOD
    assert "fictief" in about["Let op"]
    assert "demo — fictief" in about["Bronnen"]
    assert about["Team"] == TEAM
    zone_notes = about["Notities werkgroep (eerstelijnszone)"]
    assert zone_notes == "[8.1, periode 2025] De dorpen in het noorden missen een bus."
    assert "1,25" in about["Signaalregel"]


# --------------------------------------------------------------------------- the rows


def test_rows_name_signals_spatial_findings_and_notes(store, workbook, prepared):
    rows = st.summary_rows(store, TOWN_CODE, period=PERIOD)
    assert list(rows.columns) == list(st.SUMMARY_HEADERS)
    assert set(rows["code"]) == set(store.sectors_within("gemeente", [TOWN_CODE]))
    wzc = rows.set_index("code").loc[WZC_SECTOR]
    assert "% 80-plussers" in wzc["signal_details"]
    assert f"gemiddelde eerstelijnszone {DEMO_ELZ_NAME}" in wzc["signal_details"]
    assert wzc["n_signal_indicators"] >= 1 and "Eenzaamheid" in wzc["signals"]
    assert "kern" in wzc["spatial"] and "basispakket" in wzc["spatial"]
    assert prepared["wzc_name"] in wzc["notes_sector"] and "[2.2, periode 2025]" in wzc["notes_sector"]
    # The general note of the municipality is on every row; another municipality's note on none.
    assert all("vergrijst in de dorpen" in n for n in rows["notes_municipality"])
    assert not any("andere gemeente" in n for n in rows["notes_municipality"] + rows["notes_sector"])
    tiny = rows.set_index("code").loc[TINY_SECTOR]
    assert tiny["small"] == st.SMALL_TEXT
    pop = compute(store, ["pop_total"], areas=[("statsec", TINY_SECTOR)], period=PERIOD).iloc[0]["value"]
    assert tiny["inwoners"] == pop
    # The sheet holds the same rows.
    sheet_codes = [r["Sectorcode"] for r in _records(workbook["Samenvatting"])]
    assert sheet_codes == list(rows["code"])


def test_mismatch_sentence_only_for_sectors_that_stand_out(store):
    rows = st.summary_rows(store, TOWN_CODE, period=PERIOD)
    # The tiny sector's 80-plussers are hidden ("x"): it cannot be told, which the cell says (not empty).
    tiny = rows["code"] == TINY_SECTOR
    assert list(rows.loc[tiny, "mismatch"]) == ["Niet te bepalen: % 80-plussers is verborgen door de bron (te klein)."]
    rows = rows[~tiny]
    flagged = rows[rows["mismatch"] != ""]
    assert 0 < len(flagged) < len(rows)
    for r in flagged.itertuples():
        assert r.mismatch.startswith(f"In {r.name} ") and "80+" in r.mismatch


def test_selected_sectors_and_an_older_period(store):
    rows = st.summary_rows(store, sector_codes=[WZC_SECTOR, TINY_SECTOR], period="2020")
    assert list(rows["code"]) == sorted([WZC_SECTOR, TINY_SECTOR])
    # The access layers exist for 2025 only: the spatial text says which period it is.
    assert rows["spatial"].str.contains(r"\(periode 2025\)").all()
    engine = compute(store, ["pop_total"], areas=[("statsec", WZC_SECTOR)], period="2020").iloc[0]["value"]
    assert rows.set_index("code").loc[WZC_SECTOR, "inwoners"] == engine


def test_unknown_area_is_refused_in_dutch(store):
    with pytest.raises(EngineError, match="bestaat niet"):
        st.summary_rows(store, "99999")
    with pytest.raises(EngineError, match="ligt niet in"):
        st.summary_rows(store, TOWN_CODE, sector_codes=["99999A00-"])


def test_without_team_there_are_no_bouwstenen_or_poll_sheets(store):
    book = openpyxl.load_workbook(io.BytesIO(st.summary_xlsx(store, TOWN_CODE, period=PERIOD)))
    assert book.sheetnames == ["Samenvatting", "Cijfers", "Indicatoren", "Over dit bestand"]


def test_a_poll_given_with_its_token_is_included_and_a_wrong_token_refused(store, prepared):
    session, token = polls.create_session(
        store, "Losse peiling", [{"kind": "choice", "text": "Wat eerst?", "options": ["Bank", "Bus"]}]
    )
    polls.answer(store, session.join_code, "p-x", 1, "Bus")
    frame = st.polls_frame(store, None, [(session.session_id, token)])
    assert list(frame["Peiling"]) == ["Losse peiling"] and frame["Verdeling"].iloc[0] == "Bank: 0 | Bus: 1"
    with pytest.raises(polls.PollError):
        st.polls_frame(store, None, [(session.session_id, "fout")])


# --------------------------------------------------------------------------- CSV and metadata


def test_csv_has_semicolons_decimal_commas_and_the_same_rows(store, prepared):
    data = st.summary_csv(store, TOWN_CODE, period=PERIOD)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == list(st.SUMMARY_HEADERS.values())
    expected = st.summary_rows(store, TOWN_CODE, period=PERIOD)
    assert [r[0] for r in rows[1:]] == list(expected["code"])
    by_code = {r[0]: r for r in rows[1:]}
    wzc = by_code[WZC_SECTOR]
    assert wzc[3] == str(int(expected.set_index("code").loc[WZC_SECTOR, "inwoners"]))
    assert re.search(r"\d,\d %", wzc[7])  # decimal comma in the findings
    assert not re.search(r"\d\.\d %", text)  # never a decimal point


def test_metadata_includes_the_werkgroeps_own_indicators(demo_db, tmp_path):
    path = tmp_path / "own.duckdb"
    shutil.copy(demo_db, path)
    store = Store.open(path)
    try:
        base, ind = extra_indicator("Elektriciteitsaansluitingen", "aansluitingen", "hh_private", 100)
        store.save_user_indicator(base, ind)
        meta = st.indicator_metadata(store, ["pct_80plus", ind.code], PERIOD)
        assert list(meta.columns) == list(st.METADATA_HEADERS)
        row = meta.set_index("code").loc[ind.code]
        assert row["label"] == ind.label and row["theme"] == "eigen indicatoren"
        assert row["formula"] == ind.formula and row["period"] == PERIOD
        assert meta.set_index("code").loc["pct_80plus", "formula"] == "pop_age_80plus / pop_total × 100"
    finally:
        close_all()


# --------------------------------------------------------------------------- a hand-made store without access


def test_small_store_without_access_layers_and_with_an_own_indicator(tmp_path):
    from tests.helpers import SECTOR_1, make_store, scaled

    hidden = {**scaled(SECTOR_1, 0.5), "pop_age_80_89": "x"}  # 80+ hidden: % 80-plussers unknown, never 0
    rows = {
        ("statsec", "11111A00-"): {**SECTOR_1, "user_elektriciteitsaansluitingen": 120},
        ("statsec", "11111A01-"): {**hidden, "user_elektriciteitsaansluitingen": 90},
        ("statsec", "22222A00-"): scaled(SECTOR_1, 2),
        ("statsec", "22222A012"): scaled(SECTOR_1, 0.05),
    }
    store = make_store(tmp_path / "small.duckdb", rows)
    try:
        base, ind = extra_indicator("Elektriciteitsaansluitingen", "aansluitingen", "hh_private", 100)
        store.save_user_indicator(base, ind)
        frame = st.summary_rows(store, "11111")
        assert list(frame["code"]) == ["11111A00-", "11111A01-"]
        assert (frame["spatial"] == st.NOT_APPLICABLE).all() and (frame["mismatch"] == st.NOT_APPLICABLE).all()
        book = openpyxl.load_workbook(io.BytesIO(st.summary_xlsx(store, "11111")))
        assert "Bouwstenen" not in book.sheetnames and "Peilingen" not in book.sheetnames
        values, cell = _figure(book, "11111A01-", "pct_80plus")
        assert cell.value is None and values["Status"] == "verborgen"
        own, own_cell = _figure(book, "11111A00-", ind.code)  # 120 / 400 households × 100
        assert own_cell.value == pytest.approx(30.0) and own["Indicator"] == ind.label
        ok, _ = _figure(book, "11111A00-", "pct_80plus")
        assert ok["Waarde"] == pytest.approx(7.0) and ok["Teller"] == 70 and ok["Noemer"] == 1000
        about = {r["Veld"]: r["Waarde"] for r in _records(book["Over dit bestand"])}
        assert "Let op" not in about and about["Periode ruimtelijke analyse"] == st.NOT_APPLICABLE
        meta = {r["Code"]: r for r in _records(book["Indicatoren"])}
        assert meta[ind.code]["Formule"] == ind.formula and "pct_no_basket_1200m" not in meta
        # The small sector of the other municipality is flagged when the whole zone is asked.
        zone = st.summary_rows(store).set_index("code")
        assert zone.loc["22222A012", "small"] == st.SMALL_TEXT and zone.loc["22222A00-", "small"] == ""
    finally:
        close_all()


def test_team_poll_rounds_and_file_stem(store, prepared):
    [rounds] = st.team_poll_rounds(store, TEAM)
    assert rounds.session_id == prepared["session"].session_id and rounds.round == 1 and rounds.participants == 3
    assert st.team_poll_rounds(store, "Een ander team") == []
    assert st.file_stem(store, TOWN_CODE, PERIOD) == "samenvattende-tabel-heidebeek-2025"
    assert st.file_stem(store) == "samenvattende-tabel-eerstelijnszone"


def _samenvatting(store) -> dict[str, dict[str, object]]:
    """The Samenvatting sheet read back with openpyxl: sector code -> header -> cell value."""
    sheet = openpyxl.load_workbook(io.BytesIO(st.summary_xlsx(store, elz="elz1")))["Samenvatting"]
    header = [c.value for c in sheet[1]]
    return {row[0]: dict(zip(header, row)) for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_xlsx_says_no_data_where_the_signal_indicators_are_absent_and_no_signal_where_present(tmp_path):
    from tests.helpers import signal_store

    n, signals, mismatch = (st.SUMMARY_HEADERS[k] for k in ("n_signal_indicators", "signals", "mismatch"))
    absent = _samenvatting(signal_store(tmp_path / "absent.duckdb", "absent", with_access=True))
    assert len(absent) == 4
    for row in absent.values():
        assert row[n] == "-"  # not 0
        assert row[signals].startswith("Geen gegevens: importeer leeftijd, woonstabiliteit, huishoudens")
        assert "signaal" not in row[signals].lower()
        assert row[mismatch] == "Geen gegevens: importeer leeftijd per sector (bv. uit Provincies in Cijfers)."
    close_all()
    flat = _samenvatting(signal_store(tmp_path / "flat.duckdb", "flat"))
    for row in flat.values():
        assert row[n] == 0 and row[signals] == "Geen signaal volgens de regel"


def test_a_name_that_looks_like_a_formula_is_text_in_the_workbook_and_the_csv(demo_db, tmp_path):
    import csv

    close_all()
    path = tmp_path / "formula.duckdb"
    shutil.copy(demo_db, path)
    store = Store.open(path)
    with store._transaction() as cur:  # a sector name as a hostile file could bring it
        cur.execute("UPDATE areas SET name = '=1+1' WHERE level = 'statsec' AND code = ?", [WZC_SECTOR])
    store.forget_results()
    book = openpyxl.load_workbook(io.BytesIO(st.summary_xlsx(store, TOWN_CODE, period=PERIOD)))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [f"{c.parent.title}!{c.coordinate}" for c in cells if c.data_type == "f"]
    assert any(c.value == "=1+1" for c in cells)
    text = st.summary_csv(store, TOWN_CODE, period=PERIOD).decode("utf-8-sig")
    cells = [v for row in csv.reader(io.StringIO(text), delimiter=";") for v in row]
    assert "'=1+1" in cells and "=1+1" not in cells
    close_all()
