"""The werkgroep: self-assessment, reflection notes, actions (validation in zorgzaam.werkgroep)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pandas as pd

from .errors import StoreError, _checked_note


class Werkgroep:
    """Team scores, bouwsteen notes and team actions."""

    def save_team_scores(
        self,
        team: str,
        assessed_on: date,
        scores: list[tuple[str, int | None]],
        source: str,
        poll_session_id: str | None = None,
        poll_round: int | None = None,
    ) -> None:
        """Replace the team's assessment of that date by these (bouwsteen, score) rows, in one transaction."""
        now = datetime.now(timezone.utc).replace(tzinfo=None)

        def work(cur):
            cur.execute("DELETE FROM team_scores WHERE team = ? AND assessed_on = ?", [team, assessed_on])
            cur.executemany(
                "INSERT INTO team_scores VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [[team, assessed_on, code, score, source, poll_session_id, poll_round, now] for code, score in scores],
            )

        self._write(work)

    def delete_team_scores(self, team: str, assessed_on: date) -> None:

        def work(cur):
            cur.execute("DELETE FROM team_scores WHERE team = ? AND assessed_on = ?", [team, assessed_on])

        self._write(work)

    def team_scores(self, team: str) -> pd.DataFrame:
        """Every assessment of a team: assessed_on, bouwsteen, score (nullable), source, poll ids, saved_at."""
        return self._query_df(
            "SELECT assessed_on, bouwsteen, score, source, poll_session_id, poll_round, saved_at FROM team_scores"
            " WHERE team = ? ORDER BY assessed_on, bouwsteen",
            [team],
        )

    def teams(self) -> list[str]:
        """Teams with any scores, notes or actions, most recently active first."""
        rows = (
            self._cursor()
            .execute(
                "SELECT team, max(t) AS last FROM ("
                " SELECT team, saved_at AS t FROM team_scores UNION ALL SELECT team, saved_at FROM bouwsteen_notes"
                " UNION ALL SELECT team, updated_at FROM team_actions) GROUP BY team ORDER BY last DESC, team"
            )
            .fetchall()
        )
        return [r[0] for r in rows]

    def save_bouwsteen_note(self, team: str, bouwsteen: str, notes: str) -> None:
        """Store (or replace) the team's reflection note on a bouwsteen; empty text removes it."""
        text = _checked_note(notes, "Kort ze in of bewaar lange teksten in jullie verslag.")

        def work(cur):
            cur.execute("DELETE FROM bouwsteen_notes WHERE team = ? AND bouwsteen = ?", [team, bouwsteen])
            if text:
                cur.execute(
                    "INSERT INTO bouwsteen_notes VALUES (?, ?, ?, ?)",
                    [team, bouwsteen, text, datetime.now(timezone.utc).replace(tzinfo=None)],
                )

        self._write(work)

    def bouwsteen_notes(self, team: str) -> dict[str, str]:
        rows = self._cursor().execute("SELECT bouwsteen, notes FROM bouwsteen_notes WHERE team = ?", [team]).fetchall()
        return dict(rows)

    _ACTION_COLUMNS = (
        "action_id",
        "title",
        "bouwstenen",
        "status",
        "partners",
        "participation",
        "place_kind",
        "sector",
        "lon",
        "lat",
        "notes",
        "created_at",
        "updated_at",
    )

    def save_team_action(self, team: str, action_id: int | None, row: dict) -> int:
        """Insert (action_id None: the next free id) or replace one action; returns its id.

        ``row`` holds title, bouwstenen (JSON text), status, partners (JSON text), participation,
        place_kind, sector, lon, lat, notes.
        """
        now = datetime.now(timezone.utc).replace(tzinfo=None)

        def work(cur):
            if action_id is None:
                new_id = int(cur.execute("SELECT nextval('team_action_ids')").fetchall()[0][0])
                created = now
            else:
                new_id = int(action_id)
                found = cur.execute(
                    "SELECT created_at FROM team_actions WHERE team = ? AND action_id = ?", [team, new_id]
                ).fetchall()
                if not found:
                    raise StoreError("Deze actie bestaat niet (meer); vernieuw de pagina.")
                created = found[0][0]
                cur.execute("DELETE FROM team_actions WHERE team = ? AND action_id = ?", [team, new_id])
            names = self._ACTION_COLUMNS[1:-2]
            cur.execute(
                f"INSERT INTO team_actions (team, action_id, {', '.join(names)}, created_at, updated_at)"
                f" VALUES ({', '.join('?' * (len(names) + 4))})",
                [team, new_id, *(row[n] for n in names), created, now],
            )
            return new_id

        return self._write(work)

    def delete_team_action(self, team: str, action_id: int) -> bool:

        def work(cur):
            found = cur.execute(
                "SELECT count(*) FROM team_actions WHERE team = ? AND action_id = ?", [team, int(action_id)]
            ).fetchall()[0][0]
            cur.execute("DELETE FROM team_actions WHERE team = ? AND action_id = ?", [team, int(action_id)])
            return bool(found)

        return self._write(work)

    def team_actions(self, team: str) -> list[dict]:
        """The team's actions in id order, as dicts (JSON columns as text)."""
        names = self._ACTION_COLUMNS
        cols = ", ".join(f"CAST({n} AS VARCHAR)" if n in ("bouwstenen", "partners") else n for n in names)
        rows = (
            self._cursor()
            .execute(f"SELECT {cols} FROM team_actions WHERE team = ? ORDER BY action_id", [team])
            .fetchall()
        )
        return [dict(zip(names, r)) for r in rows]
