"""Analysts' SQL runs in a worker process with hard limits.

Every query here would have frozen or exhausted the dashboard's own process before: it ran
the query in-process, where the timer only interrupted between batches, ``memory_limit`` did
not bound single function calls or the parser, and state a query registered stayed for every
later session.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from monitor.data import db, sandbox, sql_pool, store
from monitor.data.sandbox import SandboxError, run_select

# (query, the kinds it may end in). Each one ran for tens of seconds or grew the server by GBs.
RUNAWAY = [
    ("select levenshtein(repeat('a', 80000), repeat('b', 80000))", {"tijdslimiet"}),
    ("select length(repeat('x', 1000000000))", {"tijdslimiet", "geheugen"}),
    ("select len(range(600000000))", {"tijdslimiet", "geheugen"}),
    ("select len(string_split(repeat('a,', 400000000), ','))", {"tijdslimiet", "geheugen"}),
    ("select len(list_transform(range(300000000), lambda x: x + 1))", {"tijdslimiet", "geheugen"}),
    # a 100 MB string per row, 100 rows: about 12 s. The length depends on the row, so DuckDB
    # cannot fold it into one constant (folded, the query took about 1,6 s: too close to the
    # 2 s limit, and it sometimes finished in time)
    ("select max(length(repeat('ab', 50000000 + (i % 2)::int))) from range(100) t(i)", {"tijdslimiet", "geheugen"}),
    ("select levenshtein(repeat('a', 60000), repeat('b', 60000)), jaccard(repeat('a', 9), 'b')", {"tijdslimiet"}),
    ("select count(*) from range(1000000) a, range(1000000) b where a.range + b.range = -1", {"tijdslimiet"}),
]


def _rss_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@pytest.mark.parametrize(("sql", "kinds"), RUNAWAY, ids=[f"{i:02d}" for i in range(len(RUNAWAY))])
def test_a_runaway_query_is_stopped_in_its_worker_not_in_the_dashboard(sql, kinds):
    before = _rss_mb()
    start = time.monotonic()
    with pytest.raises(SandboxError) as info:
        run_select(sql, timeout_s=2)
    elapsed = time.monotonic() - start
    assert info.value.kind in kinds, info.value.message
    assert "gestopt" in info.value.message
    assert elapsed < 2 + sql_pool.KILL_GRACE_S + 1.5, f"pas na {elapsed:.1f} s gestopt"
    # The dashboard's process did not do the work: it did not grow.
    assert _rss_mb() - before < 100
    assert run_select("select 42 as n").frame["n"].iloc[0] == 42


def test_the_time_limit_is_a_hard_kill_and_the_worker_is_replaced():
    pool = sql_pool.pool()
    run_select("select 1")
    replaced = pool.replaced
    with pytest.raises(SandboxError) as info:
        # One scalar call that never looks at DuckDB's interrupt: only a kill stops it.
        run_select("select levenshtein(repeat('a', 100000), repeat('b', 100000))", timeout_s=1)
    assert info.value.kind == "tijdslimiet"
    assert "vervangen" in info.value.message
    assert pool.replaced == replaced + 1
    assert run_select("select 2 as n").frame["n"].iloc[0] == 2


def test_a_worker_that_dies_gives_a_dutch_message_and_is_replaced():
    pool = sql_pool.pool()
    run_select("select 1")
    pids = pool.pids()
    assert pids
    # Whatever kills the process (the kernel's OOM killer, a crash): the same as SIGKILL here.
    original = sql_pool.Worker.request

    def die_first(worker, message, deadline):
        os.kill(worker.pid, 9)
        time.sleep(0.2)
        return original(worker, message, deadline)

    sql_pool.Worker.request = die_first
    try:
        with pytest.raises(SandboxError) as info:
            run_select("select 1")
    finally:
        sql_pool.Worker.request = original
    assert info.value.kind == "geheugen"
    assert "rekenproces" in info.value.message and "vervangen" in info.value.message
    assert run_select("select 3 as n").frame["n"].iloc[0] == 3


def test_memory_is_capped_by_the_operating_system():
    with pytest.raises(SandboxError) as info:
        run_select("select list(range) from range(400000000)")
    assert info.value.kind == "geheugen"
    assert "geheugen" in info.value.message


def _max_stall(during) -> float:
    """The longest gap between ticks of a thread that wants the GIL every 5 ms, while ``during`` runs."""
    gaps, stop = [], threading.Event()

    def tick():
        last = time.monotonic()
        while not stop.is_set():
            time.sleep(0.005)
            now = time.monotonic()
            gaps.append(now - last)
            last = now

    ticker = threading.Thread(target=tick)
    ticker.start()
    try:
        during()
    finally:
        stop.set()
        ticker.join()
    return max(gaps)


def test_parsing_a_huge_in_list_does_not_stop_the_dashboard():
    """Parsing 200.000 literals took 8,6 s and held every other thread of the server for 2,6 s."""
    huge = "select 1 where 1 in (" + ",".join(str(i) for i in range(200_000)) + ")"

    def run():
        try:
            run_select(huge, timeout_s=3, max_sql_chars=len(huge))
        except SandboxError as error:
            assert error.kind in ("tijdslimiet", "geheugen")

    assert _max_stall(run) < 0.3


def test_a_very_long_query_text_is_refused_before_it_is_sent():
    with pytest.raises(SandboxError) as info:
        run_select("select 1 where 1 in (" + ",".join(str(i) for i in range(200_000)) + ")")
    assert info.value.kind == "verboden"
    assert "tekens" in info.value.message


def test_another_session_reruns_quickly_during_a_runaway_query():
    """Two AppTest sessions of the dashboard in this process: one runs away, the other reruns."""
    from tests.pages.app import open_page

    other = open_page("sql", {"sql": "select name from regions order by name"}, timeout=60)
    outcome = {}

    def runaway():
        try:
            run_select("select levenshtein(repeat('a', 90000), repeat('b', 90000))", timeout_s=4)
        except SandboxError as error:
            outcome["kind"] = error.kind

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)
    timings = []
    for _ in range(3):
        start = time.monotonic()
        other.run()
        timings.append(time.monotonic() - start)
        assert not other.exception
    assert thread.is_alive(), "the runaway query should still be running"
    thread.join()
    assert outcome["kind"] == "tijdslimiet"
    assert max(timings) < 1.5, timings
    assert not db.query("data_peildatum").empty


# --- nothing carries over from one query to the next -------------------------------------

STATE_CHANGES = [
    # (a query that changes state and returned Success before, a query that shows the state)
    ("select * from register_external_resource_type('t', kind := 'database', create_function := 'c')",
     "select count(*) as n from duckdb_external_resource_types()"),
    ("select * from register_external_resource_type('t2', kind := 'database', create_function := 'c'), "
     "register_external_resource('t2', 'x', map {'a': 'b'})",
     "select count(*) as n from duckdb_external_resources()"),
    ("select * from checkpoint()", "select count(*) - 0 as n from duckdb_tables() where temporary"),
    ("select * from enable_logging()", "select count(*) as n from duckdb_settings() "
                                       "where name = 'enable_logging' and value not in ('0', 'false')"),
    ("select * from enable_profiling()", "select count(*) as n from duckdb_settings() "
                                         "where name = 'enable_profiling' and value is not null"),
    ("select getvariable('x') as n", "select count(*) as n from duckdb_variables()"),
]


@pytest.mark.parametrize(("change", "probe"), STATE_CHANGES, ids=[f"{i:02d}" for i in range(len(STATE_CHANGES))])
def test_no_state_carries_over_to_the_next_query(change, probe):
    try:
        run_select(change)
    except SandboxError:
        pass  # refused is fine too; what matters is the next query
    for _ in range(sql_pool.pool().size + 1):  # whichever worker answers next
        assert int(run_select(probe).frame["n"].iloc[0]) == 0


def test_each_query_gets_a_fresh_database_instance():
    first = run_select("select * from register_external_resource_type('mine', kind := 'database', "
                       "create_function := 'c')")
    assert bool(first.frame.iloc[0, 0])
    again = run_select("select * from register_external_resource_type('mine', kind := 'database', "
                       "create_function := 'c')")
    assert bool(again.frame.iloc[0, 0])  # not "already registered": the registration is gone


def test_the_dashboard_process_never_opens_the_sandbox_for_a_query(monkeypatch):
    """Parsing and running are the worker's: the dashboard's DuckDB never sees the text."""
    import duckdb

    seen = []
    original = duckdb.connect

    def spy(*args, **kwargs):
        seen.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(duckdb, "connect", spy)
    sandbox.sandbox_file()  # built before: no connection needed now
    run_select("select count(*) as n from regions")
    assert seen == []
    assert store.read_frame("regions").shape[0] == run_select("select count(*) as n from regions").frame["n"][0]
