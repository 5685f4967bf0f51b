"""Reading and writing the curated Parquet datasets: generations and one pointer.

Layout of a dataset folder::

    current -> gen-20261201T120000123456-1a2b3c4d     the pointer (a symbolic link)
    gen-20261201T120000123456-1a2b3c4d/<table>.parquet one complete set of tables, never changed
    <table>.parquet -> current/<table>.parquet       fixed links, so the old paths keep working
    events/…  .cache/…                                recorded changes (monitor.data.events), caches

Every write makes a new *generation*: the tables it changes are written to a hidden staging
folder ``.tmp-gen-…`` (flushed to disk), every other table is hard-linked from the current
generation, the folder is renamed to ``gen-…`` and then the pointer is flipped: a new link is
made under a temporary name and renamed over ``current`` (``os.replace``, atomic). That
rename is the commit point. A reader resolves the pointer once (:func:`generation_dir`) and
reads every table from that one folder, so it sees all old or all new tables, never a mix;
the query layer (``monitor.data.catalog``) keeps the generation it resolved until the pointer changes.
A superseded generation stays on disk for :data:`KEEP_SUPERSEDED_S` (queries that began
before the flip finish on it) and is removed by a later write or start. On object storage
the same design is one object per table under ``gen-…/`` and one small pointer
object ``current`` whose body is the generation's name.

A folder without a ``current`` link (an old checkout, a test's copy of the tables) is read
from its top level; its first write turns it into a generation and links the top-level
names to it.

One writer at a time per folder: :func:`folder_lock` (an ``flock`` on the folder itself,
re-entrant within a thread) is held by every write, by the importer for its whole
read-validate-write (``monitor.ingest``), by the build while it publishes, and by
:func:`recover`. A second writer waits for it (at most :data:`LOCK_WAIT_S`, then a Dutch
refusal that changes nothing).

A process killed before the commit point leaves only a hidden ``.tmp-gen-…`` folder or a
``gen-…`` folder nothing points to; after it, the new generation is current. ``recover`` (the
first query of a process, or the next write) removes what a killed writer left, a killed
build's ``.build-…`` folder included, and restores missing top-level links.

Every ``OSError`` while writing (disk full, no permission, read-only) is raised as
``StorageError`` with a Dutch message naming the files, after the staging folder is removed.
An unreadable dataset file raises ``DatasetUnreadable`` naming the file.

``MONITOR_KILL_AT`` is a hook for the fault tests (``tests/faults``): set to ``staged`` (the
new generation complete, not yet current), ``committed`` (the pointer flipped) or ``linked``
(top-level links made), the writing process kills itself with SIGKILL at that point. It is
not meant for anything else.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import shutil
import signal
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from monitor import settings
from monitor.data import objectstore
from monitor.data.contract import KEYS, SCHEMAS, SORT, TABLES
from monitor.data.errors import DatasetUnreadable, StorageError, unreadable_reason, write_failure

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATASET_DIR = REPO_ROOT / "datasets"
TMP_PREFIX = ".tmp-"
# Rows per Parquet row group. Files are sorted on their key, so a lookup on the first key
# column (indicator_id) reads one row group of the 12 of a national store's observations; in
# bench/RESULTS.md smaller groups (256k, 128k, 32k rows) made lookups slower, not faster (more
# footer to parse and more groups to check per query).
ROW_GROUP_ROWS = 1024 * 1024
POINTER = "current"
GEN_PREFIX = "gen-"
BUILD_PREFIX = ".build-"
_GEN_NAME = re.compile(r"^gen-[0-9]{8}T[0-9]{12}-[0-9a-f]{8}$")
KEEP_SUPERSEDED_S = 600.0
LOCK_WAIT_S = settings.number("MONITOR_LOCK_WAIT_S", 300.0)
KILL_ENV = "MONITOR_KILL_AT"
log = logging.getLogger(__name__)


def dataset_dir(path: str | Path | None = None) -> Path:
    """The dataset folder: the argument, else $MONITOR_DATA_URL (an ``s3://`` URL, returned as
    the string: ``monitor.data.objectstore``), else $MONITOR_DATASETS, else ``datasets/``."""
    if path is not None:
        return path.rstrip("/") if objectstore.is_url(path) else Path(path)
    url = objectstore.configured_url()
    if url:
        return url  # type: ignore[return-value]  # an s3:// URL: see remote()
    return Path(settings.raw("MONITOR_DATASETS") or DEFAULT_DATASET_DIR)


def remote(directory: str | Path | None = None) -> objectstore.S3Store | None:
    """The object store the datasets live in, or None for a folder on local disk."""
    target = dataset_dir(directory)
    return objectstore.open_store(target) if objectstore.is_url(target) else None


def generation_name(directory: str | Path | None = None) -> str | None:
    """The current generation's folder name, or None for a folder read from its top level."""
    bucket = remote(directory)
    if bucket is not None:
        return bucket.pointer().generation
    pointer = dataset_dir(directory) / POINTER
    try:
        target = os.readlink(pointer)
    except (FileNotFoundError, OSError):
        return None
    return target if _GEN_NAME.match(target) else None


def generation_dir(directory: str | Path | None = None) -> Path:
    """The folder every table of the current generation is read from (resolve once per read)."""
    folder = dataset_dir(directory)
    name = generation_name(folder)
    return folder / name if name else folder


def table_path(name: str, directory: str | Path | None = None, *, generation: Path | None = None) -> Path:
    """A table's file in the current generation (or in ``generation``, resolved before)."""
    return (generation or generation_dir(directory)) / f"{name}.parquet"


def empty_table(name: str) -> pa.Table:
    return SCHEMAS[name].empty_table()


def read_table(name: str, directory: str | Path | None = None) -> pa.Table:
    """The table as stored, or an empty table with the contract's schema."""
    bucket = remote(directory)
    if bucket is not None:
        found = bucket.read_table(name)
        return empty_table(name) if found is None else found
    path = table_path(name, directory)
    if not path.exists():
        return empty_table(name)
    try:
        return pq.read_table(path, schema=SCHEMAS[name])
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise DatasetUnreadable(path, unreadable_reason(exc)) from exc


def read_frame(name: str, directory: str | Path | None = None) -> pd.DataFrame:
    return read_table(name, directory).to_pandas()


def to_table(name: str, frame: pd.DataFrame) -> pa.Table:
    """Conform a DataFrame to the contract: the schema's columns, in order, with its types."""
    schema = SCHEMAS[name]
    # A nullable column a writer does not give is NULL (a column added to the contract later).
    absent = [f.name for f in schema if f.name not in frame.columns and f.nullable]
    if absent:
        frame = frame.assign(**{column: None for column in absent})
    missing = [f.name for f in schema if f.name not in frame.columns]
    if missing:
        raise ValueError(f"{name}: kolommen ontbreken: {', '.join(missing)}")
    columns = {}
    for field in schema:
        values = frame[field.name]
        if pa.types.is_floating(field.type):
            values = pd.to_numeric(values, errors="raise").astype("float64")
        elif pa.types.is_integer(field.type):
            # A nullable integer column (vt_reports.count) keeps its nulls: never 0, never float.
            values = pd.to_numeric(values, errors="raise").astype("Int64" if field.nullable else "int64")
        columns[field.name] = pa.array(
            [None if _is_missing(v) else v for v in values.tolist()], type=field.type, from_pandas=True
        )
    return sort_table(name, pa.table(columns, schema=schema))


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, (list, tuple)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def sort_table(name: str, table: pa.Table) -> pa.Table:
    keys = [(column, "ascending") for column in SORT[name]]
    return table.sort_by(keys) if table.num_rows else table


def merge(name: str, existing: pa.Table, new: pa.Table) -> pa.Table:
    """Rows of ``new`` replace rows of ``existing`` with the same key; the rest is kept."""
    key = list(KEYS[name])
    if existing.num_rows == 0:
        return sort_table(name, new)
    if new.num_rows == 0:
        return sort_table(name, existing)
    old = existing.to_pandas()
    fresh = new.to_pandas()
    new_keys = pd.MultiIndex.from_frame(fresh[key].astype(str))
    old_keys = pd.MultiIndex.from_frame(old[key].astype(str))
    kept = old[~old_keys.isin(new_keys)]
    combined = pa.concat_tables([pa.Table.from_pandas(kept, schema=SCHEMAS[name], preserve_index=False), new])
    return sort_table(name, combined)


@contextmanager
def _locked_folder(target: Path, what: str) -> Iterator[None]:
    """The local folder made if missing and held under the lock, a killed writer's leftovers gone."""
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(write_failure(exc, what, target), exc.errno) from exc
    with folder_lock(target, what):
        _recover_locked(target)
        yield


def write_tables(tables: Mapping[str, pa.Table], directory: str | Path | None = None) -> list[Path]:
    """Write several tables as one all-or-nothing change: a new generation. Returns the paths
    written (in the new generation).

    Raises ``StorageError`` (nothing changed) when the disk is full or the folder not writable,
    or when another writer holds the folder longer than :data:`LOCK_WAIT_S`.
    """
    target = dataset_dir(directory)
    files = ", ".join(f"{name}.parquet" for name in tables)
    what = f"de import ({files})"
    bucket = remote(target)
    if bucket is not None:
        return _write_remote(bucket, tables, what)
    with _locked_folder(target, what):
        base = generation_dir(target)
        name = _new_generation_name()
        staging = target / f"{TMP_PREFIX}{name}"
        written: list[Path] = []
        try:
            staging.mkdir()
            for table_name, table in tables.items():
                if table.schema != SCHEMAS[table_name]:
                    table = table.cast(SCHEMAS[table_name])
                path = staging / f"{table_name}.parquet"
                pq.write_table(sort_table(table_name, table), path, compression="zstd", write_statistics=True,
                               row_group_size=ROW_GROUP_ROWS)
                with open(path, "rb") as handle:
                    os.fsync(handle.fileno())
                written.append(target / name / path.name)
            for table_name in TABLES:
                old = base / f"{table_name}.parquet"
                if table_name not in tables and old.exists():
                    _link_or_copy(old, staging / old.name)
            _fsync_dir(staging)
            _kill_point("staged")
            os.rename(staging, target / name)
            _fsync_dir(target)
        except BaseException as exc:
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(exc, OSError):
                raise StorageError(write_failure(exc, what, target), exc.errno) from exc
            raise
        try:
            _publish(target, name, base)
        except OSError as exc:
            shutil.rmtree(target / name, ignore_errors=True)
            raise StorageError(write_failure(exc, what, target), exc.errno) from exc
        _kill_point("committed")
        try:
            _link_top_level(target)
            _kill_point("linked")
            _remove_superseded(target)
        except OSError:
            # After the commit point: the change is made; the links are restored at the next start.
            log.exception("datasetmap %s: koppelingen of oude generaties niet bijgewerkt", target)
    return written


def _write_remote(bucket: objectstore.S3Store, tables: Mapping[str, pa.Table], what: str) -> list[str]:
    """``write_tables`` on object storage: a new generation and one conditional pointer PUT."""
    bodies = {name: objectstore.parquet_bytes(sort_table(name, table.cast(SCHEMAS[name])), ROW_GROUP_ROWS)
              for name, table in tables.items()}
    with folder_lock(bucket.url, what):
        try:
            name = bucket.write_generation(bodies, what)
        except StorageError:
            raise
        except Exception as exc:  # botocore: endpoint down, access denied, ...
            raise StorageError(f"{what} kon niet naar {bucket.url} worden geschreven ({type(exc).__name__}: "
                               f"{str(exc)[:160]}). Er is niets gewijzigd.") from exc
    return [bucket.object_url(f"{name}/{t}.parquet") for t in tables]


def write_flat(tables: Mapping[str, pa.Table], directory: str | Path | None = None) -> list[Path]:
    """Write every table as a plain file at the folder's top level (``<table>.parquet``), the
    layout of the datasets committed to git: readable by any Parquet tool and stable in a diff.

    For the committed datasets only (``python -m monitor build --flat``, ``make rebuild``), never
    for a folder a server is reading: it removes the pointer, the generations and the links,
    and each file is replaced by its own rename (temporary name first, flushed to disk), so a
    reader at that moment may see old and new tables side by side. A write error raises
    ``StorageError``; files not yet replaced stay as they were."""
    target = dataset_dir(directory)
    what = "de platte datasets (" + ", ".join(f"{name}.parquet" for name in tables) + ")"
    if remote(target) is not None:
        raise StorageError(f"Platte datasets zijn alleen voor een map in git, niet voor {target}.")
    with _locked_folder(target, what):
        staged: list[tuple[Path, Path]] = []
        try:
            for table_name, table in tables.items():
                if table.schema != SCHEMAS[table_name]:
                    table = table.cast(SCHEMAS[table_name])
                final = target / f"{table_name}.parquet"
                tmp = target / f"{TMP_PREFIX}flat-{uuid.uuid4().hex}-{final.name}"
                staged.append((tmp, final))
                pq.write_table(sort_table(table_name, table), tmp, compression="zstd", write_statistics=True,
                               row_group_size=ROW_GROUP_ROWS)
                with open(tmp, "rb") as handle:
                    os.fsync(handle.fileno())
            pointer = target / POINTER
            if pointer.is_symlink():
                pointer.unlink()
            for tmp, final in staged:
                os.replace(tmp, final)  # replaces a top-level link too
            _fsync_dir(target)
        except BaseException as exc:
            for tmp, _final in staged:
                _unlink_quietly(tmp)
            if isinstance(exc, OSError):
                raise StorageError(write_failure(exc, what, target), exc.errno) from exc
            raise
        for folder in target.glob(f"{GEN_PREFIX}*"):
            if folder.is_dir() and _GEN_NAME.match(folder.name):
                shutil.rmtree(folder, ignore_errors=True)
    return [final for _tmp, final in staged]


def _new_generation_name() -> str:
    return f"{GEN_PREFIX}{datetime.now(timezone.utc):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"


def _link_or_copy(source: Path, destination: Path) -> None:
    """A hard link (no bytes copied; the file is never changed), or a copy where links fail."""
    try:
        os.link(source.resolve(), destination)
    except OSError:
        shutil.copy2(source.resolve(), destination)


def _publish(target: Path, name: str, base: Path) -> None:
    """Flip the pointer to generation ``name``: the commit point."""
    pointer = target / POINTER
    tmp = target / f"{TMP_PREFIX}{POINTER}-{uuid.uuid4().hex}"
    os.symlink(name, tmp)
    try:
        if pointer.exists() and not pointer.is_symlink():
            # A folder that was copied link by link has a real folder here: move it away.
            aside = target / f"{TMP_PREFIX}copied-{POINTER}-{uuid.uuid4().hex}"
            os.rename(pointer, aside)
        os.replace(tmp, pointer)
    except BaseException:
        _unlink_quietly(tmp)
        raise
    _fsync_dir(target)
    if base != target:
        # The superseded generation's clock starts now (see _remove_superseded).
        try:
            os.utime(base)
        except OSError:
            pass


def _link_top_level(target: Path) -> None:
    """``<table>.parquet -> current/<table>.parquet`` for every table of the current generation."""
    generation = generation_dir(target)
    if generation == target:
        return
    for path in generation.glob("*.parquet"):
        top = target / path.name
        link = f"{POINTER}/{path.name}"
        if top.is_symlink() and os.readlink(top) == link:
            continue
        tmp = target / f"{TMP_PREFIX}link-{uuid.uuid4().hex}"
        os.symlink(link, tmp)
        try:
            os.replace(tmp, top)
        except BaseException:
            _unlink_quietly(tmp)
            raise
    _fsync_dir(target)


def _remove_superseded(target: Path, now: float | None = None) -> list[str]:
    """Remove generations nothing points to once they have been superseded (or left by a
    killed writer) for :data:`KEEP_SUPERSEDED_S`; the current one always stays."""
    current = generation_name(target)
    if current is None:
        return []
    now = time.time() if now is None else now
    removed = []
    for folder in target.glob(f"{GEN_PREFIX}*"):
        if folder.name == current or not folder.is_dir() or not _GEN_NAME.match(folder.name):
            continue
        try:
            age = now - folder.stat().st_mtime
        except FileNotFoundError:
            continue
        if age >= KEEP_SUPERSEDED_S:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(f"verwijderd: {folder.name}")
    return removed


def _kill_point(name: str) -> None:
    """The fault tests' hook (see the module docstring): die here, as ``kill -9`` would."""
    if settings.raw(KILL_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        log.warning("tijdelijk bestand %s kon niet worden verwijderd", path)


_held = threading.local()


def _lock_folder(directory: Path, wait_s: float | None = None) -> int | None:
    """Exclusive ``flock`` on the dataset folder itself (no lock file; the kernel releases it
    when the holder dies). Returns the descriptor, or None when the wait ran out."""
    fd = os.open(directory, os.O_RDONLY)
    deadline = time.monotonic() + (LOCK_WAIT_S if wait_s is None else wait_s)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    return None
                time.sleep(0.05)
    except BaseException:
        os.close(fd)
        raise


@contextmanager
def folder_lock(directory: str | Path, what: str = "deze wijziging", wait_s: float | None = None) -> Iterator[None]:
    """Hold the folder's write lock (re-entrant within one thread: the importer holds it for
    its whole read-validate-write, and ``write_tables`` inside it does not lock again).

    Raises ``StorageError`` with a Dutch message when another writer holds it for longer
    than ``wait_s`` (default :data:`LOCK_WAIT_S`). On object storage: a lease object
    (``objectstore.S3Store.lease``), held across machines."""
    bucket = remote(directory)
    if bucket is not None:
        with bucket.lease("dataset", what, LOCK_WAIT_S if wait_s is None else wait_s):
            yield
        return
    directory = Path(directory)
    key = str(directory.resolve())
    held = getattr(_held, "folders", None)
    if held is None:
        held = _held.folders = {}
    if held.get(key):
        held[key] += 1
        try:
            yield
        finally:
            held[key] -= 1
        return
    try:
        fd = _lock_folder(directory, wait_s)
    except OSError as exc:
        raise StorageError(write_failure(exc, what, directory), exc.errno) from exc
    if fd is None:
        waited = LOCK_WAIT_S if wait_s is None else wait_s
        raise StorageError(f"Er loopt al een import of build in {directory}; na {waited:g} seconden wachten "
                           f"is {what} niet uitgevoerd. Er is niets gewijzigd. Probeer het opnieuw als de "
                           "andere klaar is.")
    held[key] = 1
    try:
        yield
    finally:
        held.pop(key, None)
        os.close(fd)  # closing the descriptor releases the lock


def _build_abandoned(folder: Path) -> bool:
    """A ``.build-…`` folder whose builder is gone (the builder holds an flock on it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def _leftovers(target: Path) -> list[Path]:
    return sorted([*target.glob(f"{TMP_PREFIX}*"), *target.glob(f"{BUILD_PREFIX}*"),
                   *target.glob(".commit-*.json")])


def _recover_locked(target: Path) -> list[str]:
    """Remove what killed writers left and restore the top-level links (the caller holds the lock)."""
    done = []
    for path in _leftovers(target):
        if path.name.startswith(BUILD_PREFIX) and not _build_abandoned(path):
            continue  # a build that is still running
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            _unlink_quietly(path)
        done.append(f"verwijderd: {path.name}")
    if generation_name(target) is not None and _links_missing(target):
        _link_top_level(target)
        done.append("koppelingen hersteld")
    done += _remove_superseded(target)
    return done


def _links_missing(target: Path) -> bool:
    generation = generation_dir(target)
    return any(not (target / p.name).is_symlink() for p in generation.glob("*.parquet"))


def recover(directory: str | Path | None = None) -> list[str]:
    """At start: remove what a killed writer or build left, restore the top-level links and
    drop generations superseded long ago. Returns what it did (empty when the folder was clean).

    Looks before it locks, so a clean or read-only folder is never written to. On object
    storage: removes generation objects superseded long ago (nothing else is left behind)."""
    target = dataset_dir(directory)
    bucket = remote(target)
    if bucket is not None:
        try:
            return bucket.remove_superseded()
        except Exception:  # noqa: BLE001 - a start must not fail on the clean-up
            log.warning("herstel van %s is overgeslagen", target)
            return []
    try:
        if not (_leftovers(target) or (generation_name(target) and _links_missing(target))
                or _remove_superseded_due(target)):
            return []
        with folder_lock(target, "het herstel", wait_s=0):
            done = _recover_locked(target)
    except (OSError, StorageError):
        log.warning("herstel van de datasetmap %s is overgeslagen (bezet of niet schrijfbaar)", target)
        return []
    for line in done:
        log.warning("datasetmap %s: %s", target, line)
    return done


def _remove_superseded_due(target: Path) -> bool:
    current = generation_name(target)
    if current is None:
        return False
    limit = time.time() - KEEP_SUPERSEDED_S
    for folder in target.glob(f"{GEN_PREFIX}*"):
        try:
            if folder.name != current and folder.stat().st_mtime <= limit:
                return True
        except FileNotFoundError:
            continue
    return False


def _fsync_dir(directory: Path) -> None:
    """Flush the folder's entries (the renames) to disk, where the file system allows it."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
