"""The query layer: runs named SQL files from ``queries/`` with bound parameters.

* One DuckDB database per process (and per dataset folder), holding a view per curated
  table over its Parquet file. Views scan the file at query time, so a new import shows at
  once without a restart.
* A fresh cursor for every query run: the shared connection itself is not thread-safe,
  cursors on it are, so every Streamlit session thread gets its own.
* The tables users change (``EVENT_TABLES``) are views over the built Parquet file plus
  every append-only event file in ``datasets/events/<table>/``.
* Results are cached per (query, parameters, dataset fingerprint). The fingerprint is the
  modification time and size of every dataset file (and of the privacy settings), so any
  import or edit invalidates the cache by itself.
* Private tables (``PRIVATE_TABLES``: the raw Veilig Thuis counts) never get a view of
  their own. ``vt_reports.parquet`` is loaded into the schema ``vt_private`` as a snapshot
  table ``vt_private.cells`` (raw rows plus the ``suppression`` computed by
  ``monitor.privacy``) with ``vt_private.settings`` (``min_count``, ``rounding``, ``error``),
  rebuilt in one transaction when the file, the regions or the privacy settings change, so
  the protected view and its pattern never disagree. Only
  ``queries/views/vt_reports_protected.sql`` reads that schema; every query, page, download
  and the SQL sandbox reads the view ``vt_reports_protected``. A missing file gives empty
  tables; an unreadable one too, with a Dutch message in ``vt_private.settings.error`` (shown
  through the view ``vt_privacy_status``), and every other page keeps working.

Pages call ``query("name", param=value)`` and get a pandas DataFrame. SQL lives only in
``queries/<name>.sql``; parameters are DuckDB named parameters (``$gemeente``), never
formatted into the text.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from monitor import privacy, store
from monitor.contract import EVENT_TABLES, PRIVATE_TABLES, SCHEMAS, TABLES
from monitor.regions import REGION_ROWS

QUERIES_DIR = store.REPO_ROOT / "queries"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_CACHE_SIZE = 256

_lock = threading.Lock()
_databases: dict[Path, duckdb.DuckDBPyConnection] = {}
_view_state: dict[Path, tuple] = {}
_private_state: dict[Path, tuple] = {}
_results: OrderedDict = OrderedDict()
log = logging.getLogger(__name__)

# The raw Veilig Thuis counts live only here; queries/views/vt_reports_protected.sql is the
# one file that reads this schema.
PRIVATE_SCHEMA = "vt_private"
VT_TABLE = "vt_reports"


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
    # The privacy settings change what the protected view shows.
    parts.append(("privacy", *privacy.settings_key()))
    return tuple(parts)


def _attach_views(con: duckdb.DuckDBPyConnection, directory: Path) -> None:
    for name in TABLES:
        if name in PRIVATE_TABLES:
            continue  # never a view over raw counts; see _load_private
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


def _stat(path: Path) -> tuple:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return (None, None)
    return (stat.st_mtime_ns, stat.st_size)


def _private_key(directory: Path) -> tuple:
    """What the private snapshot depends on: the raw file, the regions (the hierarchy of the
    relations) and the privacy settings."""
    return (_stat(directory / f"{VT_TABLE}.parquet"), _stat(directory / "regions.parquet"),
            privacy.settings_key())


def region_parents(directory: Path) -> dict[str, str | None]:
    """region → parent region: the monitor's own hierarchy, completed by the regions table.

    The fixed hierarchy comes first so that a regions table without a gemeente's parent can
    never drop the relation "Σ gemeenten = Twente" (fewer relations would mean less
    protection)."""
    parents: dict[str, str | None] = {code: parent for code, _name, _level, parent in REGION_ROWS}
    try:
        regions = store.read_frame("regions", directory)
    except Exception:  # noqa: BLE001 - the fixed hierarchy suffices for the relations
        log.exception("Veilig Thuis: regions.parquet kan niet worden gelezen; vaste indeling gebruikt")
        return parents
    for code, parent in zip(regions["region_code"], regions["parent_code"]):
        if isinstance(parent, str) and parent and code not in parents:
            parents[code] = parent
    return parents


def _private_cells(directory: Path, settings: privacy.PrivacySettings) -> pa.Table:
    """The raw Veilig Thuis rows with their ``suppression`` (empty when there is no file)."""
    path = directory / f"{VT_TABLE}.parquet"
    schema = SCHEMAS[VT_TABLE].append(pa.field("suppression", pa.string()))
    if not path.exists():
        return schema.empty_table()
    frame = store.read_table(VT_TABLE, directory).to_pandas()
    pattern = privacy.suppression_pattern(frame, region_parents(directory), settings.min_count)
    frame["suppression"] = pattern.astype(object)
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)


def _load_private(con: duckdb.DuckDBPyConnection, directory: Path) -> None:
    """(Re)build ``vt_private.cells`` and ``vt_private.settings`` in one transaction.

    Any failure (an unreadable or corrupt file, invalid settings) leaves ``cells`` empty and
    puts a Dutch message in ``settings.error``: no Veilig Thuis figure is shown, and nothing
    else is affected.
    """
    error = None
    schema = SCHEMAS[VT_TABLE].append(pa.field("suppression", pa.string()))
    cells = schema.empty_table()
    try:
        current = privacy.settings()
    except privacy.PrivacySettingsError as exc:
        log.error("Veilig Thuis: ongeldige privacy-instellingen: %s", exc)
        current = privacy.PrivacySettings()
        error = (f"De privacy-instellingen voor Veilig Thuis zijn ongeldig ({exc}); daarom worden "
                 "geen Veilig Thuis-cijfers getoond.")
    if error is None:
        try:
            cells = _private_cells(directory, current)
        except Exception as exc:  # noqa: BLE001 - a broken file must not break other pages
            log.exception("Veilig Thuis: %s kan niet worden gelezen", directory / f"{VT_TABLE}.parquet")
            error = (f"Het bestand {VT_TABLE}.parquet kan niet worden gelezen ({type(exc).__name__}); "
                     "daarom worden geen Veilig Thuis-cijfers getoond. Importeer de cijfers opnieuw of "
                     "bouw de datasets opnieuw op (python -m monitor build).")
            cells = schema.empty_table()
    settings_table = pa.table({"min_count": pa.array([current.min_count], pa.int64()),
                               "rounding": pa.array([current.rounding], pa.int64()),
                               "error": pa.array([error], pa.string())})
    cursor = con.cursor()
    try:
        cursor.execute(f"create schema if not exists {PRIVATE_SCHEMA}")
        cursor.execute("begin transaction")
        try:
            cursor.execute(f"drop table if exists {PRIVATE_SCHEMA}.cells")
            cursor.execute(f"drop table if exists {PRIVATE_SCHEMA}.settings")
            cursor.from_arrow(cells).create(f"{PRIVATE_SCHEMA}.cells")
            cursor.from_arrow(settings_table).create(f"{PRIVATE_SCHEMA}.settings")
            cursor.execute("commit")
        except BaseException:
            cursor.execute("rollback")
            raise
    finally:
        cursor.close()


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
        presence = (tuple((directory / f"{n}.parquet").exists() for n in TABLES if n not in PRIVATE_TABLES)
                    + tuple(_has_events(directory, n) for n in EVENT_TABLES))
        private = _private_key(directory)
        views_stale = _view_state.get(directory) != presence
        private_stale = _private_state.get(directory) != private
        if views_stale:
            _attach_views(con, directory)
        if private_stale:
            _load_private(con, directory)
        if views_stale or private_stale:
            _attach_derived_views(con)
            _view_state[directory] = presence
            _private_state[directory] = private
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
