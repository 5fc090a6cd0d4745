"""The store's one writer per database: order, failures, batching, shutdown, and poll answers under load."""

from __future__ import annotations

import threading

import duckdb
import pytest

from zorgzaam import polls
from zorgzaam.store import PollCapacityError, Store, close_all
from zorgzaam.store.connection import _writer


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "writer.duckdb")
    s._write(lambda cur: cur.execute("CREATE TABLE log (n INTEGER, thread INTEGER, i INTEGER, txid BIGINT)"))
    yield s
    close_all()


def _append(thread: int, i: int):
    """A write whose n is only right when no other write runs beside it (max + 1 read in the transaction)."""

    def work(cur):
        n = cur.execute("SELECT coalesce(max(n), 0) + 1 FROM log").fetchall()[0][0]
        cur.execute("INSERT INTO log VALUES (?, ?, ?, txid_current())", [n, thread, i])
        return n

    return work


def _rows(store):
    return store._cursor().execute("SELECT n, thread, i, txid FROM log ORDER BY n").fetchall()


def test_writes_from_many_threads_run_one_at_a_time_in_each_callers_order(store):
    threads, per_thread = 12, 25
    returned: dict[int, list[int]] = {t: [] for t in range(threads)}
    seen_own: list[bool] = []
    barrier = threading.Barrier(threads)

    def worker(t: int) -> None:
        barrier.wait()
        for i in range(per_thread):
            n = store._write(_append(t, i))
            returned[t].append(n)
            # the caller reads its own write at once, on its own cursor
            seen_own.append(store._scalar("SELECT count(*) FROM log WHERE thread = ? AND i = ?", [t, i]) == 1)

    pool = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    for th in pool:
        th.start()
    for th in pool:
        th.join()
    rows = _rows(store)
    assert [r[0] for r in rows] == list(range(1, threads * per_thread + 1))  # no n twice, none skipped
    for t in range(threads):
        mine = [(n, i) for n, thread, i, _ in rows if thread == t]
        assert [i for _, i in mine] == list(range(per_thread))  # each thread's writes in its own order
        assert returned[t] == [n for n, _ in mine]  # each caller got the n its write committed
    assert all(seen_own) and len(seen_own) == threads * per_thread


def test_a_failing_write_raises_in_its_caller_is_rolled_back_and_the_next_write_commits(store):
    store._write(_append(0, 0))

    def half_then_fail(cur):
        cur.execute("INSERT INTO log VALUES (99, 0, 1, NULL)")
        cur.execute("INSERT INTO no_such_table VALUES (1)")

    with pytest.raises(duckdb.CatalogException):
        store._write(half_then_fail)
    with pytest.raises(ValueError, match="mine"):
        store._write(lambda cur: (_ for _ in ()).throw(ValueError("mine")))
    assert store._write(_append(0, 2)) == 2
    assert [(r[0], r[2]) for r in _rows(store)] == [(1, 0), (2, 2)]  # the 99 of the failed write is gone


def test_writes_waiting_together_commit_together_and_only_the_failing_one_raises(store):
    n = 40
    results: dict[int, object] = {}
    ready = threading.Barrier(n + 1)

    def answer(t: int) -> None:
        ready.wait()
        work = _append(t, 0)
        if t == 7:

            def work(cur):  # noqa: F811 - this caller's write fails after writing
                _append(t, 0)(cur)
                raise RuntimeError("kapot")

        try:
            results[t] = store._write(work, batch=True)
        except RuntimeError as exc:
            results[t] = exc

    pool = [threading.Thread(target=answer, args=(t,)) for t in range(n)]
    for th in pool:
        th.start()
    with store._transaction():  # hold the writer so that every answer is queued before it runs
        ready.wait()
        writer = _writer(store.path)
        while writer._queue.qsize() < n:
            threading.Event().wait(0.005)
    for th in pool:
        th.join()
    assert isinstance(results[7], RuntimeError)
    rows = _rows(store)
    assert sorted(r[1] for r in rows) == [t for t in range(n) if t != 7]
    assert [r[0] for r in rows] == list(range(1, n))


def test_answers_arriving_together_share_one_transaction(store):
    n = 30
    ready = threading.Barrier(n + 1)
    pool = [
        threading.Thread(target=lambda t=t: (ready.wait(), store._write(_append(t, 0), batch=True))) for t in range(n)
    ]
    for th in pool:
        th.start()
    with store._transaction():
        ready.wait()
        writer = _writer(store.path)
        while writer._queue.qsize() < n:
            threading.Event().wait(0.005)
    for th in pool:
        th.join()
    txids = {r[3] for r in _rows(store)}
    assert len(_rows(store)) == n
    assert len(txids) < n  # at least some answers committed in one transaction (all, unless one raced the hold)


def test_close_all_runs_the_queued_writes_first(tmp_path):
    path = tmp_path / "flush.duckdb"
    store = Store(path)
    store._write(lambda cur: cur.execute("CREATE TABLE log (n INTEGER, thread INTEGER, i INTEGER, txid BIGINT)"))
    writer = _writer(path)
    futures = [writer.submit(_append(0, i)) for i in range(200)]
    close_all()
    assert all(f.done() for f in futures)
    again = Store(path)
    assert again._scalar("SELECT count(*) FROM log") == 200
    assert again._scalar("SELECT max(n) FROM log") == 200
    close_all()


def test_n_participants_answering_nine_questions_at_once_store_exactly_n_times_nine(tmp_path):
    store = Store(tmp_path / "poll.duckdb")
    try:
        session, token = polls.create_session(store, "Tegelijk", polls.bouwstenen_questions())
        n = 25
        pids = [polls.new_participant_id() for _ in range(n)]
        barrier = threading.Barrier(n)
        errors: list[Exception] = []

        def participant(i: int, offset: int) -> None:
            barrier.wait()
            for q in range(1, 10):
                try:
                    polls.answer(store, session.join_code, pids[i], q, (i + q + offset) % 5 + 1)
                except Exception as exc:  # noqa: BLE001 - counted below
                    errors.append(exc)

        for offset in (0, 1):  # first answers, then every participant changes all nine
            pool = [threading.Thread(target=participant, args=(i, offset)) for i in range(n)]
            for th in pool:
                th.start()
            for th in pool:
                th.join()
            frame = store.poll_answers(session.session_id, round=1)
            assert errors == []
            assert len(frame) == n * 9
            assert not frame.duplicated(["question_id", "participant_id"]).any()
            expected = {(pids[i], q): str((i + q + offset) % 5 + 1) for i in range(n) for q in range(1, 10)}
            assert {(r.participant_id, int(r.question_id)): r.value for r in frame.itertuples()} == expected
    finally:
        close_all()


@pytest.mark.parametrize("together", [False, True])
def test_the_participant_cap_and_one_vote_per_question_hold_when_answers_arrive_at_once(tmp_path, together):
    """``together``: every answer is queued before the writer runs, so they are written as one batch."""
    store = Store(tmp_path / "cap.duckdb")
    try:
        session, _ = polls.create_session(store, "Vol", polls.bouwstenen_questions())
        store.record_poll_answer(session.session_id, 1, "p00", None, "1", max_participants=5)
        n, cap = 12, 5
        barrier = threading.Barrier(n + 1)
        refused: list[int] = []
        rounds: list[int] = []

        def participant(i: int) -> None:
            barrier.wait()
            try:  # p00 (already counted) answers again, twice; p01 … p11 are new
                for value in ("4", "5") if i == 0 else ("3",):
                    rounds.append(
                        store.record_poll_answer(session.session_id, 1, f"p{i:02d}", None, value, max_participants=cap)
                    )
            except PollCapacityError:
                refused.append(i)

        pool = [threading.Thread(target=participant, args=(i,)) for i in range(n)]
        for th in pool:
            th.start()
        if together:
            with store._transaction():
                barrier.wait()
                writer = _writer(store.path)
                while writer._queue.qsize() < n:
                    threading.Event().wait(0.005)
        else:
            barrier.wait()
        for th in pool:
            th.join()
        frame = store.poll_answers(session.session_id)
        assert frame["participant_id"].nunique() == cap
        assert 0 not in refused and len(refused) == n - cap
        assert not frame.duplicated(["question_id", "participant_id"]).any()
        assert frame.loc[frame["participant_id"] == "p00", "value"].tolist() == ["5"]
        assert set(rounds) == {1}
    finally:
        close_all()
