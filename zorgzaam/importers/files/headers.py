"""Tables (csv and workbook sheets): the header, the title rows above it, a header spread over several
rows, and clean column names. No Streamlit.

``MAX_TITLE_ROWS`` and ``MAX_HEADER_ROWS`` are read at call time from this module (patch them here).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

from ..errors import ImportProblem

#: Title/metadata rows skipped above a table header at most.
MAX_TITLE_ROWS = 10
#: Rows a workbook's header may be spread over at most (module docstring).
MAX_HEADER_ROWS = 3


def _filled(row: Sequence[object]) -> int:
    return sum(1 for v in row if v is not None and str(v).strip() != "")


def _header_index(rows: Sequence[Sequence[object]], may_be_title: Callable[[int], bool] | None = None) -> int:
    """Index of the header row: leading rows with at most one filled cell are titles when a row
    with two or more filled cells follows within ``MAX_TITLE_ROWS`` (and ``may_be_title(i)``)."""
    i = 0
    while (
        i < min(MAX_TITLE_ROWS, len(rows) - 1) and _filled(rows[i]) <= 1 and (may_be_title is None or may_be_title(i))
    ):
        if any(_filled(r) >= 2 for r in rows[i + 1 : MAX_TITLE_ROWS + 1]):
            i += 1
        else:
            break
    return i


_NUMBER_TEXT = re.compile(r"^[-+]?\d[\d.,\s]*$")
#: Cells that stand for a suppressed or missing number in a row of numbers.
_NUMBER_MARKS = frozenset({"*", "C", "x", "X", "-", ".", "nvt", "?"})


def _is_number_cell(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float, np.integer, np.floating)):
        return True
    text = str(value).strip()
    return text in _NUMBER_MARKS or bool(_NUMBER_TEXT.match(text))


def _is_text_row(row: Sequence[object]) -> bool:
    """Every filled cell is text that is no number."""
    cells = [v for v in row if v is not None and str(v).strip() != ""]
    return bool(cells) and not any(_is_number_cell(v) for v in cells)


def _is_number_row(row: Sequence[object]) -> bool:
    """At least half of the filled cells are numbers (or marks of a suppressed number)."""
    cells = [v for v in row if v is not None and str(v).strip() != ""]
    return bool(cells) and 2 * sum(_is_number_cell(v) for v in cells) >= len(cells)


def _header_rows(rows: Sequence[Sequence[object]], h: int) -> int:
    """How many rows from ``h`` on make up the header: more than one only when they are all text, leave
    the header's first column empty (its name spans them, as a data row's label never does) and the
    rows after them are rows of numbers (each of the next three), so a table whose rows are text
    (codes and names) keeps its one-row header."""
    first = next((j for j, v in enumerate(rows[h]) if v is not None and str(v).strip() != ""), 0)
    for n in range(2, MAX_HEADER_ROWS + 1):
        lower = rows[h + n - 1] if h + n - 1 < len(rows) else []
        if (
            h + n > len(rows) - 1
            or not _is_text_row(lower)
            or (first < len(lower) and lower[first] is not None and str(lower[first]).strip() != "")
        ):
            return 1
        body = rows[h + n : h + n + 3]
        if body and all(_is_number_row(r) for r in body) and not _is_number_row(rows[h + n - 1]):
            return n
    return 1


def _joined_header(parts: Sequence[Sequence[object]], width: int) -> list[object]:
    """One header row from several: a merged cell's text (written in its first column only) counts
    for the columns to its right that have a lower part, and the parts are joined with " - "."""
    grid = [[("" if v is None else _cell_text(v).strip()) for v in list(r) + [None] * (width - len(r))] for r in parts]
    for upper in range(len(grid) - 1):
        for j in range(1, width):
            below = any(grid[k][j] for k in range(upper + 1, len(grid)))
            left_below = any(grid[k][j - 1] for k in range(upper + 1, len(grid)))
            if not grid[upper][j] and below and left_below:
                grid[upper][j] = grid[upper][j - 1]
    out: list[object] = []
    for j in range(width):
        names: list[str] = []
        for row in grid:
            if row[j] and (not names or names[-1] != row[j]):
                names.append(row[j])
        out.append(" - ".join(names) or None)
    return out


def _column_names(header: Sequence[object], label: str, where: str = "") -> tuple[list[str], set[str]]:
    """Cleaned header names ('kolom N' for blanks) and the set of those blank-named columns;
    ``ImportProblem`` for duplicates."""
    names = []
    for j, value in enumerate(header):
        text = "" if value is None else _cell_text(value).replace("\ufeff", "").strip()
        names.append(text)
    seen = Counter(n.casefold() for n in names if n)
    first = {}
    for n in names:  # one spelling per duplicated name (the first), 'Code' and 'code' count as one name
        if n and seen[n.casefold()] > 1:
            first.setdefault(n.casefold(), n)
    dupes = list(first.values())
    if dupes:
        what = "komt de kolomnaam" if len(dupes) == 1 else "komen de kolomnamen"
        quoted = ", ".join(f"'{d}'" for d in dupes)
        raise ImportProblem(
            f"In '{label}'{where} {what} {quoted} meer dan eens voor (hoofdletters tellen niet mee). Geef elke kolom "
            "een eigen naam en laad het bestand opnieuw op.",
            details=[f"Dubbele kolomnaam: {d}" for d in dupes],
        )
    taken = {n.casefold() for n in names if n}
    out, blank = [], set()
    for j, n in enumerate(names):
        if not n:
            n = f"kolom {j + 1}"
            while n.casefold() in taken:
                n += "_"
            taken.add(n.casefold())
            blank.add(n)
        out.append(n)
    return out, blank


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
