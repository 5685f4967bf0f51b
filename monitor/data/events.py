"""Recording changes: append-only event files for phase changes and KPI realisations.

Every change a user records is one new Parquet file with one row,
``<dataset_dir>/events/<table>/<UTC yyyymmddTHHMMSSffffff>-<uuid4hex>.parquet``, with exactly
the contract's schema for the table (``phase_events`` or ``kpi_realisations``). The file
stem is the event's ``event_id``. Files are never modified or deleted: a correction is a
new event, an undo is a new event whose ``undoes`` names the event it withdraws.

Writing: the row goes to ``.<name>.parquet.tmp`` in the same folder, is flushed and
fsynced, then renamed to its final (unique) name and the folder is fsynced. The reader
(``monitor.data.event_reader``, the only one) counts only files named like ``<name>.parquet``,
so it never sees a partial file; a writer killed halfway leaves at most a hidden ``.tmp`` file
that nothing reads and the next recording removes. Every row carries who recorded it
(``recorded_by``, ``recorded_by_email``, ``recorded_by_sub``).

Validation and write happen under one lock per dataset folder (``fcntl.flock`` on
``events/.lock``), so concurrent writers, threads or processes, validate against each
other's events. Every refusal raises before anything is written. A write that fails (disk full,
no permission, read-only folder) raises ``ChangeNotSaved``, a ``ChangeRefused`` with a Dutch
message naming the folder, after the temporary file is removed: nothing changed.

The derived state (current phase, latest realisation) drops undo events and the events
they undo (``effective_events``); among the remaining events of a project the latest is the
one with the highest (effective_date, recorded_at, event_id).
"""

from __future__ import annotations

import fcntl
import io
import math
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from monitor.data import event_reader, objectstore, rights, snapshot, store
from monitor.data.contract import EVENT_TABLES, PHASES, SCHEMAS
from monitor.data.errors import MonitorError, StorageError, write_failure
from monitor.data.users import BEHEERDER_ROLE, EDITOR_ROLE, PermissionDenied, User  # noqa: F401 (their home until now)
from monitor.domain.periods import PeriodError, iso_date, normalise_period, period_start

EVENTS_SUBDIR = "events"
LOCK_NAME = ".lock"
REGISTRATION_SOURCE_ID = "tk-registratie"
MAX_NOTE_LENGTH = 2000

try:
    from zoneinfo import ZoneInfo

    _LOCAL_TZ = ZoneInfo("Europe/Amsterdam")
except Exception:  # pragma: no cover - no tz database: fall back to UTC
    _LOCAL_TZ = timezone.utc


class ChangeRefused(MonitorError):
    """A change that fails validation; ``field`` names the form field it concerns."""

    def __init__(self, message: str, field: str | None = None) -> None:
        self.message = message
        self.field = field
        super().__init__(message)


class ChangeNotSaved(ChangeRefused, StorageError):
    """The change was valid but could not be written (disk full, no permission); nothing changed."""


WHAT = {"phase_events": "de faseovergang", "kpi_realisations": "de KPI-realisatie",
        "owner_events": "de eigenaar", "checkins": "de voortgangsmelding", "follow_events": "het volgen",
        "bo_dates": "de BO-datum"}


def _not_saved(exc: OSError, table: str, folder: Path, undo: bool = False) -> ChangeNotSaved:
    what = "de ongedaanmaking" if undo else WHAT.get(table, "de wijziging")
    error = ChangeNotSaved(write_failure(exc, what, folder))
    error.errno = exc.errno
    return error


# ---------------------------------------------------------------------------- paths, lock

def events_dir(table: str, dataset_dir: str | Path | None = None) -> Path:
    return store.dataset_dir(dataset_dir) / EVENTS_SUBDIR / table


def event_files(table: str, dataset_dir: str | Path | None = None) -> list[Path]:
    """The event files that count, oldest name first (``event_reader``: never a ``.tmp``, hidden,
    conflict or foreign file); on object storage their ``s3://`` URLs."""
    bucket = store.remote(dataset_dir)
    if bucket is not None:
        return [bucket.object_url(rel) for rel, _etag, _size in bucket.event_keys(table)]
    return event_reader.event_files(table, dataset_dir)


@contextmanager
def dataset_lock(dataset_dir: str | Path | None = None) -> Iterator[None]:
    """Exclusive lock on ``<dataset_dir>/events/.lock`` (threads and processes alike).

    Every call opens the lock file anew, so two threads of one process hold separate open
    file descriptions and ``flock`` excludes them from each other as well. The kernel
    releases the lock when a holder dies. On object storage: the lease ``locks/events``.
    """
    bucket = store.remote(dataset_dir)
    if bucket is not None:
        with bucket.lease("events", "de wijziging", store.LOCK_WAIT_S):
            yield
        return
    folder = store.dataset_dir(dataset_dir) / EVENTS_SUBDIR
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise _not_saved(exc, "", folder) from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


# ---------------------------------------------------------------------------- reading

def _load(table: str, dataset_dir: str | Path | None) -> tuple[pd.DataFrame, set[str]]:
    """(built rows ∪ recorded rows that count, ids of those recorded events): ``event_reader``."""
    read = event_reader.read_events(table, dataset_dir)
    return read.table.to_pandas(), set(read.recorded)


def load_events(table: str, dataset_dir: str | Path | None = None) -> pd.DataFrame:
    """The table as the monitor sees it: the built Parquet file plus every recorded event that
    counts (``monitor.data.event_reader``: foreign files and bad rows are left out).

    Columns are the contract's; undo events and the events they undo are still present
    (use ``effective_events`` for the state).
    """
    return _load(table, dataset_dir)[0]


def effective_events(frame: pd.DataFrame) -> pd.DataFrame:
    """The events that count: without undo events and without the events they undo."""
    is_undo = frame["undoes"].notna()
    undone = set(frame.loc[is_undo, "undoes"])
    return frame[~is_undo & ~frame["event_id"].isin(undone)]


def _latest_first(events: pd.DataFrame) -> pd.DataFrame:
    return events.sort_values(["effective_date", "recorded_at", "event_id"], ascending=False)


def current_phase(project_id: str, on: date | None = None, dataset_dir: str | Path | None = None,
                  frame: pd.DataFrame | None = None) -> str | None:
    """The project's phase on a date (default: its latest event), or None without events."""
    events = effective_events(load_events("phase_events", dataset_dir) if frame is None else frame)
    events = events[events["project_id"] == project_id]
    if on is not None:
        events = events[events["effective_date"] <= on]
    if events.empty:
        return None
    return str(_latest_first(events).iloc[0]["phase"])


# ---------------------------------------------------------------------------- writing

def _write_parquet(handle, table: pa.Table) -> None:
    """Write the table into an open binary file (a seam for the killed-writer test)."""
    pq.write_table(table, handle, compression="zstd")


def _publish(tmp: Path, final: Path) -> None:
    """Give a complete, fsynced temporary file its final name (atomic on POSIX)."""
    os.replace(tmp, final)


def _new_name(clock: datetime | None = None) -> str:
    clock = clock or datetime.now(timezone.utc)
    return f"{clock.astimezone(timezone.utc):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex}"


def _write_event(table: str, row: dict, dataset_dir: str | Path | None, name: str) -> Path:
    bucket = store.remote(dataset_dir)
    if bucket is not None:
        return _write_remote_event(bucket, table, row, name)
    folder = events_dir(table, dataset_dir)
    final = folder / f"{name}.parquet"
    tmp = folder / f".{name}.parquet.tmp"
    data = pa.Table.from_pylist([row], schema=SCHEMAS[table])
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if final.exists():  # unreachable with a uuid4 in the name; never overwrite regardless
            raise FileExistsError(final)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise
    except OSError as exc:
        raise _not_saved(exc, table, folder, row.get("undoes") is not None) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            _write_parquet(handle, data)
            handle.flush()
            os.fsync(handle.fileno())
        _publish(tmp, final)
    except BaseException as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass  # a hidden .tmp file nothing reads; removed at the next start
        if isinstance(exc, OSError):
            raise _not_saved(exc, table, folder, row.get("undoes") is not None) from exc
        raise
    store._fsync_dir(folder)
    return final


def _write_remote_event(bucket, table: str, row: dict, name: str) -> str:
    """One new object, created with ``If-None-Match: *``: it can never overwrite another."""
    sink = io.BytesIO()
    _write_parquet(sink, pa.Table.from_pylist([row], schema=SCHEMAS[table]))
    try:
        return bucket.object_url(bucket.put_event(table, name, sink.getvalue()))
    except objectstore.PreconditionFailed:
        raise  # unreachable with a uuid4 in the name; never overwrite regardless
    except Exception as exc:  # botocore: endpoint down, access denied, ...
        what = "de ongedaanmaking" if row.get("undoes") is not None else WHAT.get(table, "de wijziging")
        raise ChangeNotSaved(f"{what} kon niet in {bucket.url} worden opgeslagen ({type(exc).__name__}). "
                             "Er is niets gewijzigd.") from exc


def remove_partial_files(dataset_dir: str | Path | None = None) -> list[Path]:
    """Remove the hidden ``.tmp`` files killed recordings left (nothing reads them).

    Called by a recording, under the lock (no other writer is busy, so every ``.tmp`` file is a
    leftover); never by a reader. A file that cannot be removed (read-only or full disk) stays:
    it is harmless, and the recording itself reports whether it could be saved."""
    if store.remote(dataset_dir) is not None:
        return []  # a PUT is all or nothing: object storage has no partial files
    removed = []
    for tmp in event_reader.partial_files(dataset_dir):
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            continue
        removed.append(tmp)
    return removed


# ---------------------------------------------------------------------------- validation

LOGIN_NEEDED = ("Alleen een ingelogde redacteur, beheerder of benoemde eigenaar (projectleider, themaleider) "
                "mag wijzigingen vastleggen.")


def _check_user(user: object, dataset_dir: str | Path | None = None) -> User:
    """A logged-in redacteur, beheerder or named owner, before anything else is looked at; what
    they may record is checked per project under the lock (``monitor.data.rights``)."""
    if not isinstance(user, User) or user.blocked or not str(user.name or "").strip():
        raise PermissionDenied(LOGIN_NEEDED)
    if not user.can_edit and not rights.owns_anything(user, dataset_dir):
        raise PermissionDenied(LOGIN_NEEDED)
    return user


def _check_project(user: User, project_id: str, dataset_dir, kpi_id: str | None = None) -> None:
    rights.check_project(user, project_id, dataset_dir, kpi_id)


def phase_history(dataset_dir: str | Path | None = None) -> pd.DataFrame:
    """The effective phase events (columns of ``phase_events``) with the phase every effective
    voortgangsmelding confirms or changes (from its ``phase_date``): what the status and the
    validation of a phase change reckon with (as ``queries/materialised/effective_phase_events.sql``)."""
    phases = effective_events(load_events("phase_events", dataset_dir))
    checkins = effective_events(load_events("checkins", dataset_dir))
    if checkins.empty:
        return phases
    as_phase = checkins.rename(columns={"phase_date": "effective_date"})[list(phases.columns)]
    return pd.concat([phases, as_phase], ignore_index=True)


def _identity(user: User) -> dict:
    """Who recorded a change, as every event keeps it: the name shown, the e-mail address and
    the OIDC subject (None for a local account without them)."""
    return {"recorded_by": user.name, "recorded_by_email": user.email or None,
            "recorded_by_sub": user.sub or None}


def _now(now: datetime | None) -> datetime:
    now = now or datetime.now(timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    return now.astimezone(timezone.utc).replace(microsecond=0)


def _today(now: datetime) -> date:
    """Today as a user in Twente sees it (a date entered just after midnight is not 'future')."""
    return now.astimezone(_LOCAL_TZ).date()


def _note(note: object, required: bool, why: str) -> str | None:
    text = "" if note is None else str(note).strip()
    if required and not text:
        raise ChangeRefused(why, "toelichting")
    if len(text) > MAX_NOTE_LENGTH:
        raise ChangeRefused(f"De toelichting is te lang (hoogstens {MAX_NOTE_LENGTH} tekens).", "toelichting")
    return text or None


def _as_date(value: object) -> date:
    found = value.date() if isinstance(value, datetime) else iso_date(value)
    if found is None:
        raise ChangeRefused(f"'{value}' is geen geldige datum (JJJJ-MM-DD).", "datum")
    return found


def _nl_date(day: date) -> str:
    return day.strftime("%d-%m-%Y")


@snapshot.forgets
def _record(table: str, validate, dataset_dir: str | Path | None, now: datetime | None = None) -> dict:
    """Validate, then lock, validate again against every event written meanwhile, and write.

    The first pass refuses a bad change without touching the disk at all (not even the
    lock file); the second pass, under the lock, is the one that counts. The clock is read
    under the lock (unless the caller fixed ``now``), so the order of ``recorded_at`` and of
    the event ids is the order in which the changes took the lock: a change recorded later
    is never ordered before an earlier one.
    """
    validate(_now(now))
    with dataset_lock(dataset_dir):
        remove_partial_files(dataset_dir)
        clock = _now(now) if now is not None else _clock_after(table, dataset_dir)
        fields = validate(clock)
        name = _new_name()  # the real clock, under the lock: ids sort in the order of the lock
        row = {"event_id": name, **fields}
        _write_event(table, row, dataset_dir, name)
    return row


def _clock_after(table: str, dataset_dir: str | Path | None) -> datetime:
    """Now (read under the lock), but never before the latest recorded event of the table:
    a clock stepped back (NTP, another machine) cannot put a new change before an old one."""
    now = _now(None)
    frame = load_events(table, dataset_dir)
    if not frame.empty:
        latest = pd.Timestamp(frame["recorded_at"].max())
        if not pd.isna(latest):
            latest = latest.to_pydatetime()
            if latest.tzinfo is None:
                latest = latest.replace(tzinfo=timezone.utc)
            now = max(now, latest)
    return now


def record_phase_change(user: User, project_id: str, phase: str, effective_date: date, note: str | None,
                        *, dataset_dir: str | Path | None = None, now: datetime | None = None) -> dict:
    """Record that a project entered a phase on a date. Returns the row written."""
    user = _check_user(user, dataset_dir)

    def validate(now: datetime) -> dict:
        projects = store.read_frame("projects", dataset_dir)
        if project_id not in set(projects["project_id"]):
            raise ChangeRefused(f"Onbekend project '{project_id}'.", "project")
        _check_project(user, project_id, dataset_dir)
        if phase not in PHASES:
            raise ChangeRefused(f"'{phase}' is geen fase. Kies uit: {', '.join(PHASES)}.", "fase")
        day = _as_date(effective_date)
        if day > _today(now):
            raise ChangeRefused(f"De ingangsdatum {_nl_date(day)} ligt in de toekomst.", "datum")
        frame = phase_history(dataset_dir)
        mine = frame[frame["project_id"] == project_id]
        current = None
        if not mine.empty:
            latest = _latest_first(mine).iloc[0]
            if day < latest["effective_date"]:
                raise ChangeRefused(
                    f"De ingangsdatum {_nl_date(day)} ligt vóór de vorige wijziging van dit project "
                    f"({_nl_date(latest['effective_date'])}, fase {latest['phase']}).", "datum")
            current = current_phase(project_id, day, frame=mine)
        if current == phase:
            raise ChangeRefused(f"Het project is al in fase {phase}.", "fase")
        step_back = current is not None and PHASES.index(phase) < PHASES.index(current)
        text = _note(note, step_back,
                     f"Een stap terug (van {current} naar {phase}) vraagt om een toelichting.")
        return {"project_id": project_id, "phase": phase, "effective_date": day, "recorded_at": now,
                "note": text, "source_id": REGISTRATION_SOURCE_ID, "undoes": None, **_identity(user)}

    return _record("phase_events", validate, dataset_dir, now)


def _as_number(value: object) -> float:
    if isinstance(value, bool):
        raise ChangeRefused("De waarde moet een getal zijn.", "waarde")
    if isinstance(value, str):
        value = value.strip().replace(",", ".")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ChangeRefused(f"'{value}' is geen getal.", "waarde") from None
    if not math.isfinite(number):
        raise ChangeRefused("De waarde moet een eindig getal zijn.", "waarde")
    return number


def _check_unit(value: float, unit: str) -> None:
    shown = f"{value:g}".replace(".", ",")  # as the user typed it: a decimal comma
    if unit == "%" and not 0 <= value <= 100:
        raise ChangeRefused(f"Een percentage ligt tussen 0 en 100; {shown} past niet.", "waarde")
    if unit == "aantal":
        if value < 0:
            raise ChangeRefused(f"Een aantal kan niet negatief zijn ({shown}).", "waarde")
        if not value.is_integer():
            raise ChangeRefused(f"Een aantal is een heel getal; {shown} past niet.", "waarde")
    if unit in ("per 1.000", "uren per week") and value < 0:
        raise ChangeRefused(f"De waarde kan niet negatief zijn in eenheid '{unit}'.", "waarde")


def kpi_fields(user: User, kpi_id: str, period: str, value: object, note: str | None, now: datetime,
               dataset_dir: str | Path | None = None, checkin_id: str | None = None) -> dict:
    """The fields of a valid KPI realisation (everything but ``event_id``); ChangeRefused or
    PermissionDenied otherwise. Also used for the KPI values of a voortgangsmelding."""
    kpis = store.read_frame("project_kpis", dataset_dir)
    match = kpis[kpis["kpi_id"] == kpi_id]
    if match.empty:
        raise ChangeRefused(f"Onbekende KPI '{kpi_id}'.", "kpi")
    _check_project(user, str(match.iloc[0]["project_id"]), dataset_dir, kpi_id)
    unit = str(match.iloc[0]["unit"])
    try:
        norm = normalise_period(period)
    except PeriodError as exc:
        raise ChangeRefused(f"Periode: {exc} (gebruik bijvoorbeeld 2025Q3, 2025 of 2025M06).",
                            "periode") from None
    if period_start(norm) > _today(now):
        raise ChangeRefused(f"De periode {norm} is nog niet begonnen; een realisatie kan niet "
                            "vooruit worden vastgelegd.", "periode")
    number = _as_number(value)
    _check_unit(number, unit)
    text = _note(note, False, "")
    frame = effective_events(load_events("kpi_realisations", dataset_dir))
    same = frame[(frame["kpi_id"] == kpi_id) & (frame["period"] == norm)]
    if not same.empty and checkin_id is None:
        last = same.sort_values(["recorded_at", "event_id"]).iloc[-1]
        if not bool(last["is_sample"]) and float(last["value"]) == number:
            raise ChangeRefused(f"Voor {norm} is al {number:g} vastgelegd.", "waarde")
    return {"kpi_id": kpi_id, "period": norm, "value": number, "recorded_at": now,
            "note": text, "is_sample": False, "source_id": REGISTRATION_SOURCE_ID, "undoes": None,
            **_identity(user), "checkin_id": checkin_id}


def record_kpi_realisation(user: User, kpi_id: str, period: str, value: float, note: str | None,
                           *, dataset_dir: str | Path | None = None, now: datetime | None = None) -> dict:
    """Record a KPI's realised value for a period. Returns the row written.

    A second realisation for the same KPI and period is a correction: the latest recorded
    one counts. Recording the value that already counts is refused.
    """
    user = _check_user(user, dataset_dir)
    return _record("kpi_realisations",
                   lambda now: kpi_fields(user, kpi_id, period, value, note, now, dataset_dir),
                   dataset_dir, now)


def _plain(value: object) -> object:
    """A value of a read row as the writer takes it (NULL for pandas' missing markers)."""
    missing = value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value))
    return None if missing else value.item() if hasattr(value, "item") else value


# The writer for every event table: ``record(table, validate, dataset_dir, now)``, where
# ``validate(now)`` returns the row's fields (all but ``event_id``) or raises; it runs before and
# under the lock (``_record``). Check the user first (``check_user``, then ``monitor.data.rights``).
record = _record
check_user = _check_user
identity = _identity


@snapshot.forgets
def record_linked(table: str, validate, dataset_dir: str | Path | None = None,
                  now: datetime | None = None) -> tuple[dict, list[tuple[str, dict]]]:
    """One event of ``table`` with events that belong to it (a voortgangsmelding and its KPI values):
    ``validate(now, event_id)`` gives (main fields, [(table, fields), …]), run as in ``record``.
    The linked events (naming the main one, and counted only while it counts) are written first,
    the main one last: a failure halfway leaves nothing that counts."""
    validate(_now(now), "(nog niet vastgelegd)")
    with dataset_lock(dataset_dir):
        remove_partial_files(dataset_dir)
        clock = _now(now) if now is not None else _clock_after(table, dataset_dir)
        main_id = _new_name()  # under the lock, as in _record
        fields, linked = validate(clock, main_id)
        written, rows = [], []
        try:
            for other, other_fields in linked:
                name = _new_name()
                rows.append((other, {"event_id": name, **other_fields}))
                written.append(_write_event(other, rows[-1][1], dataset_dir, name))
            row = {"event_id": main_id, **fields}
            _write_event(table, row, dataset_dir, main_id)
        except BaseException:
            for path in written:
                if isinstance(path, Path):
                    path.unlink(missing_ok=True)
            raise
    return row, rows


def undo_event(user: User, table: str, event_id: str, note: str | None,
               *, dataset_dir: str | Path | None = None, now: datetime | None = None) -> dict:
    """Withdraw a recorded event by recording a new one with ``undoes = event_id``."""
    user = _check_user(user, dataset_dir)
    if table not in EVENT_TABLES:
        raise ChangeRefused(f"'{table}' is geen tabel met registraties.")

    def validate(now: datetime) -> dict:
        frame, recorded = _load(table, dataset_dir)
        target = frame[frame["event_id"] == event_id]
        if target.empty:
            raise ChangeRefused(f"Onbekende registratie '{event_id}'.")
        original = target.iloc[0]
        if pd.notna(original["undoes"]):
            raise ChangeRefused("Een ongedaanmaking kan niet zelf ongedaan worden gemaakt; "
                                "leg de wijziging opnieuw vast.")
        if event_id not in recorded:
            if table == "phase_events":
                raise ChangeRefused("De startfase uit het jaarplan kan niet ongedaan worden gemaakt.")
            raise ChangeRefused("Deze realisatie hoort bij de ingebouwde gegevens en kan niet "
                                "ongedaan worden gemaakt.")
        if (frame["undoes"] == event_id).any():
            raise ChangeRefused("Deze wijziging is al ongedaan gemaakt.")
        rights.check_undo(user, table, original, dataset_dir)
        text = _note(note, True, "Geef een toelichting waarom de wijziging ongedaan wordt gemaakt.")
        row = {name: _plain(original[name]) for name in SCHEMAS[table].names if name != "event_id"}
        row.update(recorded_at=now, source_id=REGISTRATION_SOURCE_ID, undoes=event_id, **_identity(user))
        if "note" in row:
            row["note"] = text
        if table == "kpi_realisations":
            row.update(value=float(original["value"]), is_sample=False)
        return row

    return _record(table, validate, dataset_dir, now)


# ---------------------------------------------------------------------------- source row

def registration_source(peildatum: date = date(2025, 1, 1), retrieved: date | None = None) -> dict:
    """The ``sources`` row for what users record in the monitor (source_id ``tk-registratie``).

    For the build (``monitor/data/build.py``): the defaults are fixed dates, so the build stays
    deterministic.
    """
    return {
        "source_id": REGISTRATION_SOURCE_ID,
        "publisher": "Twentse Koers (programmabureau)",
        "title": "Registraties in de monitor: faseovergangen en KPI-realisaties",
        "table_id": None,
        "licence": "intern",
        "peildatum": peildatum,
        "retrieved": retrieved or peildatum,
        "checksum": None,
        "is_sample": False,
        "url": None,
        "note": "Vastgelegd door redacteuren in de monitor; elke wijziging is een apart "
                "gebeurtenisbestand in datasets/events/ met wie en wanneer.",
    }
