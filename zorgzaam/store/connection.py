"""Connections: one DuckDB database per file and process, a cursor per thread.

One DuckDB database per process (a file allows a single writer process), and a
cursor per thread on top of it for reading: Streamlit serves each session from its own
thread and a DuckDB cursor must never be shared across threads. Every write goes
through the database's one writer thread (``writer.Writer``), in order. Every query
with values takes them as parameters.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from .errors import StoreError
from .schema import migrate
from .writer import Writer

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


_writers: dict[str, Writer] = {}


def _writer(path: Path) -> Writer:
    """The one writer thread of the (read-write) database at ``path``."""
    con = _database(path, False)
    key = f"{path.resolve()}|rw"
    with _databases_lock:
        writer = _writers.get(key)
        if writer is None or writer.con is not con:
            writer = _writers[key] = Writer(con, path.name)
        return writer


def close_all() -> None:
    """Close every database this process opened (tests, CLI exit), after its queued writes ran."""
    with _databases_lock:
        writers, cons = list(_writers.values()), list(_databases.values())
        _writers.clear()
        _databases.clear()
        _epoch[0] += 1
    for writer in writers:  # outside the lock: a queued write's caller may still open a cursor
        writer.close()
    for con in cons:
        con.close()


# Per database file: the number of writes committed by this process. DuckDB lets one process write a file,
# so a count that has not moved means the data have not changed (``Store.data_version`` is cached on it).
_generations: dict[Path, int] = {}
_generation_lock = threading.Lock()
_epoch = [0]  # counts close_all calls
_memos: dict[Path, dict] = {}
_WRITTEN = object()  # the memo's own key: the write count it holds answers for


class Connection:
    """The store's own cursor, transactions and raw queries (``path`` and ``read_only`` are Store's fields)."""

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        self._local = threading.local()
        _database(self.path, self.read_only)  # open (and migrate) now, so errors surface here

    @classmethod
    def open(cls, path: str | Path | None = None, read_only: bool = False) -> Store:
        return cls(Path(path) if path else default_path(), read_only=read_only)

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor on the process-wide database (reopened after close_all)."""
        db = _database(self.path, self.read_only)
        cached = getattr(self._local, "cursor", None)
        if cached is None or cached[0] is not db:
            cached = (db, db.cursor())
            self._local.cursor = cached
        return cached[1]

    def _written(self) -> tuple[int, int]:
        """How many writes this process committed to this database since it was opened (a cache key for what
        depends on the data; a file reopened after ``close_all`` may have been replaced: a new epoch)."""
        return _epoch[0], _generations.get(self.path, 0)

    def _memo(self, key, compute):
        """``compute()`` remembered until this process writes to the database again (reads a page run repeats:
        which datasets there are, which periods, the data version)."""
        written = self._written()
        memo = _memos.setdefault(self.path, {})
        if memo.get(_WRITTEN) != written:
            memo.clear()
            memo[_WRITTEN] = written
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    def _bump(self) -> None:
        with _generation_lock:
            _generations[self.path] = _generations.get(self.path, 0) + 1

    def _write(self, work, batch: bool | Callable = False):
        try:
            return self._write_now(work, batch)
        finally:  # also after a failed write: a rolled-back write changes nothing, a recount costs one query
            self._bump()

    def _write_now(self, work, batch: bool | Callable = False):
        """Run ``work(cursor)`` in its own transaction on the database's writer thread, after every write
        queued before it; returns its result once committed (its exception is raised here).
        ``batch=True``: may commit together with other such writes waiting at the same moment;
        ``batch=handler``: ``work`` is an item that ``handler(cursor, items)`` writes together with the
        others waiting (one result per item; an exception as result is raised in its caller).
        Inside ``transaction`` (this thread holds the writer) it runs in that transaction instead."""

        def here(cur):
            if not callable(batch):
                return work(cur)
            result = batch(cur, [work])[0]
            if isinstance(result, BaseException):
                raise result
            return result

        if self.read_only:  # DuckDB refuses the write itself, in the caller
            with self._own_transaction() as cur:
                return here(cur)
        writer = _writer(self.path)
        if writer.held_here():
            if getattr(self._local, "in_transaction", False):
                return here(self._cursor())
            with self._own_transaction() as cur:
                return here(cur)
        return writer.run(work, batch)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A transaction on this thread's cursor while the writer waits (in queue order), for a long write
        that reports progress from the caller's thread (an import); other writes queue behind it."""
        if self.read_only:
            with self._own_transaction() as cur:
                yield cur
            return
        if getattr(self._local, "in_transaction", False):  # nested: part of the outer transaction
            yield self._cursor()
            return
        writer = _writer(self.path)
        if writer.in_writer():  # inside a write on the writer thread: part of it
            yield writer.cursor
            return
        hold = contextlib.nullcontext() if writer.held_here() else writer.hold()
        try:
            with hold, self._own_transaction() as cur:
                self._local.in_transaction = True
                try:
                    yield cur
                finally:
                    self._local.in_transaction = False
        finally:
            self._bump()

    @contextlib.contextmanager
    def _own_transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cur = self._cursor()
        cur.execute("BEGIN TRANSACTION")
        try:
            yield cur
            cur.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(duckdb.Error):  # a failed COMMIT has rolled back already
                cur.execute("ROLLBACK")
            raise

    def _query_df(self, sql: str, params: Iterable | None = None) -> pd.DataFrame:
        return self._cursor().execute(sql, list(params or [])).df()

    def _scalar(self, sql: str, params: Iterable | None = None):
        """The first value of the first row, or None (reads the whole result so no transaction lingers)."""
        rows = self._cursor().execute(sql, list(params or [])).fetchall()
        return rows[0][0] if rows else None

    def schema_version(self) -> int:
        rows = self._cursor().execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
        return int(rows[0][0]) if rows else 0

    def file_size(self) -> int:
        return self.path.stat().st_size if self.path.exists() else 0


# A server that stops (SIGTERM, the end of a CLI command) first runs the writes still queued.
atexit.register(close_all)
