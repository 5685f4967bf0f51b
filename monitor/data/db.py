"""The query runner: runs the named SQL files of ``queries/`` with bound parameters.

Pages call ``query("name", param=value)`` and get a pandas DataFrame. SQL lives only in
``queries/<name>.sql``; parameters are DuckDB named parameters (``$gemeente``), never
formatted into the text. Each file declares its parameters and what it reads in its header
(``monitor.data.queryfiles``); from that the runner knows which materialised tables to build
first (``monitor.data.materialise``) and whether the private Veilig Thuis schema must be loaded
(``monitor.data.catalog.database(..., private=True)``).

* A fresh cursor for every query run: the shared connection itself is not thread-safe,
  cursors on it are, so every Streamlit session thread gets its own.
* Results are cached per (query, parameters, dataset fingerprint) — the one query-result
  cache of the data layer. The fingerprint is the modification time and size of every dataset
  file (and of the privacy settings), so any import or edit invalidates the cache by itself.
* A DuckDB error caused by a dataset file that cannot be read is raised as
  ``DatasetUnreadable`` naming the file (``monitor.data.forensics``); every other query and
  page keeps working.

Where the rest lives: ``catalog`` (views, in-memory copies, event unions, the database per
folder), ``private_schema`` (the raw Veilig Thuis counts), ``materialise``, ``forensics``
(unreadable files, ``dataset_problems``), ``queryfiles`` (file names and declarations).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from monitor.data import catalog, forensics, materialise, queryfiles, snapshot

_CACHE_SIZE = 256
_lock = threading.Lock()
_results: OrderedDict = OrderedDict()
# While ``recording()`` is active: every (name, params) asked for, cached or not (the bench derives
# from it which queries each page runs).
_recorders: list[list[tuple[str, dict]]] = []


def _freeze(params: dict) -> tuple:
    def freeze(value):
        if isinstance(value, (list, tuple)):
            return tuple(value)
        return value
    return tuple(sorted((k, freeze(v)) for k, v in params.items()))


def query(name: str, dataset_dir: str | Path | None = None, **params) -> pd.DataFrame:
    """Run ``queries/<name>.sql`` with named parameters; a cached DataFrame (do not mutate)."""
    for recorder in _recorders:
        recorder.append((name, dict(params)))
    path = queryfiles.query_path(name)
    directory = catalog.folder_key(dataset_dir)
    changed = snapshot.remembered(("query file", path), lambda: path.stat().st_mtime_ns)
    key = (name, changed, str(directory), catalog.fingerprint(directory), _freeze(params))
    with _lock:
        if key in _results:
            _results.move_to_end(key)
            return _results[key]
    sql = path.read_text(encoding="utf-8")
    reads = queryfiles.parse_header(sql, str(path)).reads
    con = catalog.database(directory, private=queryfiles.needs_private(reads))
    cursor = con.cursor()
    try:
        materialise.ensure(con, directory, queryfiles.build_order(reads))
        values = {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}
        result = cursor.execute(sql, values).df() if values else cursor.execute(sql).df()
    except duckdb.Error as exc:
        problem = (forensics.unreadable_from(exc, directory) if isinstance(directory, str)
                   else forensics.find_unreadable(directory, exc))
        if problem is None:
            raise
        raise problem from exc
    finally:
        cursor.close()
    with _lock:
        if key in _results:  # another thread ran it meanwhile: one shared result per key
            return _results[key]
        _results[key] = result
        while len(_results) > _CACHE_SIZE:
            _results.popitem(last=False)
    return result


def version(dataset_dir: str | Path | None = None) -> tuple:
    """The dataset folder and its fingerprint: changes with every import, edit and recorded
    change (a loader's cache key)."""
    directory = catalog.folder_key(dataset_dir)
    return str(directory), catalog.fingerprint(directory)


def clear_cache() -> None:
    with _lock:
        _results.clear()


@contextmanager
def recording():
    """Collect the (name, params) of every ``query`` call while the block runs, in any thread."""
    calls: list[tuple[str, dict]] = []
    _recorders.append(calls)
    try:
        yield calls
    finally:
        _recorders.remove(calls)
