"""The SQL page shows and downloads every result DuckDB can return, or says why not."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from monitor.data import sandbox, sql_results
from monitor.export.tables import to_dutch_csv, to_xlsx
from monitor.data.sandbox import run_select
from tests.pages.app import open_page

ODD = [
    "select [1,2] as source_id",
    "select 'infinity'::timestamp as t",
    "select '-infinity'::date as d, 'infinity'::timestamptz as tz",
    "select '294247-01-10 04:00:54'::timestamp as ver",
    'select 1 as "a\x01b"',
    "select [chr(1)||'x'] as l",
    "select chr(65534) as c, chr(65535) as c2, chr(1) || 'x' as c3",
    "select 1 as k, 2 as k, 3 as k_2",
    "select 340282366920938463463374607431768211455::uhugeint as u",
    "select (-170141183460469231731687303715884105727::hugeint - 1) as h, 18446744073709551615::ubigint as ub",
    "select 123456789012345678901234567890::bignum as b",
    "select '101'::bit as b, 'ab'::blob as bl, uuid() is not null as u",
    "select {'a': 1, 'b': [1, 2]} as s, map([1], ['x']) as m, [1, 2]::int[2] as a",
    "select union_value(k := 1) as u, 'x'::enum('x') as e, '12:00:00+01'::timetz as tt",
    "select interval '1000000 years' as i, interval 90 minutes as j",
    "select 'nan'::double as n, 'inf'::double as i, '-inf'::float as f, null::double as leeg",
    "select 1.23456789012345678901::decimal(38, 20) as d, sum(1.5) as s, 12345678901234567::decimal(18,0) as w",
    "select null as niets, null::int[] as l",
    "select 1 as \"=cmd|' /C calc'!A0\", '=1+1' as formule",
    "select 1 as \" \", 2 as \" \"",
    "select 'tab\there' as t, 'regel\nbreuk' as r",
]


def _downloads(frame, footer):
    data = to_dutch_csv(frame, footer_lines=footer)
    book = load_workbook(io.BytesIO(to_xlsx(frame, sheet_name="Resultaat", footer_lines=footer, title="t")))
    return data.decode("utf-8-sig"), book.active


@pytest.mark.parametrize("sql", ODD, ids=[f"{i:02d}" for i in range(len(ODD))])
def test_every_result_is_shown_and_downloads(sql):
    result = run_select(sql)
    frame = result.frame
    assert len(frame) == 1
    shown = sql_results.display_frame(frame)
    assert shown.shape == frame.shape
    assert "None" not in shown.astype(str).values.ravel().tolist()
    footer = sandbox.result_footer(frame, __import__("monitor.data.db", fromlist=["query"]).query("sources_overview"), sql)
    text, sheet = _downloads(frame, footer)
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows[0]) == frame.shape[1]
    header = [cell.value for cell in sheet[3]][: frame.shape[1]]
    assert len(header) == frame.shape[1]


def test_duplicate_names_keep_every_value():
    result = run_select("select 1 as k, 2 as k, 3 as k_2")
    assert list(result.frame.columns) == ["k", "k_3", "k_2"]
    assert result.frame.iloc[0].tolist() == [1, 2, 3]
    assert any("dubbel" in note for note in result.notes)


def test_big_integers_are_exact():
    frame = run_select("select 340282366920938463463374607431768211455::uhugeint as u, "
                       "(-170141183460469231731687303715884105727::hugeint - 1) as h, 9007199254740993 as big").frame
    assert frame["u"].iloc[0] == "340282366920938463463374607431768211455"
    assert str(frame["h"].iloc[0]) == "-170141183460469231731687303715884105728"
    sheet = load_workbook(io.BytesIO(to_xlsx(frame))).active
    assert [c.value for c in sheet[2]] == ["340282366920938463463374607431768211455",
                                           "-170141183460469231731687303715884105728", "9007199254740993"]


def test_infinite_timestamps_read_infinity():
    frame = run_select("select 'infinity'::timestamp as t, '-infinity'::date as d").frame
    assert frame.iloc[0].tolist() == ["infinity", "-infinity"]


def test_unsafe_characters_are_replaced_and_said():
    result = run_select("select chr(65534) as c, chr(1) || 'x' as d, 'gewoon' as e")
    assert result.frame.iloc[0].tolist() == ["\ufffd", "\ufffdx", "gewoon"]
    assert any("U+FFFE" in note for note in result.notes)


def test_numbers_on_screen_are_dutch_and_missing_is_a_dash():
    frame = run_select("select 59.5::double as waarde, null::double as leeg, 1234567 as n, 2020 as jaar, "
                       "true as ja, null as niets").frame
    shown = sql_results.display_frame(frame).iloc[0].tolist()
    assert shown == ["59,5", "–", "1.234.567", "2020", "ja", "–"]


@pytest.mark.parametrize("sql", ["select [1,2] as source_id", "select 'infinity'::timestamp as t",
                                 "select 1 as k, 2 as k, 3 as k_2",
                                 "select 340282366920938463463374607431768211455::uhugeint as u"])
def test_a_link_with_an_odd_query_opens_the_page(sql):
    at = open_page("sql", {"sql": sql}, timeout=60)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    shown = at.dataframe[0].value
    assert len(shown) == 1
    assert "TypeError" not in " ".join(c.value for c in at.caption)
