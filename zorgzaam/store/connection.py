"""Connections: one DuckDB database per file and process, a cursor per thread.

One DuckDB database per process (a file allows a single writer process), and a
cursor per thread on top of it: Streamlit serves each session from its own
thread and a DuckDB cursor must never be shared across threads. Every query
with values takes them as parameters.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from .errors import StoreError
from .schema import migrate

if TYPE_CHECKING:
    from . import Store

DEFAULT_DB = Path(__file__).resolve().parent.parent.parent / "data" / "zorgzaam.duckdb"


def default_path() -> Path:
    """The werkgroep's own database: imported data, team scores, polls."""
    return Path(os.environ.get("ZORGZAAM_DB") or DEFAULT_DB)


def demo_path() -> Path:
    """The fictional demo's database, a separate file so demo and real figures never mix
    ($ZORGZAAM_DEMO_DB, or beside the own database: zorgzaam.demo.duckdb)."""
    if os.environ.get("ZORGZAAM_DEMO_DB"):
        return Path(os.environ["ZORGZAAM_DEMO_DB"])
    own = default_path()
    return own.with_name(f"{own.stem}.demo{own.suffix}")


_databases: dict[str, duckdb.DuckDBPyConnection] = {}
_databases_lock = threading.Lock()


def _database(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    key = f"{path.resolve()}|{'ro' if read_only else 'rw'}"
    with _databases_lock:
        con = _databases.get(key)
        if con is None:
            if not read_only:
                path.parent.mkdir(parents=True, exist_ok=True)
            try:
                con = duckdb.connect(str(path), read_only=read_only)
            except duckdb.IOException as exc:
                if "lock" in str(exc).lower():
                    raise StoreError(
                        f"De databank {path} is in gebruik door een ander programma (draait de app?). "
                        "Sluit dat eerst of gebruik een kopie met --db."
                    ) from exc
                raise StoreError(f"De databank {path} kan niet geopend worden: {exc}") from exc
            if not read_only:
                migrate(con)
            _databases[key] = con
        return con


def close_all() -> None:
    """Close every database this process opened (tests, CLI exit)."""
    with _databases_lock:
        for con in _databases.values():
            con.close()
        _databases.clear()


class Connection:
    """The store's own cursor, transactions and raw queries (``path`` and ``read_only`` are Store's fields)."""

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        self._local = threading.local()
        _database(self.path, self.read_only)  # open (and migrate) now, so errors surface here

    @classmethod
    def open(cls, path: str | Path | None = None, read_only: bool = False) -> Store:
        return cls(Path(path) if path else default_path(), read_only=read_only)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor on the process-wide database (reopened after close_all)."""
        db = _database(self.path, self.read_only)
        cached = getattr(self._local, "cursor", None)
        if cached is None or cached[0] is not db:
            cached = (db, db.cursor())
            self._local.cursor = cached
        return cached[1]

    @contextlib.contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cur = self.cursor()
        cur.execute("BEGIN TRANSACTION")
        try:
            yield cur
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise

    def query_df(self, sql: str, params: Iterable | None = None) -> pd.DataFrame:
        return self.cursor().execute(sql, list(params or [])).df()

    def scalar(self, sql: str, params: Iterable | None = None):
        """The first value of the first row, or None (reads the whole result so no transaction lingers)."""
        rows = self.cursor().execute(sql, list(params or [])).fetchall()
        return rows[0][0] if rows else None

    def schema_version(self) -> int:
        rows = self.cursor().execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
        return int(rows[0][0]) if rows else 0

    def file_size(self) -> int:
        return self.path.stat().st_size if self.path.exists() else 0
