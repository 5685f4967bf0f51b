"""The query layer: named files, bound parameters, cache invalidated by a dataset change."""

from __future__ import annotations

import json
import os
import threading

import pandas as pd
import pytest

from monitor import db, store


@pytest.fixture
def small_store(tmp_datasets):
    regions = pd.DataFrame({"region_code": ["GM0153", "NL01"], "name": ["Enschede", "Nederland"],
                            "level": ["gemeente", "land"], "parent_code": [None, None]})
    store.write_tables({"regions": store.to_table("regions", regions)}, tmp_datasets)
    return tmp_datasets


@pytest.fixture
def query_dir(tmp_path, monkeypatch):
    qdir = tmp_path / "queries"
    qdir.mkdir()
    (qdir / "region_by_code.sql").write_text("select name from regions where region_code = $code\n")
    (qdir / "region_count.sql").write_text("select count(*) as n from regions\n")
    monkeypatch.setattr(db, "QUERIES_DIR", qdir)
    db.clear_cache()
    return qdir


def test_named_query_with_bound_parameter(small_store, query_dir):
    result = db.query("region_by_code", small_store, code="GM0153")
    assert result["name"].tolist() == ["Enschede"]


def test_parameter_is_bound_not_formatted(small_store, query_dir):
    # An injection attempt is just a value that matches nothing.
    result = db.query("region_by_code", small_store, code="x' or '1'='1")
    assert result.empty


def test_unknown_and_unsafe_query_names(small_store, query_dir):
    with pytest.raises(db.QueryError, match="bestaat niet"):
        db.query("nope", small_store)
    with pytest.raises(db.QueryError, match="ongeldige querynaam"):
        db.query("../etc/passwd", small_store)


def test_missing_table_reads_empty_with_contract_columns(small_store, query_dir):
    (query_dir / "obs.sql").write_text("select * from observations\n")
    result = db.query("obs", small_store)
    assert result.empty
    assert list(result.columns)[:3] == ["indicator_id", "region_code", "period"]


def test_cache_invalidated_when_dataset_changes(small_store, query_dir):
    assert db.query("region_count", small_store)["n"].iloc[0] == 2
    regions = store.read_frame("regions", small_store)
    more = pd.concat([regions, pd.DataFrame([{"region_code": "GM0141", "name": "Almelo",
                                              "level": "gemeente", "parent_code": None}])])
    store.write_tables({"regions": store.to_table("regions", more)}, small_store)
    path = store.table_path("regions", small_store)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # be safe on coarse clocks
    assert db.query("region_count", small_store)["n"].iloc[0] == 3


def test_results_are_cached(small_store, query_dir):
    first = db.query("region_count", small_store)
    assert db.query("region_count", small_store) is first


def test_parallel_queries_from_threads(small_store, query_dir):
    errors, results = [], []

    def work(i):
        try:
            code = "GM0153" if i % 2 else "NL01"
            db.clear_cache()
            results.append(db.query("region_by_code", small_store, code=code)["name"].iloc[0])
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(set(results)) == ["Enschede", "Nederland"]


def test_every_query_file_runs_on_the_committed_datasets(tmp_path):
    """Each queries/*.sql runs against the real embedded datasets, plus one recorded phase
    change and KPI realisation, with its documented example, and returns rows.

    A query file documents its parameters in a line ``-- example: {"code": "GM0153"}``.
    """
    import shutil
    from datetime import date, datetime, timezone

    from monitor import events

    directory = tmp_path / "datasets"
    shutil.copytree(db.store.dataset_dir(), directory, ignore=shutil.ignore_patterns("events"))
    editor = events.User("test-redacteur", "redacteur")
    now = datetime(2025, 11, 1, 12, tzinfo=timezone.utc)
    events.record_phase_change(editor, "kinderarmoede", "Ontwerp", date(2025, 3, 1), "test",
                               dataset_dir=directory, now=now)
    events.record_kpi_realisation(editor, "participatie-naar-werk-2025", "2025Q3", 60, "test",
                                  dataset_dir=directory, now=now)
    db.clear_cache()
    files = sorted(db.store.REPO_ROOT.joinpath("queries").glob("*.sql"))
    assert files
    for path in files:
        params = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("-- example:"):
                params = json.loads(line.removeprefix("-- example:"))
        result = db.query(path.stem, directory, **params)
        assert isinstance(result, pd.DataFrame), path.name
        assert not result.empty, f"{path.name} geeft geen rijen op de ingebedde datasets"
