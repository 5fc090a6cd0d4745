"""Live polls (peilingen): sessions, questions, answers (validation and access checks live in zorgzaam.polls)."""

from __future__ import annotations

from datetime import datetime, timezone

import duckdb
import pandas as pd

from .errors import PollCapacityError


def _record_answers(cur: duckdb.DuckDBPyConnection, items: list[tuple]) -> list:
    """Write poll answers (session_id, question_id, participant_id, display_name, value, max_participants)
    in the writer's transaction with a few statements for all of them; per item its round, None (session
    missing or closed: nothing written) or a PollCapacityError (raised in that caller only).

    Items are taken in order, as if each were its own transaction: a later answer to the same question
    replaces an earlier one, and a participant counts towards the cap from their first answer on.
    DELETE + INSERT rather than INSERT … ON CONFLICT DO UPDATE: the same effect at half the time.
    """
    sessions = sorted({item[0] for item in items})
    found = cur.execute(
        "SELECT s.session_id, s.state, s.current_round, list(DISTINCT a.participant_id)"
        " FILTER (WHERE a.participant_id IS NOT NULL) FROM poll_sessions s"
        " LEFT JOIN poll_answers a ON a.session_id = s.session_id AND a.round = s.current_round"
        " WHERE s.session_id IN (SELECT unnest(?)) GROUP BY s.session_id, s.state, s.current_round",
        [sessions],
    ).fetchall()
    state = {sid: (st, int(rnd), set(pids or ())) for sid, st, rnd, pids in found}
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    results: list = []
    rows: dict[tuple, list] = {}
    for session_id, question_id, participant_id, display_name, value, max_participants in items:
        st = state.get(session_id)
        if st is None or st[0] != "open":
            results.append(None)
            continue
        _, round_, participants = st
        if (
            max_participants is not None
            and participant_id not in participants
            and len(participants) >= max_participants
        ):
            results.append(
                PollCapacityError(
                    f"Deze peiling is vol: er antwoordden al {max_participants} deelnemers in deze ronde."
                )
            )
            continue
        participants.add(participant_id)
        key = (session_id, round_, question_id, participant_id)
        rows.pop(key, None)  # the later answer wins (and keeps its place in time)
        rows[key] = [*key, display_name, value, now]
        results.append(round_)
    if rows:
        keys = ", ".join(["(?, ?, ?, ?)"] * len(rows))
        cur.execute(
            f"DELETE FROM poll_answers USING (VALUES {keys}) AS k(s, r, q, p) WHERE session_id = k.s"
            " AND round = k.r AND question_id = k.q AND participant_id = k.p",
            [v for key in rows for v in key],
        )
        values = ", ".join(["(?, ?, ?, ?, ?, ?, ?)"] * len(rows))
        cur.execute(f"INSERT INTO poll_answers VALUES {values}", [v for row in rows.values() for v in row])
    return results


class Polls:
    """Poll sessions, questions and answers; every write through the database's one writer
    (answers waiting together commit together)."""

    def create_poll_session(
        self, session_id: str, title: str, join_code: str, token_hash: str, is_open: bool, questions: list[tuple]
    ) -> bool:
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
            self._write(work)
        except duckdb.ConstraintException:
            if self._scalar("SELECT count(*) FROM poll_sessions WHERE join_code = ?", [join_code]):
                return False
            raise
        return True

    def poll_session(self, key: str) -> dict | None:
        """A poll session by session id or join code (with its token hash), or None."""
        names = [
            "session_id",
            "title",
            "join_code",
            "token_hash",
            "state",
            "results_visible",
            "current_round",
            "created_at",
            "current_step",
        ]
        rows = (
            self._cursor()
            .execute(f"SELECT {', '.join(names)} FROM poll_sessions WHERE session_id = ? OR join_code = ?", [key, key])
            .fetchall()
        )
        return dict(zip(names, rows[0])) if rows else None

    def poll_sessions(self) -> pd.DataFrame:
        """All poll sessions, newest first (no token hashes)."""
        return self._query_df(
            "SELECT session_id, title, join_code, state, results_visible, current_round, created_at,"
            " (SELECT count(*) FROM poll_answers a WHERE a.session_id = s.session_id) AS answers"
            " FROM poll_sessions s ORDER BY created_at DESC"
        )

    def poll_questions(self, session_id: str) -> list[dict]:
        """question_id, position, kind, text, options (JSON text), bouwsteen, step of a session, in order."""
        names = ["question_id", "position", "kind", "text", "options", "bouwsteen", "step"]
        rows = (
            self._cursor()
            .execute(  # fetchall, not .df(): a DataFrame costs milliseconds per answer
                "SELECT question_id, position, kind, text, CAST(options AS VARCHAR), bouwsteen, step"
                " FROM poll_questions WHERE session_id = ? ORDER BY position, question_id",
                [session_id],
            )
            .fetchall()
        )
        return [dict(zip(names, r)) for r in rows]

    def update_poll_session(
        self,
        session_id: str,
        *,
        is_open: bool | None = None,
        results_visible: bool | None = None,
        next_round: bool = False,
        current_step: int | None | type(...) = ...,
    ) -> None:
        """Open/close a session, show/hide its results, move it to the next round, or show another step
        (``current_step``: a meeting step, or None for no step; left alone when not given)."""

        def work(cur):
            if current_step is not ...:
                cur.execute(
                    "UPDATE poll_sessions SET current_step = ? WHERE session_id = ?", [current_step, session_id]
                )
            if is_open is not None:
                cur.execute(
                    "UPDATE poll_sessions SET state = ? WHERE session_id = ?",
                    ["open" if is_open else "closed", session_id],
                )
            if results_visible is not None:
                cur.execute(
                    "UPDATE poll_sessions SET results_visible = ? WHERE session_id = ?",
                    [bool(results_visible), session_id],
                )
            if next_round:
                cur.execute(
                    "UPDATE poll_sessions SET current_round = current_round + 1 WHERE session_id = ?", [session_id]
                )

        self._write(work)

    def record_poll_answer(
        self,
        session_id: str,
        question_id: int,
        participant_id: str,
        display_name: str | None,
        value: str,
        max_participants: int | None = None,
    ) -> int | None:
        """Store (or replace) one answer in the session's current round, in one transaction.

        Returns the round, or None when the session is missing or closed (nothing written).
        The state is read inside the same transaction as the write. A participant new to the round
        is refused (PollCapacityError) once ``max_participants`` others answered in it. Answers that
        wait for the writer together are written together (``_record_answers``).
        """

        item = (session_id, int(question_id), participant_id, display_name, value, max_participants)
        return self._write(item, batch=_record_answers)

    def poll_answers(
        self, session_id: str, round: int | None = None, participant_id: str | None = None
    ) -> pd.DataFrame:
        """Answers of a session (all rounds, or one), optionally of one participant, oldest first."""
        names = ["round", "question_id", "participant_id", "display_name", "value", "answered_at"]
        rows = (
            self._cursor()
            .execute(  # fetchall, not .df(): the facilitator's view refreshes every few seconds
                f"SELECT {', '.join(names)} FROM poll_answers"
                " WHERE session_id = ? AND (? IS NULL OR round = ?) AND (? IS NULL OR participant_id = ?)"
                " ORDER BY round, answered_at, question_id, participant_id",
                [session_id, round, round, participant_id, participant_id],
            )
            .fetchall()
        )
        return pd.DataFrame(rows, columns=names)
