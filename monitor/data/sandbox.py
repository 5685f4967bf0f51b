"""The SQL page's sandbox: one read-only SELECT at a time against the curated tables only.

Analysts type their own SQL on the SQL page. It is parsed, checked and run in a separate
worker process (:mod:`monitor.data.sql_worker`, pooled by :mod:`monitor.data.sql_pool`), never in the
dashboard's process and never on the query layer's database (``monitor.data.catalog``):

* **Only the curated tables.** The dashboard writes a sandbox database *file* per dataset
  folder holding a *copy* of exactly the tables in :data:`SANDBOX_TABLES`, read through the
  normal query layer (so recorded events are included), in a private temporary folder. It is
  written again when the dataset fingerprint (which includes the privacy settings) changes.
  Nothing else is ever in it. The private tables (``PRIVATE_TABLES``: the raw Veilig Thuis
  counts) are never on the allow-list; the sandbox holds a copy of the protected view
  ``vt_reports_protected`` instead (rounded, with small cells suppressed), so the raw counts
  never reach the file. A big table (observations at national scale) is a view over its
  Parquet file, the one path the worker may read (``allowed_paths``).
* **A fresh, read-only, locked instance per query.** The worker opens the file
  ``read_only`` with ``enable_external_access = false`` (no files, no network, no Python
  objects, no extensions), no spilling, a memory limit, one thread and
  ``lock_configuration = true``, all given when the instance opens; it closes the instance
  after the query. Nothing a query registers or sets survives it.
* **One SELECT**, checked by the worker's parser (``WITH … SELECT``, ``FROM t``,
  ``DESCRIBE`` and ``SUMMARIZE`` are SELECTs); a text longer than :data:`MAX_SQL_CHARS` is
  refused before it is sent.
* **Bounded.** DuckDB is interrupted after ``timeout_s``; the worker process is killed when
  it has not answered :data:`monitor.data.sql_pool.KILL_GRACE_S` later; it has an address-space
  limit (``RLIMIT_AS``) and a CPU-time limit per query. At most ``max_rows`` rows are fetched
  (streamed) and a result larger than :data:`MAX_RESULT_BYTES` is refused. A killed or
  crashed worker is replaced; every other session keeps answering meanwhile.

Every refusal is a :class:`SandboxError` with a Dutch message and a ``kind``.
"""

from __future__ import annotations

import atexit
import re
import shutil
import tempfile
import threading
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from monitor.data import catalog, forensics, queryfiles, sql_pool, sql_results, sql_worker, store
from monitor.data.contract import EVENT_TABLES, PRIVATE_TABLES, SCHEMAS, TABLES
from monitor.data.errors import MonitorError
from monitor.domain.privacy import PROTECTED_COLUMNS, PROTECTED_VIEW
from monitor.domain.text import format_number, source_line

# The allow-list: the only tables the sandbox ever loads. The contract's tables except the
# private ones, plus the protected Veilig Thuis view (copied from the query layer's view, so
# only rounded, suppressed counts); a raw Veilig Thuis table must never be listed.
SANDBOX_TABLES: tuple[str, ...] = tuple(t for t in TABLES if t not in PRIVATE_TABLES) + (PROTECTED_VIEW,)

MAX_ROWS = 10_000
TIMEOUT_S = 5.0
MEMORY_LIMIT_MB = sql_worker.DUCKDB_MEMORY_MB
WORKER_MEMORY_MB = sql_worker.ADDRESS_SPACE_MB
MAX_RESULT_BYTES = 64 * 1024 * 1024
MAX_SQL_CHARS = 100_000
WAIT_S = 10.0   # how long a query waits for a free worker

KINDS = ("syntax", "verboden", "tijdslimiet", "geheugen", "bezet", "fout")

README = store.REPO_ROOT / "datasets" / "README.md"
EXAMPLES = store.REPO_ROOT / "sources" / "sql-voorbeelden.toml"
GENERIC_SOURCE = "Bron: Twentse Koers Monitor, zie de pagina Bronnen voor elke bron en peildatum"
SAMPLE_LINE = ("Voorbeelddata: dit resultaat bevat gegenereerde cijfers (is_sample = ja), "
               "geen echte cijfers.")

_lock = threading.Lock()
_files: dict[Path, "SandboxFile"] = {}


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
    notes: tuple[str, ...] = ()


@dataclass
class SandboxFile:
    """One written sandbox database: its fingerprint, file, readable Parquet files and tables."""
    key: tuple
    path: Path
    allowed: list[str]
    tables: list[str] = field(default_factory=list)

    def remove(self) -> None:
        shutil.rmtree(self.path.parent, ignore_errors=True)


# --- the sandbox database file ---------------------------------------------------------------

def _build(directory: Path, key: tuple) -> SandboxFile:
    """Copy the allow-listed tables into a fresh database file in a private temporary folder."""
    source = catalog.database(directory, private=True)
    folder = Path(tempfile.mkdtemp(prefix="monitor-sql-"))
    path = folder / "sandbox.duckdb"
    scanned = _scanned_files(directory)
    written = []
    try:
        writer = duckdb.connect(str(path))
        try:
            for name in SANDBOX_TABLES:
                if name in scanned:
                    # A big table (observations at national scale) is not copied: a view over
                    # its file, which is the one path the locked sandbox may read.
                    writer.read_parquet(str(scanned[name])).create_view(name)
                    written.append(name)
                    continue
                cursor = source.cursor()
                try:
                    table = cursor.table(name).to_arrow_table()
                except duckdb.Error as exc:
                    # An unreadable dataset file: that table answers with the Dutch message that
                    # names the file; every other table of the sandbox keeps working.
                    problem = forensics.unreadable_from(exc, directory)
                    if problem is None or name not in SCHEMAS:
                        raise
                    catalog.attach_error_view(writer, name, problem)
                    written.append(name)
                    continue
                finally:
                    cursor.close()
                writer.from_arrow(table).create(name)
                written.append(name)
            writer.checkpoint()
        finally:
            writer.close()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return SandboxFile(key, path, [str(p) for p in scanned.values()], sorted(written))


def _scanned_files(directory: Path) -> dict[str, Path]:
    """The allow-listed tables the sandbox reads from their Parquet file instead of a copy:
    plain tables too big to copy (``catalog.IN_MEMORY_BYTES``), never a private or event table.
    None for datasets on object storage: the locked sandbox reads local files only, so every
    table is copied into its database file."""
    out = {}
    if store.remote(directory) is not None:
        return out
    for name in SANDBOX_TABLES:
        path = store.table_path(name, directory)
        if name in PRIVATE_TABLES or name in EVENT_TABLES or not path.exists():
            continue
        if not catalog.in_memory(path) and forensics.file_problem(path, name) is None:
            out[name] = path.resolve()
    return out


def sandbox_file(directory: str | Path | None = None) -> SandboxFile:
    """The sandbox database file for a dataset folder, written again when the data changed."""
    directory = catalog.folder_key(directory)  # a resolved folder, or the s3:// URL
    current = catalog.fingerprint(directory)
    with _lock:
        cached = _files.get(directory)
        if cached is None or cached.key != current:
            _files[directory] = _build(directory, current)
            if cached is not None:
                # A worker that still has the old file open keeps it until its query ends.
                cached.remove()
        return _files[directory]


@atexit.register
def _remove_files() -> None:
    for written in list(_files.values()):
        written.remove()


def connect(directory: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """A connection exactly as a worker opens one for a query (for tests and diagnostics:
    the page never runs a query in its own process)."""
    written = sandbox_file(directory)
    return sql_worker.open_connection(str(written.path), written.allowed)


def tables(directory: str | Path | None = None) -> list[str]:
    """The tables a query can read, as the sandbox itself lists them."""
    result = run_select(queryfiles.system_sql("sandbox_tables"), directory=directory)
    return [str(name) for name in result.frame.iloc[:, 0]]


def prepare(directory: str | Path | None = None) -> None:
    """Warm up when the SQL page opens: start the workers and write the sandbox file."""
    sql_pool.pool().start()
    sandbox_file(directory)


# --- running -------------------------------------------------------------------------------

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
    return f"{prefix}{lines[line - 1][:200]}\n{' ' * (len(prefix) + min(column, 200) - 1)}^"


def _seconds(value: float) -> str:
    return format_number(value, 0) if float(value).is_integer() else format_number(value, 1)


def _lost(reason: str, timeout_s: float) -> SandboxError:
    if reason in ("timeout", "cpu"):
        return SandboxError("tijdslimiet", f"De query duurde langer dan {_seconds(timeout_s)} seconden en is "
                                           "gestopt; het rekenproces is vervangen.")
    return SandboxError("geheugen", f"De query had meer geheugen nodig dan het rekenproces mag gebruiken "
                                    f"({format_number(WORKER_MEMORY_MB)} MB) of liet het vastlopen, en is gestopt; "
                                    "het rekenproces is vervangen. Filter of groepeer eerder, of vraag minder "
                                    "rijen of kolommen op.")


def _refusal(header: dict) -> SandboxError:
    kind = header.get("kind")
    if kind == "onbekende_tabel":
        return SandboxError("fout", f"De tabel {header['message']} bestaat niet. Te bevragen tabellen: "
                                    f"{', '.join(SANDBOX_TABLES)}.", detail=header.get("detail"))
    if kind not in KINDS:
        kind = "fout"
    return SandboxError(kind, header.get("message") or "De query gaf een fout.", line=header.get("line"),
                        column=header.get("column"), detail=header.get("detail"))


def run_select(sql: str, *, max_rows: int = MAX_ROWS, timeout_s: float = TIMEOUT_S,
               directory: str | Path | None = None, max_sql_chars: int = MAX_SQL_CHARS) -> SandboxResult:
    """Run one SELECT in a worker process. Raises :class:`SandboxError` (Dutch) when refused or stopped."""
    if not sql or not sql.strip():
        raise SandboxError("syntax", "Typ eerst een SELECT-query.")
    if len(sql) > max_sql_chars:
        raise SandboxError("verboden", f"De query is {format_number(len(sql))} tekens lang; hoogstens "
                                       f"{format_number(max_sql_chars)} tekens zijn toegestaan. Zet lange lijsten "
                                       "niet in de query, maar filter op een kolom of gebruik een join.")
    written = sandbox_file(directory)
    message = {"op": "query", "db": str(written.path), "allowed": written.allowed, "sql": sql,
               "max_rows": int(max_rows), "timeout_s": float(timeout_s), "max_bytes": MAX_RESULT_BYTES,
               "memory_mb": MEMORY_LIMIT_MB}
    try:
        reply = sql_pool.pool().run(message, timeout_s=timeout_s, wait_s=WAIT_S)
    except sql_pool.WorkerLost as lost:
        raise _lost(lost.reason, timeout_s) from None
    except sql_pool.PoolBusy:
        raise SandboxError("bezet", f"Alle rekenprocessen voor SQL zijn bezet (na {_seconds(WAIT_S)} seconden "
                                    "wachten). Probeer het over een ogenblik opnieuw.") from None
    header = reply.header
    if not header.get("ok"):
        raise _refusal(header)
    try:
        table = pa.ipc.open_stream(reply.payload).read_all()
        converted = sql_results.to_frame(table, header["names"])
    except Exception as error:  # noqa: BLE001
        raise SandboxError("fout", f"Het resultaat kon niet worden omgezet: {type(error).__name__}: "
                                   f"{str(error)[:200]}") from None
    rows = len(converted.frame)
    truncated = bool(header.get("truncated"))
    text = f"Resultaat afgekapt op {format_number(max_rows)} rijen" if truncated else row_count_text(rows)
    return SandboxResult(frame=converted.frame, truncated=truncated, elapsed_s=float(header["elapsed_s"]),
                         message=text, notes=tuple(converted.notes))


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
        known = {str(row.source_id): row for row in sources.itertuples()}
        # Any value a query can put in a column named source_id (a list, a number): as text.
        present = [s for s in dict.fromkeys(str(v) for v in frame["source_id"].dropna()) if s][:50]
        for source_id in present:
            row = known.get(source_id)
            if row is None:
                lines.append(f"Bron: {source_id[:200]}")
            else:
                lines.append(source_line(f"{row.publisher}, {row.title}", row.peildatum, bool(row.is_sample)))
    if not lines:
        lines.append(GENERIC_SOURCE)
    if "is_sample" in frame.columns and any(v is True or v is np.True_ or str(v).lower() in ("true", "ja")
                                            for v in frame["is_sample"].dropna()):
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
    protected Veilig Thuis view the columns it is defined with (``monitor.domain.privacy``)."""
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


__all__ = ["KINDS", "error_excerpt", "MAX_ROWS", "SANDBOX_TABLES", "SandboxError", "SandboxResult", "TIMEOUT_S",
           "connect", "examples", "prepare", "result_footer", "row_count_text", "run_select", "sandbox_file",
           "schema_doc", "table_columns", "tables"]
