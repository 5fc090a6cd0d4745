"""The indicator catalogue in the store: the built-in one, and the werkgroep's own indicators."""

from __future__ import annotations

import time
from collections.abc import Sequence

import duckdb
import pandas as pd

from ..catalogue import BUILTIN, USER_PREFIX, BaseCount, Catalogue, Indicator
from .errors import StoreError


class Indicators:
    """The catalogue (built-in and the werkgroep's own indicators)."""

    def sync_catalogue(self, catalogue: Catalogue = BUILTIN, cur: duckdb.DuckDBPyConnection | None = None) -> None:
        """Write the built-in catalogue (replacing the built-in rows, keeping user ones)."""
        cur = cur or self._cursor()
        cur.execute("DELETE FROM base_counts WHERE is_builtin IS NOT FALSE")
        cur.executemany(
            "INSERT OR REPLACE INTO base_counts (code, label, unit, sum_of, is_builtin) VALUES (?, ?, ?, ?, TRUE)",
            [
                [b.code, b.label, b.unit, list(b.sum_of)]
                for b in [*catalogue.base_counts.values(), *catalogue.computed_counts.values()]
                if not b.code.startswith(USER_PREFIX)
            ],
        )
        cur.execute("DELETE FROM indicators WHERE is_builtin")
        cur.executemany(
            "INSERT OR REPLACE INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE)",
            [_indicator_row(i) for i in catalogue.indicators.values()],
        )

    def save_user_indicator(self, base: BaseCount | Sequence[BaseCount], indicator: Indicator) -> None:
        """Write (or replace) the user base count(s) and the indicator built on them (``is_builtin`` FALSE).
        Its kind (``catalogue.EXTRA_KINDS``) lies in its counts: none for a score given per area only, two
        for a ratio of two columns or a weighted score (``catalogue.user_kind``)."""
        bases = [base] if isinstance(base, BaseCount) else list(base)
        for b in bases:
            if not b.code.startswith(USER_PREFIX):
                raise StoreError(f"Een eigen telling heeft een code die begint met '{USER_PREFIX}' (niet '{b.code}').")

        def work(cur):
            for b in bases:
                cur.execute(
                    "INSERT OR REPLACE INTO base_counts (code, label, unit, sum_of, is_builtin)"
                    " VALUES (?, ?, ?, ?, FALSE)",
                    [b.code, b.label, b.unit, []],
                )
            cur.execute(
                "INSERT OR REPLACE INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE)",
                _indicator_row(indicator),
            )
            self._bump_catalogue(cur)

        self._write(work)

    def delete_user_indicator(self, code: str) -> None:
        """Remove a user indicator (and its base count when no other user indicator uses it)."""

        def work(cur):
            rows = cur.execute(
                "SELECT list_concat(numerator, denominator) FROM indicators WHERE code = ? AND NOT is_builtin", [code]
            ).fetchall()
            cur.execute("DELETE FROM indicators WHERE code = ? AND NOT is_builtin", [code])
            for base in rows[0][0] if rows else []:
                used = cur.execute(
                    "SELECT count(*) FROM indicators WHERE NOT is_builtin AND list_contains("
                    "list_concat(numerator, denominator), ?)",
                    [base],
                ).fetchall()[0][0]
                if not used:
                    cur.execute("DELETE FROM base_counts WHERE code = ? AND is_builtin = FALSE", [base])
            self._bump_catalogue(cur)

        self._write(work)

    @staticmethod
    def _bump_catalogue(cur: duckdb.DuckDBPyConnection) -> None:
        cur.execute("INSERT OR REPLACE INTO meta VALUES ('catalogue_version', ?)", [str(time.time_ns())])

    def catalogue(self) -> Catalogue:
        """The built-in catalogue with the werkgroep's own base counts and indicators (theme
        "eigen indicatoren"); cached per store until a user indicator is written."""
        written = self._written()
        cached = getattr(self, "_catalogue_cache", None)
        if cached is not None and cached[2] == written:  # nothing written since: no query at all
            return cached[1]
        version = self._scalar("SELECT value FROM meta WHERE key = 'catalogue_version'")
        if cached is not None and cached[0] == version:
            self._catalogue_cache = (version, cached[1], written)
            return cached[1]
        catalogue = BUILTIN
        if version is not None and self.schema_version() >= 10:
            cur = self._cursor()
            bases = cur.execute("SELECT code, label, unit FROM base_counts WHERE is_builtin = FALSE").fetchall()
            names = [
                "code",
                "label",
                "theme",
                "definition",
                "formula",
                "numerator",
                "denominator",
                "multiplier",
                "unit",
                "denominator_kind",
                "source",
                "signals",
                "direction",
                "decimals",
            ]
            rows = cur.execute(
                f"SELECT {', '.join(names)} FROM indicators WHERE NOT is_builtin ORDER BY label"
            ).fetchall()
            inds = []
            for row in rows:
                values = dict(zip(names, row))
                for key in ("numerator", "denominator", "signals"):
                    values[key] = tuple(values[key] or ())
                inds.append(Indicator(**values))
            if bases or inds:
                catalogue = Catalogue(
                    base_counts={**BUILTIN.base_counts, **{c: BaseCount(c, lab, u) for c, lab, u in bases}},
                    indicators={**BUILTIN.indicators, **{i.code: i for i in inds if i.code not in BUILTIN.indicators}},
                    computed_counts=BUILTIN.computed_counts,
                )
        self._catalogue_cache = (version, catalogue, written)
        return catalogue

    def indicator_rows(self) -> pd.DataFrame:
        return self._query_df("SELECT * FROM indicators ORDER BY theme, code")


def _indicator_row(i: Indicator) -> list:
    """The columns of table ``indicators`` before ``is_builtin``, in order."""
    return [
        i.code,
        i.label,
        i.theme,
        i.definition,
        i.formula,
        list(i.numerator),
        list(i.denominator),
        i.multiplier,
        i.unit,
        i.denominator_kind,
        i.source,
        list(i.signals),
        i.direction,
        i.decimals,
    ]
