# Reads the committed datasets/: a page test: it opens every page of the real app, on the data the app ships.
"""Lists derived from the code: the URL-bound widget keys (``ui.shell.URL_KEYS``) and the page
registry (``ui.shell.PAGES``)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from streamlit.testing.v1 import AppTest

from monitor.data.contract import THEMALIJNEN
from dashboard import PAGES, page_modules
from ui import shell
from ui.shell import Page

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


# Modules whose page lists are made from the registry when they load, in the order they import
# each other (bench.loadfloor takes bench.pageviews' list, which takes bench.run's paths).
DERIVED = ("bench.run", "bench.pageviews", "bench.loadfloor", "tests.pages.test_access", "tests.pages.test_rerun",
           "tests.pages.test_s3_errors")


def test_page_lists_in_tests_and_bench_come_from_the_registry(monkeypatch):
    """A page added to ``dashboard.PAGES`` alone is in every page list of the bench and the
    tests: adding a page needs its file, its view model and its ``Page(...)`` line, no list."""
    import dashboard

    new = Page("Over", "pages/nieuw.py", "Nieuw", "nieuw", ":material/info:")
    modules = [importlib.import_module(name) for name in DERIVED]
    monkeypatch.setattr(dashboard, "PAGES", (*dashboard.PAGES, new))
    try:
        bench_run, pageviews, loadfloor, access, rerun, s3_errors = [importlib.reload(m) for m in modules]
        assert ("nieuw", "pages/nieuw.py", {}) in bench_run.APPTEST_PAGES  # the rerun timings and the query map
        assert "/nieuw" in bench_run.VISIT  # cold start: every page opened once
        assert ("nieuw", "/nieuw") in pageviews.PAGES and loadfloor.PAGES["nieuw"] == "/nieuw"
        assert "nieuw" in access.PAGES  # logged in or not, every page fails closed
        assert ("pages/nieuw.py", {}) in rerun.PAGES  # a rerun only draws
        assert "nieuw" in s3_errors.PAGES  # an unreachable bucket is named on the page (if it reads data)
    finally:
        monkeypatch.undo()
        for module in modules:
            importlib.reload(module)


def _page_lists(paths, page_ids):
    """Module-level assignments in ``paths`` that spell out three or more pages of the registry."""
    for path in paths:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                named = {n.value.split("?")[0].strip("/") for n in ast.walk(node)
                         if isinstance(n, ast.Constant) and isinstance(n.value, str)}
                if len(named & page_ids) >= 3:
                    target = node.targets[0] if isinstance(node, ast.Assign) else node.target
                    where = path.relative_to(REPO) if path.is_relative_to(REPO) else path.name
                    yield f"{where}:{ast.unparse(target)}"


# Lists of pages that are a test's or a measurement's own choice, not the registry: what a page
# is opened with beyond its default view, and which pages are measured or asked something of
# their own. A page added to the registry is in none of them and needs none of them.
CHOSEN = {
    "bench/loadfloor.py:MEASURED",  # the pages the load floor measures by default (--pages: any page)
    "bench/run.py:VARIANTS",  # a page's costlier views, beside its default view
    "bench/loadgen.py:PAGES",  # the six main pages the load generator opens round-robin (--pages: any)
    "tests/browser/test_loadgen_browser.py:PAGES",  # pages whose messages Chromium and the generator compare
    "tests/pages/test_rerun.py:VARIANTS",  # the same for the rerun test
    "tests/browser/test_load.py:PAGES",  # the load test's per-page steps and the text each page ends with
    "tests/browser/test_load.py:NAV_TITLES",
    "tests/browser/test_load.py:NEEDLES",
    "tests/browser/test_toegankelijkheid_browser.py:STATES",  # states a click or a URL makes
    "tests/browser/test_toegankelijkheid_browser.py:CHART_PAGES",  # pages chosen for their charts
    "tests/browser/test_user_text_browser.py:PAGES",  # pages that show text a user typed
    "tests/pages/test_twente_focus.py:PAGES",  # pages and views that list regions (gemeente choices, maps, tables)
}


def test_no_hand_kept_page_list_in_tests_or_bench():
    """The page lists in ``tests/`` and ``bench/`` are made from ``dashboard.PAGES``; the only
    literal ones are a test's own choice (``CHOSEN``), never "every page"."""
    page_ids = {name for page in PAGES if page.url_path not in THEMALIJNEN  # also the data's own words
                for name in (page.url_path, page.script, page.script.removeprefix("pages/").removesuffix(".py"))}
    paths = [p for p in sorted((REPO / "tests").rglob("*.py")) + sorted((REPO / "bench").glob("*.py"))
             if "node_modules" not in p.parts]
    assert set(_page_lists(paths, page_ids)) <= CHOSEN


def test_the_page_list_check_finds_a_hand_kept_list(tmp_path):
    (tmp_path / "test_x.py").write_text('PAGES = ["overzicht", "/bronnen", "pages/sql.py"]\nOK = ["overzicht"]\n')
    found = list(_page_lists([tmp_path / "test_x.py"], {"overzicht", "bronnen", "pages/sql.py"}))
    assert found == ["test_x.py:PAGES"]
