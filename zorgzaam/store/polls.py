"""Live polls (peilingen): sessions, questions, answers (validation and access checks live in zorgzaam.polls)."""

from __future__ import annotations

import contextlib
import random
import time
from datetime import datetime, timezone

import duckdb
import pandas as pd

from .errors import PollCapacityError, StoreError


class Polls:
    """Poll sessions, questions and answers."""

    # A write that meets another thread's transaction is retried this often, with a short back-off.
    POLL_WRITE_ATTEMPTS = 8
    POLL_WRITE_BACKOFF_S = 0.005

    def _poll_write(self, work, retry_duplicate_key: bool = False):
        """Run ``work(cursor)`` in its own transaction; retry on a DuckDB transaction conflict.

        Many phones answer at the same moment, each from its own Streamlit thread and cursor.
        DuckDB's optimistic concurrency aborts one of two transactions that touch the same row
        (e.g. a participant's double tap, or an answer while the facilitator closes the poll);
        retrying after a few milliseconds then succeeds. A failed COMMIT has already rolled back,
        so the ROLLBACK after it may itself fail and is ignored. With ``retry_duplicate_key``, a
        duplicate key (two first answers of one participant racing) is retried too.
        """

        retryable = (duckdb.TransactionException, duckdb.ConstraintException) if retry_duplicate_key \
            else (duckdb.TransactionException,)
        for attempt in range(self.POLL_WRITE_ATTEMPTS):
            cur = self.cursor()
            cur.execute("BEGIN TRANSACTION")
            try:
                result = work(cur)
                cur.execute("COMMIT")
                return result
            except retryable as exc:
                with contextlib.suppress(duckdb.Error):
                    cur.execute("ROLLBACK")
                if attempt == self.POLL_WRITE_ATTEMPTS - 1:
                    raise StoreError(
                        "Te veel gelijktijdige antwoorden: het antwoord is niet bewaard. Probeer het opnieuw."
                    ) from exc
                time.sleep(self.POLL_WRITE_BACKOFF_S * (2 ** attempt) * (0.5 + random.random()))
            except BaseException:
                with contextlib.suppress(duckdb.Error):
                    cur.execute("ROLLBACK")
                raise
        raise AssertionError("unreachable")

    def create_poll_session(self, session_id: str, title: str, join_code: str, token_hash: str, is_open: bool,
                            questions: list[tuple]) -> bool:
        """Write a poll session with its questions (question_id, position, kind, text, options_json, bouwsteen,
        step).

        False (nothing written) when the join code is already taken, so the caller draws another.
        """
        now = datetime.now(timezone.utc).replace(tzinfo=None)

        def work(cur):
            cur.execute(
                "INSERT INTO poll_sessions (session_id, title, join_code, token_hash, state, results_visible,"
                " current_round, created_at) VALUES (?, ?, ?, ?, ?, FALSE, 1, ?)",
                [session_id, title, join_code, token_hash, "open" if is_open else "closed", now],
            )
            if questions:  # a meeting may have none (DuckDB refuses an empty executemany)
                cur.executemany(
                    "INSERT INTO poll_questions (session_id, question_id, position, kind, text, options, bouwsteen,"
                    " step) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [[session_id, *q] for q in questions],
                )

        try:
            self._poll_write(work)
        except duckdb.ConstraintException:
            if self.scalar("SELECT count(*) FROM poll_sessions WHERE join_code = ?", [join_code]):
                return False
            raise
        return True

    def poll_session(self, key: str) -> dict | None:
        """A poll session by session id or join code (with its token hash), or None."""
        names = ["session_id", "title", "join_code", "token_hash", "state", "results_visible", "current_round",
                 "created_at", "current_step"]
        rows = self.cursor().execute(
            f"SELECT {', '.join(names)} FROM poll_sessions WHERE session_id = ? OR join_code = ?", [key, key]
        ).fetchall()
        return dict(zip(names, rows[0])) if rows else None

    def poll_sessions(self) -> pd.DataFrame:
        """All poll sessions, newest first (no token hashes)."""
        return self.query_df(
            "SELECT session_id, title, join_code, state, results_visible, current_round, created_at,"
            " (SELECT count(*) FROM poll_answers a WHERE a.session_id = s.session_id) AS answers"
            " FROM poll_sessions s ORDER BY created_at DESC"
        )

    def poll_questions(self, session_id: str) -> list[dict]:
        """question_id, position, kind, text, options (JSON text), bouwsteen, step of a session, in order."""
        names = ["question_id", "position", "kind", "text", "options", "bouwsteen", "step"]
        rows = self.cursor().execute(  # fetchall, not .df(): a DataFrame costs milliseconds per answer
            "SELECT question_id, position, kind, text, CAST(options AS VARCHAR), bouwsteen, step"
            " FROM poll_questions WHERE session_id = ? ORDER BY position, question_id",
            [session_id],
        ).fetchall()
        return [dict(zip(names, r)) for r in rows]

    def update_poll_session(self, session_id: str, *, is_open: bool | None = None,
                            results_visible: bool | None = None, next_round: bool = False,
                            current_step: int | None | type(...) = ...) -> None:
        """Open/close a session, show/hide its results, move it to the next round, or show another step
        (``current_step``: a meeting step, or None for no step; left alone when not given)."""
        def work(cur):
            if current_step is not ...:
                cur.execute("UPDATE poll_sessions SET current_step = ? WHERE session_id = ?",
                            [current_step, session_id])
            if is_open is not None:
                cur.execute("UPDATE poll_sessions SET state = ? WHERE session_id = ?",
                            ["open" if is_open else "closed", session_id])
            if results_visible is not None:
                cur.execute("UPDATE poll_sessions SET results_visible = ? WHERE session_id = ?",
                            [bool(results_visible), session_id])
            if next_round:
                cur.execute("UPDATE poll_sessions SET current_round = current_round + 1 WHERE session_id = ?",
                            [session_id])

        self._poll_write(work)

    def record_poll_answer(self, session_id: str, question_id: int, participant_id: str,
                           display_name: str | None, value: str, max_participants: int | None = None) -> int | None:
        """Store (or replace) one answer in the session's current round, in one transaction.

        Returns the round, or None when the session is missing or closed (nothing written).
        The state is read inside the same transaction as the write. DELETE + INSERT rather than
        INSERT … ON CONFLICT DO UPDATE: the same effect at half the time (4 ms against 9 ms per answer).
        A participant new to the round is refused (PollCapacityError) once ``max_participants``
        others answered in it.
        """
        def work(cur):
            rows = cur.execute("SELECT state, current_round FROM poll_sessions WHERE session_id = ?",
                               [session_id]).fetchall()
            if not rows or rows[0][0] != "open":
                return None
            round_ = int(rows[0][1])
            if max_participants is not None:
                known, others = cur.execute(
                    "SELECT count(*) FILTER (WHERE participant_id = ?), count(DISTINCT participant_id)"
                    " FROM poll_answers WHERE session_id = ? AND round = ?",
                    [participant_id, session_id, round_]).fetchall()[0]
                if not known and others >= max_participants:
                    raise PollCapacityError(
                        f"Deze peiling is vol: er antwoordden al {max_participants} deelnemers in deze ronde.")
            key = [session_id, round_, int(question_id), participant_id]
            cur.execute("DELETE FROM poll_answers WHERE session_id = ? AND round = ? AND question_id = ?"
                        " AND participant_id = ?", key)
            cur.execute("INSERT INTO poll_answers VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [*key, display_name, value, datetime.now(timezone.utc).replace(tzinfo=None)])
            return round_

        return self._poll_write(work, retry_duplicate_key=True)

    def poll_answers(self, session_id: str, round: int | None = None, participant_id: str | None = None
                     ) -> pd.DataFrame:
        """Answers of a session (all rounds, or one), optionally of one participant, oldest first."""
        names = ["round", "question_id", "participant_id", "display_name", "value", "answered_at"]
        rows = self.cursor().execute(  # fetchall, not .df(): the facilitator's view refreshes every few seconds
            f"SELECT {', '.join(names)} FROM poll_answers"
            " WHERE session_id = ? AND (? IS NULL OR round = ?) AND (? IS NULL OR participant_id = ?)"
            " ORDER BY round, answered_at, question_id, participant_id",
            [session_id, round, round, participant_id, participant_id],
        ).fetchall()
        return pd.DataFrame(rows, columns=names)
