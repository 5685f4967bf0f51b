"""The one reader of the recorded events: tolerant of foreign files, strict about every row.

Every consumer of an event table (``contract.EVENT_TABLES``: phase_events, kpi_realisations,
owner_events, checkins, follow_events, bo_dates; the DuckDB catalog, local or on object storage,
the writer's validation under its lock, the rights check, status, history and the beheer view)
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
project (phase_events, checkins), KPI (kpi_realisations) or subject of the named kind
(owner_events, follow_events: a project, themalijn or KPI that exists), exactly one of the
contract's phases and judgements, the role that goes with the subject, an e-mail address in
lower case, a period in its normal form, a finite value, an ``event_id`` equal to the file's name and seen
once (a duplicate counts once, the first in name order), and an ``undoes`` that names an
event of the same table. A bad row is set aside and reported (file, row, column, reason).

Reading never writes: not the lock file, not a clean-up.
"""

from __future__ import annotations

import logging
import os
import threading
from stat import S_ISREG
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from monitor.data import objectstore, store
from monitor.data.contract import (EVENT_NAME, EVENT_TABLES, FOLLOW_SUBJECTS, JUDGEMENTS, OWNER_ROLES, PARTIAL_NAME,
                                   PHASES, SCHEMAS)
from monitor.data.errors import unreadable_reason
from monitor.domain.owners import is_email
from monitor.domain.periods import PeriodError, normalise_period

EVENTS_SUBDIR = "events"

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
        except (pa.ArrowException, ValueError):
            return None, notes + [Skipped(table, file, None, field.name,
                                          f"waarden passen niet zonder verlies in type {field.type}")]
    return pa.Table.from_arrays(arrays, schema=schema), notes


def _parse(table: str, file: str, source) -> tuple[pa.Table | None, tuple[Skipped, ...]]:
    try:
        # One small file: read as it is (``read_table`` sets up a dataset scan with threads and
        # read-ahead per file, 3-4 times slower for a few rows; a server's first page reads
        # every project's events).
        raw = pq.ParquetFile(source, pre_buffer=False).read(use_threads=False)
    except (pa.ArrowException, OSError, ValueError) as exc:
        return None, (Skipped(table, file, None, None,
                              f"geen geldig Parquet-bestand: {unreadable_reason(exc)}"),)
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


# What each table's rows refer to: (column, kind of subject) checked against what exists.
_SUBJECT_TABLES = {"project": ("projects", "project_id"), "kpi": ("project_kpis", "kpi_id"),
                   "themalijn": ("themalijnen", "themalijn")}


def _known(table: str, dataset_dir) -> dict[str, set[str]]:
    """The ids that exist, per kind of subject (project, kpi, themalijn), as far as ``table`` needs them."""
    kinds = {"phase_events": ("project",), "checkins": ("project",), "kpi_realisations": ("kpi",),
             "owner_events": ("project", "kpi", "themalijn"), "follow_events": ("project", "themalijn"),
             "bo_dates": ()}[table]
    return {kind: set(store.read_frame(_SUBJECT_TABLES[kind][0], dataset_dir)[_SUBJECT_TABLES[kind][1]])
            for kind in kinds}


def _period_ok(value: object) -> bool:
    try:
        return normalise_period(str(value)) == value
    except PeriodError:
        return False


def _isin(series: pd.Series, values) -> pd.Series:
    """``series.isin(values)`` through Arrow (pandas' own is slow on Arrow-backed strings)."""
    values = sorted(values) if isinstance(values, (set, frozenset)) else values
    found = pc.is_in(pa.array(series, type=pa.string()), value_set=pa.array(values, type=pa.string()))
    return pd.Series(found.fill_null(False).to_numpy(zero_copy_only=False), index=series.index)


def _checks(table: str, frame: pd.DataFrame, stems: pd.Series, known: dict[str, set[str]]) -> list[tuple[str, pd.Series, object]]:
    """(column, rows that fail, reason for a value) in the order they are checked: the first
    that fails names a row's problem. Vectorised: a national store has tens of thousands of rows."""
    checks = []
    for field in SCHEMAS[table]:
        if field.nullable:
            continue
        values = frame[field.name]
        empty = values.isna()
        if pa.types.is_string(field.type):
            empty |= values.fillna("").astype(str).str.strip().eq("")
        reason = "geen getal (leeg of NaN)" if field.name == "value" else "verplicht maar leeg"
        checks.append((field.name, empty, lambda _v, reason=reason: reason))
    checks.append(("event_id", stems.notna() & (frame["event_id"] != stems),
                   lambda v: f"event_id {_quote(v)} is niet de naam van het bestand"))
    if table in ("phase_events", "checkins"):
        checks.append(("project_id", ~_isin(frame["project_id"], known["project"]),
                       lambda v: f"onbekend project {_quote(v)}"))
        checks.append(("phase", ~_isin(frame["phase"], set(PHASES)),
                       lambda v: f"{_quote(v)} is geen fase (kies uit: {', '.join(PHASES)})"))
    if table == "checkins":
        checks.append(("judgement", ~_isin(frame["judgement"], set(JUDGEMENTS)),
                       lambda v: f"{_quote(v)} is geen oordeel (kies uit: {', '.join(JUDGEMENTS)})"))
    if table in ("kpi_realisations", "checkins"):
        periods = {value: _period_ok(value) for value in frame["period"].dropna().unique()}
        checks.append(("period", ~frame["period"].map(periods).fillna(True).astype(bool),
                       lambda v: f"{_quote(v)} is geen periode in de vorm 2025, 2025Q3 of 2025M06"))
    if table == "kpi_realisations":
        checks.append(("kpi_id", ~_isin(frame["kpi_id"], known["kpi"]), lambda v: f"onbekende KPI {_quote(v)}"))
        values = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
        checks.append(("value", values.notna() & ~np.isfinite(values.fillna(0.0)),
                       lambda _v: "de waarde is geen eindig getal"))
    if table in ("owner_events", "follow_events"):
        kinds = OWNER_ROLES if table == "owner_events" else FOLLOW_SUBJECTS
        checks.append(("subject_type", ~_isin(frame["subject_type"], set(kinds)),
                       lambda v: f"{_quote(v)} is geen soort (kies uit: {', '.join(kinds)})"))
        exists = pd.Series([subject in known.get(kind, ()) for kind, subject
                            in zip(frame["subject_type"], frame["subject_id"])], index=frame.index, dtype=bool)
        checks.append(("subject_id", ~exists, lambda v: f"onbekend project, themalijn of KPI {_quote(v)}"))
        bad_email = pd.Series([e is not None and not pd.isna(e) and (not is_email(e) or e != str(e).strip().lower())
                               for e in frame["email"]], index=frame.index, dtype=bool)
        checks.append(("email", bad_email, lambda v: f"{_quote(v)} is geen e-mailadres in kleine letters"))
    if table == "owner_events":
        wrong_role = pd.Series([OWNER_ROLES.get(kind) != role for kind, role
                                in zip(frame["subject_type"], frame["role"])], index=frame.index, dtype=bool)
        checks.append(("role", wrong_role, lambda v: f"{_quote(v)} is niet de rol die bij de soort hoort "
                                                     f"({', '.join(f'{k}: {r}' for k, r in OWNER_ROLES.items())})"))
    return checks


def _select(table: str, parts: list[tuple[str, pa.Table, bool]], known: dict[str, set[str]]
            ) -> tuple[pa.Table, set[str], list[Skipped]]:
    """The rows that count of the parts (file name, data, recorded?), in order; the ids of the
    recorded ones; the rows set aside."""
    combined = pa.concat_tables([data for _f, data, _r in parts])
    sizes = [data.num_rows for _f, data, _r in parts]
    files = pd.Series(np.repeat([f for f, _d, _r in parts], sizes) if parts else [], dtype=object)
    recorded = pd.Series(np.repeat([r for _f, _d, r in parts], sizes) if parts else [], dtype=bool)
    rows = pd.Series(np.concatenate([np.arange(1, n + 1) for n in sizes]) if sizes else [], dtype="int64")
    frame = combined.to_pandas()
    stems = files.str.slice(0, -len(".parquet")).where(recorded)
    bad = pd.Series(False, index=frame.index)
    skipped: list[Skipped] = []

    def set_aside(column: str, failing: pd.Series, reason) -> None:
        new = failing & ~bad
        for index in np.flatnonzero(new.to_numpy()):
            skipped.append(Skipped(table, files.iat[index], int(rows.iat[index]), column,
                                   reason(frame[column].iat[index])))
        bad[new] = True

    for column, failing, reason in _checks(table, frame, stems, known):
        set_aside(column, failing.fillna(False).astype(bool), reason)
    # A duplicate id counts once: the first (built rows, then files in name order).
    ids = frame["event_id"].to_numpy(dtype=object)
    valid_ids = frame["event_id"].where(~bad)
    firsts = ~bad & ~valid_ids.duplicated(keep="first")
    set_aside("event_id", ~bad & valid_ids.duplicated(keep="first"),
              lambda v: f"event_id {_quote(v)} komt al voor in {files[firsts & (frame['event_id'] == v)].iat[0]}; "
                        "telt één keer")
    # An undo names an event of this table that counts and is not an undo itself.
    is_undo = frame["undoes"].notna() & ~bad
    plain = ids[(~bad & ~is_undo).to_numpy()]
    set_aside("undoes", is_undo & _isin(frame["undoes"], ids[is_undo.to_numpy()]),
              lambda _v: "maakt een ongedaanmaking ongedaan")
    set_aside("undoes", is_undo & ~_isin(frame["undoes"], plain),
              lambda v: f"maakt een onbekende registratie {_quote(v)} ongedaan")
    keep = ~bad.to_numpy()
    kept = combined.filter(pa.array(keep)) if not keep.all() else combined
    return kept, set(ids[keep & recorded.to_numpy()]), skipped


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
    result = EventRead(kept.cast(SCHEMAS[table]), frozenset(recorded), tuple(skipped))
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
