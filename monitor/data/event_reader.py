"""The one reader of the recorded events: tolerant of foreign files, strict about every row.

Every consumer of ``phase_events`` and ``kpi_realisations`` (the DuckDB catalog, local or on
object storage, the writer's validation under its lock, status, history and the beheer view)
reads them through :func:`read_events`. It returns the built table plus every recorded event
that counts, with the contract's columns read by NAME (their order in a file is irrelevant), and
the list of everything it left out.

Which files count (:func:`classify`): only a regular file (not a symlink, not a folder) in
``events/<table>/`` whose name is what the writer produces,
``<UTC yyyymmddTHHMMSSffffff>-<uuid4hex>.parquet`` (``events._new_name``). Everything else is
left out: conflict copies of a sync client (``x (1).parquet``, ``x 2.parquet``,
``x-conflict-….parquet``), macOS ``._x.parquet``, hidden and temporary files, folders and
symlinks. Each of them is reported by its own name, except the hidden ``.<name>.parquet.tmp`` of
a killed recording (expected; removed by the next recording). On object storage the same name
rule applies to the keys under ``events/<table>/``.

A counted file that is not valid Parquet, misses a required column or has a column of a type
that cannot be converted without loss is set aside as a whole; an extra column is ignored; a
nullable column the file lacks (``recorded_by_email``, ``recorded_by_sub`` in files written
before they existed) is NULL.

Rows (built and recorded alike) are checked on read: required values present, a known
project (phase_events) or KPI (kpi_realisations), exactly one of the contract's phases, a
period in its normal form, a finite value, an ``event_id`` equal to the file's name and seen
once (a duplicate counts once, the first in name order), and an ``undoes`` that names an
event of the same table. A bad row is set aside and reported (file, row, column, reason).

Reading never writes: not the lock file, not a clean-up.
"""

from __future__ import annotations

import logging
import math
import os
import re
import threading
from stat import S_ISREG
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from monitor.data import objectstore, store
from monitor.data.contract import EVENT_TABLES, PHASES, SCHEMAS
from monitor.domain.periods import PeriodError, normalise_period

EVENTS_SUBDIR = "events"
# What the writer names a recorded event (``events._new_name``) and its temporary file.
EVENT_NAME = re.compile(r"^(\d{8}T\d{12}-[0-9a-f]{32})\.parquet$")
PARTIAL_NAME = re.compile(r"^\.\d{8}T\d{12}-\w+\.parquet\.tmp$")

log = logging.getLogger(__name__)


@dataclass(frozen=True, order=True)
class Skipped:
    """Something left out: a whole file (``row`` None), a column (ignored) or one row."""
    table: str
    file: str
    row: int | None
    column: str | None
    reason: str


@dataclass(frozen=True)
class EventRead:
    """The table as the monitor sees it (contract schema: built rows plus the recorded events
    that count), the ids of those recorded events, and what was left out."""
    table: pa.Table
    recorded: frozenset[str]
    skipped: tuple[Skipped, ...]


# ---------------------------------------------------------------------------- which files count

def classify(name: str, *, is_file: bool = True, is_symlink: bool = False) -> str | None:
    """Why an entry of an events folder does not count (Dutch), "" for the expected partial file
    of a killed recording (left out silently), or None when it is an event file."""
    if is_symlink:
        return "een snelkoppeling (symlink); alleen gewone bestanden tellen"
    if not is_file:
        return "een map of ander bijzonder bestand, geen gebeurtenisbestand"
    if EVENT_NAME.match(name):
        return None
    if PARTIAL_NAME.match(name):
        return ""
    if name.startswith("._"):
        return "een macOS-hulpbestand (._), geen gebeurtenisbestand"
    if name.startswith("."):
        return "een verborgen bestand, geen gebeurtenisbestand"
    if name.endswith((".tmp", ".temp", ".part", ".partial", "~")):
        return "een tijdelijk bestand, geen gebeurtenisbestand"
    if name.endswith(".parquet"):
        return ("de naam is niet die van de monitor (tijdstip-uuid.parquet): een kopie of "
                "conflictbestand van een synchronisatieprogramma telt niet mee")
    return "geen gebeurtenisbestand (alleen tijdstip-uuid.parquet telt)"


def _entry_kind(entry: os.DirEntry) -> tuple[bool, bool]:
    try:
        return entry.is_file(follow_symlinks=False), entry.is_symlink()
    except OSError:
        return False, False


def list_folder(folder: Path, table: str) -> tuple[list[Path], list[Skipped]]:
    """The event files of a local folder (name order) and the entries that do not count."""
    files, skipped = [], []
    try:
        with os.scandir(folder) as entries:
            found = sorted(entries, key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return [], []
    except OSError as exc:
        return [], [Skipped(table, folder.name, None, None, f"de map kan niet worden gelezen ({exc.strerror})")]
    for entry in found:
        is_file, is_symlink = _entry_kind(entry)
        reason = classify(entry.name, is_file=is_file, is_symlink=is_symlink)
        if reason is None:
            files.append(Path(entry.path))
        elif reason:
            skipped.append(Skipped(table, entry.name, None, None, reason))
    return files, skipped


def event_files(table: str, dataset_dir: str | Path | None = None) -> list[Path]:
    """The local event files that count (name order); never a temporary or foreign file."""
    return list_folder(store.dataset_dir(dataset_dir) / EVENTS_SUBDIR / table, table)[0]


def partial_files(dataset_dir: str | Path | None = None) -> list[Path]:
    """The hidden ``.tmp`` files killed recordings left in the local events folders."""
    root = store.dataset_dir(dataset_dir) / EVENTS_SUBDIR
    found = []
    for table in EVENT_TABLES:
        try:
            with os.scandir(root / table) as entries:
                found += [Path(e.path) for e in entries if PARTIAL_NAME.match(e.name)]
        except OSError:
            continue
    return sorted(found)


def folder_state(folder: Path) -> tuple:
    """What changes when an entry of an events folder appears, goes or is renamed."""
    try:
        with os.scandir(folder) as entries:
            names = sum(1 for _e in entries)
        return (folder.stat().st_mtime_ns, names)
    except OSError:
        return (None, 0)


# ---------------------------------------------------------------------------- one file, by name

_RELAXED = {name: pa.schema([field.with_nullable(True) for field in SCHEMAS[name]]) for name in EVENT_TABLES}
_file_cache: dict[tuple, tuple[pa.Table | None, tuple[Skipped, ...]]] = {}
_cache_lock = threading.Lock()


def _compatible(found: pa.DataType, wanted: pa.DataType) -> bool:
    """Whether a column's type converts to the contract's without changing what it means
    (a timestamp's unit, large strings, a whole number as a float); text is never a date."""
    if found == wanted:
        return True
    if pa.types.is_timestamp(wanted):
        return pa.types.is_timestamp(found) and found.tz is not None
    if pa.types.is_string(wanted):
        return pa.types.is_large_string(found) or pa.types.is_string(found)
    if pa.types.is_floating(wanted):
        return pa.types.is_floating(found) or pa.types.is_integer(found)
    if pa.types.is_date(wanted):
        return pa.types.is_date(found)
    return False


def conform(table: str, file: str, raw: pa.Table) -> tuple[pa.Table | None, list[Skipped]]:
    """A file's table with the contract's columns (by name, all nullable), or None when it
    cannot be used; and what was ignored or why it was set aside."""
    schema = _RELAXED[table]
    notes = [Skipped(table, file, None, column, "onbekende kolom; genegeerd")
             for column in raw.column_names if column not in schema.names]
    if len(set(raw.column_names)) != len(raw.column_names):
        return None, notes + [Skipped(table, file, None, None, "een kolomnaam komt dubbel voor")]
    arrays = []
    for field, contract in zip(schema, SCHEMAS[table]):
        if field.name not in raw.column_names:
            if contract.nullable:
                arrays.append(pa.nulls(raw.num_rows, field.type))
                continue
            return None, notes + [Skipped(table, file, None, field.name, "verplichte kolom ontbreekt")]
        column = raw.column(field.name)
        if not _compatible(column.type, field.type):
            return None, notes + [Skipped(table, file, None, field.name,
                                          f"kolom heeft type {column.type} in plaats van {field.type}")]
        try:
            arrays.append(column.cast(field.type, safe=True))
        except (pa.ArrowException, ValueError) as exc:
            return None, notes + [Skipped(table, file, None, field.name,
                                          f"waarden passen niet in type {field.type} ({str(exc)[:80]})")]
    return pa.Table.from_arrays(arrays, schema=schema), notes


def _parse(table: str, file: str, source) -> tuple[pa.Table | None, tuple[Skipped, ...]]:
    try:
        raw = pq.read_table(source)
    except (pa.ArrowException, OSError, ValueError) as exc:
        return None, (Skipped(table, file, None, None,
                              f"geen geldig Parquet-bestand: {store.unreadable_reason(exc)}"),)
    data, notes = conform(table, file, raw)
    return data, tuple(notes)


def _read_local(table: str, path: Path) -> tuple[pa.Table | None, tuple[Skipped, ...]]:
    """One event file (cached by path, inode, size and mtime: an event file never changes).
    Opened without following a symlink that replaced it since it was listed."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return None, (Skipped(table, path.name, None, None, f"kan niet worden geopend ({exc.strerror})"),)
    with os.fdopen(fd, "rb") as handle:
        stat = os.fstat(handle.fileno())
        if not S_ISREG(stat.st_mode):  # replaced by something else since it was listed
            return None, (Skipped(table, path.name, None, None, "geen gewoon bestand"),)
        key = (str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns)
        with _cache_lock:
            cached = _file_cache.get(key)
        if cached is None:
            cached = _parse(table, path.name, handle)
            with _cache_lock:
                _file_cache[key] = cached
    return cached


def _read_remote(bucket: objectstore.S3Store, table: str
                 ) -> tuple[list[tuple[str, pa.Table | None, tuple[Skipped, ...]]], list[Skipped]]:
    prefix = f"{objectstore.EVENTS}/{table}/"
    keys, skipped = [], []
    for rel, etag, size in bucket.list(prefix):
        name = rel[len(prefix):]
        reason = classify(name.rsplit("/", 1)[-1], is_file="/" not in name)
        if reason is None:
            keys.append((rel, etag, size))
        elif reason:
            skipped.append(Skipped(table, name, None, None, reason))

    def one(rel: str, etag: str, size: int):
        key = (bucket.object_url(rel), etag)
        with _cache_lock:
            cached = _file_cache.get(key)
        if cached is None:
            got = bucket.fetch(rel, etag, size)
            if got is None:
                return None  # removed since it was listed
            source = pa.BufferReader(got) if isinstance(got, bytes) else got
            cached = _parse(table, rel.rsplit("/", 1)[1], source)
            with _cache_lock:
                _file_cache[key] = cached
        return cached

    results = objectstore.parallel([lambda item=item: one(*item) for item in keys]) if keys else []
    read = [(rel.rsplit("/", 1)[1], *result) for (rel, _e, _s), result in zip(keys, results)
            if result is not None]
    return read, skipped


# ---------------------------------------------------------------------------- rows

def _quote(value: object) -> str:
    text = str(value)
    return f"'{text[:57]}...'" if len(text) > 60 else f"'{text}'"


def _known(table: str, dataset_dir) -> set[str]:
    if table == "phase_events":
        return set(store.read_frame("projects", dataset_dir)["project_id"])
    return set(store.read_frame("project_kpis", dataset_dir)["kpi_id"])


def _period_ok(value: object) -> bool:
    try:
        return normalise_period(str(value)) == value
    except PeriodError:
        return False


def _row_problem(table: str, row: dict, stem: str | None, known: set[str]) -> tuple[str, str] | None:
    """(column, reason) of the first thing wrong with a row, or None."""
    for field in SCHEMAS[table]:
        value = row[field.name]
        if not field.nullable and (value is None or (isinstance(value, float) and math.isnan(value))
                                   or (isinstance(value, str) and not value.strip())):
            if field.name == "value":
                return "value", "geen getal (leeg of NaN)"
            return field.name, "verplicht maar leeg"
    if stem is not None and row["event_id"] != stem:
        return "event_id", f"event_id {_quote(row['event_id'])} is niet de naam van het bestand"
    if table == "phase_events":
        if row["project_id"] not in known:
            return "project_id", f"onbekend project {_quote(row['project_id'])}"
        if row["phase"] not in PHASES:
            return "phase", f"{_quote(row['phase'])} is geen fase (kies uit: {', '.join(PHASES)})"
    else:
        if row["kpi_id"] not in known:
            return "kpi_id", f"onbekende KPI {_quote(row['kpi_id'])}"
        if not _period_ok(row["period"]):
            return "period", f"{_quote(row['period'])} is geen periode in de vorm 2025, 2025Q3 of 2025M06"
        if not math.isfinite(row["value"]):
            return "value", "de waarde is geen eindig getal"
    return None


def _select(table: str, parts: list[tuple[str, pa.Table, bool]], known: set[str]
            ) -> tuple[list[pa.Table], set[str], list[Skipped]]:
    """The rows that count of each part (file name, data, recorded?), in order."""
    kept_parts, recorded, skipped = [], set(), []
    seen: dict[str, str] = {}       # event_id -> file it came from
    undo_rows = []                  # (part index, row index, row) checked once all ids are known
    masks = []
    for index, (file, data, is_recorded) in enumerate(parts):
        stem = file[: -len(".parquet")] if is_recorded else None
        rows = data.to_pylist()
        mask = [False] * len(rows)
        for number, row in enumerate(rows):
            where = number + 1
            problem = _row_problem(table, row, stem, known)
            if problem is None and row["event_id"] in seen:
                problem = ("event_id", f"event_id {_quote(row['event_id'])} komt al voor in {seen[row['event_id']]}; telt één keer")
            if problem is not None:
                skipped.append(Skipped(table, file, where, *problem))
                continue
            seen[row["event_id"]] = file
            if row["undoes"] is not None:
                undo_rows.append((index, number, row))
            mask[number] = True
        masks.append(mask)
    plain = {event_id for event_id in seen}
    undo_ids = {row["event_id"] for _i, _n, row in undo_rows}
    for index, number, row in undo_rows:
        target = row["undoes"]
        if target not in plain or target in undo_ids:
            why = ("maakt een ongedaanmaking ongedaan" if target in undo_ids
                   else f"maakt een onbekende registratie {_quote(target)} ongedaan")
            masks[index][number] = False
            skipped.append(Skipped(table, parts[index][0], number + 1, "undoes", why))
    for (file, data, is_recorded), mask in zip(parts, masks):
        if not any(mask):
            continue
        kept = data if all(mask) else data.filter(pa.array(mask))
        kept_parts.append(kept)
        if is_recorded:
            recorded |= set(kept.column("event_id").to_pylist())
    return kept_parts, recorded, skipped


# ---------------------------------------------------------------------------- the reader

def read_events(table: str, dataset_dir: str | Path | None = None, *, built: pa.Table | None = None
                ) -> EventRead:
    """The built table plus every recorded event of ``table`` that counts (see the module
    docstring), by column name, with what was left out. ``built``: the built table when the
    caller already read it (object storage: from one pointer). Raises ``DatasetUnreadable`` only
    for the built file itself (which an import wrote and checked); never writes."""
    if table not in EVENT_TABLES:
        raise ValueError(f"'{table}' is geen tabel met registraties")
    built = store.read_table(table, dataset_dir) if built is None else built
    bucket = store.remote(dataset_dir)
    if bucket is not None:
        files, skipped = _read_remote(bucket, table)
        built_name = f"{table}.parquet"
    else:
        folder = store.dataset_dir(dataset_dir) / EVENTS_SUBDIR / table
        paths, skipped = list_folder(folder, table)
        files = [(path.name, *_read_local(table, path)) for path in paths]
        built_name = store.table_path(table, dataset_dir).name
    parts: list[tuple[str, pa.Table, bool]] = [(built_name, built.cast(_RELAXED[table]), False)]
    for name, data, notes in files:
        skipped += notes
        if data is not None:
            parts.append((name, data, True))
    kept, recorded, bad_rows = _select(table, parts, _known(table, dataset_dir))
    skipped += bad_rows
    combined = pa.concat_tables(kept) if kept else _RELAXED[table].empty_table()
    result = EventRead(combined.cast(SCHEMAS[table]), frozenset(recorded), tuple(skipped))
    _log_new(str(store.dataset_dir(dataset_dir)), table, result.skipped)
    return result


_logged: dict[tuple[str, str], frozenset[Skipped]] = {}


def _log_new(folder: str, table: str, skipped: tuple[Skipped, ...]) -> None:
    """Log what is left out once per state of the folder, not once per read."""
    current = frozenset(skipped)
    with _cache_lock:
        before = _logged.get((folder, table), frozenset())
        _logged[(folder, table)] = current
    for item in sorted(current - before):
        where = "".join([f", rij {item.row}" if item.row else "", f", kolom {item.column}" if item.column else ""])
        log.warning("registraties %s/%s: %s%s overgeslagen: %s", folder, table, item.file, where, item.reason)


def load_frame(table: str, dataset_dir: str | Path | None = None) -> pd.DataFrame:
    return read_events(table, dataset_dir).table.to_pandas()


SKIPPED_COLUMNS = ("Tabel", "Bestand", "Rij", "Kolom", "Reden")


def skipped_report(dataset_dir: str | Path | None = None) -> pd.DataFrame:
    """Every file, column and row of the recorded events that was left out, for the beheer view
    (columns :data:`SKIPPED_COLUMNS`; a whole file has no row)."""
    rows = [(s.table, s.file, s.row, s.column or "", s.reason)
            for table in EVENT_TABLES for s in read_events(table, dataset_dir).skipped]
    frame = pd.DataFrame(rows, columns=list(SKIPPED_COLUMNS))
    frame["Rij"] = frame["Rij"].astype("Int64")
    return frame
