"""Dataset files that cannot be read: finding them, naming them, remembering them.

A file whose footer or columns are wrong is found before a view is attached (``file_problem``);
one whose footer is fine but a data page broken fails when it is copied into memory or scanned,
and is then found by decoding the table's files in full, on that error path only
(``culprit``, ``find_unreadable``). Either is remembered until the file changes (so the sidebar
notice, ``dataset_problems``, lists it too) and raised as ``DatasetUnreadable``.
"""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from monitor.data import store
from monitor.data.contract import EVENT_TABLES, PRIVATE_TABLES, SCHEMAS, TABLES
from monitor.data.errors import DatasetUnreadable, unreadable_reason

_checked: dict[tuple[Path, bool], tuple[tuple, str | None]] = {}   # (path, full) → (stat, reason)
_scan_failures: dict[Path, tuple[tuple, DatasetUnreadable]] = {}   # path → (stat, error)
_error_views: dict[tuple[Path, str], DatasetUnreadable | None] = {}  # (folder, table) → its error view


def _schema_problem(schema: pa.Schema, name: str) -> str | None:
    """Why a file's columns are not the contract's, or None."""
    expected = SCHEMAS[name]
    # The event tables are read by column name (monitor.data.event_reader): a nullable column a
    # file written before it existed lacks is NULL there.
    missing = [f.name for f in expected if f.name not in schema.names
               and not (name in EVENT_TABLES and f.nullable)]
    if missing:
        return f"kolommen ontbreken ({', '.join(missing)}); zie het datacontract in datasets/README.md"
    for field in expected:
        if field.name not in schema.names:
            continue
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
    stat = file_stat(path)
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
        reason = unreadable_reason(exc)
    with _lock_checks:
        _checked[(path, full)] = (stat, reason)
    return reason


_lock_checks = threading.Lock()


def file_problem(path: Path, name: str) -> DatasetUnreadable | None:
    """The problem of a dataset file (footer, columns, or a failed scan of this version), or None."""
    failure = _scan_failures.get(path)
    if failure is not None and failure[0] == file_stat(path):
        return failure[1]
    reason = _check_file(path, name, full=False)
    return DatasetUnreadable(path, reason) if reason else None


def dataset_problems(directory: str | Path | None = None) -> list[DatasetUnreadable]:
    """Every dataset file in the folder that cannot be read, as far as known without reading
    every page: a bad footer or columns, and files whose scan failed (for the sidebar notice).
    None for datasets on object storage: an object there is written once, after it was built
    and checked, and a read that fails anyway is reported by the query itself."""
    if store.remote(directory) is not None:
        return []
    directory = store.dataset_dir(directory).resolve()
    problems = [file_problem(store.table_path(name, directory), name) for name in TABLES]
    events_root = directory / "events"
    problems += [error for path, (stat, error) in sorted(_scan_failures.items())
                 if path.is_relative_to(events_root) and stat == file_stat(path)]
    return [problem for problem in problems if problem is not None]


def scan_state(directory: Path) -> tuple:
    """The scan failures that still apply in the folder (part of the views' state)."""
    return tuple(sorted(str(path) for path, (stat, _e) in list(_scan_failures.items())
                        if path.is_relative_to(directory) and stat == file_stat(path)))


def find_unreadable(directory: Path, exc: duckdb.Error) -> DatasetUnreadable | None:
    """The dataset file behind a DuckDB error, if it is one: an error view's own message, a
    path in the message, or (a page broken in the middle, which DuckDB reports without the
    file) the first dataset file that does not decode in full. Recorded event files never reach
    DuckDB as files (``monitor.data.event_reader`` sets a bad one aside and reports it)."""
    text = str(exc)
    for (folder, _name), problem in list(_error_views.items()):
        if folder == directory and problem is not None and str(problem) in text:
            return problem
    if isinstance(exc, (duckdb.ParserException, duckdb.BinderException, duckdb.CatalogException,
                        duckdb.InterruptException)):
        return None  # a question that is wrong, not a file that is broken
    candidates = [(store.table_path(name, directory), name) for name in TABLES if name not in PRIVATE_TABLES]
    named = [(path, name) for path, name in candidates if str(path) in text]
    for path, name in named + candidates:
        reason = _check_file(path, name, full=True)
        if reason is None and (path, name) in named:
            reason = unreadable_reason(exc)
        if reason:
            problem = DatasetUnreadable(path, reason)
            with _lock_checks:
                _scan_failures[path] = (file_stat(path), problem)
            return problem
    return None


def find_culprit(directory: Path, name: str, exc: duckdb.Error) -> DatasetUnreadable:
    """The file of table ``name`` (its built file) behind a failure to
    read it, remembered until that file changes (so the sidebar notice lists it too)."""
    path = store.table_path(name, directory)
    candidates = [path]  # recorded events reach DuckDB as checked Arrow tables (event_reader)
    named = [c for c in candidates if str(c) in str(exc)]
    culprit = next((c for c in named + candidates if _check_file(c, None, full=True)), None)
    culprit = culprit or (named[0] if named else path)
    problem = DatasetUnreadable(culprit, _check_file(culprit, None, full=True) or unreadable_reason(exc))
    with _lock_checks:
        _scan_failures[culprit] = (file_stat(culprit), problem)
    return problem


def unreadable_from(exc: duckdb.Error, directory: str | Path | None = None) -> DatasetUnreadable | None:
    """The unreadable dataset file behind a DuckDB error raised outside ``query``, if any; on
    object storage the object the error names (a large table's view), if it names one."""
    bucket = store.remote(directory)
    if bucket is not None:
        return bucket.scan_problem(exc)
    return find_unreadable(store.dataset_dir(directory).resolve(), exc)


def remember_failure(problem: DatasetUnreadable) -> DatasetUnreadable:
    """Remember a file that failed to decode until it changes (the sidebar notice lists it)."""
    with _lock_checks:
        _scan_failures[problem.file] = (file_stat(problem.file), problem)
    return problem


def file_stat(path: Path) -> tuple:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return (None, None)
    return (stat.st_mtime_ns, stat.st_size)


def remember_error_view(directory: Path, name: str, problem: DatasetUnreadable | None) -> None:
    """What the view of table ``name`` in the folder fails with (None: it is a good view)."""
    _error_views[(directory, name)] = problem
