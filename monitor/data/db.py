"""The query layer: runs named SQL files from ``queries/`` with bound parameters.

* One DuckDB database per process (and per dataset folder), holding a view per curated
  table. A table whose file is at most ``IN_MEMORY_BYTES`` is copied into memory (no file
  open, footer parse or decompression per query); a bigger one (observations at national
  scale) is a view that scans its Parquet file per query, with filter pushdown on its sort
  order. Both are rebuilt when the file changes, so a new import shows at once.
* A fresh cursor for every query run: the shared connection itself is not thread-safe,
  cursors on it are, so every Streamlit session thread gets its own.
* The tables users change (``EVENT_TABLES``) are the built Parquet file plus every
  append-only event file in ``datasets/events/<table>/``, copied into memory and copied again
  when the events folder changes (hundreds of one-row files are too slow to open per query).
* Materialised tables (``queries/materialised/<name>.sql``): small tables derived from the
  big ones (the observations of the monitor's own regions, counts per indicator and source,
  the protected Veilig Thuis figures), built in memory the first time a query names them and
  again after the data they come from changed.
* Results are cached per (query, parameters, dataset fingerprint). The fingerprint is the
  modification time and size of every dataset file (and of the privacy settings), so any
  import or edit invalidates the cache by itself.
* Private tables (``PRIVATE_TABLES``: the raw Veilig Thuis counts) never get a view of
  their own. ``vt_reports.parquet`` is loaded into the schema ``vt_private`` as a snapshot
  table ``vt_private.cells`` (raw rows plus the ``suppression`` computed by
  ``monitor.domain.privacy``) with ``vt_private.settings`` (``min_count``, ``rounding``, ``error``),
  rebuilt in one transaction when the file, the regions or the privacy settings change, so
  the protected view and its pattern never disagree. They are loaded only when a query reads
  a Veilig Thuis view (``needs_private``), so no other page waits for the pattern, which is
  stored in ``datasets/.cache`` (``privacy.stored_pattern``) and computed once per change. Only
  ``queries/views/vt_reports_protected.sql`` reads that schema; every query, page, download
  and the SQL sandbox reads the view ``vt_reports_protected``. A missing file gives empty
  tables; an unreadable one too, with a Dutch message in ``vt_private.settings.error`` (shown
  through the view ``vt_privacy_status``), and every other page keeps working.
* A dataset file that cannot be read (truncated, not Parquet, a schema that is not the
  contract's) gets a view of the contract's columns whose every scan fails with
  ``error('<Dutch message naming the file>')``: only the queries that read that table fail,
  as ``DatasetUnreadable``; every other query and page keeps working. A file whose footer is
  fine but a data page broken fails when it is copied into memory or scanned; the file is then
  found (the table's files fully decoded once, on that error path only), named in a
  ``DatasetUnreadable`` and remembered until it changes. ``dataset_problems`` lists every
  unreadable file for the notice in the sidebar. Replacing the file heals it at once.
* The first use of a dataset folder in a process is its start: ``store.recover`` completes
  an import killed after its commit point and removes what a killed writer left behind,
  ``events.remove_partial_files`` the same for recorded changes.

Pages call ``query("name", param=value)`` and get a pandas DataFrame. SQL lives only in
``queries/<name>.sql``; parameters are DuckDB named parameters (``$gemeente``), never
formatted into the text.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from monitor.data import events, store
from monitor.domain import privacy
from monitor.data.contract import EVENT_TABLES, PRIVATE_TABLES, SCHEMAS, TABLES
from monitor.data.errors import DatasetUnreadable
from monitor.domain.regions import REGION_ROWS

# The regions the monitor's pages show: Nederland, Overijssel, Twente and its 14 gemeenten.
MONITOR_REGIONS: tuple[str, ...] = tuple(code for code, _name, _level, _parent in REGION_ROWS)

QUERIES_DIR = store.REPO_ROOT / "queries"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_CACHE_SIZE = 256
# Dataset files up to this size are copied into memory; larger ones (observations at national
# scale) are scanned from Parquet per query, with filter pushdown on the sort order.
IN_MEMORY_BYTES = 16 * 1024 * 1024
# DuckDB's own memory (in-memory tables, scan buffers, hash tables) is capped so the serving
# process stays within the 500 MB goal of issue 8 next to Python, Streamlit and pandas
# (bench/RESULTS.md); a query that needs more spills to a private temporary folder.
DUCKDB_CONFIG = {"memory_limit": "128MB",
                 "temp_directory": os.path.join(tempfile.gettempdir(), f"monitor-duckdb-{os.getpid()}")}

_lock = threading.Lock()
# Held (before _lock) by everything that changes the database's catalog: re-attaching views and
# building materialised tables.
_build_lock = threading.Lock()
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


def _events_state(directory: Path, table: str) -> tuple:
    """The events folder's modification time and file count (a rename into it changes both)."""
    folder = events_dir(directory, table)
    try:
        with os.scandir(folder) as entries:
            count = sum(1 for e in entries if e.name.endswith(".parquet") and not e.name.startswith("."))
        return (folder.stat().st_mtime_ns, count)
    except (FileNotFoundError, NotADirectoryError):
        return (None, 0)


def _file(directory: Path, name: str) -> Path:
    """A table's file in the folder's current generation (``monitor.data.store``)."""
    return store.table_path(name, directory)


def fingerprint(directory: Path) -> tuple:
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
        problem = file_problem(path, name)
        if problem is None:
            try:
                _attach_view(con, directory, name, path)
            except duckdb.Error as exc:  # what the footer check did not see (a broken page)
                problem = _culprit(directory, name, exc)
        _error_views[(directory, name)] = problem
        if problem is not None:
            log.error("%s", problem)
            _attach_error_view(con, name, problem)


def _in_memory(path: Path) -> bool:
    """Whether a table is copied into memory rather than scanned from its file per query."""
    try:
        return path.stat().st_size <= IN_MEMORY_BYTES
    except FileNotFoundError:
        return True


def _attach_view(con: duckdb.DuckDBPyConnection, directory: Path, name: str, path: Path) -> None:
    if name in EVENT_TABLES and _has_events(directory, name):
        # The built history plus every recorded event file, copied into memory: opening
        # hundreds of one-row files per query costs tens of milliseconds. ``database`` copies
        # again whenever the events folder changes (a recorded event shows at once).
        recorded = con.read_parquet(str(events_dir(directory, name) / "*.parquet"))
        source = con.read_parquet(str(path)).union(recorded) if path.exists() else recorded
        source.create(f"_mem_{name}_new")
        _swap_in(con, name)
    elif path.exists() and _in_memory(path):
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
    con.execute(f"drop table if exists _mem_{name}")
    con.execute(f"alter table _mem_{name}_new rename to _mem_{name}")
    con.table(f"_mem_{name}").create_view(name, replace=True)


# ---------------------------------------------------------------------------- unreadable files

_checked: dict[tuple[Path, bool], tuple[tuple, str | None]] = {}   # (path, full) → (stat, reason)
_scan_failures: dict[Path, tuple[tuple, DatasetUnreadable]] = {}   # path → (stat, error)
_error_views: dict[tuple[Path, str], DatasetUnreadable | None] = {}  # (folder, table) → its error view


def _schema_problem(schema: pa.Schema, name: str) -> str | None:
    """Why a file's columns are not the contract's, or None."""
    expected = SCHEMAS[name]
    missing = [f.name for f in expected if f.name not in schema.names]
    if missing:
        return f"kolommen ontbreken ({', '.join(missing)}); zie het datacontract in datasets/README.md"
    for field in expected:
        found = schema.field(field.name).type
        if _type_family(found) != _type_family(field.type):
            return (f"kolom '{field.name}' heeft type {found} in plaats van {field.type}; zie het "
                    "datacontract in datasets/README.md")
    return None


def _type_family(typ: pa.DataType) -> object:
    """A type up to what Parquet cannot keep (timestamp unit) and what reads the same (large)."""
    if pa.types.is_timestamp(typ):
        return ("timestamp", typ.tz)
    if pa.types.is_large_string(typ) or pa.types.is_string(typ):
        return "string"
    if pa.types.is_list(typ) or pa.types.is_large_list(typ):
        return ("list", _type_family(typ.value_type))
    return typ


def _check_file(path: Path, name: str | None, full: bool) -> str | None:
    """Why a Parquet file cannot be read, or None. ``full`` decodes every page (the scan-time
    check); otherwise only the footer and the columns are checked. Cached per file version."""
    stat = _stat(path)
    if stat == (None, None):
        return None
    cached = _checked.get((path, full))
    if cached is not None and cached[0] == stat:
        return cached[1]
    try:
        if full:
            schema = pq.read_table(path).schema
        else:
            schema = pq.read_schema(path)
        reason = _schema_problem(schema, name) if name else None
    except (pa.ArrowException, OSError, ValueError) as exc:
        reason = store.unreadable_reason(exc)
    with _lock_checks:
        _checked[(path, full)] = (stat, reason)
    return reason


_lock_checks = threading.Lock()


def file_problem(path: Path, name: str) -> DatasetUnreadable | None:
    """The problem of a dataset file (footer, columns, or a failed scan of this version), or None."""
    failure = _scan_failures.get(path)
    if failure is not None and failure[0] == _stat(path):
        return failure[1]
    reason = _check_file(path, name, full=False)
    return DatasetUnreadable(path, reason) if reason else None


def dataset_problems(directory: str | Path | None = None) -> list[DatasetUnreadable]:
    """Every dataset file in the folder that cannot be read, as far as known without reading
    every page: a bad footer or columns, and files whose scan failed (for the sidebar notice)."""
    directory = store.dataset_dir(directory).resolve()
    problems = [file_problem(_file(directory, name), name) for name in TABLES]
    events_root = directory / "events"
    problems += [error for path, (stat, error) in sorted(_scan_failures.items())
                 if path.is_relative_to(events_root) and stat == _stat(path)]
    return [problem for problem in problems if problem is not None]


def _scan_state(directory: Path) -> tuple:
    """The scan failures that still apply in the folder (part of the views' state)."""
    return tuple(sorted(str(path) for path, (stat, _e) in list(_scan_failures.items())
                        if path.is_relative_to(directory) and stat == _stat(path)))


def _find_unreadable(directory: Path, exc: duckdb.Error) -> DatasetUnreadable | None:
    """The dataset file behind a DuckDB error, if it is one: an error view's own message, a
    path in the message, or (a page broken in the middle, which DuckDB reports without the
    file) the first dataset or event file that does not decode in full."""
    text = str(exc)
    for (folder, _name), problem in list(_error_views.items()):
        if folder == directory and problem is not None and str(problem) in text:
            return problem
    if isinstance(exc, (duckdb.ParserException, duckdb.BinderException, duckdb.CatalogException,
                        duckdb.InterruptException)):
        return None  # a question that is wrong, not a file that is broken
    candidates = [(_file(directory, name), name) for name in TABLES if name not in PRIVATE_TABLES]
    candidates += [(path, None) for table in EVENT_TABLES for path in events.event_files(table, directory)]
    named = [(path, name) for path, name in candidates if str(path) in text]
    for path, name in named + candidates:
        reason = _check_file(path, name, full=True)
        if reason is None and (path, name) in named:
            reason = store.unreadable_reason(exc)
        if reason:
            problem = DatasetUnreadable(path, reason)
            with _lock_checks:
                _scan_failures[path] = (_stat(path), problem)
            return problem
    return None


def _culprit(directory: Path, name: str, exc: duckdb.Error) -> DatasetUnreadable:
    """The file of table ``name`` (its built file or one of its event files) behind a failure to
    read it, remembered until that file changes (so the sidebar notice lists it too)."""
    path = _file(directory, name)
    candidates = [path] + (events.event_files(name, directory) if name in EVENT_TABLES else [])
    named = [c for c in candidates if str(c) in str(exc)]
    culprit = next((c for c in named + candidates if _check_file(c, None, full=True)), None)
    culprit = culprit or (named[0] if named else path)
    problem = DatasetUnreadable(culprit, _check_file(culprit, None, full=True) or store.unreadable_reason(exc))
    with _lock_checks:
        _scan_failures[culprit] = (_stat(culprit), problem)
    return problem


def unreadable_from(exc: duckdb.Error, directory: str | Path | None = None) -> DatasetUnreadable | None:
    """The unreadable dataset file behind a DuckDB error raised outside ``query``, if any."""
    return _find_unreadable(store.dataset_dir(directory).resolve(), exc)


def _attach_error_view(con: duckdb.DuckDBPyConnection, name: str, problem: DatasetUnreadable) -> None:
    """A view with the contract's columns that fails, when scanned, with the problem's message."""
    holder = f"_empty_{name}"
    if holder not in _tables(con):
        con.from_arrow(store.empty_table(name)).create(holder)
    fail = "error('{}')".format(str(problem).replace("'", "''"))
    # Every column is the error too (over a column of range(1), so the optimizer cannot fold
    # it to a constant): a filter on a column fails as well as a count(*).
    columns = con.execute(f'describe "{holder}"').fetchall()
    select = ", ".join(f'cast(case when r.range = 0 then {fail} end as {column_type}) as "{column}"'
                       for column, column_type, *_ in columns)
    con.execute(f'create or replace view "{name}" as select {select} from range(1) as r where {fail} is null')


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
    return (_stat(_file(directory, VT_TABLE)), _stat(_file(directory, "regions")),
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
    """The raw Veilig Thuis rows with their ``suppression`` (empty when there is no file).

    The pattern is computed once per change of the file, the regions or the settings and kept
    in ``<datasets>/.cache/`` (``privacy.stored_pattern``); the file is read once, so the
    rows and the key of the stored pattern always come from the same bytes."""
    path = _file(directory, VT_TABLE)
    schema = SCHEMAS[VT_TABLE].append(pa.field("suppression", pa.string()))
    if not path.exists():
        return schema.empty_table()
    data = path.read_bytes()
    try:
        frame = pq.read_table(pa.BufferReader(data), schema=SCHEMAS[VT_TABLE]).to_pandas()
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise DatasetUnreadable(path, store.unreadable_reason(exc)) from exc
    # Counts a publisher already protected (CBS: rounded to 5, hidden cells empty) are shown as
    # published, their empty cells as the publisher's mark ('bron'); the monitor's own protection
    # (rounding, <min_count, complementary suppression) is for raw counts only.
    published = frame["protected_by"].notna()
    suppression = pd.Series(np.where(frame["count"].isna(), privacy_source_mark(), None), index=frame.index,
                            dtype=object)
    raw = frame[~published]
    if not raw.empty:
        pattern = privacy.stored_pattern(directory / privacy.CACHE_FOLDER, raw.reset_index(drop=True), data,
                                         region_parents(directory), settings.min_count)
        suppression[raw.index] = pattern.astype(object).to_numpy()
    frame["suppression"] = suppression
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)


def privacy_source_mark() -> str:
    """The suppression value of a cell its publisher left empty (CBS: hidden or not available)."""
    return "bron"


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
            log.exception("Veilig Thuis: %s kan niet worden gelezen", _file(directory, VT_TABLE))
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


# The derived views that read the private schema. A query that names one of them loads the
# Veilig Thuis cells first (``database(..., private=True)``); every other query never waits
# for the suppression pattern, so a cold start and the other pages do not pay for it.
PRIVATE_VIEWS: tuple[str, ...] = ("vt_reports_protected", "vt_reports_sourced", "vt_privacy_status", "vt_published")
_NOT_LOADED = ("not loaded",)


def needs_private(sql: str) -> bool:
    """Whether a query reads the Veilig Thuis views (and so needs the private schema loaded),
    itself or through a materialised table it names."""
    return any(view in text for text in _with_materialised(sql) for view in PRIVATE_VIEWS)


def _placeholder_private(con: duckdb.DuckDBPyConnection) -> None:
    """Empty private tables, so the derived views bind before the cells are first needed."""
    cursor = con.cursor()
    try:
        cursor.execute(f"create schema if not exists {PRIVATE_SCHEMA}")
        tables = {row[0] for row in cursor.execute(
            "select table_name from duckdb_tables() where schema_name = ?", [PRIVATE_SCHEMA]).fetchall()}
        if "cells" not in tables:
            schema = SCHEMAS[VT_TABLE].append(pa.field("suppression", pa.string()))
            cursor.from_arrow(schema.empty_table()).create(f"{PRIVATE_SCHEMA}.cells")
        if "settings" not in tables:
            cursor.execute(f"create table {PRIVATE_SCHEMA}.settings as select 10::bigint as min_count, "
                           "5::bigint as rounding, null::varchar as error")
    finally:
        cursor.close()


def database(directory: str | Path | None = None, private: bool = False) -> duckdb.DuckDBPyConnection:
    """The process's DuckDB database for a dataset folder (views refreshed when files appear).

    ``private``: also (re)load the Veilig Thuis cells when they are stale (see
    ``PRIVATE_VIEWS``); without it they are loaded only once some query needs them."""
    directory = store.dataset_dir(directory).resolve()
    with _build_lock, _lock:
        con = _databases.get(directory)
        if con is None:
            # The folder's first use in this process is its start: finish or remove what a
            # writer killed earlier left behind (store.recover, events.remove_partial_files).
            store.recover(directory)
            events.remove_partial_files(directory)
            con = duckdb.connect(":memory:", config=DUCKDB_CONFIG)
            _databases[directory] = con
        # Views are rebuilt when a file appears, disappears or changes (a corrupt file may be
        # replaced by a good one: it heals without a restart) and when a scan failed.
        generation = store.generation_dir(directory)
        presence = ((generation.name,)
                    + tuple(_stat(store.table_path(n, generation=generation)) for n in TABLES if n not in PRIVATE_TABLES)
                    + tuple(_events_state(directory, n) for n in EVENT_TABLES) + _scan_state(directory))
        loaded = _private_state.get(directory)
        # Without ``private`` the private state stays as it is (stale cells are refreshed by
        # the next query that reads them).
        wanted = _private_key(directory) if private else (loaded if loaded is not None else _NOT_LOADED)
        views_stale = _view_state.get(directory) != presence
        private_stale = loaded != wanted
        if views_stale:
            _attach_views(con, directory)
        if private_stale:
            if wanted == _NOT_LOADED:
                _placeholder_private(con)
            else:
                _load_private(con, directory)
        if views_stale or private_stale:
            _attach_derived_views(con)
            _view_state[directory] = presence
            _private_state[directory] = wanted
    return con


# Pre-computed tables (``queries/materialised/<name>.sql``, each ``create or replace table
# <name> as …``): small tables derived from the big ones, built in memory the first time a query
# names them and again after the files they come from change. ``monitor_observations`` (the
# observations of the monitor's own regions) and ``observation_counts`` (rows per indicator,
# period and source) turn scans of millions of rows into lookups in a few thousand.
MATERIALISED_DIR = QUERIES_DIR / "materialised"
_materialised: dict[tuple[Path, str], tuple] = {}


def materialised_names() -> list[str]:
    return sorted(path.stem for path in MATERIALISED_DIR.glob("*.sql"))


def _named_materialised(sql: str) -> list[str]:
    return [name for name in materialised_names() if re.search(rf"\b{name}\b", sql)]


def _with_materialised(sql: str) -> list[str]:
    """``sql`` and the text of every materialised table it names, directly or through another."""
    texts, seen, todo = [sql], set(), _named_materialised(sql)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        text = (MATERIALISED_DIR / f"{name}.sql").read_text(encoding="utf-8")
        texts.append(text)
        todo.extend(n for n in _named_materialised(text.split(f"table {name}", 1)[-1]) if n not in seen)
    return texts


def _ensure_materialised(con: duckdb.DuckDBPyConnection, directory: Path, sql: str) -> None:
    wanted = _named_materialised(sql)
    if not wanted:
        return
    # Dependencies first: a materialised table may read another one.
    ordered: list[str] = []

    def visit(name: str) -> None:
        if name in ordered:
            return
        text = (MATERIALISED_DIR / f"{name}.sql").read_text(encoding="utf-8")
        for other in _named_materialised(text.split(f"table {name}", 1)[-1]):
            if other != name:
                visit(other)
        ordered.append(name)

    for name in wanted:
        visit(name)
    wanted = ordered
    with _build_lock:  # also held while database() changes views: no DDL of two threads at once
        state = (_view_state.get(directory), _private_state.get(directory))
        for name in wanted:
            path = MATERIALISED_DIR / f"{name}.sql"
            key = (state, path.stat().st_mtime_ns)
            if _materialised.get((directory, name)) == key:
                continue
            text = path.read_text(encoding="utf-8")
            cursor = con.cursor()
            try:
                if cursor.execute("select 1 from duckdb_views() where view_name = ? and schema_name = 'main'",
                                  [name]).fetchall():
                    cursor.execute(f'drop view "{name}"')  # a view of that name from an older version
                if "$scope" in text:
                    cursor.execute(text, {"scope": list(MONITOR_REGIONS)})
                else:
                    cursor.execute(text)
            finally:
                cursor.close()
            _materialised[(directory, name)] = key


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
    con = database(directory, private=needs_private(sql))
    cursor = con.cursor()
    try:
        _ensure_materialised(con, directory, sql)
        values = {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}
        result = cursor.execute(sql, values).df() if values else cursor.execute(sql).df()
    except duckdb.Error as exc:
        problem = _find_unreadable(directory, exc)
        if problem is None:
            raise
        raise problem from exc
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
