"""The embedded datasets: rebuilt from the sources they equal the committed ones.

The one integration test of the committed ``datasets/`` (logic tests use the fixture store,
tests/fixture_store.py): ``test_rebuild_equals_committed`` builds from ``../shared`` into a
temporary folder (as ``make rebuild`` does in place) and compares every table. Without
``../shared`` it is skipped with the reason, under ``CI=true`` it fails."""

from __future__ import annotations

import pytest

from monitor.data import sandbox, store
from monitor.data.build import build
from monitor.data.contract import SCHEMAS, TABLES


def test_committed_datasets_follow_the_contract():
    for name in TABLES:
        path = store.table_path(name)
        assert path.exists(), f"datasets/{name}.parquet ontbreekt: draai 'python -m monitor build'"
        table = store.read_table(name)
        assert table.schema == SCHEMAS[name], name


@pytest.fixture(scope="module")
def rebuilt(shared_dir, tmp_path_factory):
    target = tmp_path_factory.mktemp("rebuild") / "datasets"
    assert build(target, shared=shared_dir, log=lambda *_a: None) == 0
    return target


@pytest.mark.parametrize("name", TABLES)
def test_rebuild_equals_committed(rebuilt, name):
    committed = store.read_table(name)
    fresh = store.read_table(name, rebuilt)
    assert fresh.num_rows == committed.num_rows, name
    assert fresh.equals(committed), (
        f"datasets/{name}.parquet wijkt af van een verse build; draai 'make rebuild' en commit het resultaat")


def test_build_refuses_changed_source_file(shared_dir, tmp_path, monkeypatch):
    import shutil

    from monitor.data import build as build_mod

    fake_shared = tmp_path / "shared"
    shutil.copytree(shared_dir / "data", fake_shared / "data")
    target = fake_shared / "data" / "cbs" / "85012NED_gezondheidsmonitor_volwassenen_2020.csv"
    target.chmod(0o644)
    target.write_bytes(target.read_bytes().replace(b"79.1", b"79.2", 1))
    out = tmp_path / "datasets"
    with pytest.raises(build_mod.MonitorError, match="gewijzigd"):
        build(out, shared=fake_shared, log=lambda *_a: None)
    assert not out.exists() or not any(out.glob("*.parquet"))


def test_build_if_missing_keeps_existing(tmp_path):
    from tests import fixture_store

    target = fixture_store.write(tmp_path / "datasets")
    before = {p.name: p.stat().st_mtime_ns for p in target.iterdir()}
    assert build(target, shared=tmp_path / "nowhere", if_missing=True, log=lambda *_a: None) == 0
    assert {p.name: p.stat().st_mtime_ns for p in target.iterdir()} == before


@pytest.mark.parametrize("example", sandbox.examples(), ids=lambda e: e.title)
def test_every_sql_example_returns_rows_on_the_committed_datasets(example):
    """What the SQL page offers as an example runs as it stands on the data the app ships."""
    result = sandbox.run_select(example.sql)
    assert len(result.frame) > 0 and not result.truncated
    assert example.description
