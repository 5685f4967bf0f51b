"""AppTest: the SQL page runs examples and typed queries, and explains a refusal in Dutch."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from monitor.data import sandbox, store
from tests.pages.app import open_page

REPO = Path(__file__).resolve().parents[2]
DASHBOARD = str(REPO / "dashboard.py")
OVERGEWICHT = "Overgewicht per gemeente in 2022, met 95%-interval"


def _sql_page(query: dict | None = None) -> AppTest:
    return open_page("sql", query, timeout=60)


def _run(at: AppTest, sql: str) -> AppTest:
    at.text_area(key="sql").input(sql)
    next(b for b in at.button if b.label == "Uitvoeren").click()
    at.run()
    assert not at.exception, at.exception
    return at


def _result(at: AppTest):
    return at.dataframe[0].value


def _captions(at: AppTest) -> str:
    return " | ".join(c.value for c in at.caption)


def test_page_shows_editor_examples_and_every_table_of_the_contract():
    at = _sql_page()
    assert at.title[0].value == "SQL"
    assert at.text_area(key="sql").value == ""
    labels = [e.label for e in at.expander]
    for table, columns in sandbox.schema_doc().items():
        assert f"{table} · {len(columns)} kolommen" in labels
    tables = {tuple(t.value.columns) for t in at.table}
    assert ("Kolom", "Type", "Betekenis") in tables
    assert len(at.selectbox(key="sql_voorbeeld").options) == len(sandbox.examples()) + 1


def test_example_fills_the_editor_and_shows_rows():
    at = _sql_page()
    at.selectbox(key="sql_voorbeeld").select(OVERGEWICHT).run()
    assert not at.exception, at.exception
    example = next(e for e in sandbox.examples() if e.title == OVERGEWICHT)
    assert at.text_area(key="sql").value == example.sql
    frame = _result(at)
    assert len(frame) == 14 and "gemeente" in frame.columns
    assert "14 rijen" in _captions(at)
    assert "Bron: CBS" in _captions(at)  # the source named by the result's source_id
    assert not at.error


def test_forbidden_statement_shows_a_dutch_error_and_a_valid_query_works_after_it():
    at = _run(_sql_page(), "DROP TABLE regions")
    assert len(at.error) == 1
    assert "Niet toegestaan" in at.error[0].value and "SELECT" in at.error[0].value
    assert not at.dataframe

    at = _run(at, "select region_code, name from regions order by region_code")
    assert not at.error
    assert len(_result(at)) == len(store.read_frame("regions"))
    assert f"{len(store.read_frame('regions'))} rijen" in _captions(at)


def test_syntax_error_shows_the_position():
    at = _run(_sql_page(), "select *\nfrom regions\nwher name = 'Borne'")
    assert "Syntaxfout" in at.error[0].value and "regel 3" in at.error[0].value
    assert any("wher name" in c.value and "^" in c.value for c in at.code)


def test_query_from_the_url_runs_on_opening():
    at = _sql_page({"sql": "select name from regions where level = 'gemeente' and parent_code = 'GG_TWENTE'"})
    assert len(_result(at)) == 14
    assert "14 rijen" in _captions(at)


def test_cut_off_result_is_a_warning():
    at = _run(_sql_page(), "select * from range(100000)")
    assert any("Resultaat afgekapt op 10.000 rijen" in w.value for w in at.warning)
    assert len(_result(at)) == 10_000


@pytest.mark.parametrize(("sql", "title"), [
    ("select * from read_csv('/etc/passwd')", "Niet toegestaan"),
    ("select * from bestaat_niet", "Fout in de query"),
    ("select list(range) from range(100000000)", "Te veel geheugen"),
])
def test_each_kind_of_error_has_its_own_title(sql, title):
    at = _run(_sql_page(), sql)
    assert title in at.error[0].value
