# Reads the committed datasets/: a page test: it opens every page of the real app, on the data the app ships.
"""Lists derived from the code: the URL-bound widget keys (``ui.shell.URL_KEYS``) and the page
registry (``ui.shell.PAGES``)."""

from __future__ import annotations

import ast
from pathlib import Path

from streamlit.testing.v1 import AppTest

from monitor.data.contract import THEMALIJNEN
from dashboard import PAGES, page_modules
from ui import shell

REPO = Path(__file__).resolve().parents[2]


def _bound_calls():
    for folder in ("pages", "ui"):
        for path in sorted((REPO / folder).glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and any(
                        k.arg == "bind" and isinstance(k.value, ast.Constant) and k.value.value == "query-params"
                        for k in node.keywords):
                    yield path, node


def test_every_bound_widget_has_a_literal_key_in_url_keys():
    calls = list(_bound_calls())
    assert len(calls) > 20
    for path, node in calls:
        key = next((k.value for k in node.keywords if k.arg == "key"), None)
        assert isinstance(key, ast.Constant), f"{path.name}:{node.lineno}: bind zonder letterlijke key"
        assert key.value in shell.URL_KEYS


def test_url_keys_find_a_new_bound_widget(tmp_path):
    (tmp_path / "page.py").write_text('import streamlit as st\nst.selectbox("X", [1], key="nieuw", '
                                      'bind="query-params")\nst.selectbox("Y", [1], key="los")\n')
    assert shell.bound_widget_keys([tmp_path]) == ("nieuw",)
    assert {"gemeente", "periode", "groep", "peildatum", "vorige", "dia", "sql"} <= set(shell.URL_KEYS)


def test_the_page_registry_holds_every_page_of_the_navigation():
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    at.run()
    assert not at.exception
    for themalijn in THEMALIJNEN:
        assert shell.PAGES[themalijn].url_path == themalijn
    assert set(shell.PAGES) == {"" if page.default else page.url_path for page in PAGES}
    assert {page.url_path for page in PAGES} >= set(THEMALIJNEN)


def test_page_modules_name_every_page_file_once():
    scripts = sorted(str(path.relative_to(REPO)) for path in (REPO / "pages").glob("*.py"))
    assert sorted(page.script for page in page_modules()) == scripts


def _query_calls(folders):
    for folder in folders:
        for path in sorted(folder.glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "query"
                        and isinstance(node.func.value, ast.Name) and node.func.value.id == "db"):
                    yield f"{path.name}:{node.lineno}"


def test_pages_and_ui_read_data_only_through_view_model_loaders():
    """One page shape: widgets → ``load_<page>`` (monitor/views) → ``build_<page>`` → draw; no
    query in a page or a Streamlit component."""
    assert list(_query_calls([REPO / "pages", REPO / "ui"])) == []


def test_the_query_check_finds_a_query(tmp_path):
    (tmp_path / "page.py").write_text('from monitor.data import db\nrows = db.query("sources_overview")\n')
    assert list(_query_calls([tmp_path])) == ["page.py:2"]
