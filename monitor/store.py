"""Reading and writing the curated Parquet datasets.

Writes are all or nothing: every table of one import is first written to a temporary file
in the dataset folder, flushed to disk, and only when all of them are complete renamed over
the old files (``os.replace``, atomic per file on POSIX). A failure before the renames
leaves every dataset exactly as it was; readers never see a half-written file.

The renames of one write are made one change by a journal: once every temporary file is
complete, a hidden ``.commit-<id>.json`` naming each (temporary, final) pair is written and
fsynced (itself through a temporary name and a rename: that rename is the commit point); then
the files are renamed and the journal is removed. A process killed between two renames leaves
the journal behind, and the next start (``recover``: the first query of a process, or the next
write) completes the renames. So after a crash the tables are all old (killed before the
commit point; the orphaned temporary files are removed) or all new. One writer at a time per
folder: ``write_tables`` and ``recover`` hold an ``flock`` on the folder itself.

Every ``OSError`` while writing (disk full, no permission, read-only) is raised as
``StorageError`` with a Dutch message naming the files, after the temporary files are removed.
An unreadable dataset file raises ``DatasetUnreadable`` naming the file.

``MONITOR_KILL_AT`` is a hook for the fault tests (``tests/faults``): set to ``staged``,
``committed``, ``replaced-<n>`` or ``replaced``, the writing process kills itself with SIGKILL
at that point. It is not meant for anything else.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import signal
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from monitor.contract import KEYS, SCHEMAS, SORT
from monitor.errors import DatasetUnreadable, StorageError, write_failure

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATASET_DIR = REPO_ROOT / "datasets"
TMP_PREFIX = ".tmp-"
# Rows per Parquet row group. Files are sorted on their key, so a lookup on the first key
# column (indicator_id) reads one row group of the 12 of a national store's observations; in
# bench/RESULTS.md smaller groups (256k, 128k, 32k rows) made lookups slower, not faster (more
# footer to parse and more groups to check per query).
ROW_GROUP_ROWS = 1024 * 1024
JOURNAL_PREFIX = ".commit-"
KILL_ENV = "MONITOR_KILL_AT"
log = logging.getLogger(__name__)


def dataset_dir(path: str | Path | None = None) -> Path:
    """The dataset folder: the argument, else $MONITOR_DATASETS, else ``datasets/``."""
    if path is not None:
        return Path(path)
    env = os.environ.get("MONITOR_DATASETS")
    return Path(env) if env else DEFAULT_DATASET_DIR


def table_path(name: str, directory: str | Path | None = None) -> Path:
    return dataset_dir(directory) / f"{name}.parquet"


def empty_table(name: str) -> pa.Table:
    return SCHEMAS[name].empty_table()


def read_table(name: str, directory: str | Path | None = None) -> pa.Table:
    """The table as stored, or an empty table with the contract's schema."""
    path = table_path(name, directory)
    if not path.exists():
        return empty_table(name)
    try:
        return pq.read_table(path, schema=SCHEMAS[name])
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise DatasetUnreadable(path, unreadable_reason(exc)) from exc


def unreadable_reason(exc: BaseException) -> str:
    """A short Dutch reason for a Parquet file that cannot be read."""
    text = str(exc)
    if "magic bytes" in text or "too small" in text or "size is 0" in text:
        return "het is geen volledig Parquet-bestand (afgebroken of leeg)"
    if isinstance(exc, (pa.ArrowTypeError, pa.ArrowNotImplementedError)) or "schema" in text.lower():
        return "de kolommen kloppen niet met het datacontract (datasets/README.md)"
    return f"het bestand is beschadigd ({type(exc).__name__}: {text.splitlines()[0][:120] if text else '-'})"


def read_frame(name: str, directory: str | Path | None = None) -> pd.DataFrame:
    return read_table(name, directory).to_pandas()


def to_table(name: str, frame: pd.DataFrame) -> pa.Table:
    """Conform a DataFrame to the contract: the schema's columns, in order, with its types."""
    schema = SCHEMAS[name]
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


def write_tables(tables: Mapping[str, pa.Table], directory: str | Path | None = None) -> list[Path]:
    """Write several tables as one all-or-nothing change. Returns the paths written.

    Raises ``StorageError`` (nothing changed) when the disk is full or the folder not writable.
    """
    target = dataset_dir(directory)
    files = ", ".join(f"{name}.parquet" for name in tables)
    what = f"de import ({files})"
    try:
        target.mkdir(parents=True, exist_ok=True)
        lock = _lock_folder(target)
    except OSError as exc:
        raise StorageError(write_failure(exc, what, target), exc.errno) from exc
    try:
        if any(line.startswith("voltooid") for line in _recover_locked(target)):
            # The tables given were read before an interrupted write was completed just now:
            # writing them would undo it. Refuse; the caller reads again.
            raise StorageError(f"Een eerder onderbroken import in {target} is eerst afgemaakt; "
                               f"{what} is daarom niet opgeslagen. Voer de import opnieuw uit.")
        staged: list[tuple[Path, Path]] = []
        try:
            for name, table in tables.items():
                if table.schema != SCHEMAS[name]:
                    table = table.cast(SCHEMAS[name])
                final = target / f"{name}.parquet"
                tmp = target / f"{TMP_PREFIX}{name}-{uuid.uuid4().hex}.parquet"
                staged.append((tmp, final))
                pq.write_table(sort_table(name, table), tmp, compression="zstd", write_statistics=True,
                               row_group_size=ROW_GROUP_ROWS)
                with open(tmp, "rb") as handle:
                    os.fsync(handle.fileno())
            _kill_point("staged")
            journal = _write_journal(target, staged)
        except BaseException as exc:
            for tmp, _final in staged:
                _unlink_quietly(tmp)
            if isinstance(exc, OSError):
                raise StorageError(write_failure(exc, what, target), exc.errno) from exc
            raise
        _kill_point("committed")
        try:
            _roll_forward(target, journal)
        except OSError as exc:
            # After the commit point: the journal stays and the next start completes the change.
            raise StorageError(f"{what.capitalize()} is vastgelegd maar nog niet helemaal doorgevoerd in "
                               f"{target} ({exc.strerror or exc}); dat gebeurt bij de volgende start van "
                               "de monitor of de volgende import.", exc.errno) from exc
    finally:
        os.close(lock)  # closing the descriptor releases the lock
    return [final for _tmp, final in staged]


def _kill_point(name: str) -> None:
    """The fault tests' hook (see the module docstring): die here, as ``kill -9`` would."""
    if os.environ.get(KILL_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        log.warning("tijdelijk bestand %s kon niet worden verwijderd", path)


def _lock_folder(directory: Path) -> int:
    """Exclusive ``flock`` on the dataset folder itself (no lock file; the kernel releases it
    when the holder dies): one ``write_tables`` or ``recover`` at a time, across threads and
    processes. Returns the descriptor; closing it unlocks."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextmanager
def folder_lock(directory: Path) -> Iterator[None]:
    fd = _lock_folder(directory)
    try:
        yield
    finally:
        os.close(fd)


def _write_journal(target: Path, staged: list[tuple[Path, Path]]) -> Path:
    """Write the commit record; once its rename is on disk, the change happens whatever follows."""
    stem = uuid.uuid4().hex
    journal = target / f"{JOURNAL_PREFIX}{stem}.json"
    tmp = target / f"{TMP_PREFIX}commit-{stem}.json"
    body = json.dumps({"files": [[t.name, f.name] for t, f in staged]})
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())
        _fsync_dir(target)  # the staged files' names are on disk before the commit
        os.replace(tmp, journal)
        _fsync_dir(target)
    except BaseException:
        _unlink_quietly(tmp)
        _unlink_quietly(journal)
        raise
    return journal


def _roll_forward(target: Path, journal: Path) -> None:
    """Rename every staged file of a committed journal that is still there, then drop the journal."""
    pairs = json.loads(journal.read_text(encoding="utf-8"))["files"]
    for number, (tmp, final) in enumerate(pairs, start=1):
        if (target / tmp).exists():
            os.replace(target / tmp, target / final)
        _kill_point(f"replaced-{number}")
    _kill_point("replaced")
    _fsync_dir(target)
    journal.unlink()
    _fsync_dir(target)


def _recover_locked(target: Path) -> list[str]:
    """Complete committed writes and remove orphaned temporary files (the caller holds the lock)."""
    done, pending = [], set()
    for journal in sorted(target.glob(f"{JOURNAL_PREFIX}*.json")):
        try:
            _roll_forward(target, journal)
        except (OSError, ValueError, KeyError, TypeError):
            log.exception("onderbroken schrijfactie %s kon niet worden voltooid", journal)
            try:  # keep its files for the next attempt
                pending |= {tmp for tmp, _final in json.loads(journal.read_text(encoding="utf-8"))["files"]}
            except (OSError, ValueError, KeyError, TypeError):
                pass
            continue
        done.append(f"voltooid: {journal.name}")
    for tmp in sorted(target.glob(f"{TMP_PREFIX}*")):
        # Under the lock, no writer is busy: a temporary file is what a killed writer left.
        if tmp.name in pending:
            continue
        _unlink_quietly(tmp)
        done.append(f"verwijderd: {tmp.name}")
    return done


def recover(directory: str | Path | None = None) -> list[str]:
    """At start: finish a write that was killed after its commit point, remove what a killed
    writer left before it. Returns what it did (empty when the folder was clean).

    Looks before it locks, so a clean or read-only folder is never written to."""
    target = dataset_dir(directory)
    try:
        if not any(target.glob(f"{JOURNAL_PREFIX}*.json")) and not any(target.glob(f"{TMP_PREFIX}*")):
            return []
        with folder_lock(target):
            done = _recover_locked(target)
    except OSError:
        log.exception("herstel van de datasetmap %s is mislukt", target)
        return []
    for line in done:
        log.warning("datasetmap %s: %s", target, line)
    return done


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
