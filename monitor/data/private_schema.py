"""The private Veilig Thuis schema: the raw counts, never a view of their own.

``vt_reports.parquet`` is loaded into the schema ``vt_private`` as a snapshot table
``vt_private.cells`` (raw rows plus the ``suppression`` computed by ``monitor.domain.privacy``)
with ``vt_private.settings`` (``min_count``, ``rounding``, ``error``), rebuilt in one transaction
when the file, the regions or the privacy settings change (``private_key``), so the protected
view and its pattern never disagree. They are loaded only when a query reads a Veilig Thuis view
(its declared reads reach ``vt_private``, ``queryfiles.needs_private``); until then
``placeholder`` gives empty tables so the views bind. The pattern is stored in
``datasets/.cache`` (``privacy.stored_pattern``) and computed once per change. Only
``queries/views/vt_reports_protected.sql`` reads that schema; every query, page, download and
the SQL sandbox reads the view ``vt_reports_protected``. A missing file gives empty tables; an
unreadable one too, with a Dutch message in ``vt_private.settings.error`` (shown through the
view ``vt_privacy_status``), and every other page keeps working.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from monitor.data import queryfiles, store
from monitor.data.contract import SCHEMAS
from monitor.data.errors import DatasetUnreadable, unreadable_reason
from monitor.data.forensics import file_stat
from monitor.data.queryfiles import PRIVATE_SCHEMA
from monitor.domain import privacy
from monitor.domain.regions import REGION_ROWS

log = logging.getLogger(__name__)
VT_TABLE = "vt_reports"


def _cells_schema() -> pa.Schema:
    return SCHEMAS[VT_TABLE].append(pa.field("suppression", pa.string()))


def private_key(directory: Path) -> tuple:
    """What the private snapshot depends on: the raw file, the regions (the hierarchy of the
    relations) and the privacy settings."""
    bucket = store.remote(directory)
    if bucket is not None:
        tables = bucket.current().tables
        return (tables.get(VT_TABLE), tables.get("regions"), privacy.settings_key())
    return (file_stat(store.table_path(VT_TABLE, directory)), file_stat(store.table_path("regions", directory)),
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


def private_cells(directory: Path, settings: privacy.PrivacySettings) -> pa.Table:
    """The raw Veilig Thuis rows with their ``suppression`` (empty when there is no file).

    The pattern is computed once per change of the file, the regions or the settings and kept
    in ``<datasets>/.cache/`` (``privacy.stored_pattern``); the file is read once, so the
    rows and the key of the stored pattern always come from the same bytes."""
    schema = _cells_schema()
    found = _raw_bytes(directory)
    if found is None:
        return schema.empty_table()
    path, data, cache = found
    try:
        frame = pq.read_table(pa.BufferReader(data), schema=SCHEMAS[VT_TABLE]).to_pandas()
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise DatasetUnreadable(path, unreadable_reason(exc)) from exc
    # Counts a publisher already protected (CBS: rounded to 5, hidden cells empty) are shown as
    # published, their empty cells as the publisher's mark ('bron'); the monitor's own protection
    # (rounding, <min_count, complementary suppression) is for raw counts only.
    published = frame["protected_by"].notna()
    suppression = pd.Series(np.where(frame["count"].isna(), privacy_source_mark(), None), index=frame.index,
                            dtype=object)
    raw = frame[~published]
    if not raw.empty:
        pattern = privacy.stored_pattern(cache, raw.reset_index(drop=True), data,
                                         region_parents(directory), settings.min_count)
        suppression[raw.index] = pattern.astype(object).to_numpy()
    frame["suppression"] = suppression
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)


def _raw_bytes(directory: Path) -> tuple[object, bytes, Path] | None:
    """(what to name in an error, the bytes of vt_reports.parquet, the pattern's cache folder)."""
    bucket = store.remote(directory)
    if bucket is None:
        path = store.table_path(VT_TABLE, directory)
        return (path, path.read_bytes(), directory / privacy.CACHE_FOLDER) if path.exists() else None
    rel = bucket.current().tables.get(VT_TABLE)
    got = bucket.get(rel) if rel else None
    if got is None:
        return None
    # The pattern is keyed by the file's bytes, so a local cache per bucket is safe to share.
    cache = Path(tempfile.gettempdir()) / "monitor-s3-cache" / hashlib.sha256(bucket.url.encode()).hexdigest()[:16]
    return bucket.object_url(rel), got[0], cache / privacy.CACHE_FOLDER


def privacy_source_mark() -> str:
    """The suppression value of a cell its publisher left empty (CBS: hidden or not available)."""
    return "bron"


def load(con: duckdb.DuckDBPyConnection, directory: Path) -> None:
    """(Re)build ``vt_private.cells`` and ``vt_private.settings`` in one transaction.

    Any failure (an unreadable or corrupt file, invalid settings) leaves ``cells`` empty and
    puts a Dutch message in ``settings.error``: no Veilig Thuis figure is shown, and nothing
    else is affected.
    """
    error = None
    schema = _cells_schema()
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
            cells = private_cells(directory, current)
        except Exception as exc:  # noqa: BLE001 - a broken file must not break other pages
            where = (f"{directory}/…/{VT_TABLE}.parquet" if store.remote(directory) is not None
                     else store.table_path(VT_TABLE, directory))
            log.exception("Veilig Thuis: %s kan niet worden gelezen", where)
            error = (f"Het bestand {VT_TABLE}.parquet kan niet worden gelezen ({type(exc).__name__}); "
                     "daarom worden geen Veilig Thuis-cijfers getoond. Importeer de cijfers opnieuw of "
                     "bouw de datasets opnieuw op (python -m monitor build).")
            cells = schema.empty_table()
    settings_table = _settings_table(current.min_count, current.rounding, error)
    cursor = con.cursor()
    try:
        queryfiles.run(cursor, "create_schema", {"schema": PRIVATE_SCHEMA})
        cursor.begin()
        try:
            queryfiles.run(cursor, "drop_table", {"schema": PRIVATE_SCHEMA, "table": "cells"})
            queryfiles.run(cursor, "drop_table", {"schema": PRIVATE_SCHEMA, "table": "settings"})
            cursor.from_arrow(cells).create(f"{PRIVATE_SCHEMA}.cells")
            cursor.from_arrow(settings_table).create(f"{PRIVATE_SCHEMA}.settings")
            cursor.commit()
        except BaseException:
            cursor.rollback()
            raise
    finally:
        cursor.close()


def _settings_table(min_count: int, rounding: int, error: str | None) -> pa.Table:
    return pa.table({"min_count": pa.array([min_count], pa.int64()),
                     "rounding": pa.array([rounding], pa.int64()),
                     "error": pa.array([error], pa.string())})


def placeholder(con: duckdb.DuckDBPyConnection) -> None:
    """Empty private tables, so the derived views bind before the cells are first needed."""
    cursor = con.cursor()
    try:
        queryfiles.run(cursor, "create_schema", {"schema": PRIVATE_SCHEMA})
        tables = {row[0] for row in queryfiles.run(cursor, "schema_tables", schema=PRIVATE_SCHEMA).fetchall()}
        if "cells" not in tables:
            schema = _cells_schema()
            cursor.from_arrow(schema.empty_table()).create(f"{PRIVATE_SCHEMA}.cells")
        if "settings" not in tables:
            cursor.from_arrow(_settings_table(10, 5, None)).create(f"{PRIVATE_SCHEMA}.settings")
    finally:
        cursor.close()
