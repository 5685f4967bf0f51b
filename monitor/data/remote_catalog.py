"""The catalog for datasets on object storage (``MONITOR_DATA_URL=s3://…``, issue 17).

The same database as ``monitor.data.catalog`` builds for a local folder, read through the
bucket instead: the pointer is read once per refresh and every table comes from the objects it
names (one generation, never a mix).

* A table of at most ``catalog.IN_MEMORY_BYTES`` (every table but a national store's
  observations) is fetched in one GET, decoded by pyarrow and copied into DuckDB's memory.
* A bigger one is a view DuckDB scans through fsspec: the bucket's ``s3fs.S3FileSystem`` is
  registered on the connection (``register_filesystem``; DuckDB's own httpfs extension is not
  needed) and the view is ``read_parquet('s3://…')``, with filter pushdown on the sort order.
* The event tables are the built table plus every event object, in memory, copied again when
  the listing changes.

What changed is polled (``S3Store.state``: the pointer's ETag and each event table's listing)
at most every ``objectstore.POLL_S`` seconds, so a query does not pay a round trip; a change
made by this process is seen at once, one made by another replica after at most that long.
"""

from __future__ import annotations

import logging

import duckdb
import pyarrow as pa

from monitor.data import catalog, objectstore, private_schema, store
from monitor.data.contract import EVENT_TABLES, PRIVATE_TABLES, TABLES

log = logging.getLogger(__name__)


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
    """A view per table of the current generation (resolved once)."""
    pointer = bucket.current()
    for name in TABLES:
        if name in PRIVATE_TABLES:
            continue
        rel = pointer.tables.get(name)
        size = (pointer.sizes or {}).get(name, 0)
        if name in EVENT_TABLES:
            recorded, _stems = bucket.read_events(name)
            built = bucket.read_table(name, pointer)
            parts = ([built] if built is not None else []) + recorded
            table = pa.concat_tables(parts) if parts else store.empty_table(name)
            _in_memory(con, name, table)
        elif rel is None:
            _in_memory(con, name, store.empty_table(name))
        elif size > catalog.IN_MEMORY_BYTES:
            con.read_parquet(bucket.object_url(rel)).create_view(name, replace=True)
        else:
            _in_memory(con, name, bucket.read_table(name, pointer))


def _in_memory(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    con.from_arrow(table).create(f"_mem_{name}_new")
    catalog._swap_in(con, name)
