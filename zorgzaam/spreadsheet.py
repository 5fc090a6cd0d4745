"""Text from a participant, a werkgroep or a file in a CSV or XLSX stays text, never a formula."""

from __future__ import annotations

import pandas as pd

__all__ = ["FORMULA_START", "csv_text", "text_not_formulas"]

# What makes Excel or LibreOffice read a cell as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# After a sign, what turns it into more than a signed number ("-" alone is the app's "no data").
_FORMULA_PARTS = set("=()!|:@\"'")


def _formula_like(value: str) -> bool:
    if not value.startswith(FORMULA_START):
        return False
    if value[0] in "+-":
        return any(ch in _FORMULA_PARTS for ch in value[1:])
    return True


def csv_text(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy in which every text cell that a spreadsheet would read as a formula starts with an apostrophe
    (Excel's own mark for "text"); numbers stay numbers."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            out[column] = [f"'{v}" if isinstance(v, str) and _formula_like(v) else v for v in values]
    return out


def text_not_formulas(sheet) -> int:
    """Mark every cell of an openpyxl worksheet that holds a formula as text (this app writes no formulas:
    a cell starting with "=" came from someone's text). Returns how many cells were changed."""
    changed = 0
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
                changed += 1
    return changed
