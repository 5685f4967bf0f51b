"""The importer: ``python -m monitor ingest FILE``.

One entry point, ``ingest_file``. It recognises the format itself (each format module has a
``sniff`` and a ``parse``), validates every row against the data contract, and writes the
result as one all-or-nothing change with a row in ``sources``. Bad input raises
``IngestError`` with a Dutch message naming file, row and column; nothing is written then.
Importing a file whose checksum is already in ``sources`` changes nothing.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from monitor.data import store
from monitor.data.contract import KEYS, SCHEMAS
from monitor.data.errors import IngestError, StorageError, write_failure
from monitor.ingest.base import Batch, Context, Format
from monitor.ingest import regionkind
from monitor.ingest.common import shorten
from monitor.ingest.validate import validate_batch

log = logging.getLogger(__name__)

__all__ = ["Batch", "Context", "Format", "IngestReport", "ingest_file", "detect_format", "FORMATS"]


def _formats() -> list[Format]:
    # Imported here so each format module can import from monitor.ingest.base freely.
    from monitor.ingest import (
        cbstable,
        geo,
        gezondheidsmonitor,
        odatajson,
        opendata,
        register,
        statline,
        template,
        veilig_thuis,
    )

    # The CBS reader (cbstable) first for every table declared in sources/cbs/; then the
    # Veilig Thuis TypedDataSet tables 84851NED/84849NED (their Kenmerken… dimensions), then the
    # CBS reader with the standard mapping for any other open-data table.
    # JSON: the OData feeds of any CBS table (odatajson), GeoJSON (geo) claims its own.
    return [register.FORMAT, odatajson.FORMAT, gezondheidsmonitor.FORMAT, statline.FORMAT, cbstable.FORMAT_DECLARED,
            veilig_thuis.FORMAT, opendata.FORMAT, geo.FORMAT_GEOJSON, template.FORMAT_CSV, template.FORMAT_XLSX]


FORMATS = _formats


@dataclass
class IngestReport:
    file: Path
    format_name: str
    source_id: str
    changed: bool
    rows: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"Formaat herkend: {self.format_name}", f"Bron: {self.source_id}"]
        if not self.changed:
            lines.append("Dit bestand is al geïmporteerd (zelfde checksum); er is niets gewijzigd.")
        else:
            for table, count in self.rows.items():
                lines.append(f"  {table}: {count} rijen geïmporteerd")
        lines.extend(self.notes)
        return "\n".join(lines)


HEAD_BYTES = 64 * 1024


def _encoding_problem(head: bytes) -> str | None:
    """Why a text file cannot be read as UTF-8, told before "onbekend formaat" would hide it."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(head) > 8 and head.count(b"\x00") > len(head) // 4):
        return ("het bestand is in UTF-16 opgeslagen (Excel: 'Unicode-tekst'), niet in UTF-8. Sla het in Excel "
                "op als 'CSV UTF-8 (door komma's gescheiden)' of exporteer opnieuw uit StatLine")
    if head.startswith(b"PK") or head.startswith(b"\x89PNG") or head.startswith(b"%PDF"):
        return None  # a binary format (XLSX, …): the extension decides
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut off at the end of the head
            line = head[: exc.start].count(b"\n") + 1
            return (f"het bestand is niet in UTF-8 opgeslagen (ongeldige byte 0x{head[exc.start]:02X} op regel {line}, "
                    "waarschijnlijk Windows-1252). Sla het in Excel op als 'CSV UTF-8 (door komma's gescheiden)'")
    return None


def detect_format(path: Path) -> Format:
    """The format of a file, recognised from its content (and extension for binaries)."""
    head = path.read_bytes()[:HEAD_BYTES]
    for fmt in _formats():
        if fmt.sniff(path, head):
            return fmt
    problem = _encoding_problem(head)
    if problem:
        raise IngestError(problem, file=path)
    raise IngestError(
        "onbekend formaat. Verwacht: een CBS Gezondheidsmonitor-export, een StatLine-export "
        "(;-gescheiden), een CBS open-data bestand (TypedDataSet of een cbsodata-download, met "
        "een kolom ID en RegioS; ook de Veilig Thuis-tabellen; of de TypedDataSet als OData-JSON), "
        "het invulsjabloon voor "
        "indicatoren (CSV of XLSX), het projectregister (TOML) of gemeentegrenzen (GeoJSON "
        "FeatureCollection, .geojson).",
        file=path,
    )


def _only_whitespace(path: Path) -> bool:
    """True for a small file with nothing but whitespace (and perhaps a BOM) in it."""
    if path.stat().st_size > HEAD_BYTES:
        return False
    return not path.read_bytes().removeprefix(b"\xef\xbb\xbf").strip()


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def ingest_file(
    path: str | Path,
    dataset_dir: str | Path | None = None,
    *,
    retrieved: date | None = None,
    source_overrides: dict | None = None,
) -> IngestReport:
    """Import one file into the datasets. Raises IngestError on bad input, writing nothing."""
    path = Path(path)
    directory = store.dataset_dir(dataset_dir)
    if not path.exists():
        raise IngestError("bestand bestaat niet", file=path)
    if path.is_dir():
        raise IngestError("dit is een map, geen bestand", file=path)
    if path.stat().st_size == 0 or _only_whitespace(path):
        raise IngestError("het bestand is leeg", file=path)

    fmt = detect_format(path)
    checksum = sha256(path)
    try:
        if store.remote(directory) is None:  # a bucket needs no folder
            directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(write_failure(exc, f"de import van {path.name}", directory), exc.errno) from exc
    # Read, validate and write as one unit under the folder's write lock: a second import
    # into the same folder waits, then reads the tables this one wrote (never two successes
    # with one lost).
    with store.folder_lock(directory, f"de import van {path.name}"):
        return _ingest_locked(path, directory, fmt, checksum, retrieved, source_overrides)


def _ingest_locked(path: Path, directory: Path, fmt: Format, checksum: str, retrieved: date | None,
                   source_overrides: dict | None) -> IngestReport:
    existing_sources = store.read_frame("sources", directory)
    ctx = Context(
        path=path,
        dataset_dir=directory,
        retrieved=retrieved or date.today(),
        checksum=checksum,
        overrides=dict(source_overrides or {}),
    )
    try:
        batch = fmt.parse(path, ctx)
    except IngestError as exc:
        raise _short(_relabel(fmt, exc.located(path), path)) from None
    except RecursionError:
        raise IngestError("het bestand is te diep genest (lijsten of tabellen in elkaar, honderden niveaus diep); "
                          "zo'n bestand kan geen echte bron zijn. Controleer of het het juiste bestand is",
                          file=path) from None
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError, UnicodeError) as exc:
        # A file no check foresaw: a Dutch refusal naming the file, never a traceback.
        log.exception("onverwachte fout bij het lezen van %s", path)
        raise IngestError(f"het bestand kon niet worden gelezen ({type(exc).__name__}: "
                          f"{shorten(str(exc).splitlines()[0] if str(exc) else '-', 120)}). Controleer of het een "
                          "ongewijzigde export van de bron is", file=path) from None

    source_id = batch.source["source_id"]
    if ((existing_sources["checksum"] == checksum) & (existing_sources["source_id"] == source_id)).any():
        return IngestReport(path, fmt.name, source_id, changed=False, notes=batch.notes)

    _fill_region_kind(batch, directory)
    try:
        validate_batch(batch, ctx)
    except IngestError as exc:
        raise _short(_relabel(fmt, exc.located(path), path)) from None

    tables: dict[str, pa.Table] = {}
    rows: dict[str, int] = {}
    notes = list(batch.notes)
    dropped_sources: set[str] = set()
    for name in dict.fromkeys([*batch.frames, *batch.drop_sample_rows]):
        replace = batch.replace_source_rows and "source_id" in SCHEMAS[name].names and name in batch.frames
        drop_sample = name in batch.drop_sample_rows
        if replace or drop_sample:
            old = store.read_frame(name, directory)
            if replace:
                old = old[old["source_id"] != source_id]
            if drop_sample:
                sample = old["is_sample"].astype(bool)
                if sample.any():
                    dropped_sources |= set(old.loc[sample, "source_id"])
                    notes.append(f"{int(sample.sum())} rijen voorbeelddata verwijderd uit {name}: echte cijfers "
                                 "vervangen de voorbeelddata.")
                old = old[~sample]
            existing = pa.Table.from_pandas(old, schema=SCHEMAS[name], preserve_index=False)
        else:
            existing = store.read_table(name, directory)
        if name in batch.frames:
            clean = batch.frames[name][[f.name for f in SCHEMAS[name]]]
            new = store.to_table(name, clean)
            tables[name] = store.merge(name, existing, new)
            rows[name] = new.num_rows
        else:
            tables[name] = existing

    source_row = dict(batch.source)
    source_row["checksum"] = checksum
    source_frame = pd.DataFrame([source_row])
    for column in SCHEMAS["sources"].names:
        if column not in source_frame:
            source_frame[column] = None
    sources = store.read_table("sources", directory)
    orphans = _unreferenced_samples(dropped_sources, sources, tables, directory)
    if orphans:
        kept = sources.to_pandas()
        kept = kept[~kept["source_id"].isin(orphans)]
        sources = pa.Table.from_pandas(kept, schema=SCHEMAS["sources"], preserve_index=False)
    tables["sources"] = store.merge("sources", sources, store.to_table("sources", source_frame))
    store.write_tables(tables, directory)
    return IngestReport(path, fmt.name, source_id, changed=True, rows=rows, notes=notes)


def _fill_region_kind(batch: Batch, directory: Path) -> None:
    """Every figure's region_kind: as the importer set it, else its region's level."""
    names = [name for name in regionkind.TABLES if name in batch.frames]
    if not names:
        return
    regions = batch.frames["regions"] if "regions" in batch.frames else store.read_frame("regions", directory)
    levels = regionkind.levels(regions)
    for name in names:
        batch.frames[name] = regionkind.fill(batch.frames[name], levels)


MAX_MESSAGE = 1200


def _relabel(fmt: Format, error: IngestError, path: Path) -> IngestError:
    """The error as the format names a place in its files (a JSON record, a StatLine column title)."""
    relabel = getattr(fmt, "relabel", None)
    return relabel(error, path) if relabel is not None else error


def _short(error: IngestError) -> IngestError:
    """A refusal's message at most MAX_MESSAGE characters, whatever a format module put in it."""
    if len(error.message) > MAX_MESSAGE:
        error.message = error.message[:MAX_MESSAGE] + f"… (melding ingekort, {len(error.message):,} tekens)".replace(",", ".")
    if error.column and len(error.column) > 80:
        error.column = error.column[:80] + "…"
    error.args = (str(error),)
    return error


def _unreferenced_samples(candidates: set[str], sources: pa.Table, tables: dict[str, pa.Table],
                          directory: Path) -> set[str]:
    """The sample sources among ``candidates`` that no table refers to after this import."""
    frame = sources.select(["source_id", "is_sample"]).to_pandas()
    left = set(frame.loc[frame["is_sample"] & frame["source_id"].isin(candidates), "source_id"])
    for name, schema in SCHEMAS.items():
        if not left or name == "sources" or "source_id" not in schema.names:
            continue
        if name in tables:
            used = tables[name].column("source_id").to_pylist()
        elif store.remote(directory) is not None:  # datasets on S3: the table as stored (or empty)
            used = store.read_table(name, directory).column("source_id").to_pylist()
        elif store.table_path(name, directory).exists():
            used = pq.read_table(store.table_path(name, directory), columns=["source_id"]).column(0).to_pylist()
        else:
            continue
        left -= set(used)
    return left


def key_columns(table: str) -> tuple[str, ...]:
    return KEYS[table]
