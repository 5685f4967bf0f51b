"""The SQL files of ``queries/`` and what each one declares in its header.

Every file starts with comment lines; two of them declare what the file needs::

    -- params: indicator_ids, peildatum
    -- reads: monitor_observations, sources

``params`` are the DuckDB named parameters (``$indicator_ids``) the file uses, ``reads`` every
table or view it reads (curated tables, views of ``queries/views/``, materialised tables of
``queries/materialised/``, ``vt_private.*``). A file of ``views/`` or ``materialised/`` creates
the table or view of its own name; a view file that creates more says so
(``-- creates: vt_reports_protected, vt_privacy_status``). Either value may be empty.

The runner (``monitor.data.db``) takes from the declarations which materialised tables a query
needs (dependencies first) and whether it reads the private Veilig Thuis schema; nothing looks
into SQL bodies. ``tests/unit/test_query_headers.py`` checks every declaration against DuckDB's
own parse of the file, so a wrong header fails there.

``queries/system/`` holds the statements the data layer itself runs on a connection it holds
(catalogue look-ups, the sandbox's lockdown, DDL on its own tables): ``run(con, name, …)``. A
name that cannot be a parameter (``drop table "{table}"``: DuckDB binds values, never
identifiers) is a ``"{placeholder}"`` in the file, declared with ``-- identifiers: table``, and
filled in by ``quote_identifier`` alone, the one place an identifier is put into SQL text.
``tests/unit/test_no_inline_sql.py`` keeps SQL strings out of the Python code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from monitor.data import store

QUERIES_DIR = store.REPO_ROOT / "queries"
# The shared views and the materialised tables always come from the repository's own folder.
VIEWS_DIR = QUERIES_DIR / "views"
MATERIALISED_DIR = QUERIES_DIR / "materialised"
SYSTEM_DIR = QUERIES_DIR / "system"
# The schema of the raw Veilig Thuis counts: a query whose reads reach it needs them loaded.
PRIVATE_SCHEMA = "vt_private"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_KEYS = ("params", "reads", "creates", "identifiers")
# An identifier placeholder: a whole double-quoted name, so the file still parses as SQL.
PLACEHOLDER = re.compile(r'"\{([a-z][a-z0-9_]*)\}"')


class QueryError(Exception):
    pass


@dataclass(frozen=True)
class Declaration:
    params: tuple[str, ...]
    reads: tuple[str, ...]
    creates: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()


def parse_header(text: str, source: str = "query") -> Declaration:
    """The ``params``/``reads``/``creates`` lines of the leading comment block of a SQL file."""
    found: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("--"):
            break
        key, sep, value = line[2:].strip().partition(":")
        if sep and key.strip() in _KEYS:
            found[key.strip()] = tuple(v.strip() for v in value.split(",") if v.strip())
    missing = [key for key in ("params", "reads") if key not in found]
    if missing:
        raise QueryError(f"{source}: de kop mist '-- {missing[0]}: …' (zie monitor/data/queryfiles.py)")
    return Declaration(found["params"], found["reads"], found.get("creates", ()), found.get("identifiers", ()))


def query_path(name: str) -> Path:
    if not _NAME.match(name):
        raise QueryError(f"ongeldige querynaam '{name}'")
    path = QUERIES_DIR / f"{name}.sql"
    if not path.exists():
        raise QueryError(f"query '{name}' bestaat niet (verwacht {path})")
    return path


def declaration(path: Path) -> Declaration:
    return parse_header(path.read_text(encoding="utf-8"), str(path))


def materialised_names() -> list[str]:
    return sorted(path.stem for path in MATERIALISED_DIR.glob("*.sql"))


def definitions() -> dict[str, tuple[Path, Declaration]]:
    """Every view and materialised table of ``queries/`` → its file and declaration."""
    found: dict[str, tuple[Path, Declaration]] = {}
    for path in sorted(VIEWS_DIR.glob("*.sql")) + sorted(MATERIALISED_DIR.glob("*.sql")):
        declared = declaration(path)
        for name in declared.creates or (path.stem,):
            found[name] = (path, declared)
    return found


def _closure(reads: tuple[str, ...]) -> list[str]:
    """Every name ``reads`` reaches through views and materialised tables, dependencies first."""
    known = definitions()
    ordered: list[str] = []

    def visit(name: str, trail: tuple[str, ...]) -> None:
        if name in ordered or name in trail:
            return
        if name in known:
            for other in known[name][1].reads:
                visit(other, trail + (name,))
        ordered.append(name)

    for name in reads:
        visit(name, ())
    return ordered


def build_order(reads: tuple[str, ...]) -> list[str]:
    """The materialised tables a query with these ``reads`` needs, dependencies first."""
    materialised = set(materialised_names())
    return [name for name in _closure(reads) if name in materialised]


def needs_private(reads: tuple[str, ...]) -> bool:
    """Whether these ``reads`` reach the private Veilig Thuis schema (through any view or
    materialised table), so the raw cells must be loaded before the query runs."""
    return any(name.startswith(PRIVATE_SCHEMA + ".") for name in _closure(reads))


def quote_identifier(name: str) -> str:
    """``name`` as a DuckDB double-quoted identifier (inner quotes doubled): the one place the
    data layer puts a name into SQL text. Only for names the code itself chose (its own tables,
    views and schemas); never a value, which is always a bound parameter."""
    if not isinstance(name, str) or not name or "\x00" in name:
        raise QueryError(f"ongeldige naam voor een tabel of schema: {name!r}")
    return '"' + name.replace('"', '""') + '"'


def system_sql(name: str, identifiers: dict[str, str] | None = None) -> str:
    """The text of ``queries/system/<name>.sql``, its declared identifiers filled in."""
    if not _NAME.match(name):
        raise QueryError(f"ongeldige querynaam '{name}'")
    path = SYSTEM_DIR / f"{name}.sql"
    text = path.read_text(encoding="utf-8")
    declared = set(parse_header(text, str(path)).identifiers)
    given = dict(identifiers or {})
    if set(given) != declared:
        raise QueryError(f"{path.name}: namen {sorted(declared)} verwacht, {sorted(given)} gekregen")
    return PLACEHOLDER.sub(lambda match: quote_identifier(given[match.group(1)]), text)


def run(con, name: str, identifiers: dict[str, str] | None = None, /, **params):
    """Run ``queries/system/<name>.sql`` on ``con`` (a connection or cursor the caller holds)
    with named parameters; returns what ``execute`` returns (fetch from it)."""
    sql = system_sql(name, identifiers)
    return con.execute(sql, params) if params else con.execute(sql)
