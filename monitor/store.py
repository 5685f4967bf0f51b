"""Reading and writing the curated Parquet datasets.

Writes are all or nothing: every table of one import is first written to a temporary file
in the dataset folder, flushed to disk, and only when all of them are complete renamed over
the old files (``os.replace``, atomic per file on POSIX). A failure before the renames
leaves every dataset exactly as it was; readers never see a half-written file.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from monitor.contract import KEYS, SCHEMAS, SORT

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATASET_DIR = REPO_ROOT / "datasets"
TMP_PREFIX = ".tmp-"


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
    return pq.read_table(path, schema=SCHEMAS[name])


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
    """Write several tables as one all-or-nothing change. Returns the paths written."""
    target = dataset_dir(directory)
    target.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, table in tables.items():
            if table.schema != SCHEMAS[name]:
                table = table.cast(SCHEMAS[name])
            final = target / f"{name}.parquet"
            tmp = target / f"{TMP_PREFIX}{name}-{uuid.uuid4().hex}.parquet"
            staged.append((tmp, final))
            pq.write_table(sort_table(name, table), tmp, compression="zstd", write_statistics=True)
            with open(tmp, "rb") as handle:
                os.fsync(handle.fileno())
    except BaseException:
        for tmp, _final in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, final in staged:
        os.replace(tmp, final)
    _fsync_dir(target)
    return [final for _tmp, final in staged]


def _fsync_dir(directory: Path) -> None:
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
