"""Delimited text (csv/txt): encoding, delimiter and header found, every value read as str. No Streamlit."""

from __future__ import annotations

import codecs
import csv
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from ..errors import ImportProblem
from .formats import _KIND_NL, _decode_head, sniff
from .headers import _column_names, _header_index
from .source import MAX_FILE_BYTES, SNIFF_BYTES, SourceFile, _check_file_size

DELIMITERS = ("|", ";", "\t", ",")
_DELIMITER_NL = {"|": "een verticale streep (|)", ";": "een puntkomma (;)", "\t": "een tab", ",": "een komma (,)"}


def read_delimited(source: SourceFile, *, delimiter: str | None = None) -> pd.DataFrame:
    """A csv/txt table with every value as str (``dtype=str``, nothing turned into NaN).

    Encoding: UTF-8 with or without BOM; cp1252 only when UTF-8 fails and the text reads as
    Western European. UTF-16 and binary files are refused. The delimiter (``|``, ``;``, tab or
    ``,``) is the one that gives the header two or more columns and the same count on at least
    80 % of the lines below it (the most columns wins a tie); pass ``delimiter`` to force one.
    A file where no delimiter appears at all is one column. Header names are stripped; values
    are not. Title rows above the header are skipped (module docstring).
    Refused: empty files, a header without rows, duplicate column names, a table whose delimiter
    cannot be determined, and rows with more fields than the header.
    """
    label = source.label
    if source.size > MAX_FILE_BYTES:
        _check_file_size(label, source.size)
    head = source.head(SNIFF_BYTES)
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportProblem(f"'{label}' is leeg. Kies het juiste bestand of exporteer het opnieuw.")
    kind = sniff(source)
    if kind != "delimited":
        raise ImportProblem(
            f"'{label}' is geen tabel in tekstvorm (CSV) maar {_KIND_NL[kind]}. Kies een CSV-bestand, "
            "of laad het op als wat het is."
        )
    text, encoding = _decode_head(head)
    assert text is not None  # sniff refused everything else
    bom = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
    truncated = source.size > len(head)
    if truncated:  # cut the sample at its last complete line
        text = text[: text.rfind("\n") + 1] if "\n" in text else text

    layout = _sniff_layout(text, label, truncated, delimiter)
    # cp1252 is one byte per character (undefined bytes were decoded as U+FFFD, one each)
    offset = bom + (layout.body_offset if encoding == "cp1252" else len(text[: layout.body_offset].encode(encoding)))
    try:
        frame = _read_body(source, layout, offset, encoding)
    except UnicodeDecodeError as e:
        if encoding != "utf-8" or any(ord(ch) > 127 for ch in text):
            raise ImportProblem(
                f"'{label}' mengt tekens in verschillende coderingen (ongeldige UTF-8 verderop in het bestand). "
                "Bewaar het bestand als CSV UTF-8 en laad het opnieuw op."
            ) from e
        frame = _read_body(source, layout, offset, "cp1252")  # pure ASCII at the start, cp1252 further on
    return _tidy_table(frame, layout, label)


@dataclass
class _Layout:
    delimiter: str | None  # None: one single column
    names: list[str]
    blank: set[str]  # names made up for header cells that were empty
    body_offset: int  # characters of the sample before the first data row
    header_line: int  # line number (1-based) of the header's last line in the file


def _records(text: str, delimiter: str, truncated: bool) -> list[tuple[list[str], int, int]]:
    """(fields, end offset, line number) of each non-blank record of the sample."""
    consumed = 0

    def lines() -> Iterator[str]:
        nonlocal consumed
        # Only \n, \r\n (and a lone \r in old Mac files) end a line, as for pandas; not \u2028 and the like.
        for line in re.split(r"(?<=\n)" if "\n" in text else r"(?<=\r)", text):
            if not line:
                continue
            consumed += len(line)
            yield line

    reader = csv.reader(lines(), delimiter=delimiter, quotechar='"', strict=False)
    out = []
    try:
        for fields in reader:
            if fields and (len(fields) > 1 or fields[0].strip()):
                out.append((fields, consumed, reader.line_num))
    except csv.Error:
        pass
    if truncated and out and out[-1][1] >= len(text):
        out.pop()  # may end inside a quoted field
    return out


def _split_line(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter, quotechar='"', strict=False), [])


def _sniff_layout(text: str, label: str, truncated: bool, forced: str | None) -> _Layout:
    candidates = [forced] if forced else list(DELIMITERS)
    best: tuple[tuple, _Layout] | None = None
    header_hints: dict[str, int] = {}
    row_hints: dict[str, int] = {}
    parsed = {d: _records(text, d, truncated) for d in DELIMITERS + ((forced,) if forced else ())}
    for d in candidates:
        recs = parsed[d]
        if not recs:
            continue
        rows = [r[0] for r in recs]

        def may_be_title(i: int, d: str = d, rows: list[list[str]] = rows) -> bool:
            # 'code;naam;waarde' above rows split by ',' is a header in another delimiter, not a title:
            # a title splits, by no other delimiter, into as many fields as the rows below it have.
            widths = Counter(len(r) for r in rows[i + 1 :]).most_common(1)
            width = widths[0][0] if widths else 0
            title = next((c for c in rows[i] if c.strip()), "")
            return not any(len(_split_line(title, o)) == width >= 2 for o in DELIMITERS if o != d)

        h = _header_index(rows, may_be_title)
        width = len(rows[h])
        data = [len(r) for r in rows[h + 1 :]]
        header_hints[d] = width
        if data:
            common, n = Counter(data).most_common(1)[0]
            if common >= 2 and n >= 0.9 * len(data):
                row_hints[d] = common
        if width < 2:
            continue
        # Nearly every row has the header's width (a few may be short: pandas fills them with "";
        # a few may be long: pandas then names the line).
        share = sum(1 for c in data if c == width) / len(data) if data else 1.0
        if share < 0.8:
            continue
        names, blank = _column_names(rows[h], label)
        layout = _Layout(d, names, blank, recs[h][1], recs[h][2])
        score = (width, share, -DELIMITERS.index(d) if d in DELIMITERS else 0)
        if best is None or score > best[0]:
            best = (score, layout)
    if best is not None:
        return best[1]

    # No delimiter fits. One single column is fine when nothing in the header looks like one.
    header_seps = [d for d, w in header_hints.items() if w >= 2]
    if not header_seps and not row_hints:
        recs = _records(text, "\x1f", truncated)
        if recs:
            rows = [r[0] for r in recs]
            h = _header_index(rows)
            names, blank = _column_names(rows[h][:1], label)
            return _Layout(None, names, blank, recs[h][1], recs[h][2])
        raise ImportProblem(f"'{label}' bevat geen tabel. Kies het juiste bestand of exporteer het opnieuw.")
    head_d = max(header_seps, key=lambda d: header_hints[d]) if header_seps else None
    rows_d = max(row_hints, key=lambda d: row_hints[d]) if row_hints else None
    if head_d and rows_d and head_d != rows_d:
        why = (
            f"de kopregel gebruikt {_DELIMITER_NL.get(head_d, repr(head_d))}, de regels eronder "
            f"{_DELIMITER_NL.get(rows_d, repr(rows_d))}"
        )
    else:
        why = "het aantal kolommen verschilt van regel tot regel"
    raise ImportProblem(
        f"In '{label}' kon het scheidingsteken tussen de kolommen niet bepaald worden: {why}. Bewaar het bestand "
        "opnieuw als CSV met één vast scheidingsteken (puntkomma, komma, tab of |) en laad het opnieuw op."
    )


def _read_body(source: SourceFile, layout: _Layout, offset: int, encoding: str) -> pd.DataFrame:
    width = len(layout.names)
    with source.open() as fh:
        fh.seek(offset)
        try:
            return pd.read_csv(
                fh,
                sep=layout.delimiter or "\x1f",
                header=None,
                names=list(range(width)),
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                encoding=encoding,
                engine="c",
                quotechar='"',
                skip_blank_lines=True,
                index_col=False,
                encoding_errors="replace" if encoding == "cp1252" else "strict",
            )
        except pd.errors.EmptyDataError:
            return pd.DataFrame(columns=list(range(width)), dtype=str)
        except pd.errors.ParserError as e:
            m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(e))
            if m:
                line = int(m.group(2)) + layout.header_line
                raise ImportProblem(
                    f"In '{source.label}' heeft regel {line} meer kolommen ({m.group(3)}) dan de kopregel "
                    f"({m.group(1)}). Controleer die regel (bijvoorbeeld een scheidingsteken in een tekst zonder "
                    "aanhalingstekens) en bewaar het bestand opnieuw.",
                ) from e
            raise ImportProblem(
                f"'{source.label}' kon niet als tabel gelezen worden (bijvoorbeeld een aanhalingsteken dat niet "
                "gesloten wordt). Open het in Excel en bewaar het opnieuw als CSV UTF-8.",
                details=[f"Technische melding: {e}"],
            ) from e


def _tidy_table(frame: pd.DataFrame, layout: _Layout, label: str) -> pd.DataFrame:
    frame.columns = layout.names
    frame = frame.fillna("")
    filled = frame.apply(lambda col: col.str.strip() != "")
    frame = frame.drop(columns=[n for n in layout.blank if not filled[n].any()])
    if len(frame.columns):
        frame = frame[filled[frame.columns].any(axis=1)].reset_index(drop=True)
    if frame.empty:
        raise ImportProblem(
            f"'{label}' bevat alleen een kopregel en geen gegevens. Kies het bestand met de gegevens "
            "of exporteer het opnieuw."
        )
    return frame
