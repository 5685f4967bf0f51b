"""Every SQL file's header (``-- params:``, ``-- reads:``, ``-- creates:``) is what the SQL does.

The runner decides from the headers which materialised tables to build and whether the private
Veilig Thuis schema is loaded (``monitor.data.queryfiles``), so a wrong header must fail here:
the declaration is compared with DuckDB's own parse of the file (``duckdb.extract_statements``
for the named parameters, ``json_serialize_sql`` for the tables a statement reads).
"""

from __future__ import annotations

import json
import re

import duckdb
import pytest

from monitor.data import queryfiles
from tests.conftest import REPO

FILES = sorted((REPO / "queries").rglob("*.sql"))
# Statements that read no table: only the data layer's own ``queries/system/`` files may hold them.
_READS_NOTHING = {duckdb.StatementType.SET, duckdb.StatementType.DROP, duckdb.StatementType.ALTER,
                  duckdb.StatementType.TRANSACTION}
_CREATE_SCHEMA = re.compile(r"^\s*create\s+schema\s", re.I)
_CREATE = re.compile(r"^\s*create\s+(?:or\s+replace\s+)?(table|view)\s+([a-z_][a-z0-9_.]*)\s+as\s", re.I)


def _walk(node, tables: set[str], ctes: set[str]) -> None:
    if isinstance(node, dict):
        if node.get("type") == "BASE_TABLE":
            schema = node.get("schema_name") or ""
            tables.add(f"{schema}.{node['table_name']}" if schema else node["table_name"])
        for entry in (node.get("cte_map") or {}).get("map", []):
            ctes.add(entry["key"])
        for value in node.values():
            _walk(value, tables, ctes)
    elif isinstance(node, list):
        for value in node:
            _walk(value, tables, ctes)


def parsed(text: str, other: set[str] | None = None) -> tuple[set[str], set[str], set[str]]:
    """(named parameters, tables read, tables or views created) by DuckDB's parser; the types
    of statements that read no table (SET, DROP, ALTER, CREATE SCHEMA) are added to ``other``."""
    other = set() if other is None else other
    params: set[str] = set()
    reads: set[str] = set()
    creates: set[str] = set()
    con = duckdb.connect()
    for statement in duckdb.extract_statements(text):
        params |= set(statement.named_parameters)
        select = statement.query
        if statement.type in _READS_NOTHING or _CREATE_SCHEMA.match(select):
            other.add(statement.type.name)
            continue
        if statement.type == duckdb.StatementType.CREATE:
            match = _CREATE.match(select)
            assert match, f"not a 'create [or replace] table|view <name> as': {select[:60]}"
            creates.add(match.group(2))
            select = select[match.end():]
        tree = json.loads(con.execute("select json_serialize_sql(?)", [select]).fetchone()[0])
        assert not tree.get("error"), tree.get("error_message")
        tables: set[str] = set()
        ctes: set[str] = set()
        _walk(tree, tables, ctes)
        reads |= tables - ctes
    return params, reads, creates


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(REPO / "queries").as_posix())
def test_the_header_declares_what_the_sql_does(path):
    text = path.read_text(encoding="utf-8")
    declared = queryfiles.parse_header(text, path.name)
    other: set[str] = set()
    params, reads, creates = parsed(text, other)
    assert set(declared.params) == params, "params"
    assert set(declared.reads) == reads, "reads"
    assert set(declared.identifiers) == set(queryfiles.PLACEHOLDER.findall(text)), "identifiers"
    if path.parent.name in ("views", "materialised"):
        assert set(declared.creates or (path.stem,)) == creates, "creates"
    elif path.parent.name == "system":
        assert set(declared.creates) == creates, "creates"
    else:
        assert not creates and not declared.creates
    if path.parent.name != "system":
        assert not other and not declared.identifiers, "DDL, SET and name templates only in queries/system/"


def test_a_wrong_header_fails():
    sql = "-- params: since\n-- reads: projects\nselect * from projects p join regions r on true where x = $peildatum"
    params, reads, _creates = parsed(sql)
    declared = queryfiles.parse_header(sql)
    assert set(declared.params) != params and set(declared.reads) != reads
    with pytest.raises(queryfiles.QueryError, match="reads"):
        queryfiles.parse_header("-- params:\nselect 1")


def test_dependencies_and_the_private_schema_come_from_the_declarations():
    def reads(name):
        return queryfiles.declaration(queryfiles.query_path(name)).reads
    assert queryfiles.needs_private(reads("vt_trend"))
    assert queryfiles.needs_private(reads("vt_status"))
    assert queryfiles.needs_private(reads("sources_overview"))  # via source_rows → vt_reports_protected
    assert not queryfiles.needs_private(reads("project_overview"))
    assert not queryfiles.needs_private(reads("indicator_observations"))
    # Dependencies first: source_rows reads observation_counts (and the view vt_reports_protected).
    order = queryfiles.build_order(reads("sources_overview"))
    assert set(order) == {"observation_counts", "source_rows"}
    assert order[-1] == "source_rows"
    assert queryfiles.build_order(reads("project_overview")) == ["effective_checkins", "effective_phase_events",
                                                                 "project_facts"]
    assert queryfiles.build_order(reads("themalijnen")) == []


def _callers() -> dict[str, set[str]]:
    """query name → the application files that run it (``query("name"`` / ``_query("name"``):
    the derived form of the "Used by" lines query files once kept by hand."""
    found: dict[str, set[str]] = {}
    paths = [REPO / "dashboard.py"] + [p for folder in ("pages", "ui", "monitor")
                                       for p in sorted((REPO / folder).rglob("*.py"))
                                       if p.relative_to(REPO).as_posix() != "monitor/data/db.py"]  # the runner's docs
    for path in paths:
        for name in re.findall(r"""query\(\s*["']([a-z][a-z0-9_]*)["']""", path.read_text(encoding="utf-8")):
            found.setdefault(name, set()).add(path.relative_to(REPO).as_posix())
    return found


def test_every_query_file_is_used_and_every_used_query_exists():
    callers = _callers()
    files = {path.stem for path in (REPO / "queries").glob("*.sql")}
    assert set(callers) <= files, set(callers) - files
    assert files <= set(callers), f"query files no page, view or module runs: {sorted(files - set(callers))}"
    assert "monitor/views/inputs.py" in callers["changes_between"]  # the one loader of the Overzicht and decks
    for path in FILES:
        assert "Used by" not in path.read_text(encoding="utf-8"), f"{path.name}: derive it (_callers), do not keep it"


def test_identifiers_are_quoted_by_the_one_helper():
    sql = queryfiles.system_sql("drop_table", {"schema": "main", "table": 'x"; drop table regions; --'})
    assert sql.rstrip().endswith('drop table if exists "main"."x""; drop table regions; --"')
    assert len(duckdb.extract_statements(sql)) == 1
    with pytest.raises(queryfiles.QueryError, match="verwacht"):
        queryfiles.system_sql("drop_table", {"table": "x"})
    with pytest.raises(queryfiles.QueryError):
        queryfiles.quote_identifier("")
    con = duckdb.connect()
    con.execute("create table t as select 1 as a")  # test data, not the application's SQL
    queryfiles.run(con, "rename_table", {"table": "t", "new_name": "u"})
    assert queryfiles.run(con, "tables").fetchall() == [("u",)]
