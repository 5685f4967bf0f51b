"""The catalog: what a dataset folder looks like inside the process's DuckDB database.

* One DuckDB database per process (and per dataset folder), holding a view per curated
  table. A table whose file is at most ``IN_MEMORY_BYTES`` is copied into memory (no file
  open, footer parse or decompression per query); a bigger one (observations at national
  scale) is a view that scans its Parquet file per query, with filter pushdown on its sort
  order. Both are rebuilt when the file changes, so a new import shows at once.
* The tables users change (``EVENT_TABLES``) are what ``monitor.data.event_reader`` returns
  (the built Parquet file plus every recorded event that counts, read by column name; foreign
  files and bad rows left out and reported), copied into memory and copied again when the
  events folder changes (hundreds of one-row files are too slow to open per query).
* Private tables (``PRIVATE_TABLES``: the raw Veilig Thuis counts) never get a view of their
  own; they live in the schema ``vt_private`` (``monitor.data.private_schema``), loaded only
  when ``database(..., private=True)`` is asked for.
* A dataset file that cannot be read gets a view of the contract's columns whose every scan
  fails with ``error('<Dutch message naming the file>')`` (``attach_error_view``; finding the
  file: ``monitor.data.forensics``): only the queries that read that table fail.
* The shared views of ``queries/views/*.sql`` are (re)created after every change.
* The first use of a dataset folder in a process is its start: ``store.recover`` completes
  an import killed after its commit point and removes what a killed writer left behind
  (looking before it locks: a read-only folder is only read). The hidden ``.tmp`` file of a
  killed recording is removed by the next recording, never by a reader.
* A dataset URL (``MONITOR_DATA_URL=s3://…``) gets the same database, read through the bucket
  (``_remote_database``): the pointer is read once per refresh and every table comes from the objects it
  names (one generation, never a mix).

  * A table of at most ``IN_MEMORY_BYTES`` (every table but a national store's
    observations) is fetched in one GET, decoded by pyarrow and copied into DuckDB's memory.
  * A bigger one is a view DuckDB scans through fsspec: the bucket's ``s3fs.S3FileSystem`` is
    registered on the connection (``register_filesystem``; DuckDB's own httpfs extension is not
    needed) and the view is ``read_parquet('s3://…')``, with filter pushdown on the sort order.
  * The event tables are what ``monitor.data.event_reader`` returns (the built table plus every
    event object that counts, read by column name), in memory, copied again when the listing
    changes.

  What changed is polled (``S3Store.state``: the pointer's ETag and each event table's listing)
  at most every ``objectstore.POLL_S`` seconds, so a query does not pay a round trip; a change
  made by this process is seen at once, one made by another replica after at most that long.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow as pa

from monitor.data import (event_reader, forensics, objectcache, objectstore, private_schema, queryfiles,
                          snapshot, store)
from monitor.data.contract import EVENT_TABLES, PRIVATE_TABLES, TABLES
from monitor.data.errors import DatasetUnreadable, unreadable_reason
from monitor.domain import privacy

# Dataset files up to this size are copied into memory; larger ones (observations at national
# scale) are scanned from Parquet per query, with filter pushdown on the sort order.
IN_MEMORY_BYTES = 16 * 1024 * 1024
# DuckDB's own memory (in-memory tables, scan buffers, hash tables) is capped so the serving
# process stays within the 500 MB goal at national scale next to Python, Streamlit and pandas
# (bench/RESULTS.md); a query that needs more spills to a private temporary folder.
DUCKDB_CONFIG = {"memory_limit": "128MB",
                 "temp_directory": os.path.join(tempfile.gettempdir(), f"monitor-duckdb-{os.getpid()}")}

_lock = threading.Lock()
# Held (before _lock) by everything that changes the database's catalog: re-attaching views and
# building materialised tables (``monitor.data.materialise``).
build_lock = threading.Lock()
_databases: dict[Path, duckdb.DuckDBPyConnection] = {}
_view_state: dict[Path, tuple] = {}
_private_state: dict[Path, tuple] = {}
_NOT_LOADED = ("not loaded",)
log = logging.getLogger(__name__)
_in_use: dict[str, list[str]] = {}  # bucket URL -> the cached files its views read

def events_dir(directory: Path, table: str) -> Path:
    return directory / "events" / table


def _events_state(directory: Path, table: str) -> tuple:
    """The events folder's modification time and entry count (a rename into it changes both)."""
    return event_reader.folder_state(events_dir(directory, table))


def folder_key(directory: str | Path | None) -> Path | str:
    """The key of a dataset folder in this process: its resolved path, or its ``s3://`` URL
    (resolved once per page run: ``monitor.data.snapshot``)."""
    return snapshot.remembered(("folder", directory), lambda: _folder_key(directory))


def _folder_key(directory: str | Path | None) -> Path | str:
    target = store.dataset_dir(directory)
    return target if isinstance(target, str) else target.resolve()


def fingerprint(directory: Path) -> tuple:
    """What identifies the folder's current state: its generation, every table file's
    modification time and size, the event folders and the privacy settings. Read once per page
    run (``monitor.data.snapshot``), so one run shows one state."""
    return snapshot.remembered(("fingerprint", directory), lambda: _fingerprint(directory))


def _fingerprint(directory: Path) -> tuple:
    bucket = store.remote(directory)
    if bucket is not None:
        return bucket.state(EVENT_TABLES) + (("privacy", *privacy.settings_key()),)
    generation = store.generation_dir(directory)
    parts = [("generation", generation.name)]
    for table in EVENT_TABLES:
        parts.append((table, *_events_state(directory, table)))
    for name in TABLES:
        path = store.table_path(name, generation=generation)
        try:
            stat = path.stat()
            parts.append((name, stat.st_mtime_ns, stat.st_size))
        except FileNotFoundError:
            parts.append((name, None, None))
    # The privacy settings change what the protected view shows.
    parts.append(("privacy", *privacy.settings_key()))
    return tuple(parts)


def _attach_views(con: duckdb.DuckDBPyConnection, directory: Path) -> None:
    # One generation for every table (resolved once), so the views never mix old and new.
    generation = store.generation_dir(directory)
    for name in TABLES:
        if name in PRIVATE_TABLES:
            continue  # never a view over raw counts; see _load_private
        path = store.table_path(name, generation=generation)
        problem = forensics.file_problem(path, name)
        if problem is None:
            try:
                _attach_view(con, directory, name, path)
            except duckdb.Error as exc:  # what the footer check did not see (a broken page)
                problem = forensics.find_culprit(directory, name, exc)
            except DatasetUnreadable as exc:  # the built history of an event table, decoded
                problem = forensics.remember_failure(exc)
        forensics.remember_error_view(directory, name, problem)
        if problem is not None:
            log.error("%s", problem)
            attach_error_view(con, name, problem)


def in_memory(path: Path) -> bool:
    """Whether a table is copied into memory rather than scanned from its file per query."""
    try:
        return path.stat().st_size <= IN_MEMORY_BYTES
    except FileNotFoundError:
        return True


def _attach_view(con: duckdb.DuckDBPyConnection, directory: Path, name: str, path: Path) -> None:
    if name in EVENT_TABLES:
        # The built history plus every recorded event that counts (the one reader, by column
        # name), copied into memory: opening hundreds of one-row files per query costs tens of
        # milliseconds. ``database`` copies again whenever the events folder changes.
        con.from_arrow(event_reader.read_events(name, directory).table).create(f"_mem_{name}_new")
        _swap_in(con, name)
    elif path.exists() and in_memory(path):
        # Small tables live in memory (a few MB at national scale): no file open, footer parse
        # or decompression per query. Rebuilt when the file changes.
        con.read_parquet(str(path)).create(f"_mem_{name}_new")
        _swap_in(con, name)
    elif path.exists():
        con.read_parquet(str(path)).create_view(name, replace=True)
    else:
        # A missing table reads as empty, with the contract's columns. A real (empty)
        # table, not a registered Arrow object: registrations are not seen by cursors.
        holder = f"_empty_{name}"
        if holder not in _tables(con):
            con.from_arrow(store.empty_table(name)).create(holder)
        con.table(holder).create_view(name, replace=True)


def _swap_in(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Make the freshly copied ``_mem_<name>_new`` the table behind the view ``name``."""
    queryfiles.run(con, "drop_table", {"schema": "main", "table": f"_mem_{name}"})
    queryfiles.run(con, "rename_table", {"table": f"_mem_{name}_new", "new_name": f"_mem_{name}"})
    con.table(f"_mem_{name}").create_view(name, replace=True)


def attach_error_view(con: duckdb.DuckDBPyConnection, name: str, problem: DatasetUnreadable) -> None:
    """A view with the contract's columns that fails, when scanned, with the problem's message."""
    holder = f"_empty_{name}"
    if holder not in _tables(con):
        con.from_arrow(store.empty_table(name)).create(holder)
    # Built with DuckDB's expression API (no SQL text): the message is a constant, not spliced.
    fail = duckdb.FunctionExpression("error", duckdb.ConstantExpression(str(problem)))
    # Every column is the error too (over a column of range(1), so the optimizer cannot fold
    # it to a constant): a filter on a column fails as well as a count(*).
    first_row = duckdb.ColumnExpression("range") == duckdb.ConstantExpression(0)
    contract = con.table(holder)
    columns = [duckdb.CaseExpression(first_row, fail).cast(column_type).alias(column)
               for column, column_type in zip(contract.columns, contract.types)]
    con.table_function("range", [1]).filter(fail.isnull()).select(*columns).create_view(name, replace=True)


def _attach_derived_views(con: duckdb.DuckDBPyConnection) -> None:
    """Views over the curated tables that many queries share (``queries/views/*.sql``)."""
    for path in sorted(queryfiles.VIEWS_DIR.glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {row[0] for row in queryfiles.run(con, "tables").fetchall()}


def database(directory: str | Path | None = None, private: bool = False) -> duckdb.DuckDBPyConnection:
    """The process's DuckDB database for a dataset folder (views refreshed when files appear).

    ``private``: also (re)load the Veilig Thuis cells when they are stale (a query whose
    declared reads reach ``vt_private``); without it they are loaded only once some query
    needs them, so a cold start and the other pages never wait for the suppression pattern."""
    bucket = store.remote(directory)
    if bucket is not None:
        return _remote_database(bucket, private)
    directory = store.dataset_dir(directory).resolve()
    with build_lock, _lock:
        con = _databases.get(directory)
        if con is None:
            # The folder's first use in this process is its start: finish or remove what an
            # import killed earlier left behind (store.recover; a reader never writes otherwise).
            store.recover(directory)
            con = duckdb.connect(":memory:", config=DUCKDB_CONFIG)
            _databases[directory] = con
        # Views are rebuilt when a file appears, disappears or changes (a corrupt file may be
        # replaced by a good one: it heals without a restart) and when a scan failed.
        generation = store.generation_dir(directory)
        presence = ((generation.name,)
                    + tuple(forensics.file_stat(store.table_path(n, generation=generation))
                            for n in TABLES if n not in PRIVATE_TABLES)
                    + tuple(_events_state(directory, n) for n in EVENT_TABLES) + forensics.scan_state(directory))
        _refresh(con, directory, presence, private, lambda: _attach_views(con, directory))
    return con


def _refresh(con: duckdb.DuckDBPyConnection, key: Path | str, presence: tuple, private: bool,
             attach: Callable[[], None], unchanged: Callable[[], None] = lambda: None) -> None:
    """Re-attach the views (``attach``) when ``presence`` differs from what they were built for
    (else call ``unchanged``), (re)load the private cells when they are stale, and rebuild the
    shared views after either."""
    loaded = _private_state.get(key)
    # Without ``private`` the private state stays as it is (stale cells are refreshed by
    # the next query that reads them).
    wanted = private_schema.private_key(key) if private else (loaded if loaded is not None else _NOT_LOADED)
    views_stale = _view_state.get(key) != presence
    private_stale = loaded != wanted
    if views_stale:
        attach()
    else:
        unchanged()
    if private_stale:
        if wanted == _NOT_LOADED:
            private_schema.placeholder(con)
        else:
            private_schema.load(con, key)
    if views_stale or private_stale:
        _attach_derived_views(con)
        _view_state[key] = presence
        _private_state[key] = wanted


def state(directory: Path) -> tuple:
    """The state the folder's views and private snapshot were last built for: what a
    materialised table built on them depends on."""
    return (_view_state.get(directory), _private_state.get(directory))


_in_use: dict[str, list[str]] = {}  # bucket URL -> the cached files its views read


def _remote_database(bucket: objectstore.S3Store, private: bool = False) -> duckdb.DuckDBPyConnection:
    """The process's DuckDB database for a bucket (views refreshed when the pointer or the
    events change)."""
    key = bucket.url
    with build_lock, _lock:
        con = _databases.get(key)
        if con is None:
            store.recover(key)
            con = duckdb.connect(":memory:", config=DUCKDB_CONFIG)
            con.register_filesystem(bucket.fs)
            _databases[key] = con
        _refresh(con, key, bucket.state(EVENT_TABLES), private, lambda: attach_remote(con, bucket),
                 lambda: touch_in_use(bucket))
    return con


def attach_remote(con: duckdb.DuckDBPyConnection, bucket: objectstore.S3Store) -> None:
    """A view per table of the current generation (resolved once). The objects are fetched
    concurrently (at most ``objectstore.FETCH_WORKERS`` at a time: every table, then per
    event table its uncached event objects), the views made one after the other
    in ``TABLES`` order."""
    pointer = bucket.current()
    names = [name for name in TABLES if name not in PRIVATE_TABLES]
    calls = [lambda name=name: _fetch_remote(bucket, pointer, name) for name in names]
    fetched = dict(zip(names, objectstore.parallel(calls)))
    in_use = []
    for name in names:
        kind, got = fetched[name]
        if name in EVENT_TABLES:
            built = got if got is not None else store.empty_table(name)
            _copy_in(con, name, event_reader.read_events(name, bucket.url, built=built).table)
        elif kind == "view":
            try:
                con.read_parquet(got).create_view(name, replace=True)
            except duckdb.Error as exc:  # a large table's object: gone, unreachable or damaged
                raise (bucket.scan_problem(exc) or DatasetUnreadable(got, unreadable_reason(exc))) from exc
            in_use += [got] if not got.startswith("s3://") else []
        else:
            _copy_in(con, name, got if got is not None else store.empty_table(name))
    _in_use[bucket.url] = in_use


def _fetch_remote(bucket: objectstore.S3Store, pointer: objectstore.Pointer, name: str) -> tuple[str, object]:
    """("view", a local copy's path or the object's URL) for a large table, else ("table", the
    decoded table or None when the generation has none)."""
    rel = pointer.tables.get(name)
    size = (pointer.sizes or {}).get(name, 0)
    if rel is not None and name not in EVENT_TABLES and size > IN_MEMORY_BYTES:
        local = bucket.local_copy(rel, (pointer.etags or {}).get(name), size or None)
        return "view", local or bucket.object_url(rel)
    return "table", bucket.read_table(name, pointer) if rel is not None else None


def touch_in_use(bucket: objectstore.S3Store) -> None:
    """Keep the cached files this process's views read from being evicted by another process."""
    cache = objectcache.configured()
    if cache is not None and _in_use.get(bucket.url):
        cache.touch(Path(path) for path in _in_use[bucket.url])


def _copy_in(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    con.from_arrow(table).create(f"_mem_{name}_new")
    _swap_in(con, name)
