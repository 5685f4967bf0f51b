"""The catalog for datasets on object storage (``MONITOR_DATA_URL=s3://…``).

The same database as ``monitor.data.catalog`` builds for a local folder, read through the
bucket instead: the pointer is read once per refresh and every table comes from the objects it
names (one generation, never a mix).

* A table of at most ``catalog.IN_MEMORY_BYTES`` (every table but a national store's
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
from pathlib import Path

import duckdb
import pyarrow as pa

from monitor.data import catalog, event_reader, objectcache, objectstore, private_schema, store
from monitor.data.contract import EVENT_TABLES, PRIVATE_TABLES, TABLES
from monitor.data.errors import DatasetUnreadable

log = logging.getLogger(__name__)
_in_use: dict[str, list[str]] = {}  # bucket URL -> the cached files its views read


def database(bucket: objectstore.S3Store, private: bool = False) -> duckdb.DuckDBPyConnection:
    """The process's DuckDB database for a bucket (views refreshed when the pointer or the
    events change)."""
    key = bucket.url
    with catalog.build_lock, catalog._lock:
        con = catalog._databases.get(key)
        if con is None:
            store.recover(key)
            con = duckdb.connect(":memory:", config=catalog.DUCKDB_CONFIG)
            con.register_filesystem(bucket.fs)
            catalog._databases[key] = con
        presence = bucket.state(EVENT_TABLES)
        loaded = catalog._private_state.get(key)
        wanted = (private_schema.private_key(key) if private
                  else (loaded if loaded is not None else catalog._NOT_LOADED))
        views_stale = catalog._view_state.get(key) != presence
        private_stale = loaded != wanted
        if views_stale:
            attach(con, bucket)
        else:
            touch_in_use(bucket)
        if private_stale:
            if wanted == catalog._NOT_LOADED:
                private_schema.placeholder(con)
            else:
                private_schema.load(con, key)
        if views_stale or private_stale:
            catalog._attach_derived_views(con)
            catalog._view_state[key] = presence
            catalog._private_state[key] = wanted
    return con


def attach(con: duckdb.DuckDBPyConnection, bucket: objectstore.S3Store) -> None:
    """A view per table of the current generation (resolved once). The objects are fetched
    concurrently (at most ``objectstore.FETCH_WORKERS`` at a time: every table, then per
    event table its uncached event objects), the views made one after the other
    in ``TABLES`` order."""
    pointer = bucket.current()
    names = [name for name in TABLES if name not in PRIVATE_TABLES]
    calls = [lambda name=name: _fetch(bucket, pointer, name) for name in names]
    fetched = dict(zip(names, objectstore.parallel(calls)))
    in_use = []
    for name in names:
        kind, got = fetched[name]
        if name in EVENT_TABLES:
            built = got if got is not None else store.empty_table(name)
            _in_memory(con, name, event_reader.read_events(name, bucket.url, built=built).table)
        elif kind == "view":
            try:
                con.read_parquet(got).create_view(name, replace=True)
            except duckdb.Error as exc:  # a large table's object: gone, unreachable or damaged
                raise (bucket.scan_problem(exc) or DatasetUnreadable(got, store.unreadable_reason(exc))) from exc
            in_use += [got] if not got.startswith("s3://") else []
        else:
            _in_memory(con, name, got if got is not None else store.empty_table(name))
    _in_use[bucket.url] = in_use


def _fetch(bucket: objectstore.S3Store, pointer: objectstore.Pointer, name: str) -> tuple[str, object]:
    """("view", a local copy's path or the object's URL) for a large table, else ("table", the
    decoded table or None when the generation has none)."""
    rel = pointer.tables.get(name)
    size = (pointer.sizes or {}).get(name, 0)
    if rel is not None and name not in EVENT_TABLES and size > catalog.IN_MEMORY_BYTES:
        local = bucket.local_copy(rel, (pointer.etags or {}).get(name), size or None)
        return "view", local or bucket.object_url(rel)
    return "table", bucket.read_table(name, pointer) if rel is not None else None


def touch_in_use(bucket: objectstore.S3Store) -> None:
    """Keep the cached files this process's views read from being evicted by another process."""
    cache = objectcache.configured()
    if cache is not None and _in_use.get(bucket.url):
        cache.touch(Path(path) for path in _in_use[bucket.url])


def _in_memory(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    con.from_arrow(table).create(f"_mem_{name}_new")
    catalog._swap_in(con, name)
