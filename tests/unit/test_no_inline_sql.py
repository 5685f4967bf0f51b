"""No SQL strings outside ``queries/``: every statement the application runs is a named file
(``queries/*.sql`` through ``monitor.data.db.query``, ``queries/system/*.sql`` through
``monitor.data.queryfiles.run``), never a string in the Python code.

Every ``.py`` of ``monitor/``, ``ui/``, ``pages/`` and ``dashboard.py`` is parsed with ``ast``;
a string constant (or the literal start of an f-string) that begins, after whitespace, with a
SQL keyword fails. Docstrings are prose ("Copy the tables …", "Set …") and are skipped.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import REPO

SQL_START = re.compile(r"^\s*(select|with|insert|update|delete|create|drop|attach|detach|copy|pragma"
                       r"|set|install|load|describe|alter)\b", re.I)

# (file, string) → why it is not a query of the application. Keep it empty or justified.
ALLOWED: dict[tuple[str, str], str] = {
    ("pages/sql.py", "select * from regions"):
        "the SQL page's placeholder text in the analyst's empty editor, shown, never run",
}


def _application_files() -> list[Path]:
    files = [REPO / "dashboard.py"]
    for folder in ("monitor", "ui", "pages"):
        files += sorted((REPO / folder).rglob("*.py"))
    return files


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def sql_strings(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string in ``source`` that starts like a SQL statement."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    in_fstrings = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
                   for part in node.values}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            head = node.values[0] if node.values else None
            text = head.value if isinstance(head, ast.Constant) and isinstance(head.value, str) else ""
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) in skip or id(node) in in_fstrings:
                continue
            text = node.value
        else:
            continue
        if SQL_START.match(text):
            found.append((node.lineno, text))
    return found


def test_no_sql_string_in_the_python_code():
    offenders, used = [], set()
    for path in _application_files():
        rel = path.relative_to(REPO).as_posix()
        for line, text in sql_strings(path.read_text(encoding="utf-8")):
            if (rel, text) in ALLOWED:
                used.add((rel, text))
                continue
            offenders.append(f"{rel}:{line}: {text[:70]!r}")
    assert not offenders, "SQL belongs in queries/ (see monitor/data/queryfiles.py):\n" + "\n".join(offenders)
    assert used == set(ALLOWED), f"allow-list entries that match nothing any more: {set(ALLOWED) - used}"


def test_the_check_sees_sql_and_skips_prose():
    source = '''
"""Create the views (a docstring)."""
def f(con, name):
    """Set things up."""
    con.execute("  SELECT 1")
    con.execute(f"drop table {name}")
    con.execute("""
        with t as (select 1) select * from t""")
    label = "Selectie van gemeenten"
    return con.sql("pragma version"), label
'''
    assert [line for line, _ in sql_strings(source)] == [5, 6, 7, 10]
