"""Poll export: CSV for Excel-nl and an XLSX with three sheets, equal to what zorgzaam.polls reports."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest

from zorgzaam import poll_export, polls
from zorgzaam.store import Store, close_all


@pytest.fixture
def store(tmp_path):
    yield Store.open(tmp_path / "export.duckdb")
    close_all()


@pytest.fixture
def poll(store):
    """Two rounds: scale, choice and word questions; one participant skips; names only for some."""
    questions = polls.bouwstenen_questions()[:2] + [
        {"kind": "choice", "text": "Wat eerst?", "options": ["Bank", "Bus; belbus"]},
        {"kind": "word", "text": "Eén woord"},
    ]
    session, token = polls.create_session(store, "Werkgroep; Heidebeek", questions)
    code = session.join_code
    for pid, name, s1, s2, choice, word in (
        ("p-a", "Anaïs", 1, 3, "Bank", "Samen"),
        ("p-b", None, 3, 3, "Bus; belbus", "samen"),
        ("p-c", "Bert", 5, None, "Bus; belbus", None),
    ):
        polls.answer(store, code, pid, 1, s1, name=name)
        if s2 is not None:
            polls.answer(store, code, pid, 2, s2, name=name)
        polls.answer(store, code, pid, 3, choice, name=name)
        if word is not None:
            polls.answer(store, code, pid, 4, word, name=name)
    polls.new_round(store, code, token)
    polls.answer(store, code, "p-a", 1, 4)
    polls.answer(store, code, "p-b", 1, 4)
    return session, token


def test_csv_is_semicolon_separated_utf8_with_bom_and_anonymous(store, poll):
    session, token = poll
    data = poll_export.csv_bytes(store, session.session_id, token)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    expected = polls.export_rows(store, session.session_id, token)
    assert rows[0] == list(polls.EXPORT_COLUMNS)
    assert len(rows) - 1 == len(expected) == 3 + 2 + 3 + 2 + 2  # round 1: 10 answers; round 2: 2
    for row, (_, want) in zip(rows[1:], expected.iterrows()):
        assert row[0] == "Werkgroep; Heidebeek"  # a ';' in a text is quoted, not a new column
        assert int(row[1]) == want["ronde"] and row[3] == want["vraag"] and row[7] == str(want["antwoord"])
        assert row[6] == want["deelnemer"] and row[6].startswith("deelnemer ")
    assert {r[6] for r in rows[1:]} == {"deelnemer 1", "deelnemer 2", "deelnemer 3"}
    text = data.decode("utf-8-sig")
    assert "Anaïs" not in text and "p-a" not in text and "naam" not in rows[0]
    assert "Bus; belbus" in text

    named = poll_export.csv_bytes(store, session.session_id, token, with_names=True).decode("utf-8-sig")
    named_rows = list(csv.DictReader(io.StringIO(named), delimiter=";"))
    assert {r["naam"] for r in named_rows} == {"Anaïs", "Bert", ""}


def test_xlsx_has_three_sheets_equal_to_the_poll_results_and_no_token(store, poll):
    session, token = poll
    data = poll_export.xlsx_bytes(store, session.session_id, token)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["antwoorden", "resultaten", "peiling"]

    answers = list(book["antwoorden"].values)
    expected = polls.export_rows(store, session.session_id, token)
    assert list(answers[0]) == list(polls.EXPORT_COLUMNS)
    assert len(answers) - 1 == len(expected)
    assert [(r[1], r[2], r[6], r[7]) for r in answers[1:]] == list(
        zip(expected["ronde"], expected["vraag_nr"], expected["deelnemer"], expected["antwoord"])
    )

    sheet = list(book["resultaten"].values)
    header = list(sheet[0])
    assert header == list(poll_export.RESULT_COLUMNS)
    rows = [dict(zip(header, r)) for r in sheet[1:]]
    assert len(rows) == 2 * 4  # one row per round × question
    for row in rows:
        result = polls.results(store, session.session_id, token, round=row["ronde"]).by_question()[row["vraag_nr"]]
        assert row["antwoorden"] == result.n and row["vraag"] == result.question.text
        if result.question.kind == "scale":
            assert [row[f"score {v}"] for v in range(1, 6)] == [result.distribution[v] for v in range(1, 6)]
            assert row["mediaan"] == result.median
            assert row["meningen_lopen_uiteen"] == ("ja" if result.disagreement else "nee")
        else:
            assert (row["verdeling"] or "") == " | ".join(f"{k}: {v}" for k, v in result.distribution.items())
    first = next(r for r in rows if r["ronde"] == 1 and r["vraag_nr"] == 1)
    assert (first["score 1"], first["score 3"], first["score 5"], first["mediaan"]) == (1, 1, 1, 3)
    assert first["meningen_lopen_uiteen"] == "ja" and first["deelnemers_ronde"] == 3
    skipped = next(r for r in rows if r["ronde"] == 1 and r["vraag_nr"] == 2)
    assert skipped["antwoorden"] == 2 and skipped["score 3"] == 2
    assert next(r for r in rows if r["ronde"] == 1 and r["vraag_nr"] == 3)["verdeling"] == "Bank: 1 | Bus; belbus: 2"
    assert next(r for r in rows if r["ronde"] == 1 and r["vraag_nr"] == 4)["verdeling"] == "samen: 2"
    second = next(r for r in rows if r["ronde"] == 2 and r["vraag_nr"] == 1)
    assert second["score 4"] == 2 and second["antwoorden"] == 2 and second["mediaan"] == 4

    info = dict(book["peiling"].iter_rows(min_row=2, values_only=True))
    assert info["titel"] == "Werkgroep; Heidebeek" and info["deelnamecode"] == session.join_code
    assert info["aantal rondes"] == 2
    assert info["aangemaakt (UTC)"] == session.created_at.strftime("%Y-%m-%d %H:%M:%S")

    # Neither the token nor its hash nor a participant id is anywhere in the workbook.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        content = b"".join(archive.read(name) for name in archive.namelist())
    for secret in (token, polls.hash_token(token), "p-a", "Anaïs"):
        assert secret.encode() not in content


def test_xlsx_with_names_adds_the_name_column(store, poll):
    session, token = poll
    book = openpyxl.load_workbook(io.BytesIO(poll_export.xlsx_bytes(store, session.session_id, token, with_names=True)))
    rows = list(book["antwoorden"].values)
    assert "naam" in rows[0]
    names = {r[rows[0].index("naam")] for r in rows[1:]}
    assert names == {"Anaïs", "Bert", None}


def test_export_needs_the_token(store, poll):
    session, _ = poll
    with pytest.raises(polls.PollError):
        poll_export.csv_bytes(store, session.session_id, "verkeerd")
    with pytest.raises(polls.PollError):
        poll_export.xlsx_bytes(store, session.join_code, "verkeerd")


def test_a_word_typed_as_a_formula_is_text_in_csv_and_xlsx(store):
    from openpyxl import load_workbook

    session, token = polls.create_session(store, "=2+3", [{"kind": "word", "text": "Eén woord"}])
    polls.answer(store, session.join_code, "p-a", 1, '=HYPERLINK("http://x";"klik")')
    rows = list(
        csv.reader(
            io.StringIO(poll_export.csv_bytes(store, session.session_id, token).decode("utf-8-sig")), delimiter=";"
        )
    )
    assert rows[1][0] == "'=2+3" and rows[1][7] == '\'=HYPERLINK("http://x";"klik")'
    book = load_workbook(io.BytesIO(poll_export.xlsx_bytes(store, session.session_id, token)))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(c.value == '=HYPERLINK("http://x";"klik")' for c in cells)
