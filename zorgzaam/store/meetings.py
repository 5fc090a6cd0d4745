"""Meetings: the meeting rows, their steps, notes and keywords (validation and logic in zorgzaam.meetings)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pandas as pd

from .errors import _checked_note


class Meetings:
    """Meetings, step visits, notes and keywords."""

    _MEETING_COLUMNS = (
        "meeting_id",
        "team",
        "title",
        "meeting_date",
        "template",
        "municipality",
        "sectors",
        "indicators",
        "agenda",
        "state",
        "token_hash",
        "poll_session_id",
        "current_step",
        "step_started_at",
        "started_at",
        "finished_at",
        "next_meeting",
        "created_at",
        "updated_at",
    )
    _MEETING_JSON = ("sectors", "indicators", "agenda")

    def _meeting_rows(self, where: str, params: list) -> list[dict]:
        names = self._MEETING_COLUMNS
        cols = ", ".join(f"CAST({n} AS VARCHAR)" if n in self._MEETING_JSON else n for n in names)
        rows = self._cursor().execute(f"SELECT {cols} FROM meetings {where}", params).fetchall()
        return [dict(zip(names, r)) for r in rows]

    def save_meeting(self, row: dict) -> None:
        """Insert or replace a meeting (``row`` has every column; JSON columns as text)."""
        names = self._MEETING_COLUMNS

        def work(cur):
            cur.execute("DELETE FROM meetings WHERE meeting_id = ?", [row["meeting_id"]])
            cur.execute(
                f"INSERT INTO meetings ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                [row[n] for n in names],
            )

        self._write(work)

    def meeting(self, meeting_id: str) -> dict | None:
        rows = self._meeting_rows("WHERE meeting_id = ?", [str(meeting_id)])
        return rows[0] if rows else None

    def meetings(self, team: str | None = None) -> list[dict]:
        """Meetings (of one team, or all), newest meeting date first."""
        if team is None:
            return self._meeting_rows("ORDER BY meeting_date DESC, created_at DESC", [])
        return self._meeting_rows("WHERE team = ? ORDER BY meeting_date DESC, created_at DESC", [team])

    def delete_meeting(self, meeting_id: str, revoke_token: str | None = None) -> None:
        """A meeting with its notes, keywords and step visits (its poll session and answers stay, closed;
        with ``revoke_token``, a hash no one holds a token for, the poll's facilitator token ends too)."""

        def work(cur):
            cur.execute(
                "UPDATE poll_sessions SET state = 'closed' WHERE session_id IN"
                " (SELECT poll_session_id FROM meetings WHERE meeting_id = ?)",
                [meeting_id],
            )
            if revoke_token is not None:
                cur.execute(
                    "UPDATE poll_sessions SET token_hash = ? WHERE session_id IN"
                    " (SELECT poll_session_id FROM meetings WHERE meeting_id = ?)",
                    [revoke_token, meeting_id],
                )
            for table in ("meeting_notes", "meeting_keywords", "meeting_step_visits", "meetings"):
                cur.execute(f"DELETE FROM {table} WHERE meeting_id = ?", [meeting_id])

        self._write(work)

    def move_meeting(
        self,
        meeting_id: str,
        *,
        state: str,
        current_step: int | None,
        poll_session_id: str | None,
        started: bool = False,
        finished: bool = False,
        reopened: bool = False,
        revoke_token: str | None = None,
    ) -> None:
        """Change a meeting's state and current step in one transaction: the open step visit is closed, a
        new one opened for ``current_step``, and the poll session shows that step's questions (and is
        closed when the meeting is finished). ``revoke_token`` (a hash no one holds a token for) ends the
        facilitator token: the meeting keeps none and its poll session gets this hash."""
        now = datetime.now(timezone.utc).replace(tzinfo=None)

        def work(cur):
            cur.execute(
                "UPDATE meeting_step_visits SET ended_at = ? WHERE meeting_id = ? AND ended_at IS NULL",
                [now, meeting_id],
            )
            if current_step is not None:
                cur.execute("INSERT INTO meeting_step_visits VALUES (?, ?, ?, NULL)", [meeting_id, current_step, now])
            cur.execute(
                "UPDATE meetings SET state = ?, current_step = ?, step_started_at = ?, updated_at = ?,"
                " started_at = CASE WHEN ? THEN ? ELSE started_at END,"
                " finished_at = CASE WHEN ? THEN ? WHEN ? THEN NULL ELSE finished_at END WHERE meeting_id = ?",
                [
                    state,
                    current_step,
                    now if current_step is not None else None,
                    now,
                    started,
                    now,
                    finished,
                    now,
                    reopened,
                    meeting_id,
                ],
            )
            if poll_session_id:
                cur.execute(
                    "UPDATE poll_sessions SET current_step = ?, state = ? WHERE session_id = ?",
                    [current_step, "closed" if finished else "open", poll_session_id],
                )
            if revoke_token is not None:
                cur.execute("UPDATE meetings SET token_hash = NULL WHERE meeting_id = ?", [meeting_id])
                if poll_session_id:
                    cur.execute(
                        "UPDATE poll_sessions SET token_hash = ? WHERE session_id = ?", [revoke_token, poll_session_id]
                    )

        self._write(work)

    def meeting_for_poll(self, poll_session_id: str) -> str | None:
        """The id of the meeting the poll session belongs to (None for a plain poll)."""
        return self._scalar("SELECT meeting_id FROM meetings WHERE poll_session_id = ? LIMIT 1", [poll_session_id])

    def start_meeting(self, meeting_id: str, token_hash: str, poll_session_id: str, meeting_date: date) -> bool:
        """Start a planned meeting at step 0 in one transaction; False (nothing changed) when it is no longer
        planned (another start came first)."""
        now = datetime.now(timezone.utc).replace(tzinfo=None)

        def work(cur):
            found = cur.execute("SELECT state FROM meetings WHERE meeting_id = ?", [meeting_id]).fetchall()
            if not found or found[0][0] != "gepland":
                return False
            cur.execute(
                "UPDATE meetings SET state = 'bezig', token_hash = ?, poll_session_id = ?, meeting_date = ?,"
                " current_step = 0, step_started_at = ?, started_at = ?, updated_at = ? WHERE meeting_id = ?",
                [token_hash, poll_session_id, meeting_date, now, now, now, meeting_id],
            )
            cur.execute("INSERT INTO meeting_step_visits VALUES (?, 0, ?, NULL)", [meeting_id, now])
            cur.execute(
                "UPDATE poll_sessions SET current_step = 0, state = 'open' WHERE session_id = ?", [poll_session_id]
            )
            return True

        return self._write(work)

    def set_next_meeting(self, meeting_id: str, day: date | None) -> None:

        def work(cur):
            cur.execute(
                "UPDATE meetings SET next_meeting = ?, updated_at = ? WHERE meeting_id = ?",
                [day, datetime.now(timezone.utc).replace(tzinfo=None), meeting_id],
            )

        self._write(work)

    def meeting_step_visits(self, meeting_id: str) -> pd.DataFrame:
        """step, started_at, ended_at (NULL while the step is on screen), oldest first."""
        rows = (
            self._cursor()
            .execute(
                "SELECT step, started_at, ended_at FROM meeting_step_visits WHERE meeting_id = ? ORDER BY started_at",
                [meeting_id],
            )
            .fetchall()
        )
        return pd.DataFrame(rows, columns=["step", "started_at", "ended_at"])

    def save_meeting_note(self, meeting_id: str, step: int, field: str, notes: str) -> None:
        """Store (or replace) the note of a step's field; empty text removes it."""
        text = _checked_note(notes, "Kort ze in of verdeel ze over de stappen.")

        def work(cur):
            cur.execute(
                "DELETE FROM meeting_notes WHERE meeting_id = ? AND step = ? AND field = ?",
                [meeting_id, int(step), field],
            )
            if text:
                cur.execute(
                    "INSERT INTO meeting_notes VALUES (?, ?, ?, ?, ?)",
                    [meeting_id, int(step), field, text, datetime.now(timezone.utc).replace(tzinfo=None)],
                )

        self._write(work)

    def meeting_notes(self, meeting_id: str) -> dict[tuple[int, str], str]:
        rows = (
            self._cursor()
            .execute("SELECT step, field, notes FROM meeting_notes WHERE meeting_id = ?", [meeting_id])
            .fetchall()
        )
        return {(int(step), field): notes for step, field, notes in rows}

    def save_meeting_keywords(self, meeting_id: str, step: int, domains: dict[str, str]) -> None:
        """Replace the step's keyword → domain grouping."""

        def work(cur):
            cur.execute("DELETE FROM meeting_keywords WHERE meeting_id = ? AND step = ?", [meeting_id, int(step)])
            if domains:
                cur.executemany(
                    "INSERT INTO meeting_keywords VALUES (?, ?, ?, ?)",
                    [[meeting_id, int(step), k, d] for k, d in domains.items()],
                )

        self._write(work)

    def meeting_keywords(self, meeting_id: str, step: int) -> dict[str, str]:
        rows = (
            self._cursor()
            .execute(
                "SELECT keyword, domain FROM meeting_keywords WHERE meeting_id = ? AND step = ?",
                [meeting_id, int(step)],
            )
            .fetchall()
        )
        return dict(rows)
