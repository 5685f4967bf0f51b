"""The SQL page's sandbox: one read-only SELECT at a time against the curated tables only.

Analysts type their own SQL on the SQL page. It runs here, never on the query layer's
database (``monitor.db``), under these rules:

* **Only the curated tables.** A separate DuckDB database per process (and dataset folder)
  holds a *copy* of exactly the tables in :data:`SANDBOX_TABLES`, read through the normal
  query layer (so recorded events are included). It is rebuilt when the dataset fingerprint
  (which includes the privacy settings) changes. Nothing else is ever loaded: no Parquet
  path, no view over a folder, no other table. The private tables (``PRIVATE_TABLES``: the
  raw Veilig Thuis counts) are never on the allow-list; the sandbox holds a copy of the
  protected view ``vt_reports_protected`` instead (rounded, with small cells suppressed),
  made through the query layer's database, so the raw counts never reach this database.
* **Read-only.** The copy is written to a private temporary file, which is then opened
  ``read_only`` (and unlinked): no statement can change it, not even a data-modifying CTE
  (``WITH d AS (DELETE … RETURNING *) SELECT …`` parses as a SELECT).
* **Locked down.** ``enable_external_access = false`` (no files, no network, no Python
  objects by replacement scan, no extensions), no spilling to disk, a memory limit, one
  thread, and then ``lock_configuration = true``: no later statement can change a setting.
* **One SELECT.** :func:`run_select` parses the text first and refuses anything but exactly
  one statement of type SELECT (``WITH … SELECT``, ``FROM t``, ``DESCRIBE`` and
  ``SUMMARIZE`` are SELECTs).
* **Bounded.** A timer interrupts the query after ``timeout_s`` seconds; at most
  ``max_rows`` rows are fetched (streamed: a query of millions of rows stops early); a
  result larger than :data:`MAX_RESULT_BYTES` is refused.

Every refusal is a :class:`SandboxError` with a Dutch message and a ``kind``. Each query
runs on its own cursor, so an error, a time-out or an interrupted query never affects
another session, nor the main database.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import threading
import time
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as dt_time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from monitor import db, store
from monitor.contract import EVENT_TABLES, PRIVATE_TABLES, SCHEMAS, TABLES
from monitor.privacy import PROTECTED_COLUMNS, PROTECTED_VIEW
from monitor.errors import MonitorError
from monitor.text import format_number, source_line

# The allow-list: the only tables the sandbox ever loads. The contract's tables except the
# private ones, plus the protected Veilig Thuis view (copied from the query layer's view, so
# only rounded, suppressed counts); a raw Veilig Thuis table must never be listed.
SANDBOX_TABLES: tuple[str, ...] = tuple(t for t in TABLES if t not in PRIVATE_TABLES) + (PROTECTED_VIEW,)

MAX_ROWS = 10_000
TIMEOUT_S = 5.0
MEMORY_LIMIT_MB = 256
MAX_RESULT_BYTES = 64 * 1024 * 1024
BATCH_ROWS = 2_048

KINDS = ("syntax", "verboden", "tijdslimiet", "geheugen", "fout")

README = store.REPO_ROOT / "datasets" / "README.md"
EXAMPLES = store.REPO_ROOT / "sources" / "sql-voorbeelden.toml"
GENERIC_SOURCE = "Bron: Twentse Koers Monitor, zie de pagina Bronnen voor elke bron en peildatum"
SAMPLE_LINE = ("Voorbeelddata: dit resultaat bevat gegenereerde cijfers (is_sample = ja), "
               "geen echte cijfers.")

# Applied in this order to the read-only sandbox connection; ``lock_configuration`` last.
# temp_directory must be cleared before external access is switched off. Note that
# python_enable_replacements is a per-connection setting that cursors do not inherit (checked
# with DuckDB 2.0); what keeps Python objects out of a query is enable_external_access = false,
# which switches off replacement scans for every cursor (tests/unit/test_sandbox.py checks it).
SETTINGS: tuple[str, ...] = (
    "SET temp_directory = ''",
    "SET autoinstall_known_extensions = false",
    "SET autoload_known_extensions = false",
    "SET allow_community_extensions = false",
    "SET python_enable_replacements = false",
    "SET enable_external_access = false",
    f"SET memory_limit = '{MEMORY_LIMIT_MB}MB'",
    "SET threads = 1",
    "SET lock_configuration = true",
)

_lock = threading.Lock()
_sandboxes: dict[Path, tuple[tuple, duckdb.DuckDBPyConnection]] = {}
_parser_lock = threading.Lock()
_parser: duckdb.DuckDBPyConnection | None = None


class SandboxError(MonitorError):
    """A query the sandbox refused or stopped. ``kind`` is one of :data:`KINDS`.

    ``line`` and ``column`` (1-based) point at a syntax error where DuckDB gives a position;
    ``detail`` holds DuckDB's own (English) message where it adds something.
    """

    def __init__(self, kind: str, message: str, *, line: int | None = None, column: int | None = None,
                 detail: str | None = None) -> None:
        if kind not in KINDS:
            raise ValueError(f"onbekende soort fout: {kind}")
        self.kind = kind
        self.message = message
        self.line = line
        self.column = column
        self.detail = detail
        super().__init__(message)


@dataclass(frozen=True)
class SandboxResult:
    frame: pd.DataFrame
    truncated: bool
    elapsed_s: float
    message: str


# --- the sandbox database ------------------------------------------------------------------

def _build(directory: Path) -> duckdb.DuckDBPyConnection:
    """Copy the allow-listed tables into a fresh database file, then open it read-only, locked."""
    source = db.database(directory, private=True)
    folder = Path(tempfile.mkdtemp(prefix="monitor-sql-"))
    path = folder / "sandbox.duckdb"
    scanned = _scanned_files(directory)
    try:
        writer = duckdb.connect(str(path))
        try:
            for name in SANDBOX_TABLES:
                if name in scanned:
                    # A big table (observations at national scale) is not copied: a view over
                    # its file, which is the one path the locked sandbox may read.
                    writer.read_parquet(str(scanned[name])).create_view(name)
                    continue
                cursor = source.cursor()
                try:
                    table = cursor.sql(f'select * from "{name}"').to_arrow_table()
                except duckdb.Error as exc:
                    # An unreadable dataset file: that table answers with the Dutch message that
                    # names the file; every other table of the sandbox keeps working.
                    problem = db.unreadable_from(exc, directory)
                    if problem is None or name not in SCHEMAS:
                        raise
                    db._attach_error_view(writer, name, problem)
                    continue
                finally:
                    cursor.close()
                writer.from_arrow(table).create(name)
        finally:
            writer.close()
        con = duckdb.connect(str(path), read_only=True)
    finally:
        # The open connection keeps the file; nothing is left on disk.
        shutil.rmtree(folder, ignore_errors=True)
    for setting in SETTINGS:
        if setting == "SET enable_external_access = false" and scanned:
            con.execute("SET allowed_paths = $paths", {"paths": [str(p) for p in scanned.values()]})
        con.execute(setting)
    return con


def _scanned_files(directory: Path) -> dict[str, Path]:
    """The allow-listed tables the sandbox reads from their Parquet file instead of a copy:
    plain tables too big to copy (``db.IN_MEMORY_BYTES``), never a private or event table."""
    out = {}
    for name in SANDBOX_TABLES:
        path = directory / f"{name}.parquet"
        if name in PRIVATE_TABLES or name in EVENT_TABLES or not path.exists():
            continue
        if not db._in_memory(path) and db.file_problem(path, name) is None:
            out[name] = path.resolve()
    return out


def sandbox(directory: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """The process's sandbox database for a dataset folder, rebuilt when the data changed."""
    directory = store.dataset_dir(directory).resolve()
    current = db.fingerprint(directory)
    with _lock:
        cached = _sandboxes.get(directory)
        if cached is None or cached[0] != current:
            # A query still running on the old database keeps it alive until it ends.
            _sandboxes[directory] = (current, _build(directory))
        return _sandboxes[directory][1]


def tables(directory: str | Path | None = None) -> list[str]:
    """The tables a query can read, as the sandbox itself lists them."""
    cursor = sandbox(directory).cursor()
    try:
        rows = cursor.execute("select table_name from duckdb_tables() order by table_name").fetchall()
    finally:
        cursor.close()
    return [row[0] for row in rows]


# --- parsing -------------------------------------------------------------------------------

def _parse(sql: str) -> list:
    """The statements in ``sql``; a syntax error comes with its position (JSON errors)."""
    global _parser
    with _parser_lock:
        if _parser is None:
            _parser = duckdb.connect(":memory:")
            _parser.execute("SET errors_as_json = true")
            _parser.execute("SET enable_external_access = false")
            _parser.execute("SET lock_configuration = true")
        return _parser.extract_statements(sql)


def _line_column(sql: str, position: int) -> tuple[int, int]:
    before = sql[:position]
    line = before.count("\n") + 1
    column = position - (before.rfind("\n") + 1) + 1
    return line, column


_NEAR = re.compile(r'syntax error at or near "(.*)"$', re.S)


def _syntax_error(sql: str, error: Exception) -> SandboxError:
    text = str(error)
    payload = text.split(":", 1)[1].strip() if ":" in text else text
    try:
        info = json.loads(payload)
    except ValueError:
        info = {"exception_message": payload}
    detail = info.get("exception_message", payload)
    line = column = None
    if "position" in info:
        try:
            line, column = _line_column(sql, int(info["position"]))
        except ValueError:
            pass
    near = _NEAR.match(detail)
    if near:
        message = f'Syntaxfout bij of vlak voor "{near.group(1)}"'
    elif "end of input" in detail:
        message = "Syntaxfout: de query houdt onverwacht op (ontbreekt er een haakje of een deel?)"
    elif "unterminated" in detail:
        message = "Syntaxfout: een tekst tussen aanhalingstekens wordt niet afgesloten"
    else:
        message = f"Syntaxfout: {detail}"
    if line is not None:
        message += f" (regel {line}, positie {column})"
    return SandboxError("syntax", message + ".", line=line, column=column, detail=detail)


FORBIDDEN = ("Alleen één SELECT-query is toegestaan (ook WITH … SELECT). Wijzigen, instellingen, "
             "bestanden, extensies en meerdere statements zijn op deze pagina niet toegestaan.")


def _check(sql: str) -> None:
    if not sql or not sql.strip():
        raise SandboxError("syntax", "Typ eerst een SELECT-query.")
    try:
        statements = _parse(sql)
    except duckdb.ParserException as error:
        raise _syntax_error(sql, error) from None
    except duckdb.Error as error:
        raise SandboxError("fout", f"De query kon niet worden gelezen: {error}") from None
    if not statements:
        raise SandboxError("syntax", "Er staat geen query in het invoerveld, alleen commentaar of ';'.")
    if len(statements) > 1:
        raise SandboxError("verboden", f"Er staan {len(statements)} statements in het invoerveld. " + FORBIDDEN)
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        raise SandboxError("verboden", f"Dit is geen SELECT maar een {kind.name}-statement. " + FORBIDDEN)


def error_excerpt(sql: str, line: int | None, column: int | None) -> str | None:
    r"""The line of a syntax error with a caret under the position, for display.

    >>> print(error_excerpt("select *\nform regions", 2, 6))
    2 | form regions
             ^
    """
    if not line or not column:
        return None
    lines = sql.split("\n")
    if not 1 <= line <= len(lines):
        return None
    prefix = f"{line} | "
    return f"{prefix}{lines[line - 1]}\n{' ' * (len(prefix) + column - 1)}^"


# --- running -------------------------------------------------------------------------------

def _translate(error: Exception, timed_out: bool, timeout_s: float) -> SandboxError:
    """A Dutch SandboxError for a DuckDB error, raised directly or (mid-stream) through Arrow."""
    text = str(error)
    detail = text
    if isinstance(error, duckdb.InterruptException) or timed_out or text.startswith("INTERRUPT Error"):
        return SandboxError("tijdslimiet", f"De query duurde langer dan {format_number(timeout_s, 0)} seconden "
                                           "en is gestopt.")
    if isinstance(error, duckdb.OutOfMemoryException) or text.startswith("Out of Memory Error"):
        return SandboxError("geheugen", f"De query had meer dan {MEMORY_LIMIT_MB} MB werkgeheugen nodig en is gestopt. "
                                        "Filter of groepeer eerder, of vraag minder rijen of kolommen op.",
                            detail=detail)
    if isinstance(error, duckdb.PermissionException) or text.startswith("Permission Error"):
        return SandboxError("verboden", "Bestanden, netwerk en extensies zijn op deze pagina afgesloten: "
                                        "alleen de tabellen van de monitor zijn te bevragen.", detail=detail)
    if "read-only mode" in text:
        return SandboxError("verboden", "De tabellen kunnen alleen gelezen worden: INSERT, UPDATE en DELETE "
                                        "(ook binnen een WITH) zijn niet toegestaan.", detail=detail)
    if "configuration has been locked" in text:
        return SandboxError("verboden", "De instellingen van de sandbox liggen vast.", detail=detail)
    if "exists in the" in text and "extension" in text:
        return SandboxError("verboden", "Extensies laden is op deze pagina niet toegestaan.", detail=detail)
    if "Expected a single SELECT statement" in text:
        return SandboxError("verboden", FORBIDDEN, detail=detail)
    first = text.split("\n", 1)[0]
    match = re.search(r"Table with name (.+?) does not exist", first)
    if match:
        return SandboxError("fout", f"De tabel {match.group(1)} bestaat niet. Te bevragen tabellen: "
                                    f"{', '.join(SANDBOX_TABLES)}.", detail=detail)
    match = re.search(r'Referenced column "(.+?)" not found', first)
    if match:
        hint = re.search(r"Candidate bindings: (.+)", text)
        extra = f" Bedoelt u: {hint.group(1).strip()}?" if hint else ""
        return SandboxError("fout", f'De kolom "{match.group(1)}" bestaat niet in de tabellen van de query.{extra}',
                            detail=detail)
    match = re.search(r"Function with name (.+?) does not exist", first)
    if match:
        return SandboxError("fout", f"De functie {match.group(1)} bestaat niet.", detail=detail)
    if isinstance(error, duckdb.ParserException) or text.startswith("Parser Error"):
        return SandboxError("syntax", f"Syntaxfout: {first}", detail=detail)
    if not isinstance(error, (duckdb.Error, OSError, pa.ArrowException)):
        first = f"{type(error).__name__}: {first}"
    return SandboxError("fout", f"De query gaf een fout: {first}", detail=detail)


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        count = seen.get(name, 0)
        seen[name] = count + 1
        out.append(name if count == 0 else f"{name}_{count + 1}")
    return out


# Characters a spreadsheet cell cannot hold (XML 1.0); removed from text results.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_PLAIN = (str, int, float, bool, date, datetime, dt_time, np.ndarray, list, np.generic)


def _plain_column(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A column in a type that pandas, st.dataframe and both download formats understand."""
    kind = column.type
    if pa.types.is_decimal(kind):
        if kind.scale == 0:
            try:
                return column.cast(pa.int64())
            except pa.ArrowInvalid:
                pass
        return column.cast(pa.float64())
    if pa.types.is_interval(kind):
        return pa.chunked_array([[None if v is None else _interval_text(v) for v in column.to_pylist()]],
                                type=pa.string())
    if pa.types.is_dictionary(kind):
        return column.cast(kind.value_type)
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        if any(_CONTROL.search(v) for v in column.to_pylist() if v is not None):
            return pa.chunked_array([[None if v is None else _CONTROL.sub("", v) for v in column.to_pylist()]],
                                    type=pa.string())
    return column


def _interval_text(value) -> str:
    """An INTERVAL as '1 maand 2 dagen 03:04:05'.

    >>> _interval_text(pa.MonthDayNano([1, 2, 11_045_000_000_000]))
    '1 maand 2 dagen 03:04:05'
    """
    months, days, nanoseconds = value.months, value.days, value.nanoseconds
    parts = []
    if months:
        parts.append(f"{months} {'maand' if abs(months) == 1 else 'maanden'}")
    if days:
        parts.append(f"{days} {'dag' if abs(days) == 1 else 'dagen'}")
    if nanoseconds or not parts:
        seconds = nanoseconds / 1e9
        sign = "-" if seconds < 0 else ""
        whole = int(abs(seconds))
        text = f"{sign}{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
        fraction = abs(seconds) - whole
        if fraction > 1e-9:
            text += f"{fraction:.6f}"[1:].rstrip("0")
        parts.append(text)
    return " ".join(parts)


def _as_text(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, _PLAIN):
        return value
    return _CONTROL.sub("", str(value))


def _to_frame(table: pa.Table) -> pd.DataFrame:
    """The result as a DataFrame of plain values: DECIMAL as numbers, ENUM as text, and any
    value pandas or a spreadsheet has no type for (UNION, MAP, STRUCT, INTERVAL, BLOB) as text."""
    columns = {}
    for name, column in zip(table.column_names, table.columns):
        column = _plain_column(column)
        try:
            series = column.to_pandas()
        except (pa.ArrowException, TypeError, ValueError):
            series = pd.Series(column.to_pylist(), dtype=object)
        if series.dtype == object or pd.api.types.is_timedelta64_dtype(series.dtype):
            series = pd.Series([_as_text(v) for v in series.astype(object)], dtype=object)
        columns[name] = series
    return pd.DataFrame(columns, index=range(table.num_rows))


def _fetch(cursor: duckdb.DuckDBPyConnection, sql: str, limit: int) -> tuple[pa.Table, bool]:
    """At most ``limit`` rows of ``sql``, streamed; and whether more rows were there.

    Deliberately holds no Python data objects in its frame: the query text is all it sees.
    """
    reader = cursor.sql(sql).to_arrow_reader(BATCH_ROWS)
    batches, rows, size = [], 0, 0
    for batch in reader:
        batches.append(batch)
        rows += batch.num_rows
        size += batch.nbytes
        if size > MAX_RESULT_BYTES:
            raise SandboxError("geheugen", f"Het resultaat is groter dan {MAX_RESULT_BYTES // 2**20} MB. "
                                           "Vraag minder rijen of kolommen op.")
        if rows > limit:
            break
    table = pa.Table.from_batches(batches, schema=reader.schema)
    truncated = table.num_rows > limit
    return table.slice(0, limit), truncated


def run_select(sql: str, *, max_rows: int = MAX_ROWS, timeout_s: float = TIMEOUT_S,
               directory: str | Path | None = None) -> SandboxResult:
    """Run one SELECT in the sandbox. Raises :class:`SandboxError` (Dutch) when refused or stopped."""
    _check(sql)
    con = sandbox(directory)
    cursor = con.cursor()
    timed_out = threading.Event()
    guard = threading.Lock()
    closed = False

    def interrupt() -> None:
        with guard:
            if not closed:
                timed_out.set()
                cursor.interrupt()

    timer = threading.Timer(timeout_s, interrupt)
    timer.daemon = True
    start = time.monotonic()
    timer.start()
    try:
        table, truncated = _fetch(cursor, sql, max_rows)
    except SandboxError:
        raise
    except Exception as error:  # noqa: BLE001 - every failure of a user's query is reported, in Dutch
        # DuckDB raises its own errors; an error while streaming arrives through Arrow (OSError).
        raise _translate(error, timed_out.is_set(), timeout_s) from None
    finally:
        timer.cancel()
        with guard:
            closed = True
            cursor.close()
    elapsed = time.monotonic() - start
    try:
        frame = _to_frame(table.rename_columns(_unique_names(table.column_names)))
    except Exception as error:  # noqa: BLE001
        raise SandboxError("fout", f"Het resultaat kon niet worden omgezet: {error}") from None
    rows = len(frame)
    if truncated:
        message = f"Resultaat afgekapt op {format_number(max_rows)} rijen"
    else:
        message = row_count_text(rows)
    return SandboxResult(frame=frame, truncated=truncated, elapsed_s=elapsed, message=message)


def row_count_text(rows: int) -> str:
    """'1 rij', '12 rijen', '10.000 rijen'.

    >>> row_count_text(1), row_count_text(12345)
    ('1 rij', '12.345 rijen')
    """
    return "1 rij" if rows == 1 else f"{format_number(rows)} rijen"


# --- downloads -----------------------------------------------------------------------------

def result_footer(frame: pd.DataFrame, sources: pd.DataFrame, sql: str | None = None) -> list[str]:
    """The footer lines of a download: a ``Bron:`` line per source in the result.

    Named by the result's ``source_id`` column when it has one (looked up in ``sources``),
    else a generic line; the voorbeelddata mark when an ``is_sample`` column holds a true
    value; and the query itself on one line, so the figures can be reproduced.
    """
    lines: list[str] = []
    if "source_id" in frame.columns:
        known = {row.source_id: row for row in sources.itertuples()}
        present = [s for s in pd.unique(frame["source_id"].dropna()) if str(s)]
        for source_id in present:
            row = known.get(source_id)
            if row is None:
                lines.append(f"Bron: {source_id}")
            else:
                lines.append(source_line(f"{row.publisher}, {row.title}", row.peildatum, bool(row.is_sample)))
    if not lines:
        lines.append(GENERIC_SOURCE)
    if "is_sample" in frame.columns and bool(frame["is_sample"].fillna(False).astype(bool).any()):
        lines.append(SAMPLE_LINE)
    if sql:
        lines.append("Query: " + " ".join(sql.split()))
    return lines


# --- schema browser and examples ----------------------------------------------------------

_HEADING = re.compile(r"^##\s+(\S+)\s*$")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def table_columns(name: str) -> list[tuple[str, str]]:
    """A sandbox table's columns as ``(column, type)``: the contract's schema, or for the
    protected Veilig Thuis view the columns it is defined with (``monitor.privacy``)."""
    if name == PROTECTED_VIEW:
        return list(PROTECTED_COLUMNS)
    return [(field.name, str(field.type)) for field in SCHEMAS[name]]


def schema_doc(readme: str | Path = README) -> dict[str, list[tuple[str, str, str]]]:
    """Every sandbox table's columns as ``(column, type, meaning)``, from the data contract.

    Parsed from the column tables in ``datasets/README.md`` (one source for the docs), in the
    contract's column order (for ``vt_reports_protected``: the view's); a README row naming
    two columns (``ci_low, ci_high``) documents both. Only the tables of
    :data:`SANDBOX_TABLES` are listed: never the raw ``vt_reports``.
    """
    documented: dict[str, dict[str, tuple[str, str]]] = {}
    table = None
    for line in Path(readme).read_text(encoding="utf-8").splitlines():
        heading = _HEADING.match(line)
        if heading:
            table = heading.group(1) if heading.group(1) in SANDBOX_TABLES else None
            continue
        if table is None or not line.startswith("|"):
            continue
        cells = _cells(line)
        if len(cells) < 3 or cells[0] == "column" or set(cells[0]) <= {"-", ":"}:
            continue
        for column in (c.strip() for c in cells[0].split(",")):
            documented.setdefault(table, {})[column] = (cells[1], cells[2])
    out: dict[str, list[tuple[str, str, str]]] = {}
    for name in SANDBOX_TABLES:
        columns = documented.get(name, {})
        out[name] = [(column, *columns.get(column, (kind, ""))) for column, kind in table_columns(name)]
    return out


@dataclass(frozen=True)
class Example:
    title: str
    description: str
    sql: str


def examples(path: str | Path = EXAMPLES) -> list[Example]:
    """The example queries shown on the SQL page (``sources/sql-voorbeelden.toml``)."""
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    return [Example(item["title"], item["description"], item["sql"].strip()) for item in data["voorbeeld"]]


__all__ = ["KINDS", "error_excerpt", "MAX_ROWS", "SANDBOX_TABLES", "SandboxError", "SandboxResult", "TIMEOUT_S", "examples",
           "result_footer", "row_count_text", "run_select", "sandbox", "schema_doc", "table_columns", "tables"]
