"""Text in a CSV or XLSX export stays text: never a formula a spreadsheet would run."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook, load_workbook

from zorgzaam.spreadsheet import csv_text, text_not_formulas

HOSTILE = ['=HYPERLINK("http://x","klik")', "@SUM(A1)", "+cmd|' /C calc'!A0", "-1+1=0", "\t=1"]
HARMLESS = ["-", "x", "-3,2 %", "+5", "zorg", "Sint-Pieters-Leeuw"]


def test_csv_cells_that_would_be_formulas_start_with_an_apostrophe():
    frame = pd.DataFrame({"tekst": HOSTILE + HARMLESS, "getal": range(len(HOSTILE) + len(HARMLESS))})
    out = csv_text(frame)
    assert list(out["tekst"]) == [f"'{v}" for v in HOSTILE] + HARMLESS  # "-" (no data) stays "-"
    assert list(out["getal"]) == list(frame["getal"])
    assert list(frame["tekst"]) == HOSTILE + HARMLESS  # the caller's frame is not changed


def test_xlsx_cells_that_openpyxl_made_formulas_are_text_with_the_same_value():
    sheet = Workbook().active
    for value in ["=1+1", "gewoon", 3]:
        sheet.append([value])
    assert sheet["A1"].data_type == "f"
    assert text_not_formulas(sheet) == 1
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    cell = load_workbook(io.BytesIO(buffer.getvalue())).active["A1"]
    assert cell.value == "=1+1" and cell.data_type == "s"
