"""The SQL page's worker process: parses, checks and runs one analyst's query at a time.

Started by :mod:`monitor.data.sql_pool` as ``python monitor/data/sql_worker.py`` (never imported by the
dashboard for running queries): everything a query can do to a process — a parser busy for
seconds, a scalar function that never checks for an interrupt, an allocation of gigabytes —
happens here, in a process the dashboard can kill. It imports only the standard library,
DuckDB and pyarrow, so it starts quickly and stays small.

Limits, set by the worker on itself:

* **memory**: ``RLIMIT_AS`` (address space) of :data:`ADDRESS_SPACE_MB`; an allocation past
  it fails inside DuckDB (an ``Out of Memory Error``) or kills the process, never the server;
* **CPU**: before each query the soft ``RLIMIT_CPU`` is set to the CPU time used so far plus
  the query's budget; a query that burns it gets ``SIGXCPU`` and the process dies;
* **wall clock**: a timer interrupts DuckDB after ``timeout_s``; the dashboard kills the
  process (``SIGKILL``) when no answer came a moment later (:mod:`monitor.data.sql_pool`).

Nothing carries over from one query to the next: every query gets a *new* DuckDB database
instance, opened ``read_only`` on the sandbox file with the locked configuration of
:func:`connection_config` and closed after the query (the next one is opened while the
worker waits, so the user does not wait for it). A function that registers something
(``register_external_resource_type``), a variable or a setting lives only as long as its
own query.

Protocol (stdin/stdout, binary): each message is an 8-byte big-endian length and a JSON
object; a reply with ``"ipc": n`` is followed by ``n`` bytes of an Arrow IPC stream (the
result, every column named ``c1``, ``c2``, …; the real names travel in ``names``).
"""

from __future__ import annotations

import json
import os
import re
import resource
import struct
import sys
import threading
import time
from pathlib import Path

import duckdb
import pyarrow as pa

ADDRESS_SPACE_MB = 1536   # the whole worker: Python, DuckDB, pyarrow (about 470 MB idle) and the query
DUCKDB_MEMORY_MB = 256    # DuckDB's own accounting; RLIMIT_AS is the hard wall behind it
CPU_GRACE_S = 1
HEADER = struct.Struct(">Q")
MAX_MESSAGE = 256 * 1024 * 1024

# Column types that travel as themselves; every other type (UHUGEINT, BIGNUM, BIT, TIME WITH
# TIME ZONE, UNION, MAP, STRUCT, LIST, ARRAY, ENUM, BLOB, UUID, …) is sent as DuckDB's own text
# for it, which is exact (Arrow has no type for some of them, and would turn a UHUGEINT into -1).
NATIVE_TYPES = frozenset({
    "boolean", "tinyint", "smallint", "integer", "bigint", "utinyint", "usmallint", "uinteger",
    "ubigint", "hugeint", "float", "double", "decimal", "varchar", "date", "time", "timestamp",
    "timestamp_s", "timestamp_ms", "timestamp_ns", "timestamp with time zone", "interval", "null",
})

FORBIDDEN = ("Alleen één SELECT-query is toegestaan (ook WITH … SELECT). Wijzigen, instellingen, "
             "bestanden, extensies en meerdere statements zijn op deze pagina niet toegestaan.")


class Refusal(Exception):
    """A query refused or stopped; ``kind`` as in ``monitor.data.sandbox.KINDS``."""

    def __init__(self, kind: str, message: str, *, line: int | None = None, column: int | None = None,
                 detail: str | None = None) -> None:
        super().__init__(message)
        self.kind, self.message, self.line, self.column, self.detail = kind, message, line, column, detail

    def as_dict(self) -> dict:
        return {"ok": False, "kind": self.kind, "message": self.message, "line": self.line,
                "column": self.column, "detail": self.detail}


def _seconds(value: float) -> str:
    """'5', '2,5' (Dutch)."""
    return f"{value:g}".replace(".", ",")


# --- the connection -------------------------------------------------------------------------

def connection_config(memory_mb: int = DUCKDB_MEMORY_MB) -> dict:
    """The settings a sandbox instance starts with (before any statement runs)."""
    return {
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "allow_community_extensions": False,
        "memory_limit": f"{memory_mb}MB",
        "threads": 1,
        "errors_as_json": True,
    }


# The statements of queries/system/lockdown.sql (why this order: see the file). This process
# imports only the standard library and duckdb, so it reads the file itself.
LOCKDOWN_SQL = Path(__file__).resolve().parents[2] / "queries" / "system" / "lockdown.sql"


def lockdown(allowed_paths: list[str]) -> list[tuple[str, dict | None]]:
    steps: list[tuple[str, dict | None]] = []
    for statement in duckdb.extract_statements(LOCKDOWN_SQL.read_text(encoding="utf-8")):
        if "paths" not in statement.named_parameters:
            steps.append((statement.query, None))
        elif allowed_paths:
            # Big tables are views over their Parquet file (monitor.data.sandbox): only those files.
            steps.append((statement.query, {"paths": list(allowed_paths)}))
    return steps


def open_connection(db_path: str, allowed_paths: list[str], memory_mb: int = DUCKDB_MEMORY_MB
                    ) -> duckdb.DuckDBPyConnection:
    """A new, read-only, locked database instance on the sandbox file."""
    con = duckdb.connect(db_path, read_only=True, config=connection_config(memory_mb))
    try:
        for statement, params in lockdown(allowed_paths):
            con.execute(statement, params)
    except BaseException:
        con.close()
        raise
    return con


# --- parsing and the statement check --------------------------------------------------------

def _line_column(sql: str, position: int) -> tuple[int, int]:
    before = sql[:position]
    line = before.count("\n") + 1
    return line, position - (before.rfind("\n") + 1) + 1


_NEAR = re.compile(r'syntax error at or near "(.*)"$', re.S)


def _json_error(error: Exception) -> tuple[str, dict]:
    text = str(error)
    payload = text.split(":", 1)[1].strip() if ":" in text and not text.lstrip().startswith("{") else text
    try:
        info = json.loads(payload)
    except ValueError:
        try:
            info = json.loads(text)
        except ValueError:
            info = {"exception_message": payload}
    if not isinstance(info, dict):
        info = {"exception_message": text}
    return info.get("exception_message", payload), info


def syntax_error(sql: str, error: Exception) -> Refusal:
    detail, info = _json_error(error)
    line = column = None
    if "position" in info:
        try:
            line, column = _line_column(sql, int(info["position"]))
        except ValueError:
            pass
    near = _NEAR.match(detail)
    if near:
        message = f'Syntaxfout bij of vlak voor "{near.group(1)[:80]}"'
    elif "end of input" in detail:
        message = "Syntaxfout: de query houdt onverwacht op (ontbreekt er een haakje of een deel?)"
    elif "unterminated" in detail:
        message = "Syntaxfout: een tekst tussen aanhalingstekens wordt niet afgesloten"
    else:
        message = f"Syntaxfout: {detail[:300]}"
    if line is not None:
        message += f" (regel {line}, positie {column})"
    return Refusal("syntax", message + ".", line=line, column=column, detail=detail[:2000])


def check(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Exactly one statement, of type SELECT (``WITH … SELECT``, ``FROM t``, ``DESCRIBE``)."""
    if not sql or not sql.strip():
        raise Refusal("syntax", "Typ eerst een SELECT-query.")
    try:
        statements = con.extract_statements(sql)
    except duckdb.ParserException as error:
        raise syntax_error(sql, error) from None
    except duckdb.Error as error:
        raise translate(error, False, 0) from None
    if not statements:
        raise Refusal("syntax", "Er staat geen query in het invoerveld, alleen commentaar of ';'.")
    if len(statements) > 1:
        raise Refusal("verboden", f"Er staan {len(statements)} statements in het invoerveld. " + FORBIDDEN)
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        raise Refusal("verboden", f"Dit is geen SELECT maar een {kind.name}-statement. " + FORBIDDEN)


# --- errors ---------------------------------------------------------------------------------

def translate(error: BaseException, timed_out: bool, timeout_s: float) -> Refusal:
    """A Dutch refusal for an error of DuckDB (raised directly or, mid-stream, through Arrow)."""
    detail, _info = _json_error(error) if isinstance(error, duckdb.Error) else (str(error), {})
    text = f"{str(error)}\n{detail}"
    if isinstance(error, duckdb.InterruptException) or timed_out or "INTERRUPT" in text[:40]:
        return Refusal("tijdslimiet", f"De query duurde langer dan {_seconds(timeout_s)} seconden en is gestopt.")
    if (isinstance(error, (duckdb.OutOfMemoryException, MemoryError)) or "Out of Memory" in text
            or "can't start new thread" in text):  # no address space left for a thread's stack
        return Refusal("geheugen", f"De query had meer werkgeheugen nodig dan de sandbox toestaat "
                                   f"({DUCKDB_MEMORY_MB} MB) en is gestopt. Filter of groepeer eerder, of vraag "
                                   "minder rijen of kolommen op.", detail=detail[:2000])
    if isinstance(error, duckdb.PermissionException) or "Permission Error" in text:
        return Refusal("verboden", "Bestanden, netwerk en extensies zijn op deze pagina afgesloten: alleen de "
                                   "tabellen van de monitor zijn te bevragen.", detail=detail[:2000])
    if "read-only mode" in text or "read-only" in detail:
        return Refusal("verboden", "De tabellen kunnen alleen gelezen worden: INSERT, UPDATE en DELETE (ook "
                                   "binnen een WITH) zijn niet toegestaan.", detail=detail[:2000])
    if "configuration has been locked" in text:
        return Refusal("verboden", "De instellingen van de sandbox liggen vast.", detail=detail[:2000])
    if "exists in the" in text and "extension" in text:
        return Refusal("verboden", "Extensies laden is op deze pagina niet toegestaan.", detail=detail[:2000])
    if "Expected a single SELECT statement" in text:
        return Refusal("verboden", FORBIDDEN, detail=detail[:2000])
    first = detail.split("\n", 1)[0][:300]
    match = re.search(r"Table with name (.+?) does not exist", first)
    if match:
        return Refusal("onbekende_tabel", match.group(1)[:100], detail=detail[:2000])
    match = re.search(r'Referenced column "(.+?)" not found', first)
    if match:
        hint = re.search(r"Candidate bindings: (.+)", detail)
        extra = f" Bedoelt u: {hint.group(1).strip()[:200]}?" if hint else ""
        return Refusal("fout", f'De kolom "{match.group(1)[:100]}" bestaat niet in de tabellen van de query.{extra}',
                       detail=detail[:2000])
    match = re.search(r"Function with name (.+?) does not exist", first)
    if match:
        return Refusal("fout", f"De functie {match.group(1)[:100]} bestaat niet.", detail=detail[:2000])
    if isinstance(error, duckdb.ParserException) or "Parser Error" in text[:40]:
        return Refusal("syntax", f"Syntaxfout: {first}", detail=detail[:2000])
    if not isinstance(error, (duckdb.Error, OSError, pa.ArrowException)):
        first = f"{type(error).__name__}: {first}"
    return Refusal("fout", f"De query gaf een fout: {first}", detail=detail[:2000])


# --- running --------------------------------------------------------------------------------

def _projection(rel: duckdb.DuckDBPyRelation) -> str:
    """Every column by position, as itself or as DuckDB's exact text, named c1, c2, …"""
    parts = []
    for index, kind in enumerate(rel.types, start=1):
        expression = f"#{index}" if kind.id in NATIVE_TYPES else f"#{index}::varchar"
        parts.append(f'{expression} as "c{index}"')
    return ", ".join(parts)


def run(con: duckdb.DuckDBPyConnection, sql: str, *, max_rows: int, max_bytes: int, timeout_s: float,
        batch_rows: int = 2048) -> tuple[dict, bytes]:
    """Check and run ``sql``; the reply header and the Arrow IPC stream of at most ``max_rows``."""
    timed_out = threading.Event()
    done = threading.Lock()

    def interrupt() -> None:
        with done:
            timed_out.set()
            con.interrupt()

    timer = threading.Timer(timeout_s, interrupt)
    timer.daemon = True
    start = time.monotonic()
    timer.start()
    try:
        check(con, sql)
        rel = con.sql(sql)
        names = list(rel.columns)
        reader = rel.project(_projection(rel)).to_arrow_reader(batch_rows) if names else None
        batches, rows, size = [], 0, 0
        if reader is not None:
            for batch in reader:
                batches.append(batch)
                rows += batch.num_rows
                size += batch.nbytes
                if size > max_bytes:
                    raise Refusal("geheugen", f"Het resultaat is groter dan {max_bytes // 2**20} MB. Vraag minder "
                                              "rijen of kolommen op.")
                if rows > max_rows:
                    break
            table = pa.Table.from_batches(batches, schema=reader.schema)
        else:
            table = pa.table({})
    except Refusal:
        raise
    except Exception as error:  # noqa: BLE001 - every failure of a user's query is reported, in Dutch
        raise translate(error, timed_out.is_set(), timeout_s) from None
    finally:
        with done:
            timer.cancel()
    truncated = table.num_rows > max_rows
    table = table.slice(0, max_rows)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    body = sink.getvalue().to_pybytes()
    header = {"ok": True, "names": names, "truncated": truncated, "elapsed_s": time.monotonic() - start,
              "ipc": len(body)}
    return header, body


# --- the process ----------------------------------------------------------------------------

def _read_exactly(stream, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_message(stream) -> dict | None:
    head = _read_exactly(stream, HEADER.size)
    if head is None:
        return None
    (size,) = HEADER.unpack(head)
    if size > MAX_MESSAGE:
        return None
    body = _read_exactly(stream, size)
    return None if body is None else json.loads(body)


def write_message(stream, message: dict, payload: bytes = b"") -> None:
    body = json.dumps(message).encode("utf-8")
    stream.write(HEADER.pack(len(body)) + body + payload)
    stream.flush()


def _cpu_used() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _limit_cpu(budget_s: float | None) -> None:
    """The soft CPU limit: now + budget (SIGXCPU past it), or none between queries."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if budget_s is None:
        soft = hard
    else:
        soft = int(_cpu_used() + budget_s) + 1
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _limit_memory(megabytes: int) -> None:
    limit = megabytes * 2**20
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def serve(stdin, stdout) -> None:
    """Answer requests until stdin closes. One fresh database instance per query."""
    ready: tuple[tuple, duckdb.DuckDBPyConnection] | None = None
    while True:
        request = read_message(stdin)
        if request is None:
            return
        if request.get("op") == "ping":
            write_message(stdout, {"ok": True, "pid": os.getpid()})
            continue
        key = (request["db"], tuple(request.get("allowed", ())), int(request.get("memory_mb", DUCKDB_MEMORY_MB)))
        try:
            if ready is None or ready[0] != key:
                if ready is not None:
                    ready[1].close()
                ready = (key, open_connection(key[0], list(key[1]), key[2]))
            con = ready[1]
            ready = None
            timeout_s = float(request["timeout_s"])
            _limit_cpu(timeout_s + CPU_GRACE_S)
            try:
                header, body = run(con, request["sql"], max_rows=int(request["max_rows"]),
                                   max_bytes=int(request["max_bytes"]), timeout_s=timeout_s)
            finally:
                _limit_cpu(None)
                con.close()
        except Refusal as refusal:
            header, body = refusal.as_dict(), b""
        except MemoryError:
            header, body = translate(MemoryError(), False, 0).as_dict(), b""
        except Exception as error:  # noqa: BLE001 - the worker answers every request
            header, body = translate(error, False, 0).as_dict(), b""
        write_message(stdout, header, body)
        try:  # the next query's instance, opened while nobody waits
            ready = (key, open_connection(key[0], list(key[1]), key[2]))
        except Exception:  # noqa: BLE001 - opened again (with its error) at the next request
            ready = None


def main() -> None:
    # Started with ``-I`` (no access to the package): the pool passes $MONITOR_SQL_WORKER_MB here.
    _limit_memory(int(sys.argv[1]) if len(sys.argv) > 1 else ADDRESS_SPACE_MB)
    threading.stack_size(512 * 1024)  # the timer thread: little address space under RLIMIT_AS
    # The protocol gets its own descriptor; anything printed (by a library) goes to stderr.
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    serve(sys.stdin.buffer, replies)


if __name__ == "__main__":
    main()
