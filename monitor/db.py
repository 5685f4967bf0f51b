"""The query layer: runs named SQL files from ``queries/`` with bound parameters.

* One DuckDB database per process (and per dataset folder), holding a view per curated
  table over its Parquet file. Views scan the file at query time, so a new import shows at
  once without a restart.
* A fresh cursor for every query run: the shared connection itself is not thread-safe,
  cursors on it are, so every Streamlit session thread gets its own.
* The tables users change (``EVENT_TABLES``) are views over the built Parquet file plus
  every append-only event file in ``datasets/events/<table>/``.
* Results are cached per (query, parameters, dataset fingerprint). The fingerprint is the
  modification time and size of every dataset file, so any import or edit invalidates the
  cache by itself.

Pages call ``query("name", param=value)`` and get a pandas DataFrame. SQL lives only in
``queries/<name>.sql``; parameters are DuckDB named parameters (``$gemeente``), never
formatted into the text.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from pathlib import Path

import duckdb
import pandas as pd

from monitor import store
from monitor.contract import EVENT_TABLES, TABLES

QUERIES_DIR = store.REPO_ROOT / "queries"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_CACHE_SIZE = 256

_lock = threading.Lock()
_databases: dict[Path, duckdb.DuckDBPyConnection] = {}
_view_state: dict[Path, tuple] = {}
_results: OrderedDict = OrderedDict()


class QueryError(Exception):
    pass


def query_path(name: str) -> Path:
    if not _NAME.match(name):
        raise QueryError(f"ongeldige querynaam '{name}'")
    path = QUERIES_DIR / f"{name}.sql"
    if not path.exists():
        raise QueryError(f"query '{name}' bestaat niet (verwacht {path})")
    return path


def events_dir(directory: Path, table: str) -> Path:
    return directory / "events" / table


def _has_events(directory: Path, table: str) -> bool:
    folder = events_dir(directory, table)
    return folder.is_dir() and any(folder.glob("*.parquet"))


def fingerprint(directory: Path) -> tuple:
    parts = []
    for table in EVENT_TABLES:
        folder = events_dir(directory, table)
        try:
            # A rename into the folder changes its mtime; the count guards coarse clocks.
            parts.append((table, folder.stat().st_mtime_ns, sum(1 for _ in folder.glob("*.parquet"))))
        except FileNotFoundError:
            parts.append((table, None, 0))
    for name in TABLES:
        path = directory / f"{name}.parquet"
        try:
            stat = path.stat()
            parts.append((name, stat.st_mtime_ns, stat.st_size))
        except FileNotFoundError:
            parts.append((name, None, None))
    return tuple(parts)


def _attach_views(con: duckdb.DuckDBPyConnection, directory: Path) -> None:
    for name in TABLES:
        path = directory / f"{name}.parquet"
        if name in EVENT_TABLES and _has_events(directory, name):
            # The built history plus every recorded event file; the glob is expanded at
            # query time, so a newly recorded event shows at once.
            recorded = con.read_parquet(str(events_dir(directory, name) / "*.parquet"))
            if path.exists():
                con.read_parquet(str(path)).union(recorded).create_view(name, replace=True)
            else:
                recorded.create_view(name, replace=True)
        elif path.exists():
            con.read_parquet(str(path)).create_view(name, replace=True)
        else:
            # A missing table reads as empty, with the contract's columns. A real (empty)
            # table, not a registered Arrow object: registrations are not seen by cursors.
            holder = f"_empty_{name}"
            if holder not in _tables(con):
                con.from_arrow(store.empty_table(name)).create(holder)
            con.table(holder).create_view(name, replace=True)


VIEWS_DIR = QUERIES_DIR / "views"


def _attach_derived_views(con: duckdb.DuckDBPyConnection) -> None:
    """Views over the curated tables that many queries share (``queries/views/*.sql``)."""
    for path in sorted(VIEWS_DIR.glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {row[0] for row in con.execute("select table_name from duckdb_tables()").fetchall()}


def database(directory: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """The process's DuckDB database for a dataset folder (views refreshed when files appear)."""
    directory = store.dataset_dir(directory).resolve()
    with _lock:
        con = _databases.get(directory)
        if con is None:
            con = duckdb.connect(":memory:")
            _databases[directory] = con
        presence = (tuple((directory / f"{n}.parquet").exists() for n in TABLES)
                    + tuple(_has_events(directory, n) for n in EVENT_TABLES))
        if _view_state.get(directory) != presence:
            _attach_views(con, directory)
            _attach_derived_views(con)
            _view_state[directory] = presence
    return con


def _freeze(params: dict) -> tuple:
    def freeze(value):
        if isinstance(value, (list, tuple)):
            return tuple(value)
        return value
    return tuple(sorted((k, freeze(v)) for k, v in params.items()))


def query(name: str, dataset_dir: str | Path | None = None, **params) -> pd.DataFrame:
    """Run ``queries/<name>.sql`` with named parameters; a cached DataFrame (do not mutate)."""
    path = query_path(name)
    directory = store.dataset_dir(dataset_dir).resolve()
    key = (name, path.stat().st_mtime_ns, str(directory), fingerprint(directory), _freeze(params))
    with _lock:
        if key in _results:
            _results.move_to_end(key)
            return _results[key]
    sql = path.read_text(encoding="utf-8")
    con = database(directory)
    cursor = con.cursor()
    try:
        values = {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}
        result = cursor.execute(sql, values).df() if values else cursor.execute(sql).df()
    finally:
        cursor.close()
    with _lock:
        _results[key] = result
        while len(_results) > _CACHE_SIZE:
            _results.popitem(last=False)
    return result


def clear_cache() -> None:
    with _lock:
        _results.clear()
