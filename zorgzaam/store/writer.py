"""One writer per database file: a thread that runs every write in order, on its own cursor.

The model is datasette's ``execute_write_fn``: callers put a write (a function of a cursor) on a
queue and block on a future until the writer thread has committed it, so they see their own
writes and a write's exception is raised in its caller. Nothing is retried: DuckDB's optimistic
concurrency never meets two of our writes at once, because only this thread writes.

- A failing write is rolled back alone; the next one runs as if nothing happened.
- Writes of one kind that are waiting together commit in one transaction (``batch``): either
  plain works run one after the other (``batch=True``), or items handed together to one function
  that writes them all with a few statements (``batch=handler``, ``handler(cursor, items)`` → one
  result per item; a result that is an exception is raised in that item's caller only: poll
  answers). When the transaction fails, it is rolled back and each write is run again in its own,
  so only the failing one raises (in its own caller).
- A long write that must stay in its caller's thread (an import reporting progress to the page)
  *holds* the writer (``hold``): the writer waits, in queue order, until the caller's own
  transaction is over, so it is still the only write running.
- ``close`` runs what is queued, then stops the thread (``store.close_all`` flushes that way).
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future

import duckdb

from .errors import StoreError

_STOP = object()


def _each(cur: duckdb.DuckDBPyConnection, works: Sequence[Callable]) -> list:
    """The batch handler of plain works: each in turn, in the one transaction."""
    return [work(cur) for work in works]


def _outcome(future: Future, result) -> None:
    if isinstance(result, BaseException):
        future.set_exception(result)
    else:
        future.set_result(result)


class Writer:
    """The writer thread of one open database (``con``)."""

    MAX_BATCH = 500

    def __init__(self, con: duckdb.DuckDBPyConnection, name: str) -> None:
        self._con = con
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._closed = False
        self._submit_lock = threading.Lock()
        self._holder: int | None = None  # thread ident of the caller holding the writer
        self._thread = threading.Thread(target=self._run, name=f"zorgzaam-writer {name}", daemon=True)
        self._ready = threading.Event()
        self._thread.start()
        self._ready.wait()

    # --- callers ---------------------------------------------------------------------------

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        return self._con

    @property
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """The writer thread's cursor (only for code running on that thread)."""
        return self._cursor

    def in_writer(self) -> bool:
        return threading.current_thread() is self._thread

    def held_here(self) -> bool:
        """Whether the calling thread holds the writer (inside ``hold``)."""
        return self._holder == threading.get_ident()

    def submit(self, work, batch: bool | Callable = False) -> Future:
        """Queue ``work(cursor)`` (or, with a batch handler, the item ``work``); the future gives its
        result once it is committed (or its exception)."""
        handler = _each if batch is True else (batch or None)
        future: Future = Future()
        with self._submit_lock:
            if self._closed:
                raise StoreError("De databank is gesloten; er kan niets meer bewaard worden.")
            self._queue.put(("write", work, future, handler))
        return future

    def run(self, work, batch: bool | Callable = False):
        """Run a write (see ``submit``) on the writer thread; its result once committed."""
        if self.in_writer():  # a write inside a write: part of the same transaction
            if callable(batch):
                result = batch(self._cursor, [work])[0]
                if isinstance(result, BaseException):
                    raise result
                return result
            return work(self._cursor)
        return self.submit(work, batch).result()

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        """Keep the writer waiting (after what is queued before) while the caller writes on its own cursor."""
        granted, released = threading.Event(), threading.Event()
        with self._submit_lock:
            if self._closed:
                raise StoreError("De databank is gesloten; er kan niets meer bewaard worden.")
            self._queue.put(("hold", (threading.get_ident(), granted, released), None, False))
        granted.wait()
        try:
            yield
        finally:
            released.set()

    def close(self) -> None:
        """Run every queued write, then stop."""
        with self._submit_lock:
            if self._closed:
                return
            self._closed = True
            self._queue.put(_STOP)
        if not self.in_writer():
            self._thread.join()

    # --- the thread ------------------------------------------------------------------------

    def _run(self) -> None:
        self._cursor = self._con.cursor()  # made and used on this thread only
        self._ready.set()
        pending = None
        try:
            while True:
                job = pending if pending is not None else self._queue.get()
                pending = None
                if job is _STOP:
                    return
                kind, work, future, handler = job
                if kind == "hold":
                    holder, granted, released = work
                    self._holder = holder
                    granted.set()
                    released.wait()
                    self._holder = None
                    continue
                jobs = [job]
                while handler is not None and len(jobs) < self.MAX_BATCH:
                    try:
                        following = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if following is _STOP or following[0] != "write" or following[3] is not handler:
                        pending = following
                        break
                    jobs.append(following)
                if handler is None:
                    self._one(work, future)
                else:
                    self._batch(handler, jobs)
        finally:
            with contextlib.suppress(duckdb.Error):
                self._cursor.close()

    def _one(self, work: Callable, future: Future) -> None:
        cur = self._cursor
        try:
            cur.execute("BEGIN TRANSACTION")
            result = work(cur)
            cur.execute("COMMIT")
        except BaseException as exc:  # noqa: BLE001 - it belongs to the caller, raised there
            with contextlib.suppress(duckdb.Error):  # a failed COMMIT has rolled back already
                cur.execute("ROLLBACK")
            future.set_exception(exc)
        else:
            future.set_result(result)

    def _batch(self, handler: Callable, jobs: list) -> None:
        cur = self._cursor
        try:
            cur.execute("BEGIN TRANSACTION")
            results = handler(cur, [work for _kind, work, _future, _handler in jobs])
            cur.execute("COMMIT")
        except BaseException as exc:  # noqa: BLE001 - each runs again alone, and only the failing one raises
            with contextlib.suppress(duckdb.Error):  # a failed COMMIT has rolled back already
                cur.execute("ROLLBACK")
            if len(jobs) == 1:
                jobs[0][2].set_exception(exc)
            else:
                for job in jobs:
                    self._batch(handler, [job])
            return
        for (_kind, _work, future, _handler), result in zip(jobs, results):
            _outcome(future, result)
