"""Statistical disclosure control for the Veilig Thuis figures (``vt_reports``).

Veilig Thuis counts are sensitive: a small number in a small gemeente can point at a
household. Nothing outside the data layer ever sees a raw count. ``monitor/data/private_schema.py`` loads the
raw table into a private schema together with the pattern computed here, and the one view
``vt_reports_protected`` (``queries/views/vt_reports_protected.sql``) publishes:

* **Rounding.** Every published count is rounded to a multiple of ``rounding`` (5, as CBS
  publishes Veilig Thuis figures), half up: :func:`round_count`. The view does the same
  in integer arithmetic.
* **Primary suppression** (``'klein'``): a count below ``min_count`` (10), or one the source
  did not publish (null), is never shown; the page writes ``<10``.
* **Complementary suppression** (``'afgeschermd'``): published cells are hidden as well
  where the published figures and their sums would otherwise give a hidden one away.

The pattern is computed in :mod:`monitor.domain.privacy_suppression` (how complementary
suppression works, and how it scales), over the cells and relations of
:mod:`monitor.domain.privacy_relations`, with the joint audit of :mod:`monitor.domain.privacy_lp`.
This module holds the settings, the rounding, the protected view's columns and the stored pattern.

**Stored pattern** (:func:`stored_pattern`). ``monitor/data/private_schema.py`` does not compute the pattern at
every start: it keeps it in ``<datasets>/.cache/vt-suppression-<key>.parquet``, the key a
sha256 of the raw file's bytes, the region hierarchy, ``min_count``, the function and the
algorithm's text (:func:`pattern_key`), written atomically; a stored pattern whose key does not
match, which cannot be read, or whose ``'klein'`` cells are not exactly the small counts is
never used. That part writes files; the rest is pure (numpy and pandas only).

Everything is deterministic: ties are broken by the cells' key, never by input order or
chance.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from monitor.domain import privacy_suppression
from monitor.domain.errors import MonitorError
from monitor.domain.privacy_relations import AFGESCHERMD, KLEIN


REPO_ROOT = Path(__file__).resolve().parents[2]
SETTINGS_FILE = REPO_ROOT / "sources" / "veilig-thuis.toml"
DEFAULT_MIN_COUNT = 10
DEFAULT_ROUNDING = 5

# The columns of the view vt_reports_protected, in order (the SQL page documents them).
PROTECTED_VIEW = "vt_reports_protected"
PROTECTED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("region_code", "VARCHAR"),
    ("region_name", "VARCHAR"),
    ("region_kind", "VARCHAR"),
    ("period", "VARCHAR"),
    ("kind", "VARCHAR"),
    ("breakdown", "VARCHAR"),
    ("category", "VARCHAR"),
    ("count", "BIGINT"),
    ("suppression", "VARCHAR"),
    ("min_count", "BIGINT"),
    ("inhabitants", "BIGINT"),
    ("population_year", "BIGINT"),
    ("per_1000", "DOUBLE"),
    ("protected_by", "VARCHAR"),
    ("is_sample", "BOOLEAN"),
    ("source_id", "VARCHAR"),
)

# The stored pattern (see stored_pattern): datasets/.cache/vt-suppression-<key>.parquet.
CACHE_FOLDER = ".cache"
CACHE_PREFIX = "vt-suppression-"
# The algorithm's version is the text of the privacy modules: any change to them invalidates
# every cache.
_ALGORITHM_FILES = ("privacy.py", "privacy_relations.py", "privacy_suppression.py", "privacy_lp.py")
_SOURCE_DIGEST = hashlib.sha256(b"".join(Path(__file__).with_name(name).read_bytes()
                                         for name in _ALGORITHM_FILES)).hexdigest()
log = logging.getLogger(__name__)


class PrivacySettingsError(MonitorError):
    """The privacy settings cannot be used (Dutch message naming the file and the key)."""


@dataclass(frozen=True)
class PrivacySettings:
    """``min_count``: counts below it are suppressed; ``rounding``: counts are shown as
    multiples of it."""

    min_count: int = DEFAULT_MIN_COUNT
    rounding: int = DEFAULT_ROUNDING

    def __post_init__(self) -> None:
        for name in ("min_count", "rounding"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise PrivacySettingsError(f"{name} moet een geheel getal zijn, niet {value!r}")
            if not 1 <= value <= 1000:
                raise PrivacySettingsError(f"{name} moet tussen 1 en 1000 liggen, niet {value}")


_settings_cache: dict[tuple, PrivacySettings] = {}


def settings_key(path: str | Path | None = None) -> tuple:
    """What identifies the settings file's current content: path, mtime and size."""
    path = Path(path if path is not None else SETTINGS_FILE)
    try:
        stat = path.stat()
    except FileNotFoundError:
        return (str(path), None, None)
    return (str(path), stat.st_mtime_ns, stat.st_size)


def settings(path: str | Path | None = None) -> PrivacySettings:
    """The ``[privacy]`` section of ``sources/veilig-thuis.toml``.

    Defaults (``min_count = 10``, ``rounding = 5``) where the file, the section or a key is
    absent; a value that is not a whole number from 1 to 1000, or an unknown key, raises
    :class:`PrivacySettingsError` naming the file: a typo must never weaken the protection
    silently.
    """
    path = Path(path if path is not None else SETTINGS_FILE)
    key = settings_key(path)
    cached = _settings_cache.get(key)
    if cached is not None:
        return cached
    if key[1] is None:
        result = PrivacySettings()
    else:
        try:
            with open(path, "rb") as handle:
                data = tomllib.load(handle)
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise PrivacySettingsError(f"bestand {path.name}: kan de privacy-instellingen niet lezen ({error})") from None
        section = data.get("privacy", {})
        if not isinstance(section, dict):
            raise PrivacySettingsError(f"bestand {path.name}: [privacy] moet een sectie zijn")
        unknown = sorted(set(section) - {"min_count", "rounding"})
        if unknown:
            raise PrivacySettingsError(f"bestand {path.name}: onbekende sleutel in [privacy]: {', '.join(unknown)}")
        try:
            result = PrivacySettings(min_count=section.get("min_count", DEFAULT_MIN_COUNT),
                                     rounding=section.get("rounding", DEFAULT_ROUNDING))
        except PrivacySettingsError as error:
            raise PrivacySettingsError(f"bestand {path.name}, [privacy]: {error}") from None
    _settings_cache.clear()
    _settings_cache[key] = result
    return result


def round_count(n: int, rounding: int) -> int:
    """``n`` rounded to the nearest multiple of ``rounding``, halves up (as the view does).

    >>> [round_count(n, 5) for n in (10, 12, 13, 17, 18, 22, 23)]
    [10, 10, 15, 15, 20, 20, 25]
    >>> round_count(15, 10), round_count(14, 10), round_count(7, 1)
    (20, 10, 7)
    """
    if n < 0 or rounding < 1:
        raise ValueError(f"round_count: n moet ≥ 0 en rounding ≥ 1 zijn, niet {n}, {rounding}")
    return (2 * n + rounding) // (2 * rounding) * rounding


# --- the stored pattern -----------------------------------------------------------------------

def pattern_key(data: bytes, parents: Mapping[str, str | None], min_count: int) -> str:
    """What the pattern of a raw file depends on, as a sha256: the file's bytes, the region
    hierarchy the relations use, ``min_count``, the function that computes it (module and
    name, looked up when called: a replaced function never reads another's result) and the
    text of the privacy modules (the algorithm's version)."""
    compute = privacy_suppression.suppression_pattern
    digest = hashlib.sha256()
    digest.update(hashlib.sha256(data).digest())
    digest.update(json.dumps({
        "parents": sorted((str(k), None if v is None else str(v)) for k, v in parents.items()),
        "min_count": int(min_count),
        "function": f"{getattr(compute, '__module__', '?')}.{getattr(compute, '__qualname__', '?')}",
        "algorithm": _SOURCE_DIGEST,
    }, sort_keys=True).encode())
    return digest.hexdigest()


def _primary_cells(cells: pd.DataFrame, min_count: int) -> np.ndarray:
    counts = pd.to_numeric(cells["count"], errors="coerce")
    return (counts.isna() | (counts < min_count)).to_numpy(dtype=bool)


def _read_stored(path: Path, key: str, cells: pd.DataFrame, min_count: int) -> pd.Series | None:
    """The stored pattern at ``path`` if it is there and valid for ``key`` and ``cells``, else
    None: unreadable, another key, another length, an unknown label, or a ``'klein'`` that is
    not exactly where a count is small (a stored pattern can never publish a small count)."""
    try:
        table = pq.read_table(path)
    except FileNotFoundError:
        return None
    except (pa.ArrowException, OSError, ValueError) as exc:
        log.warning("Veilig Thuis: opgeslagen afschermingspatroon %s is onleesbaar (%s); opnieuw berekend",
                    path.name, exc)
        return None
    meta = table.schema.metadata or {}
    if (meta.get(b"key") != key.encode() or table.num_rows != len(cells)
            or table.column_names != ["suppression"] or not pa.types.is_string(table.schema.field(0).type)):
        log.warning("Veilig Thuis: opgeslagen afschermingspatroon %s hoort niet bij deze gegevens; opnieuw berekend",
                    path.name)
        return None
    labels = np.array(table.column("suppression").to_pylist(), dtype=object)
    if (not set(labels.tolist()) <= {None, KLEIN, AFGESCHERMD}
            or not np.array_equal(labels == KLEIN, _primary_cells(cells, min_count))):
        log.warning("Veilig Thuis: opgeslagen afschermingspatroon %s klopt niet met de gegevens; opnieuw berekend",
                    path.name)
        return None
    return pd.Series(labels, index=cells.index, dtype=object)


def _write_stored(folder: Path, path: Path, key: str, pattern: pd.Series) -> None:
    """Write the pattern atomically (a temporary file, then a rename) and remove the older
    patterns in the folder. A folder that cannot be written (read-only deployment, full disk)
    only costs the next start the computation again."""
    table = pa.table({"suppression": pa.array(pattern.tolist(), pa.string())})
    table = table.replace_schema_metadata({b"key": key.encode()})
    tmp = None
    try:
        folder.mkdir(exist_ok=True)
        handle, name = tempfile.mkstemp(dir=folder, prefix=f".tmp-{CACHE_PREFIX}", suffix=".parquet.tmp")
        os.close(handle)
        tmp = Path(name)
        pq.write_table(table, tmp)
        tmp.chmod(0o644)  # as the dataset files (mkstemp makes 0600)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        log.warning("Veilig Thuis: kan het afschermingspatroon niet opslaan in %s (%s); het wordt bij een "
                    "volgende start opnieuw berekend", folder, exc)
        return
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    for old in folder.glob(f"{CACHE_PREFIX}*.parquet"):
        if old != path:
            old.unlink(missing_ok=True)


def stored_pattern(folder: Path, cells: pd.DataFrame, data: bytes, parents: Mapping[str, str | None],
                   min_count: int) -> pd.Series:
    """:func:`suppression_pattern` of ``cells`` (the raw rows, read from ``data``: the bytes
    of ``vt_reports.parquet``), kept in ``folder`` (``datasets/.cache``) as
    ``vt-suppression-<key>.parquet`` (:func:`pattern_key`): computed once per change of the
    data, the hierarchy, ``min_count`` or this module, not once per process start. A stored
    pattern is used only when its key (in the name and in the file) matches and it passes
    :func:`_read_stored`; otherwise it is computed again and stored."""
    key = pattern_key(data, parents, min_count)
    path = Path(folder) / f"{CACHE_PREFIX}{key}.parquet"
    stored = _read_stored(path, key, cells, min_count)
    if stored is not None:
        return stored
    pattern = privacy_suppression.suppression_pattern(cells, parents, min_count)
    _write_stored(Path(folder), path, key, pattern)
    return pattern


def primary_pattern(cells: pd.DataFrame, parents: Mapping[str, str | None], min_count: int) -> pd.Series:
    """Primary suppression only (no complements): NOT safe to publish; the attack tests use it
    to show that each attack works when complementary suppression is missing."""
    counts = pd.to_numeric(cells["count"], errors="coerce")
    small = counts.isna() | (counts < min_count)
    return pd.Series(np.where(small, KLEIN, None), index=cells.index, dtype=object)


__all__ = ["PROTECTED_COLUMNS", "PROTECTED_VIEW", "PrivacySettings", "PrivacySettingsError", "SETTINGS_FILE",
           "pattern_key", "primary_pattern", "round_count", "settings", "settings_key", "stored_pattern"]
