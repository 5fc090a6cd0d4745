"""What the werkgroep chose in earlier imports: column mappings and OSM tag mappings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone


class Mappings:
    """Remembered column and amenity-tag mappings."""

    def column_mappings(self) -> list[tuple[str, str, str | None]]:
        """(column name, target kind, target code) the werkgroep chose in earlier imports."""
        return (
            self._cursor()
            .execute("SELECT column_name, target_kind, target_code FROM column_mappings ORDER BY column_name")
            .fetchall()
        )

    _MAPPING_COLUMNS = (
        "column_name",
        "target_kind",
        "target_code",
        "label",
        "unit",
        "denominator",
        "multiplier",
        "extra_kind",
        "other_column",
    )

    def column_mapping_rows(self) -> list[dict]:
        """Every remembered column mapping with an extra indicator's label, unit, denominator and multiplier."""
        rows = (
            self._cursor()
            .execute(f"SELECT {', '.join(self._MAPPING_COLUMNS)} FROM column_mappings ORDER BY column_name")
            .fetchall()
        )
        return [dict(zip(self._MAPPING_COLUMNS, r)) for r in rows]

    def save_column_mappings(self, rows: list[tuple]) -> None:
        """Remember (column, kind, code) rows, optionally followed by label, unit, denominator, multiplier,
        extra kind and other column."""
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        n = len(self._MAPPING_COLUMNS)
        padded = [list(r) + [None] * (n - len(r)) for r in rows]

        def work(cur):
            cur.executemany(
                f"INSERT OR REPLACE INTO column_mappings ({', '.join(self._MAPPING_COLUMNS)}, saved_at)"
                f" VALUES ({', '.join('?' * (n + 1))})",
                [[*r, now] for r in padded],
            )

        self._write(work)

    def forget_column_mappings(self, columns: Iterable[str] | None = None) -> int:
        """Forget remembered column mappings (all when ``columns`` is None); returns how many."""
        return self._forget("column_mappings", "column_name", columns)

    def _forget(self, table: str, key: str, values: Iterable[str] | None) -> int:
        """Delete remembered rows of ``table`` whose ``key`` is in ``values`` (all when None); how many.
        ``table`` and ``key`` are this module's own names, never user input."""
        where, params = "", []
        if values is not None:
            where, params = f" WHERE {key} IN (SELECT unnest(?))", [[str(v) for v in values]]

        def work(cur):
            n = cur.execute(f"SELECT count(*) FROM {table}{where}", params).fetchall()[0][0]
            cur.execute(f"DELETE FROM {table}{where}", params)
            return int(n)

        return self._write(work)

    def amenity_tag_mappings(self) -> dict[str, str | None]:
        """OSM tag → category the werkgroep chose (None: not imported)."""
        return dict(self._cursor().execute("SELECT tag, category FROM amenity_tag_mappings ORDER BY tag").fetchall())

    def save_amenity_tag_mappings(self, mapping: dict[str, str | None]) -> None:
        now = datetime.now(timezone.utc).replace(tzinfo=None)

        def work(cur):
            cur.executemany(
                "INSERT OR REPLACE INTO amenity_tag_mappings (tag, category, saved_at) VALUES (?, ?, ?)",
                [[str(t), c or None, now] for t, c in mapping.items()],
            )

        self._write(work)

    def forget_amenity_tag_mappings(self, tags: Iterable[str] | None = None) -> int:
        """Forget remembered tag mappings (all when ``tags`` is None); returns how many."""
        return self._forget("amenity_tag_mappings", "tag", tags)
