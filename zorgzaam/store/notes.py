"""The werkgroep's notes on a summary question (per area and period)."""

from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd

from .errors import _checked_note


class SummaryNotes:
    """The werkgroep's notes per summary question."""

    def save_summary_note(self, area_level: str, area_code: str, period: str, question: str, notes: str) -> None:
        """Store (or replace) the werkgroep's note for one summary question; empty text removes it."""
        text = _checked_note(notes, "Kort ze in of bewaar lange teksten in jullie verslag.")

        def work(cur):
            cur.execute(
                "DELETE FROM summary_notes WHERE area_level = ? AND area_code = ? AND period = ? AND question = ?",
                [area_level, area_code, period, question],
            )
            if text:
                cur.execute(
                    "INSERT INTO summary_notes VALUES (?, ?, ?, ?, ?, ?)",
                    [area_level, area_code, period, question, text, datetime.now(timezone.utc).replace(tzinfo=None)],
                )

        self._write(work)

    def summary_notes(self, area_level: str, area_code: str, period: str) -> dict[str, str]:
        """The werkgroep's notes per summary question for an area and period."""
        rows = (
            self._cursor()
            .execute(
                "SELECT question, notes FROM summary_notes WHERE area_level = ? AND area_code = ? AND period = ?",
                [area_level, area_code, period],
            )
            .fetchall()
        )
        return dict(rows)

    def summary_notes_in_zone(
        self, periods: list[str], elz: str, municipalities: list[str], sectors: list[str]
    ) -> pd.DataFrame:
        """Notes of ``periods`` written for the care zone, one of its municipalities or one of its sectors:
        area_level, area_code, period, question, notes (zone first, then municipalities, then sectors)."""
        return (
            self._cursor()
            .execute(
                "SELECT area_level, area_code, period, question, notes FROM summary_notes"
                " WHERE period IN (SELECT unnest(?)) AND ((area_level = 'elz' AND area_code = ?)"
                " OR (area_level = 'gemeente' AND area_code IN (SELECT unnest(?)))"
                " OR (area_level = 'statsec' AND area_code IN (SELECT unnest(?))))"
                " ORDER BY area_level DESC, area_code, period, question",
                [list(periods), elz, list(municipalities), list(sectors)],
            )
            .df()
        )
