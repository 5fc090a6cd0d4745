"""A poll's answers and results as files for the werkgroep: CSV (Excel-nl) and XLSX.

Built on zorgzaam.polls (export_rows, results per round), so every file needs the facilitator
token; the token itself never goes into a file. Anonymous unless names are asked for. No Streamlit.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone

import pandas as pd

from . import polls
from .spreadsheet import csv_text, text_not_formulas
from .store import Store

__all__ = [
    "RESULT_COLUMNS",
    "SCORE_COLUMNS",
    "SHEETS",
    "answers_frame",
    "csv_bytes",
    "file_stem",
    "results_frame",
    "session_frame",
    "xlsx_bytes",
]

KIND_LABELS = {"scale": "schaal 1-5", "choice": "keuze", "word": "woord"}
SCORE_COLUMNS = tuple(f"score {v}" for v in polls.SCALE_VALUES)
RESULT_COLUMNS = (
    "ronde",
    "vraag_nr",
    "vraag",
    "soort",
    "bouwsteen",
    "deelnemers_ronde",
    "antwoorden",
    *SCORE_COLUMNS,
    "verdeling",
    "mediaan",
    "laagste",
    "hoogste",
    "meningen_lopen_uiteen",
)
SHEETS = ("antwoorden", "resultaten", "peiling")
_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def answers_frame(store: Store, key: str, token: str, with_names: bool = False) -> pd.DataFrame:
    """polls.export_rows: one row per answer, participants numbered ("deelnemer 1" …)."""
    return polls.export_rows(store, key, token, with_names=with_names)


def results_frame(store: Store, key: str, token: str) -> pd.DataFrame:
    """One row per round × question: answers, counts per score (scale) or per option/word, median, disagreement."""
    session = polls.facilitator_session(store, key, token)
    rows = []
    for round_ in range(1, session.current_round + 1):
        res = polls.results(store, session.session_id, token, round=round_)
        for r in res.questions:
            q = r.question
            row = {
                "ronde": round_,
                "vraag_nr": q.position,
                "vraag": q.text,
                "soort": KIND_LABELS[q.kind],
                "bouwsteen": q.bouwsteen,
                "deelnemers_ronde": res.participants,
                "antwoorden": r.n,
            }
            if q.kind == "scale":
                row.update({f"score {v}": int(r.distribution.get(v, 0)) for v in polls.SCALE_VALUES})
                row.update(
                    mediaan=r.median,
                    laagste=r.min,
                    hoogste=r.max,
                    meningen_lopen_uiteen="ja" if r.disagreement else "nee",
                )
            else:
                row["verdeling"] = " | ".join(f"{label}: {count}" for label, count in r.distribution.items())
            rows.append(row)
    frame = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    for col in ("ronde", "vraag_nr", "deelnemers_ronde", "antwoorden"):
        frame[col] = frame[col].astype(int)
    for col in (*SCORE_COLUMNS, "laagste", "hoogste"):
        frame[col] = frame[col].astype("Int64")
    frame["mediaan"] = frame["mediaan"].astype(float)
    return frame


def session_frame(store: Store, key: str, token: str) -> pd.DataFrame:
    """What the poll is (title, join code, created, rounds …), as two columns veld / waarde; never the token."""
    session = polls.facilitator_session(store, key, token)
    exported = datetime.now(timezone.utc).replace(tzinfo=None)
    rows = [
        ("titel", session.title),
        ("deelnamecode", session.join_code),
        ("aangemaakt (UTC)", session.created_at.strftime(_TIME_FORMAT)),
        ("aantal rondes", session.current_round),
        ("toestand", "open" if session.is_open else "gesloten"),
        ("aantal vragen", len(session.questions)),
        ("geëxporteerd (UTC)", exported.strftime(_TIME_FORMAT)),
    ]
    return pd.DataFrame(rows, columns=["veld", "waarde"])


def csv_bytes(store: Store, key: str, token: str, with_names: bool = False) -> bytes:
    """The answers as CSV for Excel-nl: ';' separated, UTF-8 with BOM."""
    frame = csv_text(answers_frame(store, key, token, with_names=with_names))
    text = frame.to_csv(sep=";", index=False, date_format=_TIME_FORMAT, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def xlsx_bytes(store: Store, key: str, token: str, with_names: bool = False) -> bytes:
    """An Excel workbook with the sheets antwoorden, resultaten and peiling."""
    frames = {
        "antwoorden": answers_frame(store, key, token, with_names=with_names),
        "resultaten": results_frame(store, key, token),
        "peiling": session_frame(store, key, token),
    }
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in frames.items():
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            text_not_formulas(sheet)  # a typed answer "=…" stays the text it was
            sheet.freeze_panes = "A2"
            for cells in sheet.columns:
                width = max(len(str(c.value)) if c.value is not None else 0 for c in cells)
                sheet.column_dimensions[cells[0].column_letter].width = min(max(width + 2, 8), 60)
    return buffer.getvalue()


def file_stem(session: polls.PollSession) -> str:
    """A file name without extension: peiling-<code>-<date>."""
    return f"peiling-{session.join_code}-{session.created_at:%Y-%m-%d}"
