"""The results table: every indicator for every area and asked period, for one data version."""

from __future__ import annotations

import pandas as pd

# Bumped whenever engine.compute's rows change for the same data (a file computed by an older zorgzaam then
# recomputes its table instead of answering with the old rows). 2: "ontbrekend" rows carry no counts.
RESULTS_FORMAT = 2

RESULT_TABLE_COLUMNS = [
    "asked_period",
    "indicator",
    "area_level",
    "area_code",
    "area_name",
    "period",
    "numerator",
    "denominator",
    "value",
    "status",
    "approx",
    "coverage",
    "coverage_of",
]


class Results:
    """Figures computed once per data version (by ``engine.refresh_results``), read by every surface."""

    def data_version(self) -> str:
        """Changes with every write of data or of the catalogue (not with polls, notes or meetings).
        Read again only after this process wrote to the database (pages ask it for every cached figure)."""
        return self._memo("data_version", lambda: self.data_version_on(self._cursor()))

    def results_version(self) -> str | None:
        """What the results table was computed for: the data version and the row format (None: never computed)."""
        return self._results_state()[0]

    def _results_state(self) -> tuple[str | None, list[str]]:
        """(results version, asked periods in the table), read again only after this process wrote."""

        def read() -> tuple[str | None, list[str]]:
            cur = self._cursor()
            rows = cur.execute("SELECT value FROM meta WHERE key = 'results_version'").fetchall()
            periods = cur.execute("SELECT DISTINCT asked_period FROM indicator_results ORDER BY 1").fetchall()
            return rows[0][0] if rows else None, [r[0] for r in periods]

        return self._memo("results_state", read)

    def results_fresh(self) -> bool:
        return self.results_version() == _key(self.data_version())

    def result_periods(self) -> list[str]:
        return list(self._results_state()[1])

    def replace_results(self, version: str, frame: pd.DataFrame) -> bool:
        """Replace the results with ``frame`` (RESULT_TABLE_COLUMNS) computed for ``version``; returns False
        and writes nothing when the data changed meanwhile (a write queued before this one)."""

        def work(cur) -> bool:
            if self.data_version_on(cur) != version:
                return False
            cur.execute("DELETE FROM indicator_results")
            ordered = frame[RESULT_TABLE_COLUMNS]
            cur.register("results_in", ordered)
            try:
                # Sorted, so a lookup by period and indicator reads few row groups.
                cur.execute(
                    "INSERT INTO indicator_results SELECT * FROM results_in"
                    " ORDER BY asked_period, indicator, area_level, area_code"
                )
            finally:
                cur.unregister("results_in")
            cur.execute("INSERT OR REPLACE INTO meta VALUES ('results_version', ?)", [_key(version)])
            return True

        return self._write(work)

    def forget_results(self) -> None:
        """Mark the results stale (they are recomputed on the next refresh)."""
        self._write(lambda cur: cur.execute("DELETE FROM meta WHERE key = 'results_version'"))

    def data_version_on(self, cur) -> str:
        count, newest, catalogue = cur.execute(
            "SELECT count(*), max(imported_at), (SELECT max(value) FROM meta WHERE key = 'catalogue_version')"
            " FROM datasets"
        ).fetchall()[0]
        return f"{count}|{newest}|{catalogue}"

    def stored_results(
        self, asked_period: str, indicators: list[str], targets: pd.DataFrame, version: str
    ) -> pd.DataFrame | None:
        """The stored rows for ``indicators`` × ``targets`` (level, code) in target order, or None when the
        table does not hold results of ``version`` (the caller computes instead)."""
        cur = self._cursor()
        wanted = pd.DataFrame({"area_level": targets["level"].astype(str), "area_code": targets["code"].astype(str)})
        wanted["_a"] = range(len(wanted))
        cur.register("wanted_areas", wanted)
        try:
            frame = cur.execute(
                "SELECT r.* EXCLUDE (asked_period), w._a FROM indicator_results r"
                " JOIN wanted_areas w ON w.area_level = r.area_level AND w.area_code = r.area_code"
                " WHERE r.asked_period = ? AND list_contains(?::VARCHAR[], r.indicator)"
                " AND (SELECT value FROM meta WHERE key = 'results_version') = ?",
                [asked_period, list(indicators), _key(version)],
            ).df()
        finally:
            cur.unregister("wanted_areas")
        return frame


def _key(data_version: str) -> str:
    """What meta 'results_version' holds: the data version and the format of the rows."""
    return f"{data_version}#{RESULTS_FORMAT}"
