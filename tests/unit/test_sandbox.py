"""The SQL page's sandbox: escape attempts, time-out, truncation, examples, schema docs.

Every query runs on the fixture store with its Veilig Thuis raw counts (tests/fixture_store.py),
set as the dataset folder for this module; that the examples return rows on the committed data
is checked with the other committed-data checks in test_build.py."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from monitor.data import catalog, db, sandbox, store
from monitor.domain import privacy
from monitor.data.contract import PRIVATE_TABLES, SCHEMAS, TABLES
from monitor.data.sandbox import SandboxError, run_select
from monitor.ingest import voorbeelddata
from tests import fixture_store

# A Python object a replacement scan could find if the sandbox let it.
geheim = pd.DataFrame({"wachtwoord": ["hunter2"]})
OUTSIDE = "/tmp/twentse-koers-sandbox-test"

CUT = "afgekapt"
# (query, expected kind, or CUT for a result that is cut off). Each one is an attempt to get out.
ESCAPES = [
    # reading files and the network
    ("select * from read_csv('/etc/passwd')", "verboden"),
    ("SeLeCt * FrOm ReAd_CsV_aUtO(['/etc/passwd'])", "verboden"),
    (f"select * from read_parquet('{OUTSIDE}.parquet')", "verboden"),  # not "fout": refused unread
    ("select * from glob('/etc/*')", "verboden"),
    ("select * from read_text('/etc/passwd')", "verboden"),
    ("select * from 'x.parquet'", "verboden"),
    ("select * from read_json('http://example.com/data.json')", "verboden"),
    ("select * from duckdb_secrets()", "verboden"),
    # writing files, other databases, extensions
    (f"COPY (select * from regions) TO '{OUTSIDE}.csv'", "verboden"),
    (f"COPY regions TO '{OUTSIDE}.parquet' (FORMAT parquet)", "verboden"),
    (f"EXPORT DATABASE '{OUTSIDE}'", "verboden"),
    (f"ATTACH '{OUTSIDE}.duckdb' AS buiten", "verboden"),
    ("DETACH sandbox", "verboden"),
    ("INSTALL httpfs", "verboden"),
    ("LOAD httpfs", "verboden"),
    ("select * from sqlite_scan('x.db', 't')", "verboden"),
    # settings
    ("SET enable_external_access = true", "verboden"),
    ("RESET lock_configuration", "verboden"),
    ("PRAGMA threads = 8", "verboden"),
    ("SET VARIABLE x = 1", "verboden"),
    ("USE memory", "verboden"),
    # changing data
    ("CREATE TABLE x AS select 1", "verboden"),
    ("INSERT INTO regions VALUES ('X', 'x', 'gemeente', NULL, NULL, NULL, NULL, NULL, NULL)", "verboden"),
    ("UPDATE regions SET name = 'x'", "verboden"),
    ("DELETE FROM regions", "verboden"),
    ("DROP TABLE regions", "verboden"),
    ("WITH d AS (DELETE FROM regions RETURNING *) select * from d", "verboden"),
    ("WITH i AS (INSERT INTO regions VALUES ('X', 'x', 'gemeente', NULL, NULL, NULL, NULL, NULL, NULL) RETURNING *) select * from i", "verboden"),
    ("select * from query('DROP TABLE regions')", "verboden"),
    ("CALL pragma_version()", "verboden"),
    ("PREPARE p AS select 1", "verboden"),
    ("BEGIN TRANSACTION", "verboden"),
    # two statements, comment and quoting tricks
    ("select 1; DROP TABLE regions", "verboden"),
    ("select 1; --\nDROP TABLE regions", "verboden"),
    ("/* alleen lezen */ DROP TABLE regions", "verboden"),
    ("select 1 /* ; */ ; DELETE FROM regions", "verboden"),
    ('select * from "regions"; drop table "regions"', "verboden"),
    ("select 'a'';' ; drop table regions; --'", "verboden"),
    # what is not there: Python objects, tables outside the allow-list
    ("select * from geheim", "fout"),
    ("select * from veilig_thuis_meldingen", "fout"),
    # too much: rows, memory
    ("select * from range(100000000)", CUT),
    ("select * from range(10000) a cross join range(10000) b", CUT),
    ("select list(range) from range(100000000)", "geheugen"),
    ("select * from range(100000000) order by random()", "geheugen"),
]


@pytest.fixture(scope="module")
def fixture_folder(tmp_path_factory) -> Path:
    return fixture_store.write(tmp_path_factory.mktemp("sandbox") / "datasets", veilig_thuis=True)


@pytest.fixture(autouse=True)
def on_the_fixture_store(fixture_folder, monkeypatch):
    monkeypatch.setenv("MONITOR_DATASETS", str(fixture_folder))


def _outcome(sql: str) -> str:
    try:
        result = run_select(sql)
    except SandboxError as error:
        assert error.message, sql
        return error.kind
    return CUT if result.truncated else "uitgevoerd"


@pytest.mark.parametrize(("sql", "expected"), ESCAPES, ids=[f"{i:02d}" for i in range(len(ESCAPES))])
def test_escape_attempt_is_refused_or_cut_off(sql, expected):
    local_secret = pd.DataFrame({"x": [1]})  # noqa: F841 - must stay invisible to the query
    assert _outcome(sql) == expected, sql


def test_enough_escape_attempts():
    assert len(ESCAPES) >= 22


def test_after_every_escape_attempt_everything_still_works():
    result = run_select("select count(*) as n from regions")
    assert int(result.frame["n"].iloc[0]) == len(store.read_frame("regions"))
    # The main database (not a cached result) still answers, with every region.
    cursor = catalog.database().cursor()
    assert cursor.execute("select count(*) from regions").fetchone()[0] == len(store.read_frame("regions"))
    cursor.close()
    assert not db.query("sources_overview").empty
    for suffix in (".csv", ".parquet", ".duckdb", ""):
        assert not Path(OUTSIDE + suffix).exists()
    settings = run_select("select name, value from duckdb_settings()").frame.set_index("name")["value"]
    assert settings["enable_external_access"] == "false"
    assert settings["lock_configuration"] == "true"
    assert settings["threads"] == "1"
    assert settings["temp_directory"] == ""
    assert settings["autoload_known_extensions"] == "false"


@pytest.mark.parametrize("statement", [
    f"COPY regions TO '{OUTSIDE}.csv'",
    f"ATTACH '{OUTSIDE}.duckdb' AS buiten",
    "INSTALL httpfs",
    "SET enable_external_access = true",
    "SET python_enable_replacements = true",
    "CREATE TABLE x AS select 1",
    "DELETE FROM regions",
    "select * from read_csv('/etc/passwd')",
    "select * from geheim",
])
def test_the_sandbox_itself_refuses_what_the_statement_check_already_stops(statement):
    """Defence in depth: even a statement that got past the check fails on the sandbox."""
    con = sandbox.connect()  # exactly the instance a worker opens for a query
    geheim_lokaal = pd.DataFrame({"x": [1]})  # noqa: F841 - a replacement scan must not find it
    try:
        with pytest.raises(duckdb.Error):
            con.execute(statement).fetchall()
    finally:
        con.close()
    assert not Path(OUTSIDE + ".csv").exists() and not Path(OUTSIDE + ".duckdb").exists()
    assert len(run_select("select * from regions").frame) == len(store.read_frame("regions"))


def test_settings_can_be_read_not_changed():
    frame = run_select("select name, value from duckdb_settings() where name = 'memory_limit'").frame
    assert "MiB" in frame["value"].iloc[0]
    with pytest.raises(SandboxError) as info:
        run_select("SET memory_limit = '8GB'")
    assert info.value.kind == "verboden"


def test_only_the_allow_listed_tables_are_there(tmp_path):
    directory = fixture_store.write(tmp_path / "datasets", veilig_thuis=True)
    # A raw table next to the curated ones, as a file and in the main database: never loaded.
    shutil.copy(directory / "regions.parquet", directory / "veilig_thuis_meldingen.parquet")
    catalog.database(directory).execute("create or replace table veilig_thuis_ruw as select 42 as meldingen")
    assert sandbox.tables(directory) == sorted(sandbox.SANDBOX_TABLES)
    for name in ("veilig_thuis_meldingen", "veilig_thuis_ruw"):
        with pytest.raises(SandboxError) as info:
            run_select(f"select * from {name}", directory=directory)
        assert info.value.kind == "fout"
    assert sandbox.SANDBOX_TABLES == tuple(t for t in TABLES if t not in PRIVATE_TABLES) + ("vt_reports_protected",)
    assert "vt_reports" not in sandbox.tables(directory)


def test_sandbox_is_rebuilt_when_the_data_changes(tmp_path):
    directory = fixture_store.write(tmp_path / "datasets", veilig_thuis=True)
    before = run_select("select count(*) as n from regions", directory=directory).frame["n"].iloc[0]
    regions = store.read_table("regions", directory)
    store.write_tables({"regions": regions.slice(0, regions.num_rows - 1)}, directory)
    after = run_select("select count(*) as n from regions", directory=directory).frame["n"].iloc[0]
    assert after == before - 1


def test_timeout_stops_a_cross_join_that_never_ends():
    start = time.monotonic()
    with pytest.raises(SandboxError) as info:
        run_select("select sum(a.range * b.range) from range(100000) a, range(100000) b")
    elapsed = time.monotonic() - start
    assert info.value.kind == "tijdslimiet"
    assert str(info.value) == "De query duurde langer dan 5 seconden en is gestopt."
    assert 4.9 <= elapsed <= 6.0, f"gestopt na {elapsed:.2f} s"
    assert run_select("select 1 as een").frame["een"].iloc[0] == 1


def test_other_sessions_keep_working_during_a_long_query():
    outcome = {}

    def slow():
        try:
            run_select("select sum(a.range * b.range) from range(100000) a, range(100000) b", timeout_s=3)
        except SandboxError as error:
            outcome["kind"] = error.kind

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)
    start = time.monotonic()
    frame = run_select("select name from regions order by name").frame
    assert time.monotonic() - start < 1.0
    assert len(frame) == len(store.read_frame("regions"))
    assert not db.query("data_peildatum").empty
    thread.join()
    assert outcome["kind"] == "tijdslimiet"


def test_millions_of_rows_are_cut_off_quickly():
    start = time.monotonic()
    result = run_select("select range as n, range::varchar as tekst from range(100000000)")
    assert time.monotonic() - start < 2.0
    assert result.truncated
    assert len(result.frame) == sandbox.MAX_ROWS
    assert result.message == "Resultaat afgekapt op 10.000 rijen"
    exact = run_select("select * from range(10000)")
    assert not exact.truncated and len(exact.frame) == 10_000


def test_syntax_error_names_line_and_position():
    with pytest.raises(SandboxError) as info:
        run_select("select *\nfrom regions\nwher name = 'Borne'")
    error = info.value
    assert error.kind == "syntax"
    assert error.line == 3
    assert "regel 3" in error.message and error.message.startswith("Syntaxfout")
    assert sandbox.error_excerpt("select *\nfrom regions\nwher name = 'Borne'", error.line, error.column)


@pytest.mark.parametrize("sql", ["", "   ", "-- alleen commentaar", ";"])
def test_empty_input(sql):
    with pytest.raises(SandboxError) as info:
        run_select(sql)
    assert info.value.kind == "syntax"


def test_unknown_column_and_table_are_explained_in_dutch():
    with pytest.raises(SandboxError) as info:
        run_select("select nam from regions")
    assert info.value.kind == "fout" and "bestaat niet" in info.value.message
    with pytest.raises(SandboxError) as info:
        run_select("select * from regio")
    assert "bestaat niet" in info.value.message and "regions" in info.value.message


def test_a_string_with_a_semicolon_is_one_harmless_select():
    result = run_select("select 'a;DROP TABLE regions;--' as tekst")
    assert result.frame["tekst"].iloc[0] == "a;DROP TABLE regions;--"
    assert len(run_select("select * from regions").frame) == len(store.read_frame("regions"))


def test_odd_types_become_plain_values():
    frame = run_select("select 1.5 as d, 'x'::enum('x', 'y') as e, union_value(a := 1) as u, "
                       "interval 1 day as i, 1 as k, 2 as k").frame
    assert list(frame.columns) == ["d", "e", "u", "i", "k", "k_2"]
    assert frame["d"].iloc[0] == 1.5 and frame["i"].iloc[0] == "1 dag" and frame["e"].iloc[0] == "x"


def test_there_are_five_to_seven_examples():
    assert 5 <= len(sandbox.examples()) <= 7


def test_schema_doc_has_every_contract_column_with_a_meaning():
    doc = sandbox.schema_doc()
    # every table of the contract but the raw Veilig Thuis counts, and their protected view instead
    assert sorted(doc) == sorted([*(t for t in SCHEMAS if t != "vt_reports"), "vt_reports_protected"])
    for table, columns in doc.items():
        expected = SCHEMAS[table].names if table in SCHEMAS else [c for c, _ in privacy.PROTECTED_COLUMNS]
        assert [c for c, _, _ in columns] == expected
        for column, kind, meaning in columns:
            assert kind.strip(), (table, column)
            assert meaning.strip(), f"{table}.{column} heeft geen betekenis in datasets/README.md"
    observations = dict((c, (t, m)) for c, t, m in doc["observations"])
    assert observations["ci_low"] == observations["ci_high"]
    assert observations["value"][0].startswith("double")


def test_result_footer_names_the_sources_and_the_sample_mark():
    sources = db.query("sources_overview")
    frame = pd.DataFrame({"value": [1.0, 2.0], "source_id": ["gm-2020", voorbeelddata.SAMPLE_VT_SOURCE_ID],
                          "is_sample": [False, True]})
    lines = sandbox.result_footer(frame, sources, "select *\n  from observations")
    assert lines[0].startswith("Bron: GGD Twente") and "Gezondheidsmonitor 2020" in lines[0]
    assert lines[1].startswith("Voorbeelddata") and "Bron:" in lines[1]
    assert sandbox.SAMPLE_LINE in lines
    assert lines[-1] == "Query: select * from observations"
    generic = sandbox.result_footer(pd.DataFrame({"n": [1]}), sources)
    assert generic == [sandbox.GENERIC_SOURCE]


# --- Veilig Thuis: only the protected view ---------------------------------------------------

def test_schema_browser_documents_the_protected_view_and_never_the_raw_table():
    doc = sandbox.schema_doc()
    assert "vt_reports_protected" in doc
    assert not set(doc) & set(PRIVATE_TABLES)
    columns = {c: (t, m) for c, t, m in doc["vt_reports_protected"]}
    assert "rounded" in columns["count"][1] and "klein" in columns["suppression"][1]
    # The documented columns are the view's columns, in order and type.
    cursor = catalog.database().cursor()
    try:
        described = cursor.execute("describe vt_reports_protected").fetchall()
    finally:
        cursor.close()
    assert [(row[0], row[1]) for row in described] == list(privacy.PROTECTED_COLUMNS)


@pytest.mark.parametrize("sql", [
    "select * from vt_reports",
    "select count(*) from main.vt_reports",
    "select * from vt_private.cells",
    "select * from vt_private.settings",
    "select * from cells",
])
def test_raw_veilig_thuis_counts_are_not_selectable(sql):
    with pytest.raises(SandboxError) as info:
        run_select(sql)
    assert info.value.kind == "fout"
    assert "bestaat niet" in info.value.message and "vt_reports_protected" in info.value.message


def test_raw_file_is_not_readable_from_the_sandbox(fixture_folder):
    assert (fixture_folder / "vt_reports.parquet").exists()
    with pytest.raises(SandboxError) as info:
        run_select(f"select * from read_parquet('{fixture_folder}/vt_reports.parquet')")
    assert info.value.kind == "verboden"


def test_protected_view_is_selectable_and_never_shows_a_small_count():
    settings = privacy.settings()
    result = run_select("select * from vt_reports_protected", max_rows=100_000)
    frame = result.frame
    assert not result.truncated and len(frame) == len(store.read_frame("vt_reports"))
    assert list(frame.columns) == [c for c, _ in privacy.PROTECTED_COLUMNS]
    # Raw counts get the monitor's protection; CBS's figures (protected_by = 'CBS') are shown as
    # CBS publishes them: rounded to 5 by CBS, its hidden cells marked 'bron'.
    raw = frame[frame["protected_by"].isna()]
    cbs = frame[frame["protected_by"] == "CBS"]
    assert len(raw) + len(cbs) == len(frame)
    assert (raw["count"].dropna() >= settings.min_count).all()
    shown = frame["count"].dropna()
    assert not shown.empty
    assert (shown % settings.rounding == 0).all()
    assert frame.loc[frame["suppression"].notna(), "count"].isna().all()
    assert frame.loc[frame["suppression"].notna(), "per_1000"].isna().all()
    assert set(raw["suppression"].dropna()) <= {"klein", "afgeschermd"}
    assert set(cbs["suppression"].dropna()) <= {"bron"}
    # Aggregates over the view cannot get at more than it shows.
    smallest = run_select("select min(count) as m from vt_reports_protected where protected_by is null").frame["m"].iloc[0]
    assert pd.isna(smallest) or smallest >= settings.min_count
