"""Workbooks: xlsx/xlsm (python-calamine in a child process after a check of the sheets' extent, openpyxl as
fallback) and legacy xls (xlrd), every worksheet with a header as a DataFrame. No Streamlit.

``MAX_SHEET_CELLS``, the ``CALAMINE_*`` limits and this module's binding of ``MAX_UNPACKED_BYTES``,
``MAX_COMPRESSION_RATIO`` and ``RATIO_CHECK_MIN_BYTES`` are read at call time from this module (patch them here).
"""

from __future__ import annotations

import io
import math
import re

import pandas as pd

from ..errors import ImportProblem
from .archives import MAX_COMPRESSION_RATIO, MAX_UNPACKED_BYTES, RATIO_CHECK_MIN_BYTES, _open_zip, _zip_names
from .formats import _CFB_MAGIC, _KIND_NL, _password_problem, sniff
from .headers import _cell_text, _column_names, _filled, _header_index, _header_rows, _joined_header
from .source import GiB, MiB, SourceFile, _size_nl

#: A worksheet whose grid (last row × last column) is larger is refused: it would not fit in
#: memory as Python objects (the largest PinC table has 0.5 million cells).
MAX_SHEET_CELLS = 5_000_000


def read_workbook(source: SourceFile) -> dict[str, pd.DataFrame]:
    """Every worksheet with a header as a DataFrame of objects, by sheet name.

    xlsx/xlsm are read with python-calamine (10x faster than openpyxl on the PinC tables), after
    a streaming scan of the sheet XML that refuses sheets reaching beyond ``MAX_SHEET_CELLS``
    (calamine holds a sheet as a dense grid: one stray cell at XFD1048576 would abort the
    process); openpyxl read-only is the fallback. Legacy .xls is read with xlrd. Numbers that
    are whole become int (Excel stores every number as a float), empty cells None, text stays
    text, dates are date/datetime. Title rows above the header are skipped (module docstring);
    sheets without a filled cell are left out. Refused: password-protected, corrupt or empty
    workbooks, OpenDocument (.ods), too large sheets, duplicate column names (naming the sheet).
    """
    label = source.label
    kind = sniff(source)
    if kind != "workbook":
        raise ImportProblem(
            f"'{label}' is geen Excel-werkmap maar {_KIND_NL[kind]}. Kies het Excel-bestand, of laad "
            "het op als wat het is."
        )
    head = source.head(8)
    if head.startswith(_CFB_MAGIC):
        sheets = _xlrd_sheets(source)
    else:
        names = _zip_names(source)
        if "xl/workbook.xml" not in names:
            raise ImportProblem(
                f"'{label}' is een OpenDocument-rekenblad (.ods). Open het in LibreOffice of Excel "
                "en bewaar het als Excel-werkmap (.xlsx)."
            )
        positional = _check_xlsx_extent(source)
        try:
            if positional:  # cells without an address: calamine's grid size cannot be checked beforehand
                raise ValueError("cells without an r attribute")
            sheets = _calamine_sheets(source)
        except ImportProblem:
            raise
        except BaseException as e:  # calamine's errors are not one class; a Rust panic is a BaseException
            if isinstance(e, (KeyboardInterrupt, SystemExit, GeneratorExit)):
                raise
            try:
                sheets = _openpyxl_sheets(source)
            except ImportProblem:
                raise
            except Exception as e2:  # noqa: BLE001 - any failure here means a broken file
                raise _corrupt_workbook(source, e2) from e
    out: dict[str, pd.DataFrame] = {}
    for name, rows in sheets:
        rows = [[_cell(v) for v in r] for r in rows]
        rows = [r for r in rows if _filled(r)]
        if not rows:
            continue
        h = _header_index(rows)
        width = max(len(r) for r in rows[h:])
        n_header = _header_rows(rows, h)
        header = (
            _joined_header(rows[h : h + n_header], width)
            if n_header > 1
            else (list(rows[h]) + [None] * (width - len(rows[h])))
        )
        names, blank = _column_names(header, label, where=f", werkblad '{name}',")
        data = [list(r) + [None] * (width - len(r)) for r in rows[h + n_header :]]
        frame = pd.DataFrame(data, columns=names, dtype=object)
        frame = frame.drop(columns=[n for n in blank if frame[n].isna().all()])
        frame.attrs["titles"] = [
            " ".join(_cell_text(v) for v in r if v is not None and str(v).strip()) for r in rows[:h]
        ]
        out[name] = frame
    if not out:
        raise ImportProblem(f"'{label}' bevat geen gegevens: alle werkbladen zijn leeg. Kies het juiste bestand.")
    return out


def _cell(value: object) -> object:
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
    return value


def _corrupt_workbook(source: SourceFile, error: BaseException) -> ImportProblem:
    text = str(error).lower()
    if "password" in text or "encrypt" in text:
        return _password_problem(source)
    return ImportProblem(
        f"'{source.label}' is beschadigd of onvolledig: de werkmap kan niet geopend worden. Download het opnieuw, of "
        "open het in Excel en bewaar het opnieuw als .xlsx.",
        details=[f"Technische melding: {type(error).__name__}: {error}"],
    )


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _too_large_sheet(source: SourceFile, what: str) -> ImportProblem:
    return ImportProblem(
        f"'{source.label}' bevat een werkblad {what}; zorgzaam leest werkbladen tot "
        f"{_thousands(MAX_SHEET_CELLS)} cellen. Wis wat ver buiten de tabel staat, of bewaar het blad als CSV UTF-8."
    )


_CELL_COL = re.compile(rb'<c\s[^>]*?\br="([A-Z]{1,3})[0-9]')
_CELL_ROW = re.compile(rb'<c\s[^>]*?\br="[A-Z]{1,3}([0-9]{1,8})"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _check_xlsx_extent(source: SourceFile) -> bool:
    """Refuse zip bombs and sheets whose grid (last row × last column) exceeds ``MAX_SHEET_CELLS``,
    by streaming through the sheet XML; True when some cells carry no address (then calamine,
    which allocates the grid, is not used)."""
    positional = False
    with _open_zip(source) as zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        if total > MAX_UNPACKED_BYTES or any(
            i.file_size > RATIO_CHECK_MIN_BYTES and i.file_size > MAX_COMPRESSION_RATIO * max(i.compress_size, 1)
            for i in infos
        ):
            raise ImportProblem(
                f"'{source.label}' wordt bij het openen verdacht groot ({_size_nl(total)}); zorgzaam "
                "opent het uit voorzorg niet. Bewaar de tabel als CSV UTF-8 en laad die op."
            )
        for info in infos:
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            max_row = max_col = refs = tags = 0
            tail = b""
            try:
                with zf.open(info) as fh:
                    while True:
                        chunk = fh.read(4 * MiB)
                        block = tail + chunk
                        # Scan up to the last '<' (a tag may straddle two chunks); all of it at the end.
                        cut = block.rfind(b"<") if chunk else len(block)
                        cut = len(block) if cut <= 0 else cut
                        scan, tail = block[:cut], block[cut:]
                        rows = _CELL_ROW.findall(scan)
                        if rows:
                            refs += len(rows)
                            max_row = max(max_row, max(map(int, rows)))
                            max_col = max(max_col, max(map(_column_number, set(_CELL_COL.findall(scan))), default=0))
                        tags += scan.count(b"<c ") + scan.count(b"<c>") + scan.count(b"<c/")
                        if not chunk:
                            break
            except Exception as e:  # noqa: BLE001 - BadZipFile, zlib.error, ValueError ('negative seek') …
                raise _corrupt_workbook(source, e) from e
            if max_row * max_col > MAX_SHEET_CELLS:
                col, n = "", max_col
                while n:
                    n, r = divmod(n - 1, 26)
                    col = chr(65 + r) + col
                raise _too_large_sheet(
                    source, f"dat tot cel {col}{max_row} reikt ({_thousands(max_row * max_col)} cellen)"
                )
            positional = positional or tags > refs
    return positional


#: Memory (address space) of the child process that runs calamine (Unix only).
CALAMINE_CHILD_MEMORY = 4 * GiB
#: Seconds the child process may take for one workbook.
CALAMINE_CHILD_TIMEOUT = 600

# Runs in a child process: calamine (Rust) aborts the whole process on some broken or crafted
# files (e.g. a sharedStrings count of 4 billion makes it allocate 96 GB), which must not take
# the app down with it.
_CALAMINE_CHILD = r"""
import io, pickle, sys
try:
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]), int(sys.argv[2])))
except Exception:
    pass
from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum
try:
    if sys.argv[1] == "-":
        wb = CalamineWorkbook.from_filelike(io.BytesIO(sys.stdin.buffer.read()))
    else:
        wb = CalamineWorkbook.from_path(sys.argv[1])
    sheets = [(m.name, wb.get_sheet_by_name(m.name).to_python())
              for m in wb.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    result = ("ok", sheets)
except PasswordError as e:
    result = ("password", str(e))
except BaseException as e:
    result = ("error", type(e).__name__ + ": " + str(e))
sys.stdout.buffer.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
"""


def _calamine_sheets(source: SourceFile) -> list[tuple[str, list[list[object]]]]:
    """Every worksheet as rows of Python values, read by python-calamine in a child process."""
    import pickle
    import subprocess
    import sys

    arg = str(source.path) if source.path is not None else "-"
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CALAMINE_CHILD, arg, str(CALAMINE_CHILD_MEMORY)],
            input=None if source.path is not None else source.data,
            capture_output=True,
            timeout=CALAMINE_CHILD_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as e:
        raise RuntimeError("calamine took too long") from e
    if done.returncode != 0 or not done.stdout:
        raise RuntimeError(f"calamine stopped (exit code {done.returncode})")
    status, value = pickle.loads(done.stdout)  # written by the code above, never by the file
    if status == "password":
        raise _password_problem(source)
    if status != "ok":
        raise RuntimeError(value)
    return value


def _openpyxl_sheets(source: SourceFile) -> list[tuple[str, list[list[object]]]]:
    import openpyxl

    out = []
    with source.open() as fh:
        wb = openpyxl.load_workbook(fh, read_only=True, data_only=True)
        try:
            for ws in wb.worksheets:
                rows, cells = [], 0
                for row in ws.iter_rows(values_only=True):
                    cells += len(row)
                    if cells > MAX_SHEET_CELLS:
                        raise _too_large_sheet(source, f"'{ws.title}' met meer cellen")
                    rows.append(list(row))
                out.append((ws.title, rows))
        finally:
            wb.close()
    return out


def _xlrd_sheets(source: SourceFile) -> list[tuple[str, list[list[object]]]]:
    """A legacy BIFF .xls (at most 65,536 × 256 cells a sheet) with xlrd, which fails with exceptions."""
    import xlrd

    try:
        wb = xlrd.open_workbook(file_contents=source.read_bytes(), on_demand=True, logfile=io.StringIO())
        out = []
        try:
            for index in range(wb.nsheets):
                sheet = wb.sheet_by_index(index)
                rows = []
                for r in range(sheet.nrows):
                    row = []
                    for cell in sheet.row(r):
                        if cell.ctype == xlrd.XL_CELL_DATE:
                            try:
                                row.append(xlrd.xldate.xldate_as_datetime(cell.value, wb.datemode))
                            except (xlrd.xldate.XLDateError, ValueError, OverflowError):
                                row.append(cell.value)
                        elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                            row.append(bool(cell.value))
                        elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                            row.append(None)
                        else:
                            row.append(cell.value)
                    rows.append(row)
                out.append((sheet.name, rows))
                wb.unload_sheet(index)
        finally:
            wb.release_resources()
        return out
    except ImportProblem:
        raise
    except Exception as e:  # noqa: BLE001 - XLRDError, AssertionError, struct.error, IndexError … on broken files
        raise _corrupt_workbook(source, e) from e
